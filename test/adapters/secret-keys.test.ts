/**
 * The stage's keys come from Secrets Manager through Powertools Parameters: read once on the cold start, answered
 * from the cache on warm invocations, read again once the cache's age has passed, refused when unfit.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerKeys } from '../../functions/adapters/secret-keys';
import { privacySettings } from '../../functions/privacy/settings';
import { apiEvent, call } from '../api/support/events';

const PII_ARN = process.env.PII_HASH_KEY_SECRET_ARN!;
const CURSOR_ARN = process.env.CURSOR_SECRET_ARN!;
const PII_KEY = 'p'.repeat(64);
const CURSOR_KEY = 'c'.repeat(64);

const secrets = mockClient(SecretsManagerClient);
beforeEach(() => {
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: PII_ARN }).resolves({ ARN: PII_ARN, SecretString: PII_KEY });
  secrets.on(GetSecretValueCommand, { SecretId: CURSOR_ARN }).resolves({ ARN: CURSOR_ARN, SecretString: CURSOR_KEY });
});
afterEach(() => vi.useRealTimers());

const reads = (arn: string) => secrets.commandCalls(GetSecretValueCommand, { SecretId: arn }).length;

describe('SecretsManagerKeys', () => {
  it('reads a secret once and answers later asks from the cache until its age passes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const keys = new SecretsManagerKeys(new SecretsManagerClient({}), 600);
    expect(await keys.key(PII_ARN)).toBe(PII_KEY);
    expect(await keys.key(PII_ARN)).toBe(PII_KEY);
    expect(reads(PII_ARN)).toBe(1);

    // A value changed in Secrets Manager (a rotation) is read once the cached one is older than maxAge.
    secrets.on(GetSecretValueCommand, { SecretId: PII_ARN }).resolves({ ARN: PII_ARN, SecretString: 'n'.repeat(64) });
    vi.advanceTimersByTime(599_000);
    expect(await keys.key(PII_ARN)).toBe(PII_KEY);
    vi.advanceTimersByTime(2_000);
    expect(await keys.key(PII_ARN)).toBe('n'.repeat(64));
    expect(reads(PII_ARN)).toBe(2);
  });

  it('a secret that is not a key (too short, binary) is a ConfigError naming the secret', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'short' }).resolves({ SecretString: 'changeme' });
    secrets.on(GetSecretValueCommand, { SecretId: 'binary' }).resolves({ SecretBinary: new Uint8Array(64) });
    const keys = new SecretsManagerKeys(new SecretsManagerClient({}));
    await expect(keys.key('short')).rejects.toMatchObject({ name: 'ConfigError', message: expect.stringContaining('secret short') as string });
    await expect(keys.key('binary')).rejects.toMatchObject({ name: 'ConfigError' });
  });
});

describe('the composition root', () => {
  it('two invocations of a handler read each of its secrets once, and install the phone-hash key', async () => {
    const { handler } = await import('../../functions/api/handlers/openapi');
    expect((await call(handler, apiEvent('getOpenApi'))).statusCode).toBe(200);
    expect((await call(handler, apiEvent('getOpenApi'))).statusCode).toBe(200);
    expect([reads(PII_ARN), reads(CURSOR_ARN)]).toEqual([1, 1]);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(privacySettings().phoneHashKey).toBe(PII_KEY);
  });
});
