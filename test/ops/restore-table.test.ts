import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeContinuousBackupsCommand, DynamoDBClient, RestoreTableToPointInTimeCommand } from '@aws-sdk/client-dynamodb';
import { parseRestoreArgs, RestoreArgsError, restoreTable } from '../../scripts/restore-table';

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

function mocked() {
  const mock = mockClient(DynamoDBClient);
  mock.on(DescribeContinuousBackupsCommand).resolves(window);
  mock.on(RestoreTableToPointInTimeCommand).resolves({});
  return mock;
}

describe('ops:restore', () => {
  it('is a dry run unless told to execute: it checks the window and starts nothing', async () => {
    const mock = mocked();
    const result = await restoreTable(new DynamoDBClient({}), parseRestoreArgs(['--table', 'cases', '--time', '2026-12-01T03:00:00Z']));
    expect(result.started).toBe(false);
    expect(result.plan[0]).toContain('into the new table cases-restored-20261201T0300');
    expect(mock.commandCalls(RestoreTableToPointInTimeCommand)).toHaveLength(0);
    expect(mock.commandCalls(DescribeContinuousBackupsCommand)[0].args[0].input).toEqual({ TableName: 'cases' });
  });

  it('with --execute restores to a new table at that time, encrypted like the source', async () => {
    const mock = mocked();
    const result = await restoreTable(new DynamoDBClient({}), parseRestoreArgs(['--table', 'cases', '--time', '2026-12-01T03:00:00Z', '--target', 'cases-r1', '--execute']));
    expect(result.started).toBe(true);
    expect(mock.commandCalls(RestoreTableToPointInTimeCommand)[0].args[0].input).toEqual({
      SourceTableName: 'cases',
      TargetTableName: 'cases-r1',
      RestoreDateTime: new Date('2026-12-01T03:00:00Z'),
      SSESpecificationOverride: { Enabled: true, SSEType: 'KMS' },
    });
  });

  it('refuses a time outside the recovery window, naming the window', async () => {
    const mock = mocked();
    await expect(restoreTable(new DynamoDBClient({}), parseRestoreArgs(['--table', 'cases', '--time', '2026-10-01T00:00:00Z', '--execute']))).rejects.toThrow(
      /outside the recovery window of cases: 2026-11-01T00:00:00.000Z to 2026-12-02T18:00:00.000Z/,
    );
    expect(mock.commandCalls(RestoreTableToPointInTimeCommand)).toHaveLength(0);
  });

  it('refuses a table without point-in-time recovery', async () => {
    const mock = mockClient(DynamoDBClient);
    mock.on(DescribeContinuousBackupsCommand).resolves({ ContinuousBackupsDescription: { ContinuousBackupsStatus: 'DISABLED' } });
    await expect(restoreTable(new DynamoDBClient({}), parseRestoreArgs(['--table', 'cases', '--time', '2026-12-01T03:00:00Z', '--execute']))).rejects.toThrow(/not enabled on cases/);
  });

  it('names the argument that is missing or wrong', () => {
    expect(() => parseRestoreArgs(['--time', '2026-12-01T03:00:00Z'])).toThrow(RestoreArgsError);
    expect(() => parseRestoreArgs(['--table', 'cases'])).toThrow(/--time/);
    expect(() => parseRestoreArgs(['--table', 'cases', '--time', 'yesterday'])).toThrow(/--time/);
    expect(() => parseRestoreArgs(['--table', 'cases', '--time', '2026-12-01T03:00:00Z', '--target', 'cases'])).toThrow(/never overwrites/);
  });
});
