/**
 * DynamoDB for the local cloud: dynalite in process (LevelDB under `<data>/dynamodb`, or memory), or an external
 * DynamoDB-compatible endpoint (DynamoDB Local, LocalStack). The table is created from `createTableInput()`, the
 * definition CDK deploys, and waited on until ACTIVE. dynalite has no transactions: its endpoint is the
 * transaction front (dynamodb-transactions.ts) before it, so TransactWriteItems works as on AWS.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, DescribeTableCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { Level } from 'level';
import { createTableInput } from '../functions/adapters/table';
import { DataDirInUseError } from './data-dir';
import { startTransactionFront } from './dynamodb-transactions';

/** A transaction's before images while it runs, in the data folder: the next start undoes a transaction cut short. */
export const TRANSACTION_JOURNAL = 'dynamodb-transactions.json';

const require = createRequire(import.meta.url);

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}
type Dynalite = (options: DynaliteOptions) => Server;

export interface LocalDynamo {
  endpoint: string;
  /** Where LevelDB keeps the data; undefined in memory or for an external endpoint. */
  path?: string;
  close(): Promise<void>;
}

export interface DynaliteOptionsIn {
  /** The data folder; absent = in memory. */
  dataDir?: string;
  port?: number;
  host?: string;
}

/**
 * Opens the LevelDB folder once ourselves before dynalite does: dynalite reports a folder locked by another
 * process only as an uncaught "Database is not open" on the first request. This turns it into a clear error.
 */
async function assertLevelDbFree(dbPath: string, dataDir: string): Promise<void> {
  const db = new Level(dbPath);
  try {
    await db.open();
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') throw new DataDirInUseError(dataDir, undefined, 'its DynamoDB files are locked by another process');
    throw e;
  }
  await db.close();
}

export async function startDynalite(options: DynaliteOptionsIn = {}): Promise<LocalDynamo> {
  const dbPath = options.dataDir ? path.join(options.dataDir, 'dynamodb') : undefined;
  if (dbPath && options.dataDir) await assertLevelDbFree(dbPath, options.dataDir);
  const dynalite = require('dynalite') as Dynalite;
  // Tables become ACTIVE at once: nothing here benefits from simulating AWS's creation delay.
  const server = dynalite({ ...(dbPath ? { path: dbPath } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // dynalite itself listens on loopback only; callers reach it through the front, which owns the given address.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const inner = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const front = await startTransactionFront(inner, {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    ...(options.dataDir ? { journal: path.join(options.dataDir, TRANSACTION_JOURNAL) } : {}),
  }).catch(async (e: unknown) => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw e;
  });
  return {
    endpoint: front.endpoint,
    path: dbPath,
    close: async () => {
      await front.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}

/**
 * Creates the table when it is missing, gives an older data folder's table the indexes it lacks, then waits until
 * it is ACTIVE. Returns whether it was created, upgraded or there.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'upgraded' | 'exists'> {
  const wanted = createTableInput(tableName);
  let have: Set<string | undefined>;
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    have = new Set((Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
  } catch (e) {
    if ((e as Error).name !== 'ResourceNotFoundException') throw e;
    await client.send(new CreateTableCommand(wanted));
    await waitUntilActive(client, tableName);
    return 'created';
  }
  const missing = (wanted.GlobalSecondaryIndexes ?? []).filter((g) => !have.has(g.IndexName));
  if (missing.length) await recreateWithItems(client, tableName);
  await waitUntilActive(client, tableName);
  return missing.length ? 'upgraded' : 'exists';
}

/**
 * A local table made again from the current definition, its items kept: dynalite cannot add an index to a table
 * (its UpdateTable only changes throughput), so the items are read out, the table is created anew and they are
 * written back, which also puts them in the new indexes. A local data folder holds demo and test data, small
 * enough to hold in memory; AWS adds an index with the deploy instead.
 */
async function recreateWithItems(client: DynamoDBClient, tableName: string): Promise<void> {
  const items: Array<Record<string, AttributeValue>> = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  for (let i = 0; i < 200; i++) {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      await new Promise((r) => setTimeout(r, 50));
    } catch {
      break;
    }
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await waitUntilActive(client, tableName);
  for (let i = 0; i < items.length; i += 25) {
    let pending: WriteRequest[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length) pending = (await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }))).UnprocessedItems?.[tableName] ?? [];
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE`);
}
