/**
 * The composition root: the one place that reads the environment and the config files and builds the SDK clients'
 * adapters and the settings, each once per container (Lambda keeps a module's scope between invocations; the
 * local cloud imports a handler module once).
 *
 * Every part is built on first use, so a function builds only what its handler asks for: an API handler asks at
 * module load (its cold start), a workflow task on its first invocation. Every part is a pure factory
 * (`/* @__PURE__ *\/ once(...)`) and nothing else runs at module scope, so a function's bundle holds only the
 * parts (adapters, SDK clients, config files) its handler reaches: keep it so (`npm run bench -- bundles`). The
 * environment is parsed on the first ask of anything (`environment()`): a missing or bad variable stops the
 * function then, naming every one of them.
 * The parts by Lambda kind:
 *   API and Open311 handlers    the table adapters, `caseWorkflow()` (start, send), reference data, Open311 settings;
 *   workflow tasks               `lifecycleDeps()`: the table adapters, SNS/SES notifier, topics, calendar;
 *   scheduled jobs               the table adapters and `caseWorkflow()`;
 *   the deploy step              `seedSopCatalog()`, `seedKnowledgeBase()`: config/sops.json and config/kb-articles.json
 *                                into the table.
 * Installing the environment's privacy settings (limits) happens with the parse, like the clock: the rules that
 * apply them read `privacySettings()`. The keys (phone hash, cursor MAC) are not in the environment, only their
 * secrets' ARNs: every entry point awaits `loadSecretKeys()` before its work (the HTTP pipelines, the workflow
 * runtime, the scheduled jobs, the deploy step), which reads them from Secrets Manager on the cold start and from
 * the cache afterwards, and installs them.
 */
import { DynamoApiKeyStore } from './adapters/api-key-store';
import { PowertoolsBusinessMetrics } from './adapters/business-metrics';
import { DynamoArticleStore } from './adapters/article-store';
import { DynamoInquiryLog } from './adapters/inquiry-log';
import { DynamoSurgeTopicStore } from './adapters/surge-topic-store';
import { DynamoCaseQueues } from './adapters/case-queues';
import { DynamoCaseRepository } from './adapters/case-repository';
import { DynamoCaseStatistics, DynamoDailyTallies } from './adapters/case-statistics';
import { StepFunctionsCaseWorkflow } from './adapters/case-workflow';
import { ddb, documentClient, location, s3, secretsManager, ses, sfn, sns } from './adapters/clients';
import { LocationPlaceIndexGeocoder } from './adapters/location-geocoder';
import { S3AttachmentStore } from './adapters/attachment-store';
import { CursorCodec } from './adapters/cursor';
import { ConfigDepartmentDirectory } from './adapters/department-directory';
import { DynamoIdempotencyStore } from './adapters/idempotency-store';
import { DynamoJobMarks } from './adapters/job-mark-store';
import { SecretsManagerKeys } from './adapters/secret-keys';
import { DynamoOpen311RequestReader } from './adapters/open311-request-store';
import { DynamoPersonalDataAuditLog } from './adapters/privacy-audit-store';
import { DynamoRateCounters } from './adapters/rate-counters';
import { SnsNotifier } from './adapters/sns-notifier';
import { DynamoSopCatalog } from './adapters/sop-catalog';
import { DynamoStalledCases } from './adapters/stalled-cases';
import { DynamoUserDirectory } from './adapters/user-directory';
import { DynamoWarningCases, DynamoWarningStore } from './adapters/warning-store';
import { DynamoDigestCursors, DynamoNotificationStore } from './adapters/notification-store';
import { DynamoCategoryModelStore, DynamoTrainingCases } from './adapters/category-model-store';
import { shippedCorpus } from './insight/category-corpus';
import { CachedCategoryModel, DEFAULT_TRAINING, type TrainingSettings } from './usecases/category-suggestions';
import { readEnvironment, readSecretArns, requireResource, type Environment } from './config/environment';
import { placesOf } from './open311/locate';
import type { Open311Settings } from './open311/settings';
import { loadConfig, shippedDistrictBoundaries, shippedPublicHolidays, type Config } from './config/load';
import { referenceDataOf, useReferenceData } from './api/reference-data';
import { SlaCalendar } from './domain/sla-calendar';
import { boundingBoxOf } from './domain/district-boundaries';
import type { GeocodePorts } from './usecases/geocode-address';
import { departmentTopicArn } from './domain/notification-plan';
import { digestGroups } from './domain/email-delivery';
import { SmsCappedNotifier } from './privacy/rate-limits';
import { privacySettings, usePrivacySettings } from './privacy/settings';
import { PublishedLibrary } from './kb/published-library';
import { loadKbLexicon, loadKbSeed } from './kb/seed';
import { createChineseTokenizer } from './kb/tokenizer';
import type { LifecyclePorts, LifecycleSettings } from './usecases/lifecycle/context';
import { earlyWarningSettings } from './config/early-warning';
import { resolveDepartment } from './domain/sop';
import type { Localized } from './domain/messages';
import { topicWarningAlerts, type ScanPorts, type ScanSettings } from './usecases/early-warnings';
import type { DigestPorts, DigestSettings } from './usecases/email-digests';
import { once } from './shared/once';

/** The parsed environment; parsing also installs the privacy settings it carries (a key already loaded stays). */
export const environment = /* @__PURE__ */ once((): Environment => {
  const env = readEnvironment(process.env);
  usePrivacySettings({ ...env.privacy, phoneHashKey: privacySettings().phoneHashKey });
  return env;
});

const secretKeys = /* @__PURE__ */ once(() => new SecretsManagerKeys(secretsManager()));
const secretArns = /* @__PURE__ */ once(() => readSecretArns(process.env));
let cursorCodec: { key: string; codec: CursorCodec } | undefined;

/**
 * Reads the phone-hash key (every function) and the cursor key (functions with CURSOR_SECRET_ARN) from their
 * secrets and installs them. The first call reads Secrets Manager; later calls are answered from the cache until its
 * age passes, and a changed value is installed then. Every entry point awaits it before its work.
 */
export async function loadSecretKeys(): Promise<void> {
  const { piiHashKeySecretArn, cursorSecretArn } = secretArns();
  const keys = secretKeys();
  const [phoneHashKey, cursorKey] = await Promise.all([keys.key(piiHashKeySecretArn), cursorSecretArn ? keys.key(cursorSecretArn) : undefined]);
  if (privacySettings().phoneHashKey !== phoneHashKey) usePrivacySettings({ ...privacySettings(), phoneHashKey });
  if (cursorKey !== undefined && cursorCodec?.key !== cursorKey) cursorCodec = { key: cursorKey, codec: new CursorCodec(cursorKey) };
}

/** The validated config files (departments, SOP seeds, districts, calendar). */
export const config = /* @__PURE__ */ once((): Config => loadConfig());
/**
 * Installs what request schemas check district codes, categories and map points against. The HTTP pipeline asks
 * when it builds a route's handler, before any request is parsed; the config and the district boundaries are read
 * when the first schema checks a code, so neither a function without an HTTP route nor a route whose requests
 * name no district or category loads them for it.
 */
export const installReferenceData = /* @__PURE__ */ once((): void => {
  useReferenceData(() => referenceDataOf(config(), shippedDistrictBoundaries()));
});
export const calendar = /* @__PURE__ */ once(() => new SlaCalendar(config().calendar, shippedPublicHolidays()));

const tableName = () => environment().tableName;
// Asked for when a page is: functions that never page (the workflow tasks) have no CURSOR_SECRET_ARN and never need one.
const cursors = (): CursorCodec => {
  requireResource(environment(), 'cursorSecretArn');
  if (!cursorCodec) throw new Error('The cursor key is not loaded: the entry point awaits loadSecretKeys() before its work');
  return cursorCodec.codec;
};

// Table adapters: one instance each, shared by every port that names it.
export const caseRepository = /* @__PURE__ */ once(() => new DynamoCaseRepository(ddb(), tableName(), cursors));
export const caseQueues = /* @__PURE__ */ once(() => new DynamoCaseQueues(ddb(), tableName(), cursors));
export const sopCatalog = /* @__PURE__ */ once(() => new DynamoSopCatalog(ddb(), tableName(), config().sops.map((s) => s.category)));
/** Stores config/sops.json's changed SOPs as new catalogue versions (the deploy step; the local cloud on start). */
export const seedSopCatalog = (author?: string) => sopCatalog().seed(config().sops, author);
export const idempotencyStore = /* @__PURE__ */ once(() => new DynamoIdempotencyStore(ddb(), tableName()));
export const rateCounters = /* @__PURE__ */ once(() => new DynamoRateCounters(ddb(), tableName()));
export const caseStatistics = /* @__PURE__ */ once(() => new DynamoCaseStatistics(ddb(), tableName()));
export const personalDataAudit = /* @__PURE__ */ once(() => new DynamoPersonalDataAuditLog(ddb(), tableName(), cursors));
export const apiKeyStore = /* @__PURE__ */ once(() => new DynamoApiKeyStore(ddb(), tableName()));
/** The city's districts with their names and boundaries, for placing an Open311 report. */
export const places = /* @__PURE__ */ once(() => placesOf(config(), shippedDistrictBoundaries()));
export const open311Requests = /* @__PURE__ */ once(() => new DynamoOpen311RequestReader(ddb(), tableName()));
export const jobMarks = /* @__PURE__ */ once(() => new DynamoJobMarks(ddb(), tableName()));
export const stalledCases = /* @__PURE__ */ once(() => new DynamoStalledCases(ddb(), tableName()));
/** Business figures (embedded metric format on stdout), dimensioned by the stage like the dashboard reads them. */
export const businessMetrics = /* @__PURE__ */ once(() => new PowertoolsBusinessMetrics(environment().stage));
export const articleStore = /* @__PURE__ */ once(() => new DynamoArticleStore(ddb(), tableName()));
/** The published articles and their search index, kept for the container's life and rebuilt when one is published. */
export const knowledgeBase = /* @__PURE__ */ once(() => new PublishedLibrary(articleStore(), createChineseTokenizer(loadKbLexicon())));
/** What an article may name: the configured departments and SOP categories. */
export const articleReferences = /* @__PURE__ */ once(() => ({
  departments: new Set(config().departments.departments.map((d) => d.code)),
  categories: new Set(config().sops.map((s) => s.category)),
}));
/** Stores config/kb-articles.json's new article versions (the deploy step; the local cloud on start). */
export const seedKnowledgeBase = (author?: string) => articleStore().seed(loadKbSeed(config()), author);
/** Article requests (questions no article answered) and the inquiry figures. */
export const inquiryLog = /* @__PURE__ */ once(() => new DynamoInquiryLog(ddb(), tableName()));
/** Surge topics pinned for the intake screen. */
export const surgeTopics = /* @__PURE__ */ once(() => new DynamoSurgeTopicStore(ddb(), tableName()));
export const userDirectory = /* @__PURE__ */ once(() => new DynamoUserDirectory(ddb(), tableName()));
export const dailyTallies = /* @__PURE__ */ once(() => new DynamoDailyTallies(ddb(), tableName()));
/** What the daily roll-up reads (the hourly counters) and writes (the tallies). */
export const tallyPorts = /* @__PURE__ */ once(() => ({ tallies: dailyTallies(), hours: caseStatistics() }));
export const warningStore = /* @__PURE__ */ once(() => new DynamoWarningStore(ddb(), tableName()));
export const notificationStore = /* @__PURE__ */ once(() => new DynamoNotificationStore(ddb(), tableName(), cursors));
export const warningCases = /* @__PURE__ */ once(() => new DynamoWarningCases(ddb(), tableName()));
export const departmentDirectory = /* @__PURE__ */ once(() => new ConfigDepartmentDirectory(config().departments.departments));

/** Case files in the attachment bucket: functions that sign, check or erase them get ATTACHMENT_BUCKET_NAME. */
export const attachmentStore = /* @__PURE__ */ once(() => new S3AttachmentStore(s3(), requireResource(environment(), 'attachmentBucketName')));

/**
 * Geocoding addresses at intake: with the stage's place index (PLACE_INDEX_NAME), searched within the city's box;
 * without one no geocoder, and the use case says geocoding is not configured.
 */
export const geocodePorts = /* @__PURE__ */ once((): GeocodePorts => {
  const boundaries = shippedDistrictBoundaries();
  const indexName = environment().placeIndexName;
  return { boundaries, ...(indexName ? { geocoder: new LocationPlaceIndexGeocoder(location(), indexName, boundingBoxOf(boundaries)) } : {}) };
});

/** Starting executions and answering tasks: functions that do either get CASE_WORKFLOW_ARN. */
export const caseWorkflow = /* @__PURE__ */ once(() => new StepFunctionsCaseWorkflow(sfn(), requireResource(environment(), 'caseWorkflowArn')));

export const open311Settings = /* @__PURE__ */ once((): Open311Settings => ({ ...environment().open311, baseUrl: requireResource(environment(), 'open311BaseUrl') }));

/** Where the operator's api_key tool writes: a table and how to reach its DynamoDB (functions/open311/issue-api-key.ts). */
export interface OperatorTable {
  tableName: string;
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The operator's api_key tool needs the table only, not a function's environment, and its own client settings. */
export function operatorApiKeyStore(target: OperatorTable): DynamoApiKeyStore {
  const { tableName, ...client } = target;
  return new DynamoApiKeyStore(documentClient(client), tableName);
}

/** A department's topic ARN from the stage prefix and its code (DEPARTMENT_TOPIC_ARN_PREFIX, demanded by name). */
function departmentTopicArnOf(env: Environment): (code: string) => string | undefined {
  const prefix = requireResource(env, 'departmentTopicArnPrefix');
  return (code) => departmentTopicArn(prefix, config().departments, code);
}

/**
 * What the workflow tasks work with. They only answer tasks (a step completes its own wait when the outcome already
 * happened), which needs no state machine ARN: the task token names the execution.
 */
export const lifecycleDeps = /* @__PURE__ */ once((): { ports: LifecyclePorts; settings: LifecycleSettings } => {
  const env = environment();
  return {
    ports: {
      cases: caseRepository(),
      sops: sopCatalog(),
      workflow: new StepFunctionsCaseWorkflow(sfn(), env.caseWorkflowArn ?? ''),
      // Each citizen SMS counts against its number's daily cap (functions/privacy/rate-limits.ts).
      notifier: new SmsCappedNotifier(new SnsNotifier(sns(), ses(), env.citizenEmailFrom ?? ''), rateCounters(), businessMetrics()),
      statistics: caseStatistics(),
      metrics: businessMetrics(),
    },
    settings: {
      config: config(),
      calendar: calendar(),
      departmentTopicArn: departmentTopicArnOf(env),
      escalationTopicArn: requireResource(env, 'escalationTopicArn'),
      // Set on the recovery step's function only (Lambda's 4 KB of environment); the others never publish there.
      ...(env.operationsTopicArn ? { operationsTopicArn: env.operationsTopicArn } : {}),
      consoleUrl: env.consoleUrl ?? '',
    },
  };
});

/**
 * What the early-warning scan works with: the counters, the warning store, the case indexes and the alerts (the
 * early-warning and department topics). Settings are built per run from the stored SOP catalogue, so a SOP edited
 * in the console routes its warnings to its new department.
 */
export const earlyWarningScan = /* @__PURE__ */ once(() => {
  const env = environment();
  const reference = config();
  const names = (list: ReadonlyArray<{ code: string; name: Localized }>) => (code: string) => list.find((x) => x.code === code)?.name ?? { zh: code, en: code };
  const ports = (sopNames: Map<string, Localized>): ScanPorts => ({
    counters: caseStatistics(),
    warnings: warningStore(),
    cases: warningCases(),
    alerts: topicWarningAlerts(new SnsNotifier(sns(), ses(), ''), {
      earlyWarningTopicArn: requireResource(env, 'earlyWarningTopicArn'),
      departmentTopicArn: departmentTopicArnOf(env),
      consoleUrl: env.consoleUrl ?? '',
      names: {
        category: (code) => sopNames.get(code) ?? { zh: code, en: code },
        district: names(reference.districts.districts),
        department: names(reference.departments.departments),
      },
    }),
  });
  return async (): Promise<{ ports: ScanPorts; settings: ScanSettings }> => {
    const sops = await sopCatalog().list();
    const byCategory = new Map(sops.map((s) => [s.category, s]));
    const ew = earlyWarningSettings();
    return {
      ports: ports(new Map(sops.map((s) => [s.category, s.name]))),
      settings: {
        categories: sops.map((s) => s.category),
        spikeThresholds: (c) => ew.spikeThresholds(c),
        recurringPlaceRule: (c) => ew.recurringPlaceRule(c),
        quietPeriodMs: ew.quietPeriodMs,
        calendar: calendar(),
        departmentOf: (category, district) => {
          const sop = byCategory.get(category);
          return sop ? resolveDepartment(sop, district) : undefined;
        },
      },
    };
  };
});

/**
 * What the daily e-mail digests work with: the inboxes, the cursors, the digest topic and the groups in digest
 * mode (EMAIL_DELIVERY over config's departments). Category names come from the stored SOP catalogue per run.
 */
export const emailDigests = /* @__PURE__ */ once(() => {
  const env = environment();
  const reference = config();
  const departmentName = (code: string) => reference.departments.departments.find((d) => d.code === code)?.name ?? { zh: code, en: code };
  const ports: DigestPorts = { notifications: notificationStore(), cursors: new DynamoDigestCursors(ddb(), tableName()), notifier: new SnsNotifier(sns(), ses(), '') };
  return async (): Promise<{ ports: DigestPorts; settings: DigestSettings }> => {
    const sops = new Map((await sopCatalog().list()).map((s) => [s.category, s.name]));
    return {
      ports,
      settings: {
        groups: digestGroups(env.emailDelivery, reference.departments),
        digestTopicArn: requireResource(env, 'digestTopicArn'),
        consoleUrl: env.consoleUrl ?? '',
        names: { category: (code) => sops.get(code) ?? { zh: code, en: code }, department: departmentName },
      },
    };
  };
});

/** The stored category-suggestion model, cached for the container (the API's suggestion handler). */
export const categoryModel = /* @__PURE__ */ once(() => new CachedCategoryModel(new DynamoCategoryModelStore(ddb(), tableName())));

/** What the nightly training run works with: the model store, the recent cases, the corpus and the SOP categories. */
export const categoryTraining = /* @__PURE__ */ once(() => ({
  ports: { store: new DynamoCategoryModelStore(ddb(), tableName()), cases: new DynamoTrainingCases(ddb(), tableName()) },
  settings: async (): Promise<TrainingSettings> => {
    const categories = (await sopCatalog().list()).map((s) => s.category);
    return { ...DEFAULT_TRAINING, categories, corpus: shippedCorpus(config().sops.map((s) => s.category)) };
  },
}));
