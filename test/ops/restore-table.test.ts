import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
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
} from '@aws-sdk/client-dynamodb';
import { parseRestoreArgs, repointCommands, RestoreArgsError, restoreTable } from '../../scripts/restore-table';

const window = {
  ContinuousBackupsDescription: {
    ContinuousBackupsStatus: 'ENABLED' as const,
    PointInTimeRecoveryDescription: {
      PointInTimeRecoveryStatus: 'ENABLED' as const,
      EarliestRestorableDateTime: new Date('2026-11-01T00:00:00Z'),
      LatestRestorableDateTime: new Date('2026-12-02T18:00:00Z'),
    },
  },
};
const SOURCE_ARN = 'arn:aws:dynamodb:ap-northeast-1:123456789012:table/cases';
const MUTATING = [RestoreTableToPointInTimeCommand, UpdateContinuousBackupsCommand, UpdateTimeToLiveCommand, UpdateTableCommand];
const noWait = { sleep: () => Promise.resolve(), pollMs: 1 };

const mock = mockClient(DynamoDBClient);
const client = () => new DynamoDBClient({});
const args = (...extra: string[]) => parseRestoreArgs(['--stage', 'prod', '--table', 'cases', '--time', '2026-12-01T03:00:00Z', '--target', 'cases-r1', ...extra]);
const mutatingCalls = () => MUTATING.flatMap((c) => mock.commandCalls(c as never));
const notFound = () => new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} });

/** The source's window; the target does not exist, then is restoring, then ACTIVE with its index; nothing on it yet. */
function aRestore() {
  mock.on(DescribeContinuousBackupsCommand, { TableName: 'cases' }).resolves(window);
  mock.on(DescribeContinuousBackupsCommand, { TableName: 'cases-r1' }).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } });
  mock.on(DescribeTableCommand).rejects(notFound());
  mock
    .on(DescribeTableCommand, { TableName: 'cases-r1' })
    .rejectsOnce(notFound())
    .resolvesOnce({ Table: { TableName: 'cases-r1', TableStatus: 'CREATING' } })
    .resolvesOnce({ Table: { TableName: 'cases-r1', TableStatus: 'ACTIVE', GlobalSecondaryIndexes: [{ IndexName: 'gsi1', IndexStatus: 'CREATING' }] } })
    .resolves({ Table: { TableName: 'cases-r1', TableStatus: 'ACTIVE', DeletionProtectionEnabled: false, GlobalSecondaryIndexes: [{ IndexName: 'gsi1', IndexStatus: 'ACTIVE' }], RestoreSummary: { SourceTableArn: SOURCE_ARN, RestoreDateTime: new Date(), RestoreInProgress: false } } });
  mock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
  for (const c of MUTATING) mock.on(c as never).resolves({});
}

beforeEach(() => mock.reset());

describe('ops:restore', () => {
  it('is a dry run unless told to execute: it checks the window, makes no change, and prints the deploy that re-points the stage', async () => {
    aRestore();
    const result = await restoreTable(client(), parseRestoreArgs(['--stage', 'prod', '--table', 'cases', '--time', '2026-12-01T03:00:00Z']), noWait);
    expect(result.executed).toBe(false);
    expect(result.plan[0]).toContain('into the new table cases-restored-20261201T0300');
    expect(result.plan).toContain('point stage prod at it: npx cdk deploy -c stage=prod -c citydesk:tableName=cases-restored-20261201T0300 --all');
    expect(mutatingCalls()).toHaveLength(0);
    expect(mock.commandCalls(DescribeContinuousBackupsCommand)[0].args[0].input).toEqual({ TableName: 'cases' });
  });

  it('with --execute restores to a new table, waits for it and its indexes, then turns on PITR, TTL and deletion protection, in that order', async () => {
    aRestore();
    const lines: string[] = [];
    const result = await restoreTable(client(), args('--execute'), { ...noWait, log: (l) => lines.push(l) });
    expect(result.executed).toBe(true);
    const order = mock.calls().map((c) => c.args[0].constructor.name).filter((n) => MUTATING.some((m) => m.name === n));
    expect(order).toEqual(['RestoreTableToPointInTimeCommand', 'UpdateContinuousBackupsCommand', 'UpdateTimeToLiveCommand', 'UpdateTableCommand']);
    // Nothing is changed on the new table before it and its index are ACTIVE: the fourth look is the first that says so.
    const names = mock.calls().map((c) => c.args[0].constructor.name);
    expect(names.slice(0, names.indexOf('UpdateContinuousBackupsCommand')).filter((n) => n === 'DescribeTableCommand')).toHaveLength(4);
    expect(mock.commandCalls(RestoreTableToPointInTimeCommand)[0].args[0].input).toEqual({
      SourceTableName: 'cases',
      TargetTableName: 'cases-r1',
      RestoreDateTime: new Date('2026-12-01T03:00:00Z'),
      SSESpecificationOverride: { Enabled: true, SSEType: 'KMS' },
    });
    expect(mock.commandCalls(UpdateContinuousBackupsCommand)[0].args[0].input).toEqual({ TableName: 'cases-r1', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    expect(mock.commandCalls(UpdateTimeToLiveCommand)[0].args[0].input).toEqual({ TableName: 'cases-r1', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } });
    expect(mock.commandCalls(UpdateTableCommand)[0].args[0].input).toEqual({ TableName: 'cases-r1', DeletionProtectionEnabled: true });
    expect(lines).toHaveLength(5);
    expect(result.deploy).toBe('npx cdk deploy -c stage=prod -c citydesk:tableName=cases-r1 --all');
    expect(result.cdkJson).toBe('"citydesk:tableName": { "prod": "cases-r1" }');
  });

  it('run again after an interruption, it does not restore twice and only turns on what is still off', async () => {
    mock.on(DescribeContinuousBackupsCommand, { TableName: 'cases' }).resolves(window);
    mock.on(DescribeContinuousBackupsCommand, { TableName: 'cases-r1' }).resolves(window);
    mock.on(DescribeTableCommand, { TableName: 'cases-r1' }).resolves({ Table: { TableStatus: 'ACTIVE', DeletionProtectionEnabled: false, RestoreSummary: { SourceTableArn: SOURCE_ARN, RestoreDateTime: new Date(), RestoreInProgress: false } } });
    mock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' } });
    for (const c of MUTATING) mock.on(c as never).resolves({});
    await restoreTable(client(), args('--execute'), noWait);
    expect(mutatingCalls().map((c) => c.args[0].constructor.name)).toEqual(['UpdateTableCommand']);
  });

  it('refuses a target that exists and is not a restore of the source', async () => {
    mock.on(DescribeContinuousBackupsCommand).resolves(window);
    mock.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
    await expect(restoreTable(client(), args('--execute'), noWait)).rejects.toThrow(/cases-r1 already exists and is not a restore of cases/);
    expect(mutatingCalls()).toHaveLength(0);
  });

  it('gives up waiting after its timeout, saying that running it again resumes', async () => {
    aRestore();
    mock.on(DescribeTableCommand, { TableName: 'cases-r1' }).rejectsOnce(notFound()).resolves({ Table: { TableStatus: 'CREATING' } });
    await expect(restoreTable(client(), args('--execute'), { ...noWait, timeoutMs: 5 })).rejects.toThrow(/not ACTIVE .*run the same command again later, it resumes/);
    expect(mock.commandCalls(UpdateContinuousBackupsCommand)).toHaveLength(0);
  });

  it('refuses a time outside the recovery window, naming the window', async () => {
    aRestore();
    await expect(restoreTable(client(), parseRestoreArgs(['--stage', 'prod', '--table', 'cases', '--time', '2026-10-01T00:00:00Z', '--execute']), noWait)).rejects.toThrow(
      /outside the recovery window of cases: 2026-11-01T00:00:00.000Z to 2026-12-02T18:00:00.000Z/,
    );
    expect(mutatingCalls()).toHaveLength(0);
  });

  it('refuses a table without point-in-time recovery', async () => {
    mock.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'DISABLED' } });
    await expect(restoreTable(client(), args('--execute'), noWait)).rejects.toThrow(/not enabled on cases/);
  });

  it('names the argument that is missing or wrong', () => {
    expect(() => parseRestoreArgs(['--table', 'cases', '--time', '2026-12-01T03:00:00Z'])).toThrow(/--stage/);
    expect(() => parseRestoreArgs(['--stage', 'prod', '--time', '2026-12-01T03:00:00Z'])).toThrow(RestoreArgsError);
    expect(() => parseRestoreArgs(['--stage', 'prod', '--table', 'cases'])).toThrow(/--time/);
    expect(() => parseRestoreArgs(['--stage', 'prod', '--table', 'cases', '--time', 'yesterday'])).toThrow(/--time/);
    expect(() => parseRestoreArgs(['--stage', 'prod', '--table', 'cases', '--time', '2026-12-01T03:00:00Z', '--target', 'cases'])).toThrow(/never overwrites/);
  });

  it('the deploy command it prints uses the context the stacks read', () => {
    expect(repointCommands('dev', 't-restored')).toEqual({ deploy: 'npx cdk deploy -c stage=dev -c citydesk:tableName=t-restored --all', cdkJson: '"citydesk:tableName": { "dev": "t-restored" }' });
  });
});
