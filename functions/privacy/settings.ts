/**
 * Privacy and abuse-limit settings. Their variables are part of the one environment schema
 * (functions/config/environment.ts): CDK sets each of them on every function from the stage (these defaults unless
 * the stage says otherwise), a value that is set but not a positive whole number stops the function at cold start.
 * The composition root installs the parsed values once per container (`usePrivacySettings`), as it installs the
 * clock; the rules read them with `privacySettings()`.
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

export interface InstalledPrivacySettings extends PrivacySettings {
  /** Key of the phone-search index and SMS caps (functions/privacy/phone-hash.ts); none until installed. */
  phoneHashKey?: string;
}

let installed: InstalledPrivacySettings = { ...PRIVACY_DEFAULTS };

/** The settings the composition root installed (the defaults, without a phone-hash key, before that). */
export function privacySettings(): InstalledPrivacySettings {
  return installed;
}

/** Installs settings; returns a function that puts the previous ones back (tests). */
export function usePrivacySettings(settings: InstalledPrivacySettings): () => void {
  const previous = installed;
  installed = { ...settings };
  return () => {
    installed = previous;
  };
}
