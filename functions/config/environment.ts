/**
 * The environment every function gets, defined once as a zod schema. CDK sets it on each Lambda function and the
 * local cloud sets the same variables for the in-process handlers, both through `handlerEnvironment()`; the
 * composition root (functions/composition.ts) parses it once per container with `readEnvironment()`, which names
 * every missing or bad variable at cold start rather than failing mid-request. Nothing else reads `process.env`.
 */
import * as z from 'zod';
import { ConfigError, type FieldProblem } from '../domain/errors';
import { DEFAULT_EMAIL_DELIVERY, emailDeliveryText, parseEmailDelivery, type EmailDelivery } from '../domain/email-delivery';
import { PRIVACY_DEFAULTS, PRIVACY_ENV, type PrivacySettings } from '../privacy/settings';
import { OPEN311_DEFAULTS, OPEN311_ENV, type Open311Settings } from '../open311/settings';

/** The names of the resources a function may use; each becomes one variable. */
export interface ResourceNames {
  stage: string;
  tableName: string;
  /** Case lifecycle state machine ARN. */
  caseWorkflowArn?: string;
  escalationTopicArn?: string;
  /** The 1999 supervisors' early-warning topic (spikes, recurring places). */
  earlyWarningTopicArn?: string;
  /**
   * `arn:aws:sns:<region>:<account>:citydesk-<stage>-`: a department's topic ARN is this and its code
   * (functions/domain/notification-plan.ts). One value, however many departments config lists.
   */
  departmentTopicArnPrefix?: string;
  /** The stage's operations topic (alarms; the workflow's recovery path publishes there too). */
  operationsTopicArn?: string;
  /** The daily e-mail digests' topic (functions/domain/notification-plan.ts digestPlan). */
  digestTopicArn?: string;
  /** Which recipient groups get a digest instead of one e-mail per event; set only where it is not the default. */
  emailDelivery?: EmailDelivery;
  consoleUrl?: string;
  /** Verified SES sender for citizens' e-mail; without it citizens who chose e-mail are not e-mailed (recorded). */
  citizenEmailFrom?: string;
  /**
   * The Secrets Manager secret holding the key of the phone-search index and SMS caps (functions/privacy/phone-hash.ts).
   * Its ARN only: the composition root reads the value at cold start (`loadSecretKeys`), never from the configuration.
   */
  piiHashKeySecretArn?: string;
  /** The secret holding the MAC key of pagination cursors (functions/adapters/cursor.ts); its ARN only, as above. */
  cursorSecretArn?: string;
  /**
   * Where Open311 clients reach this stage (`https://<open311 api>/open311/v2`): the discovery document names it.
   * Configured, never taken from a request's Host header, since the answer is cached publicly.
   */
  open311BaseUrl?: string;
  /** The private bucket of case attachments (photos, PDFs): set on the functions that sign, check or erase them. */
  attachmentBucketName?: string;
  /**
   * The Amazon Location Service place index that geocodes addresses typed at intake, where the stage has one;
   * without it the geocoding route says geocoding is not configured.
   */
  placeIndexName?: string;
}

export const ENV_NAMES = {
  stage: 'STAGE',
  tableName: 'TABLE_NAME',
  caseWorkflowArn: 'CASE_WORKFLOW_ARN',
  escalationTopicArn: 'ESCALATION_TOPIC_ARN',
  earlyWarningTopicArn: 'EARLY_WARNING_TOPIC_ARN',
  departmentTopicArnPrefix: 'DEPARTMENT_TOPIC_ARN_PREFIX',
  operationsTopicArn: 'OPERATIONS_TOPIC_ARN',
  digestTopicArn: 'DIGEST_TOPIC_ARN',
  emailDelivery: 'EMAIL_DELIVERY',
  consoleUrl: 'CONSOLE_URL',
  citizenEmailFrom: 'CITIZEN_EMAIL_FROM',
  piiHashKeySecretArn: 'PII_HASH_KEY_SECRET_ARN',
  cursorSecretArn: 'CURSOR_SECRET_ARN',
  open311BaseUrl: 'OPEN311_BASE_URL',
  attachmentBucketName: 'ATTACHMENT_BUCKET_NAME',
  placeIndexName: 'PLACE_INDEX_NAME',
} as const satisfies Record<keyof ResourceNames, string>;

/**
 * Per-stage settings with documented defaults (functions/privacy/settings.ts, functions/open311/settings.ts). A
 * variable is set only where the stage's value differs from the default: Lambda allows 4 KB of environment in all.
 */
export interface StageTunables {
  privacy: PrivacySettings;
  open311: Omit<Open311Settings, 'endpointType' | 'baseUrl'>;
}
export const DEFAULT_TUNABLES: StageTunables = { privacy: PRIVACY_DEFAULTS, open311: OPEN311_DEFAULTS };

/** Amazon Location's rule for resource names. */
export const PLACE_INDEX_NAME = /^[-._\w]{1,100}$/;

const text = z.string().trim().min(1, 'must not be empty');
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));
const wholeNumber = (fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      if (!/^\d+$/.test(raw) || Number(raw) < 1) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number of at least 1 (got "${raw}")` });
        return z.NEVER;
      }
      return Number(raw);
    });
/** An optional variable that must match `pattern` when set; empty counts as unset. */
const optionalMatching = (pattern: RegExp, message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return undefined;
      if (!pattern.test(raw)) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return raw;
    });
const topicArnPrefix = optionalMatching(
  /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/,
  'must be an SNS topic ARN up to the department code, such as arn:aws:sns:ap-northeast-1:123456789012:citydesk-prod-',
);

/** A secret's ARN, never its value: a key pasted into the configuration is refused at cold start. */
const secretArn = z
  .string()
  .trim()
  .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/, 'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>), not the key itself');

const privacyShape = Object.fromEntries(
  (Object.keys(PRIVACY_ENV) as Array<keyof PrivacySettings>).map((k) => [PRIVACY_ENV[k], wholeNumber(PRIVACY_DEFAULTS[k])]),
) as Record<(typeof PRIVACY_ENV)[keyof PrivacySettings], ReturnType<typeof wholeNumber>>;
const open311Shape = Object.fromEntries(
  (Object.keys(OPEN311_ENV) as Array<keyof typeof OPEN311_ENV>).map((k) => [OPEN311_ENV[k], optionalText]),
) as Record<(typeof OPEN311_ENV)[keyof typeof OPEN311_ENV], typeof optionalText>;

/**
 * Every variable a function may read. Required ones have no default: a function without them stops at cold start.
 * The resource variables after PII_HASH_KEY_SECRET_ARN are set only on the functions that use the resource; the part of the
 * composition root that needs one demands it (`requireResource`).
 */
export const environmentSchema = z.object({
  [ENV_NAMES.stage]: text,
  [ENV_NAMES.tableName]: text,
  [ENV_NAMES.piiHashKeySecretArn]: secretArn,
  /**
   * The secret with the MAC key of pagination cursors (functions/adapters/cursor.ts): a secret, never a public
   * value, and no fallback. Set on the functions that hand out or read cursors (the API's); the cursor codec demands
   * it by name the first time one is used. The workflow tasks page nothing and never read it.
   */
  [ENV_NAMES.cursorSecretArn]: secretArn.optional(),
  [ENV_NAMES.caseWorkflowArn]: optionalText,
  [ENV_NAMES.escalationTopicArn]: optionalText,
  [ENV_NAMES.earlyWarningTopicArn]: optionalText,
  [ENV_NAMES.departmentTopicArnPrefix]: topicArnPrefix,
  [ENV_NAMES.operationsTopicArn]: optionalText,
  [ENV_NAMES.digestTopicArn]: optionalText,
  [ENV_NAMES.emailDelivery]: z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return DEFAULT_EMAIL_DELIVERY;
      try {
        return parseEmailDelivery(JSON.parse(raw), ENV_NAMES.emailDelivery);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: e instanceof ConfigError ? e.problems.map((p) => `${p.path}: ${p.message}`).join('; ') : 'must be JSON such as {"supervisors":"digest","staff":"immediate"}' });
        return z.NEVER;
      }
    }),
  [ENV_NAMES.consoleUrl]: optionalText,
  [ENV_NAMES.citizenEmailFrom]: optionalText,
  [ENV_NAMES.attachmentBucketName]: optionalText,
  [ENV_NAMES.placeIndexName]: optionalMatching(PLACE_INDEX_NAME, 'must be an Amazon Location place index name: 1-100 letters, digits, - . _'),
  [ENV_NAMES.open311BaseUrl]: z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return undefined;
      if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(raw)) {
        ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL such as https://open311.example.gov.tw/open311/v2' });
        return z.NEVER;
      }
      return raw.replace(/\/+$/, '');
    }),
  ...privacyShape,
  ...open311Shape,
});

/** The variables the schema requires: every function gets each of them (test/infra checks every function). */
export const ALWAYS_SET: readonly string[] = [ENV_NAMES.stage, ENV_NAMES.tableName, ENV_NAMES.piiHashKeySecretArn];

export interface Environment {
  stage: string;
  tableName: string;
  piiHashKeySecretArn: string;
  cursorSecretArn?: string;
  caseWorkflowArn?: string;
  escalationTopicArn?: string;
  earlyWarningTopicArn?: string;
  departmentTopicArnPrefix?: string;
  operationsTopicArn?: string;
  digestTopicArn?: string;
  emailDelivery: EmailDelivery;
  consoleUrl?: string;
  citizenEmailFrom?: string;
  open311BaseUrl?: string;
  attachmentBucketName?: string;
  placeIndexName?: string;
  privacy: PrivacySettings;
  /** The Open311 functions add their base URL (`requireResource(env, 'open311BaseUrl')`, functions/composition.ts). */
  open311: Omit<Open311Settings, 'baseUrl'>;
}

/** An environment that does not fit the schema; `problems` names each variable. */
export class EnvironmentError extends ConfigError {
  constructor(problems: FieldProblem[]) {
    super('the function environment', problems);
    this.name = 'EnvironmentError';
  }
}

/** Parses the environment; throws EnvironmentError listing every missing or bad variable at once. */
export function readEnvironment(source: Record<string, string | undefined>): Environment {
  const parsed = environmentSchema.safeParse(source);
  if (!parsed.success)
    throw new EnvironmentError(
      parsed.error.issues.map((i) => {
        const name = i.path.map(String).join('.');
        return { path: name, message: source[name] === undefined ? 'is not set' : i.message };
      }),
    );
  const v = parsed.data;
  const byName = v as unknown as Record<string, string | number | undefined>;
  const privacy = Object.fromEntries((Object.keys(PRIVACY_ENV) as Array<keyof PrivacySettings>).map((k) => [k, byName[PRIVACY_ENV[k]]])) as unknown as PrivacySettings;
  // The longest approval bounds the default one.
  if (privacy.accessDefaultMinutes > privacy.accessMaxMinutes) privacy.accessDefaultMinutes = privacy.accessMaxMinutes;
  const open311 = Object.fromEntries((Object.keys(OPEN311_ENV) as Array<keyof typeof OPEN311_ENV>).map((k) => [k, byName[OPEN311_ENV[k]] ?? OPEN311_DEFAULTS[k]]));
  return {
    stage: v.STAGE,
    tableName: v.TABLE_NAME,
    piiHashKeySecretArn: v.PII_HASH_KEY_SECRET_ARN,
    cursorSecretArn: v.CURSOR_SECRET_ARN,
    caseWorkflowArn: v.CASE_WORKFLOW_ARN,
    escalationTopicArn: v.ESCALATION_TOPIC_ARN,
    earlyWarningTopicArn: v.EARLY_WARNING_TOPIC_ARN,
    departmentTopicArnPrefix: v.DEPARTMENT_TOPIC_ARN_PREFIX,
    operationsTopicArn: v.OPERATIONS_TOPIC_ARN,
    digestTopicArn: v.DIGEST_TOPIC_ARN,
    emailDelivery: v.EMAIL_DELIVERY,
    consoleUrl: v.CONSOLE_URL,
    citizenEmailFrom: v.CITIZEN_EMAIL_FROM,
    open311BaseUrl: v.OPEN311_BASE_URL,
    attachmentBucketName: v.ATTACHMENT_BUCKET_NAME,
    placeIndexName: v.PLACE_INDEX_NAME,
    privacy,
    open311: { ...(open311 as StageTunables['open311']), endpointType: v.STAGE === 'prod' ? 'production' : 'test' },
  };
}

/** TABLE_NAME alone, for operator tools that run outside a function. */
export function readTableName(source: Record<string, string | undefined>): string {
  const parsed = environmentSchema.pick({ [ENV_NAMES.tableName]: true }).safeParse(source);
  if (!parsed.success) throw new EnvironmentError([{ path: ENV_NAMES.tableName, message: 'is not set' }]);
  return parsed.data.TABLE_NAME;
}

/** The secrets' ARNs alone: the keys are read before anything else of the environment is needed. */
export function readSecretArns(source: Record<string, string | undefined>): { piiHashKeySecretArn: string; cursorSecretArn?: string } {
  const parsed = environmentSchema.pick({ [ENV_NAMES.piiHashKeySecretArn]: true, [ENV_NAMES.cursorSecretArn]: true }).safeParse(source);
  if (!parsed.success)
    throw new EnvironmentError(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: source[i.path.map(String).join('.')] === undefined ? 'is not set' : i.message })));
  return { piiHashKeySecretArn: parsed.data.PII_HASH_KEY_SECRET_ARN, cursorSecretArn: parsed.data.CURSOR_SECRET_ARN };
}

/** A resource variable this part of a function needs: its absence is an EnvironmentError naming it. */
export function requireResource<K extends 'caseWorkflowArn' | 'escalationTopicArn' | 'earlyWarningTopicArn' | 'digestTopicArn' | 'departmentTopicArnPrefix' | 'open311BaseUrl' | 'cursorSecretArn' | 'attachmentBucketName'>(env: Environment, key: K): NonNullable<Environment[K]> {
  const value = env[key];
  if (value === undefined) throw new EnvironmentError([{ path: ENV_NAMES[key], message: 'is not set (this function uses it)' }]);
  return value;
}

/** Environment variables for a function, from the names of the resources it may use and the stage's settings. */
export function handlerEnvironment(r: ResourceNames, tunables: StageTunables = DEFAULT_TUNABLES): Record<string, string> {
  const env: Record<string, string> = {
    [ENV_NAMES.stage]: r.stage,
    [ENV_NAMES.tableName]: r.tableName,
    POWERTOOLS_SERVICE_NAME: 'citydesk-1999',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    NODE_OPTIONS: '--enable-source-maps',
  };
  if (r.caseWorkflowArn) env[ENV_NAMES.caseWorkflowArn] = r.caseWorkflowArn;
  if (r.escalationTopicArn) env[ENV_NAMES.escalationTopicArn] = r.escalationTopicArn;
  if (r.earlyWarningTopicArn) env[ENV_NAMES.earlyWarningTopicArn] = r.earlyWarningTopicArn;
  if (r.departmentTopicArnPrefix) env[ENV_NAMES.departmentTopicArnPrefix] = r.departmentTopicArnPrefix;
  if (r.operationsTopicArn) env[ENV_NAMES.operationsTopicArn] = r.operationsTopicArn;
  if (r.digestTopicArn) env[ENV_NAMES.digestTopicArn] = r.digestTopicArn;
  const delivery = r.emailDelivery && emailDeliveryText(r.emailDelivery);
  if (delivery) env[ENV_NAMES.emailDelivery] = delivery;
  if (r.consoleUrl) env[ENV_NAMES.consoleUrl] = r.consoleUrl;
  if (r.citizenEmailFrom) env[ENV_NAMES.citizenEmailFrom] = r.citizenEmailFrom;
  if (r.piiHashKeySecretArn) env[ENV_NAMES.piiHashKeySecretArn] = r.piiHashKeySecretArn;
  if (r.cursorSecretArn) env[ENV_NAMES.cursorSecretArn] = r.cursorSecretArn;
  if (r.open311BaseUrl) env[ENV_NAMES.open311BaseUrl] = r.open311BaseUrl;
  if (r.attachmentBucketName) env[ENV_NAMES.attachmentBucketName] = r.attachmentBucketName;
  if (r.placeIndexName) env[ENV_NAMES.placeIndexName] = r.placeIndexName;
  for (const k of Object.keys(PRIVACY_ENV) as Array<keyof PrivacySettings>)
    if (tunables.privacy[k] !== PRIVACY_DEFAULTS[k]) env[PRIVACY_ENV[k]] = String(tunables.privacy[k]);
  for (const k of Object.keys(OPEN311_ENV) as Array<keyof typeof OPEN311_ENV>)
    if (tunables.open311[k] !== OPEN311_DEFAULTS[k]) env[OPEN311_ENV[k]] = tunables.open311[k];
  return env;
}
