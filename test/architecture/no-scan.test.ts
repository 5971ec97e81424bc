/**
 * No code path issues a DynamoDB Scan: lists are Queries on a GSI (functions/adapters/table.ts). Two guards:
 * (a) the source of functions/ and local/ never names a scanning operation — no allow-list;
 * (b) at run time, every DynamoDB client test/support/dynalite.ts hands out refuses to send one, so any test that
 *     reaches a Scan through whatever path fails loudly.
 * PartiQL statements count as scans here: `SELECT * FROM t` without a key condition is one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecuteStatementCommand, ScanCommand as LowLevelScanCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, ScanCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { ScanForbiddenError, startDynalite, type LocalTable } from '../support/dynalite';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED_FOLDERS = ['functions', 'local'];
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;

/**
 * Files allowed a Scan, and why. The local cloud's start-up copies a data folder's table into one with the current
 * indexes (dynalite cannot add an index to a table); it reads every item once, before any request is served.
 */
const ALLOWED: Record<string, string> = {
  [join('local', 'dynamodb.ts')]: 'a local data folder table made again with new indexes, at start-up',
};

/** Identifiers and calls that issue a Scan (or a PartiQL statement) with SDK v3 or v2. */
const SCAN_PATTERNS: readonly RegExp[] = [
  /\bScanCommand\b/,
  /\bpaginateScan\b/,
  /\bScan\s*\(/,
  /\b(Batch)?ExecuteStatementCommand\b/,
  /\bExecuteTransactionCommand\b/,
  /\bddb\.scan\s*\(/i,
];

function scanUsages(source: string): string[] {
  return source
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => SCAN_PATTERNS.some((p) => p.test(line)))
    .map(({ line, n }) => `${n}: ${line.trim()}`);
}

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) ? [path] : [];
  });
}

describe('no Scan in the source', () => {
  const files = SCANNED_FOLDERS.flatMap((f) => sourceFiles(join(ROOT, f)));

  it('the check reads the production code (so it cannot pass by reading nothing)', () => {
    expect(files.map((f) => relative(ROOT, f))).toContain(join('functions', 'adapters', 'case-repository.ts'));
  });

  it('the detector recognises the ways a Scan is written', () => {
    expect(scanUsages("import { ScanCommand } from '@aws-sdk/lib-dynamodb';")).toHaveLength(1);
    expect(scanUsages('for await (const page of paginateScan({ client }, input)) {}')).toHaveLength(1);
    expect(scanUsages('await ddb.scan({ TableName }).promise();')).toHaveLength(1);
    expect(scanUsages("await client.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM t' }));")).toHaveLength(1);
    expect(scanUsages('// lists are Queries on a GSI, never a Scan.')).toEqual([]);
  });

  it('no file under functions/ or local/ issues a Scan, but the one local start-up copy', () => {
    const usages = files.map((f) => ({ file: relative(ROOT, f), usages: scanUsages(readFileSync(f, 'utf8')) })).filter((o) => o.usages.length > 0);
    const offenders = usages.filter((o) => !(o.file in ALLOWED));
    expect(offenders).toEqual([]);
    // An allowance names a file that still does what it was allowed for, once: a stale one would hide a new Scan.
    for (const file of Object.keys(ALLOWED)) expect(usages.find((o) => o.file === file)?.usages.filter((u) => /new ScanCommand/.test(u))).toHaveLength(1);
  });
});

describe('no Scan at run time', () => {
  let local: LocalTable;
  beforeAll(async () => {
    local = await startDynalite();
  });
  afterAll(async () => {
    await local.close();
  });

  it('the guard on the test clients refuses a document-client Scan', async () => {
    await expect(local.ddb.send(new ScanCommand({ TableName: local.tableName }))).rejects.toBeInstanceOf(ScanForbiddenError);
  });

  it('the guard refuses a low-level Scan and a Scan paginator', async () => {
    await expect(local.client.send(new LowLevelScanCommand({ TableName: local.tableName }))).rejects.toBeInstanceOf(ScanForbiddenError);
    const pages = paginateScan({ client: local.ddb }, { TableName: local.tableName });
    await expect(pages.next()).rejects.toBeInstanceOf(ScanForbiddenError);
  });

  it('the guard refuses PartiQL, which can scan', async () => {
    await expect(local.client.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${local.tableName}"` }))).rejects.toBeInstanceOf(
      ScanForbiddenError,
    );
  });

  it('the guard lets Queries and item reads through', async () => {
    await expect(
      local.ddb.send(new QueryCommand({ TableName: local.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'X' } })),
    ).resolves.toMatchObject({ Items: [] });
    await expect(local.ddb.send(new GetCommand({ TableName: local.tableName, Key: { pk: 'X', sk: 'X' } }))).resolves.toBeDefined();
  });
});
