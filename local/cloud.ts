/**
 * The local cloud in one call: `startLocalCloud(options)` brings up, in this process,
 *   1. the data folder and its lock (or nothing, in memory), and the one clock (LOCAL_TIME_SCALE);
 *   2. DynamoDB (dynalite, or an external endpoint) with the table from the definition CDK uses, and reference data;
 *   3. SNS (local/sns) with the department and escalation topics from config, and SES v2 (local/ses) for citizen
 *      e-mail, its sender's domain a verified identity; both write the one outbox;
 *   4. Step Functions (local/stepfunctions) running workflows/case-lifecycle.asl.json with CDK's substitutions,
 *      its Lambda tasks bound to the in-process handlers of functions/workflow;
 *   5. the HTTP API gateway with the local identity provider on the same port;
 *   6. Secrets Manager (local/secrets-manager.ts) serving the stage's keys (kept in the data folder), and the handler
 *      environment from `handlerEnvironment()`, the one definition CDK also uses (the keys' secret ARNs), plus the
 *      SDK's standard endpoint variables (AWS_ENDPOINT_URL_DYNAMODB/SFN/SNS/SESV2/SECRETS_MANAGER/S3) pointing at the
 *      services above, S3 (local/s3.ts: s3rver behind a front that checks signatures and upload policies) with the
 *      attachment bucket;
 *   7. demo cases, created through the API itself so their workflows run (once per data folder);
 *   8. the scheduled jobs of functions/privacy/jobs.ts (the list CDK builds its EventBridge rules from), fired on
 *      the local clock by local/scheduler.ts.
 * `npm start` (local/start.ts) and the integration tests both use it; tests pass port 0 and a temp folder.
 *
 * Handlers share this process the way they would share a Lambda container: one environment and one set of SDK
 * clients (created when a handler module is first imported). So one local cloud runs per process at a time, and
 * a later one in the same process reuses the earlier one's service ports, which those clients already point at.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { seedReferenceData } from '../functions/adapters/seed';
import { DynamoArticleStore } from '../functions/adapters/article-store';
import { loadKbSeed } from '../functions/kb/seed';
import { DynamoSopCatalog } from '../functions/adapters/sop-catalog';
import { loadConfig } from '../functions/config/load';
import { ENV_NAMES, handlerEnvironment, type ResourceNames } from '../functions/config/environment';
import { useClock } from '../functions/domain/clock';
import { parseEmailDelivery, type EmailDelivery } from '../functions/domain/email-delivery';
import { SCHEDULED_JOBS } from '../functions/privacy/jobs';
import { WORKFLOW_FUNCTIONS, aslSubstitutions, handlerModuleOf } from '../functions/workflow/functions';
import { createLocalClock, parseTimeScale, type LocalClock } from './clock';
import { lockDataDir, type DataDirLock } from './data-dir';
import { seedDemoCases, type DemoSeedResult } from './demo-data';
import { ensureTable, startDynalite, type LocalDynamo } from './dynamodb';
import { DynamoOpenFigures } from '../functions/adapters/open-figures-store';
import { createGateway, type LocalEndpoint, type RequestLogLine } from './gateway';
import { isLoopbackBind } from './loopback';
import { createJwtAuthorizer, createLocalIssuer, demoUsers, localCursorSecret, localPiiHashKey, UnknownUserError, type DemoUser, type LocalIssuer, type TokenOptions } from './identity';
import { createOAuthEndpoints } from './oauth';
import { functionArn, HandlerModules, invokeHandler, lambdaContext, LOCAL_ACCOUNT_ID, localFunctionName, type LambdaHandler } from './lambda';
import { startLocalScheduler } from './scheduler';
import { TaskFaults } from './faults';
import { startSnsService, type SnsService } from './sns';
import { mergeOutboxes, startSesService, type SesService } from './ses';
import { createTaskResolver, startStepFunctionsService, type LambdaHandlerLike, type StepFunctionsService } from './stepfunctions';
import { startSecretsManagerService, type SecretsManagerService } from './secrets-manager';
import { startS3Service, type S3Service } from './s3';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DATA_DIR = path.join(REPO_ROOT, '.citydesk');
export const DEFAULT_PORT = 3000;
export const LOCAL_STAGE = 'local';
export const LOCAL_REGION = 'ap-northeast-1';
export const CASE_LIFECYCLE_ASL = path.join(REPO_ROOT, 'workflows', 'case-lifecycle.asl.json');
/** The citizen e-mail sender (CITIZEN_EMAIL_FROM); its domain is a verified identity of the local SES. */
export const LOCAL_CITIZEN_EMAIL_FROM = '1999@citydesk.local';
/** API functions get 10 s (infra/stage.ts apiTimeout), workflow tasks 30 s (infra/constructs/case-workflow.ts). */
const API_TIMEOUT_MS = 10_000;
const WORKFLOW_TASK_TIMEOUT_MS = 30_000;
/** CDK gives the scheduled jobs 10 minutes (infra/constructs/privacy-jobs.ts). */
const SCHEDULED_JOB_TIMEOUT_MS = 600_000;

export interface LocalCloudOptions {
  /** Gateway port (default 3000; 0 = any free port). The services take the next ports (3001...) or free ones with 0. */
  port?: number;
  /** Loopback only by default: this is a development tool with demo credentials. */
  host?: string;
  /** Data folder (default `.citydesk/` in the repo). */
  dataDir?: string;
  /** Keep nothing on disk. */
  inMemory?: boolean;
  /** Use this DynamoDB-compatible endpoint instead of dynalite. */
  dynamodbEndpoint?: string;
  /** Local milliseconds per real millisecond (LOCAL_TIME_SCALE); default from the environment, else 1. */
  timeScale?: number;
  /** Seed demo cases (default true). */
  demoData?: boolean;
  /**
   * Who gets a daily e-mail digest instead of one e-mail per event, as CDK context `citydesk:emailDelivery` sets for
   * a stage (functions/domain/email-delivery.ts). Default: DEFAULT_EMAIL_DELIVERY.
   */
  emailDelivery?: EmailDelivery;
  /** Print only warnings and errors. */
  quiet?: boolean;
  /**
   * Level of the handlers' structured logs (POWERTOOLS_LOG_LEVEL). On AWS each function's log goes to its own log
   * group; here every handler shares this terminal, so `npm start` passes WARN. Default: what handlerEnvironment sets.
   */
  handlerLogLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Where lines go (default console.log / console.error). */
  log?: (line: string) => void;
  logError?: (line: string) => void;
  /** Built console to serve at `/` (default `console/dist`). */
  consoleDir?: string;
  /** Explicit service ports (default: gateway port + 1 ... + 6, or free ports when the gateway port is 0). */
  ports?: { dynamodb?: number; stepFunctions?: number; sns?: number; ses?: number; secretsManager?: number; s3?: number };
}

export interface LocalCloudUrls {
  /** The gateway: API routes at the same paths as on API Gateway. */
  api: string;
  console: string;
  issuer: string;
  jwks: string;
  dynamodb: string;
  stepFunctions?: string;
  sns?: string;
  ses?: string;
  secretsManager?: string;
  s3?: string;
}

export interface LocalCloud {
  urls: LocalCloudUrls;
  /** Absent when in memory. */
  dataDir?: string;
  tableName: string;
  region: string;
  clock: LocalClock;
  users: readonly DemoUser[];
  /** A bearer token for a demo user (`agent1`, `pwd.staff`, `integration`...). */
  token(username: string, options?: TokenOptions): Promise<string>;
  caseWorkflowArn: string;
  /** The handler environment as set on process.env (without the SDK's endpoint and credential variables). */
  handlerEnv: Record<string, string>;
  demoData?: DemoSeedResult;
  /** Completed runs of each scheduled job (functions/privacy/jobs.ts) since this start, by job id. */
  scheduledJobRuns(): Record<string, number>;
  /** Milliseconds from the call to ready (demo data included). */
  startupMs: number;
  close(): Promise<void>;
}

let running = false;
/** Service ports of the previous local cloud in this process (see the module comment). */
const previousPorts: { dynamodb?: number; stepFunctions?: number; sns?: number; ses?: number; secretsManager?: number; s3?: number } = {};

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const started = performance.now();
  // The data folder first: a second cloud on a folder in use gets that message, wherever the first one runs.
  const dataDir = options.inMemory ? undefined : path.resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const lock: DataDirLock | undefined = dataDir ? lockDataDir(dataDir) : undefined;
  if (running) {
    lock?.release();
    throw new Error('A local cloud is already running in this process; close it first (handlers share one process environment).');
  }
  running = true;
  const cleanup: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    for (const fn of cleanup.reverse()) {
      try {
        await fn();
      } catch {
        /* keep closing the rest */
      }
    }
    cleanup.length = 0;
    running = false;
  };

  if (lock) cleanup.push(() => lock.release());
  try {
    const log = options.quiet ? () => undefined : (options.log ?? ((line: string) => console.log(line)));
    const logError = options.logError ?? ((line: string) => console.error(line));
    const host = options.host ?? '127.0.0.1';
    const region = LOCAL_REGION;
    const tableName = `citydesk-${LOCAL_STAGE}-cases`;
    const port = options.port ?? DEFAULT_PORT;
    const servicePort = (offset: number, explicit: number | undefined, previous: number | undefined) => explicit ?? (port === 0 ? (previous ?? 0) : port + offset);

    // 1. The clock (the data folder is locked above), installed before anything reads time.
    const clock = createLocalClock({
      scale: options.timeScale ?? parseTimeScale(process.env.LOCAL_TIME_SCALE),
      ...(dataDir ? { persist: path.join(dataDir, 'clock.json') } : {}),
    });
    const restoreClock = useClock(clock);
    cleanup.push(restoreClock);

    // The SDK finds the local services through its standard variables; credentials are dummies it needs to sign.
    process.env.AWS_REGION = region;
    process.env.AWS_DEFAULT_REGION = region;
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    // Nothing is traced here (the Tracer traces only inside Lambda), so the X-Ray SDK the handlers import starts in
    // manual mode: in its default mode it puts an async hook on every promise of the process at import, about a
    // tenth of the local cloud's CPU for context nobody reads. Set before any handler module is imported.
    process.env.AWS_XRAY_MANUAL_MODE ??= 'true';

    // 2. DynamoDB.
    let dynamo: LocalDynamo;
    if (options.dynamodbEndpoint) {
      dynamo = { endpoint: options.dynamodbEndpoint.replace(/\/+$/, ''), close: async () => undefined };
    } else {
      dynamo = await startDynalite({ dataDir, host, port: servicePort(1, options.ports?.dynamodb, previousPorts.dynamodb) });
      previousPorts.dynamodb = Number(new URL(dynamo.endpoint).port);
    }
    cleanup.push(() => dynamo.close());
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
    const dynamoClient = new DynamoDBClient({ endpoint: dynamo.endpoint, region });
    cleanup.push(() => dynamoClient.destroy());
    // Not functions/adapters/clients: importing it would build the handlers' clients before their endpoints are set.
    const ddb = DynamoDBDocumentClient.from(dynamoClient, { marshallOptions: { removeUndefinedValues: true } });
    // A data folder from before an index was added: the index and the open-case figures it backs are built now,
    // as the deploy that adds them is followed by `npm run ops:rebuild-figures` on AWS.
    if ((await ensureTable(dynamoClient, tableName)) === 'upgraded') {
      const rebuilt = await new DynamoOpenFigures(ddb, tableName).rebuild();
      log(`  table upgraded: new indexes added, open-case figures rebuilt from ${rebuilt.openCases} open cases`);
    }
    const config = loadConfig();
    await seedReferenceData(ddb, tableName, config.departments.departments);
    // The SOP catalogue, as the deploy step seeds it on AWS: config SOPs that changed become new versions.
    const seeded = await new DynamoSopCatalog(ddb, tableName, config.sops.map((s) => s.category)).seed(config.sops);
    if (seeded.stored.length) log(`  SOP catalogue: stored ${seeded.stored.map((s) => `${s.category} v${s.version}`).join(', ')} from config/sops.json`);
    // The knowledge base, as the same deploy step seeds it: article versions not yet stored, newer published ones.
    const kb = await new DynamoArticleStore(ddb, tableName).seed(loadKbSeed(config));
    if (kb.stored.length) log(`  knowledge base: stored ${kb.stored.length} article versions (${kb.published.length} published) from config/kb-articles.json`);

    // 3. SNS: topics and subscriptions from the same config CDK reads.
    const handlers = new HandlerModules(path.join(REPO_ROOT, 'functions'));
    const sns: SnsService = await startSnsService({
      port: servicePort(3, options.ports?.sns, previousPorts.sns),
      host,
      dataDir,
      region,
      accountId: LOCAL_ACCOUNT_ID,
      onDelivery: (line) => log(`  ${line}`),
    });
    cleanup.push(() => sns.close());
    previousPorts.sns = Number(new URL(sns.endpoint).port);
    process.env.AWS_ENDPOINT_URL_SNS = sns.endpoint;
    const emailDelivery = parseEmailDelivery(options.emailDelivery, 'the local cloud option emailDelivery', config.departments);
    const topics = await sns.provisionFromConfig(config.departments, LOCAL_STAGE, emailDelivery);
    // SES v2 for citizen e-mail (SNS cannot e-mail an address that never subscribed), as CDK's EmailIdentity does.
    const ses: SesService = await startSesService({
      port: servicePort(4, options.ports?.ses, previousPorts.ses),
      host,
      dataDir,
      region,
      identities: [LOCAL_CITIZEN_EMAIL_FROM.split('@')[1]],
      onDelivery: (line) => log(`  ${line}`),
    });
    cleanup.push(() => ses.close());
    previousPorts.ses = ses.port;
    process.env.AWS_ENDPOINT_URL_SESV2 = ses.endpoint;

    // 4. Step Functions: the case lifecycle ASL with CDK's substitutions; Lambda ARNs bound to in-process handlers.
    // Executions resumed from the data folder may call a task at once: tasks wait until the environment is complete.
    let environmentReady!: () => void;
    const ready = new Promise<void>((resolve) => (environmentReady = resolve));
    const lambdas: Record<string, LambdaHandlerLike> = {};
    const inFlight = new Set<Promise<unknown>>();
    const faults = new TaskFaults(() => clock.now().toISOString());
    for (const f of WORKFLOW_FUNCTIONS) {
      const functionName = localFunctionName(LOCAL_STAGE, handlerModuleOf(f));
      lambdas[functionName] = (event: unknown) => {
        const run = (async () => {
          await ready;
          faults.strike(f.id);
          const handler: LambdaHandler = await handlers.load(handlerModuleOf(f));
          const context = lambdaContext({ functionName, region, accountId: LOCAL_ACCOUNT_ID, timeoutMs: WORKFLOW_TASK_TIMEOUT_MS });
          return invokeHandler(handler, event, context, WORKFLOW_TASK_TIMEOUT_MS);
        })();
        inFlight.add(run);
        void run.catch(() => undefined).finally(() => inFlight.delete(run));
        return run;
      };
    }
    // On close (cleanup runs last-in first-out): after Step Functions stops, let running tasks finish their
    // writes before DynamoDB goes away; whatever was not done resumes from the data folder next time.
    cleanup.push(() => Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, 5_000).unref())]).then(() => undefined));
    const snsClient = new SNSClient({ endpoint: sns.endpoint, region });
    cleanup.push(() => snsClient.destroy());
    const substitutions: Record<string, string> = {
      ...aslSubstitutions((f) => functionArn({ functionName: localFunctionName(LOCAL_STAGE, handlerModuleOf(f)), region, accountId: LOCAL_ACCOUNT_ID })),
      TableName: tableName,
    };
    const stepFunctions: StepFunctionsService = await startStepFunctionsService({
      port: servicePort(2, options.ports?.stepFunctions, previousPorts.stepFunctions),
      host,
      dataDir,
      region,
      accountId: LOCAL_ACCOUNT_ID,
      clock,
      resolveTask: createTaskResolver({ lambdas, sns: snsClient, dynamodb: dynamoClient, region, accountId: LOCAL_ACCOUNT_ID }),
      substitutions,
      log: logError,
    });
    cleanup.push(() => stepFunctions.close());
    previousPorts.stepFunctions = stepFunctions.port;
    process.env.AWS_ENDPOINT_URL_SFN = stepFunctions.endpoint;
    const caseWorkflowArn = await stepFunctions.createStateMachineFromFile(`citydesk-${LOCAL_STAGE}-case-lifecycle`, CASE_LIFECYCLE_ASL);

    // 5. Gateway (listening first: the issuer URL is the gateway URL, known once the port is).
    // Set below, once the gateway exists; until then the port answers 503.
    let app: ((req: IncomingMessage, res: ServerResponse) => void) | undefined = undefined;
    const server: Server = createServer((req, res) => {
      if (app) return app(req, res);
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Service Unavailable' }));
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    cleanup.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const gatewayPort = (server.address() as AddressInfo).port;
    const apiUrl = `http://${host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host}:${gatewayPort}`;

    const users = demoUsers(config.departments.departments);
    const issuer: LocalIssuer = await createLocalIssuer({ issuer: apiUrl, users, dataDir });

    // 6. The stage's keys, as CDK's generated secrets: values kept in the data folder so hashes and cursors survive a
    // restart; the functions get the secrets' ARNs and read the values through Secrets Manager, as on AWS.
    const secretNames = { piiHashKey: `citydesk-${LOCAL_STAGE}-pii-hash-key`, cursorSecret: `citydesk-${LOCAL_STAGE}-cursor-secret` };
    const secrets: SecretsManagerService = await startSecretsManagerService({
      port: servicePort(5, options.ports?.secretsManager, previousPorts.secretsManager),
      host,
      region,
      accountId: LOCAL_ACCOUNT_ID,
      secrets: [
        { name: secretNames.piiHashKey, value: localPiiHashKey(dataDir) },
        { name: secretNames.cursorSecret, value: localCursorSecret(dataDir) },
      ],
    });
    cleanup.push(() => secrets.close());
    previousPorts.secretsManager = secrets.port;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;

    // S3 for case attachments (local/s3.ts): the browser uploads and reads there with URLs the API signs, so the
    // bucket allows the console's origin, as CDK's AttachmentBucket allows the stage's console URL.
    const attachmentBucketName = `citydesk-${LOCAL_STAGE}-attachments`;
    const s3: S3Service = await startS3Service({
      port: servicePort(6, options.ports?.s3, previousPorts.s3),
      host,
      dataDir,
      region,
      credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local' },
      buckets: [{ name: attachmentBucketName, corsOrigins: [apiUrl, apiUrl.replace('//localhost:', '//127.0.0.1:')] }],
    });
    cleanup.push(() => s3.close());
    previousPorts.s3 = s3.port;
    process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;

    // The handler environment: the same definition CDK gives every function.
    const resources: ResourceNames = {
      stage: LOCAL_STAGE,
      tableName,
      caseWorkflowArn,
      escalationTopicArn: topics.escalationTopicArn,
      earlyWarningTopicArn: topics.earlyWarningTopicArn,
      departmentTopicArnPrefix: topics.departmentTopicArnPrefix,
      operationsTopicArn: topics.operationsTopicArn,
      digestTopicArn: topics.digestTopicArn,
      emailDelivery,
      consoleUrl: apiUrl,
      citizenEmailFrom: LOCAL_CITIZEN_EMAIL_FROM,
      // One gateway serves both APIs here; on AWS Open311 has its own HTTP API (infra/constructs/case-api.ts).
      open311BaseUrl: `${apiUrl}/open311/v2`,
      piiHashKeySecretArn: secrets.arns[secretNames.piiHashKey],
      cursorSecretArn: secrets.arns[secretNames.cursorSecret],
      attachmentBucketName,
    };
    const handlerEnv = handlerEnvironment(resources);
    // A cloud started earlier in this process (tests start several) may have set a variable this one leaves unset
    // because its value is the default (EMAIL_DELIVERY): the handlers must not read the earlier one.
    for (const name of Object.values(ENV_NAMES)) if (!(name in handlerEnv)) delete process.env[name];
    Object.assign(process.env, handlerEnv);
    if (options.handlerLogLevel) process.env.POWERTOOLS_LOG_LEVEL = options.handlerLogLevel;
    // Business figures are one JSON line per event (embedded metric format): INFO-level chatter in a shared terminal.
    if (options.handlerLogLevel === 'WARN' || options.handlerLogLevel === 'ERROR') process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    environmentReady();

    const localEndpoints: Record<string, LocalEndpoint> = {
      'GET /_local/health': () => ({
        body: {
          status: 'ok',
          now: clock.now().toISOString(),
          timeScale: clock.scale,
          dataDir: dataDir ?? null,
          // What operator tools need to reach the table themselves (npm run open311:key).
          tableName,
          region,
          services: { api: apiUrl, dynamodb: dynamo.endpoint, stepFunctions: stepFunctions.endpoint, sns: sns.endpoint, ses: ses.endpoint, secretsManager: secrets.endpoint, s3: s3.endpoint },
          caseWorkflowArn,
        },
      }),
      'GET /_local/users': () => ({ body: { users: users.map(({ username, role, department, name, kind }) => ({ username, role, department, name, kind })) } }),
    };
    // Tokens for any demo user, the clock and the outbox (recipients' numbers): never on an address the network
    // reaches. On loopback the gateway still checks each request's Host and content type (local/loopback.ts).
    if (isLoopbackBind(host)) {
      Object.assign(localEndpoints, {
        'POST /_local/token': async ({ body }) => mintToken(issuer, body),
        'GET /_local/clock': () => ({ body: { now: clock.now().toISOString(), scale: clock.scale } }),
        'POST /_local/clock': ({ body }) => advanceClock(clock, body),
        'GET /_local/faults': () => ({ body: { faults: faults.list() } }),
        'POST /_local/faults': ({ body }) => faults.set(body),
        'GET /_local/outbox': async ({ query }) => {
          const filter: Record<string, string> = {};
          for (const k of ['protocol', 'endpoint', 'topicArn', 'messageId', 'status', 'since']) if (query.get(k)) filter[k] = query.get(k)!;
          return { body: { entries: mergeOutboxes(await sns.outbox(filter), await ses.outbox(filter)) } };
        },
      } satisfies Record<string, LocalEndpoint>);
    }

    let logRequests = false;
    app = createGateway({
      loadHandler: (m) => handlers.load(m),
      functionName: (m) => localFunctionName(LOCAL_STAGE, m),
      authorize: createJwtAuthorizer({ issuer: issuer.issuer, audiences: issuer.audiences, jwks: () => issuer.jwks() }),
      identity: issuer,
      // OpenID Connect sign-in as on Cognito (local/oauth.ts): the console's authorization code + PKCE flow.
      oauth: createOAuthEndpoints(issuer),
      oauthLoopbackOnly: isLoopbackBind(host),
      region,
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'localapi01',
      functionTimeoutMs: API_TIMEOUT_MS,
      consoleDir: options.consoleDir ?? path.join(REPO_ROOT, 'console', 'dist'),
      localEndpoints,
      // The demo seeding's own requests (and its polling) would bury the banner: lines start after it.
      onRequest: options.quiet ? undefined : (l) => logRequests && log(requestLine(l)),
      onError: (message, error) => logError(`${message}: ${error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error)}`),
    });

    // 7. Demo data, through the API.
    let demoData: DemoSeedResult | undefined;
    if (options.demoData ?? true) {
      demoData = await seedDemoCases({ apiUrl, token: (u) => issuer.token(u), ddb, tableName, log });
    }

    // 8. Scheduled jobs, as EventBridge invokes them, on the local clock.
    const scheduler = startLocalScheduler({
      jobs: SCHEDULED_JOBS,
      clock,
      run: async (job) => {
        const functionName = localFunctionName(LOCAL_STAGE, job.handler);
        const handler: LambdaHandler = await handlers.load(job.handler);
        const context = lambdaContext({ functionName, region, accountId: LOCAL_ACCOUNT_ID, timeoutMs: SCHEDULED_JOB_TIMEOUT_MS });
        const event = { version: '0', id: context.awsRequestId, 'detail-type': 'Scheduled Event', source: 'aws.events', account: LOCAL_ACCOUNT_ID, time: clock.now().toISOString(), region, resources: [], detail: {} };
        return invokeHandler(handler, event, context, SCHEDULED_JOB_TIMEOUT_MS);
      },
      log: logError,
    });
    cleanup.push(() => scheduler.close());

    logRequests = true;
    const cloud: LocalCloud = {
      urls: {
        api: apiUrl,
        console: `${apiUrl}/`,
        issuer: issuer.issuer,
        jwks: `${apiUrl}/.well-known/jwks.json`,
        dynamodb: dynamo.endpoint,
        stepFunctions: stepFunctions.endpoint,
        sns: sns.endpoint,
        ses: ses.endpoint,
        secretsManager: secrets.endpoint,
        s3: s3.endpoint,
      },
      dataDir,
      tableName,
      region,
      clock,
      users,
      token: (u, o) => issuer.token(u, o),
      caseWorkflowArn,
      handlerEnv,
      demoData,
      scheduledJobRuns: () => scheduler.runs(),
      startupMs: Math.round(performance.now() - started),
      close: closeAll,
    };
    return cloud;
  } catch (e) {
    await closeAll();
    throw e;
  }
}

function requestLine(l: RequestLogLine): string {
  return `  ${l.method.padEnd(6)} ${l.path} -> ${l.statusCode} (${l.ms.toFixed(0)} ms)${l.routeId ? ` ${l.routeId}` : ''}`;
}

async function mintToken(issuer: LocalIssuer, body: unknown) {
  const b = (body ?? {}) as { username?: unknown; expiresInSeconds?: unknown };
  if (typeof b.username !== 'string' || !b.username) return fieldError('username', `must be one of ${issuer.users.map((u) => u.username).join(', ')}`);
  if (b.expiresInSeconds !== undefined && (typeof b.expiresInSeconds !== 'number' || !Number.isFinite(b.expiresInSeconds)))
    return fieldError('expiresInSeconds', 'must be a number of seconds');
  try {
    const token = await issuer.token(b.username, typeof b.expiresInSeconds === 'number' ? { expiresInSeconds: b.expiresInSeconds } : {});
    const u = issuer.user(b.username);
    return { body: { token, tokenType: 'Bearer', user: { username: u.username, role: u.role, department: u.department, sub: u.sub } } };
  } catch (e) {
    if (e instanceof UnknownUserError) return fieldError('username', `is not a demo user; known: ${e.known.join(', ')}`);
    throw e;
  }
}

function advanceClock(clock: LocalClock, body: unknown) {
  const advance = (body as { advance?: unknown } | undefined)?.advance;
  const ms = typeof advance === 'number' ? advance : typeof advance === 'string' ? parseIsoDuration(advance) : undefined;
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return fieldError('advance', 'must be an ISO 8601 duration such as PT2H or P1DT4H, or a number of milliseconds (forward only)');
  clock.advance(ms);
  return { body: { now: clock.now().toISOString(), advancedMs: ms } };
}

function fieldError(field: string, message: string) {
  return { statusCode: 400, body: { error: { code: 'VALIDATION_FAILED', message: `Invalid ${field}`, fields: [{ path: field, message }] } } };
}

/** `PT2H`, `P1DT4H30M`, `PT90S`, `P2W` -> milliseconds (days are 24 h: this moves a clock, not a calendar). */
export function parseIsoDuration(text: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim().toUpperCase());
  if (!m || text.trim().toUpperCase() === 'P' || /T$/i.test(text.trim())) return undefined;
  const [, w, d, h, min, s] = m.map<number>((x) => (x === undefined ? 0 : Number(x)));
  return Math.round(((((w * 7 + d) * 24 + h) * 60 + min) * 60 + s) * 1000);
}
