/**
 * Point-in-time restore of the case table to a NEW table: `npm run ops:restore -- --table <name> --time <ISO>
 * [--target <name>] [--execute]`. Dry-run by default: it checks that the time lies inside the table's recovery
 * window and prints what it would do; `--execute` starts the restore. Never touches the source table. The
 * restored table lacks PITR, TTL and deletion protection (DynamoDB does not copy them): the plan says so, and
 * docs/operations.md ("Backup and restore") says what to do next.
 */
import {
  DescribeContinuousBackupsCommand,
  DynamoDBClient,
  RestoreTableToPointInTimeCommand,
} from '@aws-sdk/client-dynamodb';

export interface RestoreArgs {
  table: string;
  time: Date;
  target: string;
  execute: boolean;
}

export class RestoreArgsError extends Error {}

/** `--table`, `--time` (ISO 8601), `--target` (default `<table>-restored-<yyyymmddThhmm>`), `--execute`. */
export function parseRestoreArgs(argv: readonly string[]): RestoreArgs {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const table = value('--table');
  if (!table || table.startsWith('--')) throw new RestoreArgsError('--table <source table name> is required');
  const rawTime = value('--time');
  const time = rawTime ? new Date(rawTime) : undefined;
  if (!rawTime || !time || Number.isNaN(time.getTime())) throw new RestoreArgsError('--time <ISO 8601 time, e.g. 2026-12-01T03:00:00Z> is required');
  const stamp = time.toISOString().slice(0, 16).replace(/[-:]/g, '');
  const target = value('--target') ?? `${table}-restored-${stamp}`;
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(target)) throw new RestoreArgsError(`--target must be a DynamoDB table name (got ${target})`);
  if (target === table) throw new RestoreArgsError('--target must differ from --table: a restore never overwrites the source');
  return { table, time, target, execute: argv.includes('--execute') };
}

export interface RestoreResult {
  started: boolean;
  plan: string[];
}

export async function restoreTable(client: DynamoDBClient, args: RestoreArgs): Promise<RestoreResult> {
  const backups = await client.send(new DescribeContinuousBackupsCommand({ TableName: args.table }));
  const pitr = backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  if (pitr?.PointInTimeRecoveryStatus !== 'ENABLED' || !pitr.EarliestRestorableDateTime || !pitr.LatestRestorableDateTime)
    throw new RestoreArgsError(`Point-in-time recovery is not enabled on ${args.table}`);
  const [earliest, latest] = [pitr.EarliestRestorableDateTime, pitr.LatestRestorableDateTime];
  if (args.time < earliest || args.time > latest)
    throw new RestoreArgsError(`--time ${args.time.toISOString()} is outside the recovery window of ${args.table}: ${earliest.toISOString()} to ${latest.toISOString()}`);
  const plan = [
    `restore ${args.table} as of ${args.time.toISOString()} into the new table ${args.target} (the source is not touched)`,
    `then on ${args.target}: enable point-in-time recovery, TTL on the same attribute, deletion protection (not copied by a restore)`,
    'then compare and copy back what the incident destroyed (docs/operations.md, "Backup and restore")',
  ];
  if (!args.execute) return { started: false, plan };
  await client.send(
    new RestoreTableToPointInTimeCommand({
      SourceTableName: args.table,
      TargetTableName: args.target,
      RestoreDateTime: args.time,
      // The case table's encryption: the AWS-managed key.
      SSESpecificationOverride: { Enabled: true, SSEType: 'KMS' },
    }),
  );
  return { started: true, plan };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const args = parseRestoreArgs(process.argv.slice(2));
    const result = await restoreTable(new DynamoDBClient({}), args);
    console.log(`${result.started ? 'Started' : 'Dry run (add --execute to start)'}:`);
    for (const step of result.plan) console.log(`  - ${step}`);
  } catch (error) {
    if (!(error instanceof RestoreArgsError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
