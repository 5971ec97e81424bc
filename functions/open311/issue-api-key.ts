/**
 * Issue (or revoke) an Open311 api_key for an integration client. The key is printed once and only its SHA-256
 * is stored, so write it down and hand it to the client over a safe channel.
 *
 *   npm run open311:key -- "Taoyuan Fix App"                      a running `npm start` (http://localhost:3000)
 *   npm run open311:key -- --local http://localhost:3100 "App"    a local cloud on another port
 *   TABLE_NAME=<table> AWS_REGION=ap-northeast-1 npm run open311:key -- "App"    a deployed stage
 *   npm run open311:key -- --table <table> --region ap-northeast-1 "App"         the same with flags
 *   npm run open311:key -- --revoke c311_xxxxxxxx…                revoke a key (any target above)
 *
 * Where the keys go (resolveKeyTarget):
 * 1. `--table` / TABLE_NAME: that table, in `--region` / AWS_REGION / AWS_DEFAULT_REGION, through `--endpoint` /
 *    AWS_ENDPOINT_URL_DYNAMODB when given, with the default AWS credential chain (AWS_PROFILE...). A DynamoDB on
 *    this machine (a loopback endpoint) needs neither a real region nor credentials: they default to the local
 *    cloud's. Any other target without a region is refused with what to set;
 * 2. otherwise the local cloud (`--local [url]`, default http://localhost:3000), which names its DynamoDB
 *    endpoint, table and region at /_local/health.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { hashApiKey, issueApiKey } from './api-keys';
import { operatorApiKeyStore, type OperatorTable } from '../composition';

export const DEFAULT_LOCAL_GATEWAY = 'http://localhost:3000';
/** What the local cloud signs with: any value does for dynalite, but the SDK insists on having one. */
const LOCAL_SIGNING = { region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } as const;

export class KeyTargetError extends Error {}

export interface KeyToolOptions {
  local?: string;
  table?: string;
  region?: string;
  endpoint?: string;
}

const isLoopbackUrl = (url: string): boolean => {
  try {
    return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
};

/** The table and the DynamoDB client settings the keys go to; see the module comment. */
export async function resolveKeyTarget(options: KeyToolOptions, env: Record<string, string | undefined>, fetchFn: typeof fetch = fetch): Promise<OperatorTable> {
  const tableName = options.table ?? env.TABLE_NAME;
  if (tableName && options.local === undefined) {
    const endpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
    const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (endpoint && isLoopbackUrl(endpoint)) {
      const signedByEnv = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY;
      return { tableName, endpoint, region: region ?? LOCAL_SIGNING.region, ...(signedByEnv ? {} : { credentials: LOCAL_SIGNING.credentials }) };
    }
    if (!region) throw new KeyTargetError(`No AWS region for table ${tableName}: pass --region <region> or set AWS_REGION (the stage's region, e.g. ap-northeast-1).`);
    return { tableName, region, ...(endpoint ? { endpoint } : {}) };
  }

  const gateway = (options.local ?? DEFAULT_LOCAL_GATEWAY).replace(/\/+$/, '');
  let health: { services?: { dynamodb?: string }; tableName?: string; region?: string };
  try {
    const res = await fetchFn(`${gateway}/_local/health`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    health = (await res.json()) as typeof health;
  } catch (e) {
    throw new KeyTargetError(
      `No local cloud answers at ${gateway} (${e instanceof Error ? e.message : String(e)}). Start it with npm start, pass --local <its URL>, ` +
        'or for a deployed stage pass --table <the stage case table> --region <region> (or set TABLE_NAME and AWS_REGION).',
    );
  }
  if (!health.services?.dynamodb || !health.tableName) throw new KeyTargetError(`${gateway}/_local/health does not name its DynamoDB endpoint and table: is it a CityDesk local cloud?`);
  return { tableName: health.tableName, endpoint: health.services.dynamodb, region: health.region ?? LOCAL_SIGNING.region, credentials: LOCAL_SIGNING.credentials };
}

export interface KeyToolOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = [
  'usage: npm run open311:key -- [target] "<client name>"   |   npm run open311:key -- [target] --revoke <api_key>',
  `target: (none) or --local [url]   a running npm start (default ${DEFAULT_LOCAL_GATEWAY})`,
  '        --table <name> --region <region> [--endpoint <url>]   a deployed stage (or TABLE_NAME, AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB)',
].join('\n');

/** The command: issue a key to a named client, or revoke one. Returns the exit code. */
export async function runKeyTool(args: string[], env: Record<string, string | undefined>, io: KeyToolOutput, fetchFn: typeof fetch = fetch): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const revoke = values.revoke;
  const clientName = positionals.join(' ').trim();
  if (revoke === undefined && !clientName) {
    io.err(`${USAGE}\n`);
    return 2;
  }
  let target: OperatorTable;
  try {
    target = await resolveKeyTarget({ local: values.local === '' ? DEFAULT_LOCAL_GATEWAY : values.local, table: values.table, region: values.region, endpoint: values.endpoint }, env, fetchFn);
  } catch (e) {
    if (e instanceof KeyTargetError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const store = operatorApiKeyStore(target);
  if (revoke !== undefined) {
    const revoked = await store.revoke(hashApiKey(revoke));
    io.out(revoked ? 'Revoked.\n' : 'No such key.\n');
    return revoked ? 0 : 1;
  }
  const issued = await issueApiKey(store, clientName);
  io.out(`table:   ${target.tableName}\nclient:  ${issued.clientName}\nclient id (logs, case createdBy): ${issued.clientId}\napi_key: ${issued.key}\n\nThis key is shown once; only its SHA-256 is stored.\n`);
  return 0;
}

function parse(args: string[]) {
  // `--local` alone means the default gateway: give it an empty value when no URL follows.
  const normalised = args.flatMap((a, i) => (a === '--local' && (args[i + 1] === undefined || !/^https?:\/\//.test(args[i + 1])) ? ['--local='] : [a]));
  return parseArgs({
    args: normalised,
    allowPositionals: true,
    options: { local: { type: 'string' }, table: { type: 'string' }, region: { type: 'string' }, endpoint: { type: 'string' }, revoke: { type: 'string' } },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runKeyTool(process.argv.slice(2), process.env, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
