/**
 * DynamoDB for the local cloud: dynalite in process (LevelDB under `<data>/dynamodb`, or memory), or an external
 * DynamoDB-compatible endpoint (DynamoDB Local, LocalStack). The table is created from `createTableInput()`, the
 * definition CDK deploys, and waited on until ACTIVE.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Level } from 'level';
import { createTableInput } from '../functions/adapters/table';
import { DataDirInUseError } from './data-dir';

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
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    path: dbPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Creates the table when it is missing, then waits until it is ACTIVE. Returns whether it was created. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'exists'> {
  let outcome: 'created' | 'exists' = 'exists';
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (e) {
    if ((e as Error).name !== 'ResourceNotFoundException') throw e;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    outcome = 'created';
  }
  for (let i = 0; i < 200; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return outcome;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE`);
}
