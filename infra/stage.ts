/**
 * What differs between stages (dev, test, prod...). The stage comes from context (`-c stage=dev`); everything
 * that depends on it is decided here once, so stacks never compare stage names themselves.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { parseEmailDelivery, type EmailDelivery } from '../functions/domain/email-delivery';
import { PLACE_INDEX_NAME } from '../functions/config/environment';

export interface StageSettings {
  stage: string;
  /** Production data: deletion protection on, and resources kept when a stack is deleted. */
  production: boolean;
  removalPolicy: RemovalPolicy;
  logRetention: RetentionDays;
  /** HTTP API stage throttling (steady requests per second, burst). */
  throttle: { rateLimit: number; burstLimit: number };
  /** Console origin, for Cognito callback URLs and links in messages. */
  consoleUrl: string;
  consoleCallbackUrls: string[];
  /** Verified SES sender for citizens' e-mail (context `citydesk:citizenEmailFrom`); without it none is sent. */
  citizenEmailFrom?: string;
  apiTimeout: Duration;
  /**
   * The case table the functions use instead of the stack's own (context `citydesk:tableName`): a table restored
   * from point-in-time recovery (scripts/restore-table.ts, docs/operations.md "Backup and restore").
   */
  tableName?: string;
  /**
   * How each recipient group is e-mailed about escalations and the other console notifications: one e-mail per
   * event or one daily digest (functions/domain/email-delivery.ts). Context `citydesk:emailDelivery`, by stage:
   * `{ "prod": { "supervisors": "digest", "staff": "immediate", "departments": { "FIRE": "immediate" } } }`.
   * Default (a stage not named, or no context): the supervisors (the escalation departments) a daily digest, every
   * other department immediate. Department codes are checked against config by the NotificationTopics construct.
   */
  emailDelivery: EmailDelivery;
  /**
   * The Amazon Location Service place index (in the stage's account and region) that geocodes addresses typed at
   * intake: context `citydesk:placeIndexName`, a name or an object by stage (`{ "prod": "citydesk-places" }`). Without
   * one the API has no geocoder and the console offers no address search.
   */
  placeIndexName?: string;
}

const STAGE_NAME = /^[a-z][a-z0-9-]{1,20}$/;

function listContext(app: App, key: string, fallback: string[]): string[] {
  const raw: unknown = app.node.tryGetContext(key);
  if (raw === undefined) return fallback;
  // `-c key=a,b` arrives as a string, cdk.json gives an array.
  if (typeof raw === 'string') return raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) return raw;
  throw new Error(`Context ${key} must be a list of strings`);
}

function citizenEmailFrom(app: App): string | undefined {
  const raw: unknown = app.node.tryGetContext('citydesk:citizenEmailFrom');
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(raw))
    throw new Error(`Context citydesk:citizenEmailFrom must be an e-mail address (got ${JSON.stringify(raw)})`);
  return raw;
}

/**
 * The case table for `stage` from context `citydesk:tableName`: a string (the stage given on the command line) or an
 * object by stage (in cdk.json: `{ "prod": "<restored table>" }`, so every later deploy keeps it); undefined = the
 * stack's own table.
 */
export function tableNameFromContext(raw: unknown, stage: string): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const parsed: unknown = typeof raw === 'string' && raw.trim().startsWith('{') ? JSON.parse(raw) : raw;
  const value: unknown = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[stage] : parsed;
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]{3,255}$/.test(value))
    throw new Error(`Context citydesk:tableName for stage ${stage} must be a DynamoDB table name: 3-255 letters, digits, _ . - (got ${JSON.stringify(value)})`);
  return value;
}

/** The stage's entry of context `citydesk:emailDelivery` (an object by stage, or its JSON text from `-c`). */
export function emailDeliveryFromContext(raw: unknown, stage: string): EmailDelivery {
  const source = `context citydesk:emailDelivery (stage ${stage})`;
  if (raw === undefined || raw === '') return parseEmailDelivery(undefined, source);
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error(`Context citydesk:emailDelivery must be JSON: an object by stage such as {"prod":{"supervisors":"digest"}} (got ${JSON.stringify(raw)})`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`Context citydesk:emailDelivery must be an object by stage such as {"prod":{"supervisors":"digest"}} (got ${JSON.stringify(raw)})`);
  return parseEmailDelivery((parsed as Record<string, unknown>)[stage], source);
}

/** The stage's place index from context `citydesk:placeIndexName` (a name, or an object by stage); undefined = none. */
export function placeIndexNameFromContext(raw: unknown, stage: string): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const parsed: unknown = typeof raw === 'string' && raw.trim().startsWith('{') ? JSON.parse(raw) : raw;
  const value: unknown = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[stage] : parsed;
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !PLACE_INDEX_NAME.test(value))
    throw new Error(`Context citydesk:placeIndexName for stage ${stage} must be an Amazon Location place index name: 1-100 letters, digits, - . _ (got ${JSON.stringify(value)})`);
  return value;
}

export function stageSettings(app: App): StageSettings {
  const stage: unknown = app.node.tryGetContext('stage') ?? 'dev';
  if (typeof stage !== 'string' || !STAGE_NAME.test(stage))
    throw new Error(`Context stage must be lower-case letters, digits or -, 2-21 characters (got ${String(stage)})`);
  const production = listContext(app, 'citydesk:productionStages', ['prod']).includes(stage);
  const consoleUrl = String(app.node.tryGetContext('citydesk:consoleUrl') ?? 'http://localhost:3000');
  return {
    stage,
    production,
    removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    // Production logs are evidence for complaints and audits (a year); other stages keep two weeks.
    logRetention: production ? RetentionDays.ONE_YEAR : RetentionDays.TWO_WEEKS,
    // 60,000 calls a month at peak is < 1 request/s from agents; the headroom is for consoles polling queues.
    throttle: production ? { rateLimit: 200, burstLimit: 400 } : { rateLimit: 20, burstLimit: 40 },
    consoleUrl,
    consoleCallbackUrls: listContext(app, 'citydesk:consoleCallbackUrls', [`${consoleUrl}/auth/callback`]),
    citizenEmailFrom: citizenEmailFrom(app),
    apiTimeout: Duration.seconds(10),
    tableName: tableNameFromContext(app.node.tryGetContext('citydesk:tableName'), stage),
    emailDelivery: emailDeliveryFromContext(app.node.tryGetContext('citydesk:emailDelivery'), stage),
    placeIndexName: placeIndexNameFromContext(app.node.tryGetContext('citydesk:placeIndexName'), stage),
  };
}
