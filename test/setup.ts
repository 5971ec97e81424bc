import { afterAll, beforeAll } from 'vitest';
import { describeFindings, installLogCapture } from './logs/capture';
import { PRIVACY_DEFAULTS, usePrivacySettings } from '../functions/privacy/settings';
import { referenceDataOf, useReferenceData } from '../functions/api/reference-data';
import { loadConfig, shippedDistrictBoundaries } from '../functions/config/load';
import { startSecretsManagerService, type SecretsManagerService } from '../local/secrets-manager';
import { systemClock, useClock } from '../functions/domain/clock';

// Quiet the SDK's Node 20 notice; Lambda runs Node 22+, where it does not print.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// Tests trace nothing: the X-Ray SDK starts in manual mode, without its async hook on every promise (as the local
// cloud has it, local/cloud.ts).
process.env.AWS_XRAY_MANUAL_MODE ??= 'true';
process.env.AWS_REGION ??= 'ap-northeast-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.STAGE ??= 'test';
// The stage's keys (the phone-search index's, functions/privacy/phone-hash.ts; the cursors' MAC key,
// functions/adapters/cursor.ts): test values, not secrets. Handlers read them as on AWS, from Secrets Manager (the
// local one, local/secrets-manager.ts) through the secrets' ARNs; use cases and adapters built by a test get the
// phone-hash key installed here.
const TEST_KEYS = { piiHashKey: 'test-only-pii-hash-key-0123456789', cursorSecret: 'test-only-cursor-secret-0123456789' };
// This file runs before every test file; files of the "shared" project (vitest.config.ts) share one worker, which
// keeps the service of its first file.
const SECRETS = Symbol.for('citydesk.testSecretsManager');
const holder = globalThis as Record<symbol, SecretsManagerService | undefined>;
const secrets = (holder[SECRETS] ??= await startSecretsManagerService({
  region: process.env.AWS_REGION,
  secrets: [
    { name: 'citydesk-test-pii-hash-key', value: TEST_KEYS.piiHashKey },
    { name: 'citydesk-test-cursor-secret', value: TEST_KEYS.cursorSecret },
  ],
}));
process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;
process.env.PII_HASH_KEY_SECRET_ARN = secrets.arns['citydesk-test-pii-hash-key'];
process.env.CURSOR_SECRET_ARN = secrets.arns['citydesk-test-cursor-secret'];
usePrivacySettings({ ...PRIVACY_DEFAULTS, phoneHashKey: TEST_KEYS.piiHashKey });
// The request schemas' district and category codes, as the composition root installs them in a handler.
useReferenceData(referenceDataOf(loadConfig(), shippedDistrictBoundaries()));
// The system clock, whatever clock the previous file in a shared worker left installed.
useClock(systemClock);

// No personal data in logs: everything this test file's code prints is captured (test/logs/capture.ts)
// and the file fails when a phone number or an e-mail address reached the output; test/logs/global-scan.ts
// scans the whole run's output once more after the last file.
const logCapture = installLogCapture();
beforeAll(() => logCapture.reset());
afterAll(() => {
  const findings = logCapture.findings();
  if (findings.length) throw new Error(describeFindings(findings, 'this test file'));
});
