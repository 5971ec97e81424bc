/**
 * Privacy and abuse-limit settings, from the environment (CDK sets them per stage, the local cloud and tests may
 * override them). Every value has a documented default, so a function without them still behaves safely; a value
 * that is set but not a positive whole number stops the function at first use (ConfigError), never silently.
 *
 * | variable                        | default | meaning                                                          |
 * | ------------------------------- | ------- | ---------------------------------------------------------------- |
 * | PII_AGENT_UNMASK_MINUTES        | 30      | the agent who logged a case sees the reporter this long after    |
 * | PII_ACCESS_MAX_MINUTES          | 480     | longest access a supervisor may approve (one shift)              |
 * | PII_ACCESS_DEFAULT_MINUTES      | 60      | approved access when the supervisor names no duration            |
 * | PII_RETENTION_DAYS              | 365     | reporter data is erased this many days after a case closes       |
 * | AUDIT_RETENTION_DAYS            | 730     | phone-search audit records expire (TTL) after this many days     |
 * | CLIENT_REQUESTS_PER_MINUTE      | 120     | per machine client (integration token, Open311 key)              |
 * | SMS_PER_PHONE_PER_DAY           | 5       | citizen SMS to one number per Taipei day                         |
 * | CASES_PER_PHONE_PER_DAY         | 10      | cases machine callers may file for one reporter phone per day    |
 */
import { ConfigError } from '../domain/errors';

export interface PrivacySettings {
  agentUnmaskMinutes: number;
  accessMaxMinutes: number;
  accessDefaultMinutes: number;
  retentionDays: number;
  auditRetentionDays: number;
  clientRequestsPerMinute: number;
  smsPerPhonePerDay: number;
  casesPerPhonePerDay: number;
}

export const PRIVACY_ENV: Readonly<Record<keyof PrivacySettings, string>> = {
  agentUnmaskMinutes: 'PII_AGENT_UNMASK_MINUTES',
  accessMaxMinutes: 'PII_ACCESS_MAX_MINUTES',
  accessDefaultMinutes: 'PII_ACCESS_DEFAULT_MINUTES',
  retentionDays: 'PII_RETENTION_DAYS',
  auditRetentionDays: 'AUDIT_RETENTION_DAYS',
  clientRequestsPerMinute: 'CLIENT_REQUESTS_PER_MINUTE',
  smsPerPhonePerDay: 'SMS_PER_PHONE_PER_DAY',
  casesPerPhonePerDay: 'CASES_PER_PHONE_PER_DAY',
};

export const PRIVACY_DEFAULTS: Readonly<PrivacySettings> = {
  agentUnmaskMinutes: 30,
  accessMaxMinutes: 480,
  accessDefaultMinutes: 60,
  retentionDays: 365,
  auditRetentionDays: 730,
  clientRequestsPerMinute: 120,
  smsPerPhonePerDay: 5,
  casesPerPhonePerDay: 10,
};

/** Read on every call (cheap): tests and the local cloud change them between requests. */
export function privacySettings(source: Record<string, string | undefined> = process.env): PrivacySettings {
  const out = { ...PRIVACY_DEFAULTS };
  for (const key of Object.keys(PRIVACY_ENV) as Array<keyof PrivacySettings>) {
    const raw = source[PRIVACY_ENV[key]];
    if (raw === undefined || raw === '') continue;
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1)
      throw new ConfigError(`environment ${PRIVACY_ENV[key]}`, [{ path: PRIVACY_ENV[key], message: `must be a whole number of at least 1 (got "${raw}")` }]);
    out[key] = Number(raw);
  }
  if (out.accessDefaultMinutes > out.accessMaxMinutes) out.accessDefaultMinutes = out.accessMaxMinutes;
  return out;
}
