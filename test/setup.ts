import { afterAll, beforeAll } from 'vitest';
import { describeFindings, installLogCapture } from './logs/capture';
import { PRIVACY_DEFAULTS, usePrivacySettings } from '../functions/privacy/settings';
import { referenceDataOf, useReferenceData } from '../functions/api/reference-data';
import { loadConfig, shippedDistrictBoundaries } from '../functions/config/load';

// Quiet the SDK's Node 20 notice; Lambda runs Node 22+, where it does not print.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_REGION ??= 'ap-northeast-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
// The phone-search index key (functions/privacy/phone-hash.ts); a test value, not a secret. Handlers get it through
// the composition root from the environment; use cases and adapters built by a test get it installed here.
process.env.PII_HASH_KEY ??= 'test-only-pii-hash-key-0123456789';
process.env.STAGE ??= 'test';
// The pagination cursors' MAC key (functions/adapters/cursor.ts), required by the environment schema.
process.env.CURSOR_SECRET ??= 'test-only-cursor-secret-0123456789';
usePrivacySettings({ ...PRIVACY_DEFAULTS, phoneHashKey: process.env.PII_HASH_KEY });
// The request schemas' district and category codes, as the composition root installs them in a handler.
useReferenceData(referenceDataOf(loadConfig(), shippedDistrictBoundaries()));

// No personal data in logs: everything this test file's code prints is captured (test/logs/capture.ts)
// and the file fails when a phone number or an e-mail address reached the output; test/logs/global-scan.ts
// scans the whole run's output once more after the last file.
const logCapture = installLogCapture();
beforeAll(() => logCapture.reset());
afterAll(() => {
  const findings = logCapture.findings();
  if (findings.length) throw new Error(describeFindings(findings, 'this test file'));
});
