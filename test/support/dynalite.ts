/**
 * A real DynamoDB API for tests: dynalite in-process, in memory, on a random port, with the CityDesk table
 * created from `createTableInput` (the same definition CDK deploys).
 *
 *   const local = await startDynalite();           // in beforeAll
 *   const repo = new DynamoCaseRepository(local.ddb, local.tableName);
 *   await local.close();                           // in afterAll
 *
 * The returned clients refuse Scan (and PartiQL, which can scan): see `guardAgainstScan`. Add the guard to any
 * other DynamoDB client a test builds. dynalite has no transactions: the local cloud's transaction front
 * (local/dynamodb-transactions.ts) stands before it, as in `npm start`. dynalite ignores TTL; it does honour
 * conditions, expressions, GSIs and pagination.
 *
 * With CITYDESK_TEST_DYNAMODB_ENDPOINT set (`npm run test:ddb-local` sets it to AWS's DynamoDB Local), the same
 * suites run against that endpoint instead, each call on a table of its own.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { translateConfig } from '../../functions/adapters/clients';
import { DynamoArticleStore } from '../../functions/adapters/article-store';
import { DynamoSopCatalog } from '../../functions/adapters/sop-catalog';
import { loadKbSeed } from '../../functions/kb/seed';
import { createTableInput } from '../../functions/adapters/table';
import { loadConfig } from '../../functions/config/load';
import { startTransactionFront } from '../../local/dynamodb-transactions';

/** Set by test/support/dynamodb-local-setup.ts: tests then run against AWS's DynamoDB Local. */
export const EXTERNAL_ENDPOINT_ENV = 'CITYDESK_TEST_DYNAMODB_ENDPOINT';
let tables = 0;

/** dynalite ships no types; this is the part we use. */
type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number; path?: string }) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

export interface LocalTable {
  /** `http://127.0.0.1:<port>`: set it as AWS_ENDPOINT_URL_DYNAMODB to point production clients at it. */
  endpoint: string;
  tableName: string;
  /** Document client with production marshalling and the Scan guard. */
  ddb: DynamoDBDocumentClient;
  /** The low-level client under `ddb` (same middleware stack). */
  client: DynamoDBClient;
  close(): Promise<void>;
}

export const TEST_TABLE_NAME = 'citydesk-test';

/**
 * `seedSops` (default true): store config/sops.json in the SOP catalogue, as every deploy and local start does
 * before any handler runs; false for tests of the seeding itself. `seedKnowledgeBase` (default false, as most
 * tests never read an article): store config/kb-articles.json's articles as the same step does.
 */
export async function startDynalite(options: { tableName?: string; seedSops?: boolean; seedKnowledgeBase?: boolean } = {}): Promise<LocalTable> {
  const external = process.env[EXTERNAL_ENDPOINT_ENV];
  // One DynamoDB Local serves every test file: each table name is unique to this process and call.
  const tableName = external ? `${options.tableName ?? TEST_TABLE_NAME}-${process.pid}-${++tables}` : (options.tableName ?? TEST_TABLE_NAME);
  let stop = async (): Promise<void> => undefined;
  let endpoint = external ?? '';
  if (!external) {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const front = await startTransactionFront(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    endpoint = front.endpoint;
    stop = async () => {
      await front.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
  }

  const client = new DynamoDBClient({
    endpoint,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  guardAgainstScan(client);
  const ddb = DynamoDBDocumentClient.from(client, translateConfig);

  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await waitForActive(client, tableName);
  if (options.seedSops !== false) {
    const { sops } = loadConfig();
    await new DynamoSopCatalog(ddb, tableName, sops.map((s) => s.category)).seed(sops);
  }
  if (options.seedKnowledgeBase) await new DynamoArticleStore(ddb, tableName).seed(loadKbSeed(loadConfig()));

  return {
    endpoint,
    tableName,
    ddb,
    client,
    async close() {
      if (external) await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
      await stop();
    },
  };
}

async function waitForActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE`);
}

/** Operations that read a whole table (PartiQL without a key condition scans, so it is refused too). */
export const SCANNING_OPERATIONS = ['Scan', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'] as const;

export class ScanForbiddenError extends Error {
  constructor(operation: string) {
    super(`DynamoDB ${operation} issued: lists must Query a GSI (see functions/adapters/table.ts)`);
    this.name = 'ScanForbiddenError';
  }
}

/**
 * Adds a middleware that throws before any Scan leaves the client. It looks at the serialized request's
 * X-Amz-Target, so it catches the document client, the low-level client and paginators alike.
 */
export function guardAgainstScan(client: DynamoDBClient | DynamoDBDocumentClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
      const target = Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1] ?? '';
      const operation = target.split('.').pop() ?? '';
      if ((SCANNING_OPERATIONS as readonly string[]).includes(operation)) throw new ScanForbiddenError(operation);
      return next(args);
    },
    { step: 'build', name: 'citydeskNoScanGuard', override: true },
  );
}
