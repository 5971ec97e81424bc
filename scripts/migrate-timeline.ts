/**
 * Moves the timelines of cases stored before events were items of their own (a `timeline` list on the case item)
 * into event items beside the case (functions/adapters/table.ts, CaseEventEntity):
 *
 *   npm run migrate:timeline -- --table <name> [--endpoint <url>] [--region <region>] [--dry-run] [--checkpoint <file>]
 *
 * Steps, per case item that still has a `timeline` list:
 * 1. read the case (consistent): its list and its version;
 * 2. put every listed event as its event item, key `EV#<event id>` (BatchWriteItem, unprocessed items retried):
 *    an event put twice is the same item, so a rerun writes nothing new;
 * 3. remove the list, conditional on the version read: when the case changed in between (the new code keeps the
 *    list as it is while it writes), go back to step 1 for that case. The version is not bumped: a client's
 *    If-Match stays valid, as nothing about the case changed.
 * Cases are found with a paged Scan (the only way to reach every case of a table whatever its age; an operator
 * run, never a request path), filtered to case items that still hold a list. Resumable: with `--checkpoint` the
 * position after each page is kept in that file and a rerun starts there; without it a rerun starts over and
 * skips what is done. `--dry-run` counts what would move and writes nothing.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { translateConfig } from '../functions/adapters/clients';
import { CaseEntity, CaseEventEntity, LEGACY_TIMELINE_ATTRIBUTE, isConditionFailure, type Item } from '../functions/adapters/table';
import type { CaseEvent } from '../functions/domain/case';

export interface MigrateTimelineOptions {
  dryRun?: boolean;
  /** A file that keeps the scan position between pages (resumes a run that stopped). */
  checkpoint?: string;
  /** Items read per Scan page. */
  pageSize?: number;
  /** Called after each page (progress). */
  onPage?: (report: MigrationReport) => void;
}

export interface MigrationReport {
  /** Case items that held a timeline list. */
  cases: number;
  /** Events put as items (or, in a dry run, that would be). */
  events: number;
  /** Cases that changed while they were moved and were moved again. */
  retried: number;
  dryRun: boolean;
}

const BATCH_MAX = 25;
const MAX_ATTEMPTS = 8;

export async function migrateTimeline(ddb: DynamoDBDocumentClient, tableName: string, options: MigrateTimelineOptions = {}): Promise<MigrationReport> {
  const report: MigrationReport = { cases: 0, events: 0, retried: 0, dryRun: options.dryRun === true };
  let startKey = options.checkpoint && existsSync(options.checkpoint) ? (JSON.parse(readFileSync(options.checkpoint, 'utf8')) as Record<string, unknown>) : undefined;
  do {
    const page: ScanCommandOutput = await ddb.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#entity = :case AND attribute_exists(#timeline)',
        ProjectionExpression: 'caseNo',
        ExpressionAttributeNames: { '#entity': 'entity', '#timeline': LEGACY_TIMELINE_ATTRIBUTE },
        ExpressionAttributeValues: { ':case': 'CASE' },
        Limit: options.pageSize ?? 100,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const found of page.Items ?? []) {
      const moved = await migrateCase(ddb, tableName, String(found.caseNo), report.dryRun);
      if (moved.events === undefined) continue;
      report.cases += 1;
      report.events += moved.events;
      report.retried += moved.retries;
    }
    startKey = page.LastEvaluatedKey;
    if (options.checkpoint && !report.dryRun) {
      if (startKey) writeFileSync(options.checkpoint, JSON.stringify(startKey));
      else rmSync(options.checkpoint, { force: true });
    }
    options.onPage?.(report);
  } while (startKey);
  return report;
}

/** One case: its events put, then its list removed (steps 1-3). `events` undefined: nothing left to move. */
async function migrateCase(ddb: DynamoDBDocumentClient, tableName: string, caseNo: string, dryRun: boolean): Promise<{ events?: number; retries: number }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const out = await ddb.send(
      new GetCommand({
        TableName: tableName,
        Key: CaseEntity.key(caseNo),
        ProjectionExpression: '#version, #timeline',
        ExpressionAttributeNames: { '#version': 'version', '#timeline': LEGACY_TIMELINE_ATTRIBUTE },
        ConsistentRead: true,
      }),
    );
    const listed = out.Item?.[LEGACY_TIMELINE_ATTRIBUTE] as CaseEvent[] | undefined;
    if (!out.Item || !Array.isArray(listed)) return { retries: attempt };
    if (dryRun) return { events: listed.length, retries: 0 };
    // A list entry without an id (none should exist) still gets a stable, unique one: its place in the list.
    const items = listed.map((e, i) => CaseEventEntity.toItem(caseNo, e.id ? e : { ...e, id: `${e.at}#m${String(i).padStart(6, '0')}` }));
    await putAll(ddb, tableName, items);
    try {
      await ddb.send(
        new UpdateCommand({
          TableName: tableName,
          Key: CaseEntity.key(caseNo),
          UpdateExpression: 'REMOVE #timeline',
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version', '#timeline': LEGACY_TIMELINE_ATTRIBUTE },
          ExpressionAttributeValues: { ':version': out.Item.version as number },
        }),
      );
      return { events: items.length, retries: attempt };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
  throw new Error(`Case ${caseNo} kept changing while its timeline was moved (${MAX_ATTEMPTS} attempts): run the migration again`);
}

async function putAll(ddb: DynamoDBDocumentClient, tableName: string, items: Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH_MAX) {
    let requests: Array<{ PutRequest?: { Item: Item } }> | undefined = items.slice(i, i + BATCH_MAX).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests?.length; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error('DynamoDB left event puts unprocessed after retries: run the migration again');
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      const out = await ddb.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = out.UnprocessedItems?.[tableName] as Array<{ PutRequest?: { Item: Item } }> | undefined;
    }
  }
}

export class MigrateArgsError extends Error {}

export interface MigrateArgs {
  table: string;
  endpoint?: string;
  region?: string;
  dryRun: boolean;
  checkpoint?: string;
}

export function parseMigrateArgs(argv: readonly string[]): MigrateArgs {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    const v = i >= 0 ? argv[i + 1] : undefined;
    if (i >= 0 && (!v || v.startsWith('--'))) throw new MigrateArgsError(`${flag} needs a value`);
    return v;
  };
  const table = value('--table') ?? process.env.TABLE_NAME;
  if (!table) throw new MigrateArgsError('--table <case table name> is required (or TABLE_NAME)');
  return { table, endpoint: value('--endpoint'), region: value('--region') ?? process.env.AWS_REGION, dryRun: argv.includes('--dry-run'), checkpoint: value('--checkpoint') };
}

/** The clients an operator script uses: the region required; a local endpoint takes any credentials, AWS the caller's. */
export function operatorClients(args: Pick<MigrateArgs, 'endpoint' | 'region'>): { client: DynamoDBClient; ddb: DynamoDBDocumentClient } {
  if (!args.region) throw new MigrateArgsError('--region <region> is required (or AWS_REGION)');
  const local = args.endpoint && !process.env.AWS_ACCESS_KEY_ID ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {};
  const client = new DynamoDBClient({ region: args.region, ...(args.endpoint ? { endpoint: args.endpoint } : {}), ...local });
  return { client, ddb: DynamoDBDocumentClient.from(client, translateConfig) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const args = parseMigrateArgs(process.argv.slice(2));
    const { client, ddb } = operatorClients(args);
    const report = await migrateTimeline(ddb, args.table, {
      dryRun: args.dryRun,
      checkpoint: args.checkpoint,
      onPage: (r) => console.error(`... ${r.cases} cases, ${r.events} events so far`),
    });
    console.log(`${report.dryRun ? 'Dry run: would move' : 'Moved'} ${report.events} events of ${report.cases} cases${report.retried ? ` (${report.retried} cases changed meanwhile and were moved again)` : ''}.`);
    client.destroy();
  } catch (error) {
    if (!(error instanceof MigrateArgsError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
