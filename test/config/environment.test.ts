/**
 * The one environment schema: what a function needs is named at cold start, every missing or bad variable at
 * once; what CDK and the local cloud set (handlerEnvironment) is exactly what the schema reads.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_EMAIL_DELIVERY } from '../../functions/domain/email-delivery';
import { ALWAYS_SET, DEFAULT_TUNABLES, environmentSchema, EnvironmentError, handlerEnvironment, readEnvironment, readSecretArns, requireResource } from '../../functions/config/environment';
import { PRIVACY_DEFAULTS } from '../../functions/privacy/settings';

const KEY = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:citydesk-dev-pii-hash-key-AbCdEf';
const CURSOR_KEY = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:citydesk-dev-cursor-secret-GhIjKl';
const minimal = { STAGE: 'dev', TABLE_NAME: 'cases', PII_HASH_KEY_SECRET_ARN: KEY, CURSOR_SECRET_ARN: CURSOR_KEY };

function problems(source: Record<string, string | undefined>): Array<{ path: string; message: string }> {
  try {
    readEnvironment(source);
  } catch (e) {
    if (e instanceof EnvironmentError) return e.problems;
    throw e;
  }
  throw new Error('expected an EnvironmentError');
}

describe('the function environment', () => {
  it('names every missing required variable at once', () => {
    expect(problems({}).map((p) => p.path).sort()).toEqual(['PII_HASH_KEY_SECRET_ARN', 'STAGE', 'TABLE_NAME']);
    expect(problems({}).every((p) => p.message === 'is not set')).toBe(true);
  });

  it('names a bad value with the problem', () => {
    const keyNotArn = 'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>), not the key itself';
    expect(problems({ ...minimal, PII_HASH_KEY_SECRET_ARN: 'a-key-pasted-where-its-secret-arn-belongs', CURSOR_SECRET_ARN: 'arn:aws:sns:ap-northeast-1:123456789012:cursor', SMS_PER_PHONE_PER_DAY: 'many', DEPARTMENT_TOPIC_ARN_PREFIX: '{"PWD":"arn:topic"}' })).toEqual(expect.arrayContaining([
      { path: 'PII_HASH_KEY_SECRET_ARN', message: keyNotArn },
      { path: 'CURSOR_SECRET_ARN', message: keyNotArn },
      { path: 'DEPARTMENT_TOPIC_ARN_PREFIX', message: 'must be an SNS topic ARN up to the department code, such as arn:aws:sns:ap-northeast-1:123456789012:citydesk-prod-' },
      { path: 'SMS_PER_PHONE_PER_DAY', message: 'must be a whole number of at least 1 (got "many")' },
    ]));
  });

  it('reads the privacy limits and Open311 settings, with their documented defaults', () => {
    const env = readEnvironment({ ...minimal, PII_AGENT_UNMASK_MINUTES: '5', OPEN311_JURISDICTION_ID: 'example.gov' });
    expect(env.privacy).toEqual({ ...PRIVACY_DEFAULTS, agentUnmaskMinutes: 5 });
    expect(env.open311).toMatchObject({ jurisdictionId: 'example.gov', endpointType: 'test' });
    expect(readEnvironment({ ...minimal, STAGE: 'prod' }).open311.endpointType).toBe('production');
  });

  it('a resource variable a part of the function needs is demanded by name when that part is built', () => {
    expect(() => requireResource(readEnvironment({ ...minimal, CURSOR_SECRET_ARN: undefined }), 'cursorSecretArn')).toThrow(/CURSOR_SECRET_ARN: is not set/);
    expect(requireResource(readEnvironment(minimal), 'cursorSecretArn')).toBe(CURSOR_KEY);
    const env = readEnvironment(minimal);
    expect(() => requireResource(env, 'caseWorkflowArn')).toThrow(/CASE_WORKFLOW_ARN: is not set/);
    expect(requireResource(readEnvironment({ ...minimal, DEPARTMENT_TOPIC_ARN_PREFIX: 'arn:aws:sns:ap-northeast-1:123456789012:citydesk-dev-' }), 'departmentTopicArnPrefix')).toBe('arn:aws:sns:ap-northeast-1:123456789012:citydesk-dev-');
    expect(() => requireResource(env, 'departmentTopicArnPrefix')).toThrow(/DEPARTMENT_TOPIC_ARN_PREFIX: is not set/);
  });

  it('the Open311 base URL is a resource of the Open311 functions: set by handlerEnvironment, an http(s) URL, demanded by name', () => {
    const set = handlerEnvironment({ stage: 'dev', tableName: 'cases', piiHashKeySecretArn: KEY, cursorSecretArn: KEY, open311BaseUrl: 'https://open311.example.gov/open311/v2/' });
    expect(requireResource(readEnvironment(set), 'open311BaseUrl')).toBe('https://open311.example.gov/open311/v2');
    expect(() => requireResource(readEnvironment(minimal), 'open311BaseUrl')).toThrow(/OPEN311_BASE_URL: is not set/);
    expect(problems({ ...minimal, OPEN311_BASE_URL: 'evil.example/open311' })).toEqual([{ path: 'OPEN311_BASE_URL', message: 'must be an http(s) URL such as https://open311.example.gov.tw/open311/v2' }]);
  });

  it('handlerEnvironment sets every variable every function must have, and nothing the schema does not read', () => {
    const set = handlerEnvironment({ stage: 'dev', tableName: 'cases', piiHashKeySecretArn: KEY, cursorSecretArn: CURSOR_KEY, caseWorkflowArn: 'arn:sm', escalationTopicArn: 'arn:esc', departmentTopicArnPrefix: 'arn:aws:sns:ap-northeast-1:123456789012:citydesk-dev-', consoleUrl: 'https://console', citizenEmailFrom: 'hotline@example.gov' });
    for (const name of ALWAYS_SET) expect(set, name).toHaveProperty(name);
    const runtimeOnly = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL', 'NODE_OPTIONS'];
    const read = Object.keys(environmentSchema.shape);
    expect(Object.keys(set).filter((k) => !read.includes(k) && !runtimeOnly.includes(k))).toEqual([]);
    expect(readEnvironment(set).privacy).toEqual(PRIVACY_DEFAULTS);
  });

  it('PLACE_INDEX_NAME is optional: written by handlerEnvironment when the stage has an index, read back, and a bad name is named', () => {
    expect(readEnvironment(minimal).placeIndexName).toBeUndefined();
    const written = handlerEnvironment({ stage: 'dev', tableName: 'cases', placeIndexName: 'citydesk-dev-places' });
    expect(readEnvironment({ ...minimal, PLACE_INDEX_NAME: written.PLACE_INDEX_NAME }).placeIndexName).toBe('citydesk-dev-places');
    expect(problems({ ...minimal, PLACE_INDEX_NAME: 'my places' })).toEqual([{ path: 'PLACE_INDEX_NAME', message: expect.stringContaining('place index name') as string }]);
  });

  it('a stage setting that differs from the default is set, and reads back', () => {
    const tunables = { privacy: { ...DEFAULT_TUNABLES.privacy, smsPerPhonePerDay: 3 }, open311: { ...DEFAULT_TUNABLES.open311, contact: 'dial 1999' } };
    const set = handlerEnvironment({ stage: 'dev', tableName: 'cases', piiHashKeySecretArn: KEY, cursorSecretArn: CURSOR_KEY }, tunables);
    expect(set).toMatchObject({ SMS_PER_PHONE_PER_DAY: '3', OPEN311_CONTACT: 'dial 1999' });
    expect(set).not.toHaveProperty('PII_RETENTION_DAYS');
    const env = readEnvironment(set);
    expect([env.privacy.smsPerPhonePerDay, env.open311.contact]).toEqual([3, 'dial 1999']);
  });
});

describe('the keys\' secrets', () => {
  it('readSecretArns reads the two ARNs alone, before the rest of the environment is needed', () => {
    expect(readSecretArns({ PII_HASH_KEY_SECRET_ARN: KEY })).toEqual({ piiHashKeySecretArn: KEY, cursorSecretArn: undefined });
    expect(readSecretArns(minimal)).toEqual({ piiHashKeySecretArn: KEY, cursorSecretArn: CURSOR_KEY });
    expect(() => readSecretArns({})).toThrow(/PII_HASH_KEY_SECRET_ARN: is not set/);
  });

  it('EMAIL_DELIVERY reads back what handlerEnvironment wrote, defaults when absent, and a bad one names the variable and the field', () => {
    const choice = { supervisors: 'immediate' as const, staff: 'digest' as const, departments: { FIRE: 'immediate' as const } };
    const set = handlerEnvironment({ stage: 'dev', tableName: 'cases', piiHashKeySecretArn: KEY, digestTopicArn: 'arn:digests', emailDelivery: choice });
    expect(readEnvironment(set).emailDelivery).toEqual(choice);
    expect(requireResource(readEnvironment(set), 'digestTopicArn')).toBe('arn:digests');
    expect(handlerEnvironment({ stage: 'dev', tableName: 'cases', piiHashKeySecretArn: KEY, emailDelivery: DEFAULT_EMAIL_DELIVERY })).not.toHaveProperty('EMAIL_DELIVERY');
    expect(readEnvironment(minimal).emailDelivery).toEqual(DEFAULT_EMAIL_DELIVERY);
    expect(problems({ ...minimal, EMAIL_DELIVERY: '{"staff":"hourly"}' })).toEqual([{ path: 'EMAIL_DELIVERY', message: 'staff: must be "immediate" or "digest" (got "hourly")' }]);
    expect(problems({ ...minimal, EMAIL_DELIVERY: 'digest' })).toEqual([{ path: 'EMAIL_DELIVERY', message: 'must be JSON such as {"supervisors":"digest","staff":"immediate"}' }]);
  });
});
