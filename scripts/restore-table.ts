/**
 * Point-in-time restore of the case table to a NEW table, made ready for the stage to use:
 *
 *   npm run ops:restore -- --stage <stage> --table <name> --time <ISO> [--target <name>] [--execute]
 *
 * Dry-run by default: it checks that the time lies inside the table's recovery window and prints the plan and the
 * deploy command; nothing is changed. `--execute` carries it out, in this order:
 *   1. RestoreTableToPointInTime into the new table (never the source; skipped when the target is already a
 *      restore of this source, so an interrupted run can simply be run again);
 *   2. waits until the new table and its indexes are ACTIVE (a restore of a large table takes hours);
 *   3. gives it what a restore does not copy: point-in-time recovery, TTL on the table's TTL attribute, deletion
 *      protection (each only when not already on), and waits for ACTIVE again;
 *   4. prints the `cdk deploy` that points the stage's functions, grants and table alarms at it
 *      (context `citydesk:tableName`, infra/stage.ts) and the cdk.json entry that keeps it for later deploys.
 * It never deploys: docs/operations.md "Backup and restore" says when to re-point and when to copy back instead.
 */
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  RestoreTableToPointInTimeCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { TTL_ATTRIBUTE } from '../functions/adapters/table';

export interface RestoreArgs {
  stage: string;
  table: string;
  time: Date;
  target: string;
  execute: boolean;
}

export class RestoreArgsError extends Error {}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** `--stage`, `--table`, `--time` (ISO 8601), `--target` (default `<table>-restored-<yyyymmddThhmm>`), `--execute`. */
export function parseRestoreArgs(argv: readonly string[]): RestoreArgs {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    const v = i >= 0 ? argv[i + 1] : undefined;
    return v === undefined || v.startsWith('--') ? undefined : v;
  };
  const stage = value('--stage');
  if (!stage || !/^[a-z][a-z0-9-]{1,20}$/.test(stage)) throw new RestoreArgsError('--stage <stage the table belongs to, e.g. prod> is required (the deploy command names it)');
  const table = value('--table');
  if (!table) throw new RestoreArgsError('--table <source table name> is required');
  const rawTime = value('--time');
  const time = rawTime ? new Date(rawTime) : undefined;
  if (!rawTime || !time || Number.isNaN(time.getTime())) throw new RestoreArgsError('--time <ISO 8601 time, e.g. 2026-12-01T03:00:00Z> is required');
  const stamp = time.toISOString().slice(0, 16).replace(/[-:]/g, '');
  const target = value('--target') ?? `${table}-restored-${stamp}`;
  if (!TABLE_NAME.test(target)) throw new RestoreArgsError(`--target must be a DynamoDB table name (got ${target})`);
  if (target === table) throw new RestoreArgsError('--target must differ from --table: a restore never overwrites the source');
  return { stage, table, time, target, execute: argv.includes('--execute') };
}

/** The deploy that points `stage` at `table`, and the cdk.json context entry that keeps it pointed there. */
export function repointCommands(stage: string, table: string): { deploy: string; cdkJson: string } {
  return {
    deploy: `npx cdk deploy -c stage=${stage} -c citydesk:tableName=${table} --all`,
    cdkJson: `"citydesk:tableName": { "${stage}": "${table}" }`,
  };
}

export interface RestoreOptions {
  /** Between two looks at the new table's status (default 20 s). */
  pollMs?: number;
  /** How long to wait for ACTIVE before giving up (default 8 h; running again resumes). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
}

export interface RestoreResult {
  executed: boolean;
  plan: string[];
  /** What --execute did, in order (empty on a dry run). */
  done: string[];
  deploy: string;
  cdkJson: string;
}

export async function restoreTable(client: DynamoDBClient, args: RestoreArgs, options: RestoreOptions = {}): Promise<RestoreResult> {
  const log = options.log ?? (() => undefined);
  const backups = await client.send(new DescribeContinuousBackupsCommand({ TableName: args.table }));
  const pitr = backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  if (pitr?.PointInTimeRecoveryStatus !== 'ENABLED' || !pitr.EarliestRestorableDateTime || !pitr.LatestRestorableDateTime)
    throw new RestoreArgsError(`Point-in-time recovery is not enabled on ${args.table}`);
  const [earliest, latest] = [pitr.EarliestRestorableDateTime, pitr.LatestRestorableDateTime];
  if (args.time < earliest || args.time > latest)
    throw new RestoreArgsError(`--time ${args.time.toISOString()} is outside the recovery window of ${args.table}: ${earliest.toISOString()} to ${latest.toISOString()}`);

  const existing = await describe(client, args.target);
  if (existing && !existing.RestoreSummary?.SourceTableArn?.endsWith(`:table/${args.table}`))
    throw new RestoreArgsError(`${args.target} already exists and is not a restore of ${args.table}: pick another --target`);
  const { deploy, cdkJson } = repointCommands(args.stage, args.target);
  const plan = [
    existing
      ? `${args.target} is already a restore of ${args.table} (${existing.TableStatus}): not restored again`
      : `restore ${args.table} as of ${args.time.toISOString()} into the new table ${args.target} (the source is not touched)`,
    `wait until ${args.target} and its indexes are ACTIVE`,
    `on ${args.target}: enable point-in-time recovery, TTL on ${TTL_ATTRIBUTE}, deletion protection (a restore copies none of them)`,
    `point stage ${args.stage} at it: ${deploy}`,
    `and keep it for later deploys, in cdk.json "context": ${cdkJson}`,
  ];
  if (!args.execute) return { executed: false, plan, done: [], deploy, cdkJson };

  const done: string[] = [];
  const step = (line: string) => {
    done.push(line);
    log(line);
  };
  if (!existing) {
    await client.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: args.table,
        TargetTableName: args.target,
        RestoreDateTime: args.time,
        // The case table's encryption: the AWS-managed key.
        SSESpecificationOverride: { Enabled: true, SSEType: 'KMS' },
      }),
    );
    step(`restore of ${args.table} as of ${args.time.toISOString()} into ${args.target} started`);
  }
  const restored = await waitUntilActive(client, args.target, options);
  step(`${args.target} is ACTIVE`);

  const targetBackups = await client.send(new DescribeContinuousBackupsCommand({ TableName: args.target }));
  if (targetBackups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus !== 'ENABLED') {
    await client.send(new UpdateContinuousBackupsCommand({ TableName: args.target, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    step(`point-in-time recovery enabled on ${args.target}`);
  }
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: args.target }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED' && ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLING') {
    await client.send(new UpdateTimeToLiveCommand({ TableName: args.target, TimeToLiveSpecification: { Enabled: true, AttributeName: TTL_ATTRIBUTE } }));
    step(`TTL on ${TTL_ATTRIBUTE} enabled on ${args.target}`);
  }
  if (!restored.DeletionProtectionEnabled) {
    await client.send(new UpdateTableCommand({ TableName: args.target, DeletionProtectionEnabled: true }));
    step(`deletion protection enabled on ${args.target}`);
    await waitUntilActive(client, args.target, options);
  }
  return { executed: true, plan, done, deploy, cdkJson };
}

async function describe(client: DynamoDBClient, table: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return undefined;
    throw e;
  }
}

/** Polls DescribeTable until the table and every index are ACTIVE; a timeout says how to resume. */
async function waitUntilActive(client: DynamoDBClient, table: string, options: RestoreOptions): Promise<TableDescription> {
  const pollMs = options.pollMs ?? 20_000;
  const timeoutMs = options.timeoutMs ?? 8 * 3600_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let waited = 0; ; waited += pollMs) {
    const t = await describe(client, table);
    if (t?.TableStatus === 'ACTIVE' && (t.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE')) return t;
    if (waited >= timeoutMs)
      throw new RestoreArgsError(`${table} is not ACTIVE after ${Math.round(timeoutMs / 60_000)} minutes (${t?.TableStatus ?? 'not found'}): run the same command again later, it resumes`);
    await sleep(pollMs);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const args = parseRestoreArgs(process.argv.slice(2));
    const result = await restoreTable(new DynamoDBClient({}), args, { log: (line) => console.log(`  done: ${line}`) });
    if (!result.executed) {
      console.log('Dry run (add --execute to carry out the first three steps):');
      for (const step of result.plan) console.log(`  - ${step}`);
    } else {
      console.log(`${args.target} is ready. To point stage ${args.stage} at it:`);
      console.log(`  ${result.deploy}`);
      console.log(`and keep it for later deploys, in cdk.json "context": ${result.cdkJson}`);
    }
  } catch (error) {
    if (!(error instanceof RestoreArgsError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
