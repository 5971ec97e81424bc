import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeleteTableCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { DynamoStalledCases } from '../../functions/adapters/stalled-cases';
import { createTableInput } from '../../functions/adapters/table';
import type { Case } from '../../functions/domain/case';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { restartStalledWorkflows, type RestartPorts } from '../../functions/usecases/restart-stalled-workflows';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { FakeWorkflow } from '../usecases/support/fakes';

const NOW = '2026-11-27T03:00:00.000Z';
const SETTINGS = { minAgeMinutes: 5, maxAgeDays: 7, budget: 200 };

let table: LocalTable;
let cases: DynamoCaseRepository;
let workflow: FakeWorkflow;
let ports: RestartPorts;
let restoreClock: () => void;

beforeAll(async () => {
  table = await startDynalite();
});
afterAll(async () => table.close());

beforeEach(async () => {
  await table.client.send(new DeleteTableCommand({ TableName: table.tableName })).catch(() => undefined);
  await table.client.send(new CreateTableCommand(createTableInput(table.tableName)));
  cases = new DynamoCaseRepository(table.ddb, table.tableName);
  workflow = new FakeWorkflow();
  ports = { stalled: new DynamoStalledCases(table.ddb, table.tableName), cases, workflow };
  restoreClock = useClock(new ManualClock(NOW));
});
afterEach(() => restoreClock());

function newCase(caseNo: string, createdAt: string, extra: Partial<Case> = {}): Case {
  return {
    caseNo,
    status: 'NEW',
    category: 'street-light',
    description: '路燈整晚不亮',
    location: { district: 'zhongli', address: '中央西路二段 50 號' },
    reporter: { name: '王大明', phone: '0912345678', anonymous: false, notify: 'sms' },
    channel: 'phone',
    priority: 'normal',
    attributes: { lightState: 'dark' },
    sopVersion: 1,
    escalationLevel: 0,
    createdAt,
    createdBy: 'agent-1',
    updatedAt: createdAt,
    version: 1,
    ...extra,
  };
}

async function given(c: Case): Promise<void> {
  await cases.create(c, { type: 'created', by: c.createdBy, at: c.createdAt, data: { channel: c.channel, category: c.category } });
}

describe('restartStalledWorkflows', () => {
  it('a NEW case older than the threshold without an execution gets started and its executionArn recorded', async () => {
    await given(newCase('20261127-00001', '2026-11-27T02:50:00.000Z'));

    const report = await restartStalledWorkflows(ports, SETTINGS);

    expect(workflow.started).toEqual(['20261127-00001']);
    const after = await cases.get('20261127-00001');
    expect(after?.executionArn).toMatch(/:execution:case-lifecycle:20261127-00001$/);
    expect(after?.status).toBe('NEW');
    expect(report).toEqual({ seen: 1, started: 1, failed: 0, deferred: 0 });
  });

  it('a case younger than the threshold, one older than the look-back and one routed already are left alone', async () => {
    await given(newCase('20261127-00002', '2026-11-27T02:57:00.000Z'));
    await given(newCase('20261119-00001', '2026-11-19T02:00:00.000Z'));
    await given(newCase('20261126-00001', '2026-11-26T02:00:00.000Z', { status: 'ASSIGNED', department: 'PWD' }));

    const report = await restartStalledWorkflows(ports, SETTINGS);

    expect(workflow.started).toEqual([]);
    expect((await cases.get('20261127-00002'))?.executionArn).toBeUndefined();
    expect(report.seen).toBe(0);
  });

  it('a NEW case that has an executionArn is left alone', async () => {
    const arn = 'arn:aws:states:ap-northeast-1:123456789012:execution:case-lifecycle:20261127-00003';
    await given(newCase('20261127-00003', '2026-11-27T01:00:00.000Z', { executionArn: arn }));

    const report = await restartStalledWorkflows(ports, SETTINGS);

    expect(workflow.started).toEqual([]);
    const after = await cases.get('20261127-00003');
    expect(after?.version).toBe(1);
    expect(report).toEqual({ seen: 1, started: 0, failed: 0, deferred: 0 });
  });

  it('a start failure of one case does not stop the others, and the failed one is tried again on the next run', async () => {
    await given(newCase('20261127-00004', '2026-11-27T01:00:00.000Z'));
    await given(newCase('20261127-00005', '2026-11-27T01:10:00.000Z'));
    workflow.failNextStart = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

    const first = await restartStalledWorkflows(ports, SETTINGS);

    expect(first).toEqual({ seen: 2, started: 1, failed: 1, deferred: 0 });
    expect((await cases.get('20261127-00004'))?.executionArn).toBeUndefined();
    expect((await cases.get('20261127-00005'))?.executionArn).toMatch(/20261127-00005$/);

    const second = await restartStalledWorkflows(ports, SETTINGS);

    expect(second).toEqual({ seen: 2, started: 1, failed: 0, deferred: 0 });
    expect((await cases.get('20261127-00004'))?.executionArn).toMatch(/20261127-00004$/);
  });

  it('past the budget the rest is deferred to the next run', async () => {
    await given(newCase('20261127-00006', '2026-11-27T01:00:00.000Z'));
    await given(newCase('20261127-00007', '2026-11-27T01:05:00.000Z'));

    const report = await restartStalledWorkflows(ports, { ...SETTINGS, budget: 1 });

    expect(report).toEqual({ seen: 2, started: 1, failed: 0, deferred: 1 });
    expect(workflow.started).toEqual(['20261127-00006']);
  });
});
