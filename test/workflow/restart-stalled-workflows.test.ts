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
const SETTINGS = { minAgeMinutes: 5, maxAgeDays: 7, budget: 200, repairMaxAgeDays: 90, describeBudget: 500 };

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
    expect(report).toEqual({ seen: 1, started: 1, failed: 0, deferred: 0, checked: 0, repaired: 0 });
  });

  it('a case younger than the threshold, one older than the look-back and one routed already (running) are left alone', async () => {
    await given(newCase('20261127-00002', '2026-11-27T02:57:00.000Z'));
    await given(newCase('20261119-00001', '2026-11-19T02:00:00.000Z'));
    await given(newCase('20261126-00001', '2026-11-26T02:00:00.000Z', { status: 'ASSIGNED', department: 'PWD' }));

    const report = await restartStalledWorkflows(ports, SETTINGS);

    expect(workflow.started).toEqual([]);
    expect((await cases.get('20261127-00002'))?.executionArn).toBeUndefined();
    // Only the routed one is in a swept status; its execution (named after the case) is running.
    expect(report).toMatchObject({ seen: 1, checked: 1, repaired: 0 });
  });

  it('a NEW case that has an executionArn is left alone', async () => {
    const arn = 'arn:aws:states:ap-northeast-1:123456789012:execution:case-lifecycle:20261127-00003';
    await given(newCase('20261127-00003', '2026-11-27T01:00:00.000Z', { executionArn: arn }));

    const report = await restartStalledWorkflows(ports, SETTINGS);

    expect(workflow.started).toEqual([]);
    const after = await cases.get('20261127-00003');
    expect(after?.version).toBe(1);
    expect(report).toEqual({ seen: 1, started: 0, failed: 0, deferred: 0, checked: 1, repaired: 0 });
  });

  it('a start failure of one case does not stop the others, and the failed one is tried again on the next run', async () => {
    await given(newCase('20261127-00004', '2026-11-27T01:00:00.000Z'));
    await given(newCase('20261127-00005', '2026-11-27T01:10:00.000Z'));
    workflow.failNextStart = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

    const first = await restartStalledWorkflows(ports, SETTINGS);

    expect(first).toEqual({ seen: 2, started: 1, failed: 1, deferred: 0, checked: 0, repaired: 0 });
    expect((await cases.get('20261127-00004'))?.executionArn).toBeUndefined();
    expect((await cases.get('20261127-00005'))?.executionArn).toMatch(/20261127-00005$/);

    const second = await restartStalledWorkflows(ports, SETTINGS);

    expect(second).toEqual({ seen: 2, started: 1, failed: 0, deferred: 0, checked: 1, repaired: 0 });
    expect((await cases.get('20261127-00004'))?.executionArn).toMatch(/20261127-00004$/);
  });

  it('past the budget the rest is deferred to the next run', async () => {
    await given(newCase('20261127-00006', '2026-11-27T01:00:00.000Z'));
    await given(newCase('20261127-00007', '2026-11-27T01:05:00.000Z'));

    const report = await restartStalledWorkflows(ports, { ...SETTINGS, budget: 1 });

    expect(report).toEqual({ seen: 2, started: 1, failed: 0, deferred: 1, checked: 0, repaired: 0 });
    expect(workflow.started).toEqual(['20261127-00006']);
  });

  it('open cases in any status whose execution failed, timed out or was aborted are restarted at their wait, once, each with an event and a metric', async () => {
    const dead = (caseNo: string) => `arn:aws:states:ap-northeast-1:123456789012:execution:case-lifecycle:${caseNo}`;
    await given(newCase('20261120-00001', '2026-11-20T01:00:00.000Z', { status: 'ASSIGNED', department: 'PWD', acknowledgeDueAt: '2026-11-27T05:00:00.000Z', escalationLevel: 1, executionArn: dead('20261120-00001') }));
    await given(newCase('20261121-00001', '2026-11-21T01:00:00.000Z', { status: 'ACKNOWLEDGED', department: 'PWD', resolveDueAt: '2026-11-28T01:00:00.000Z', executionArn: dead('20261121-00001') }));
    await given(newCase('20261122-00001', '2026-11-22T01:00:00.000Z', { status: 'RESOLVED', department: 'PWD', executionArn: `${dead('20261122-00001')}-r1` }));
    await given(newCase('20261123-00001', '2026-11-23T01:00:00.000Z', { status: 'RETURNED', department: 'PWD', executionArn: dead('20261123-00001') }));
    await given(newCase('20261124-00001', '2026-11-24T01:00:00.000Z', { status: 'ASSIGNED', department: 'PWD', executionArn: dead('20261124-00001') }));
    await given(newCase('20261125-00001', '2026-11-25T01:00:00.000Z', { status: 'CLOSED', department: 'PWD', executionArn: dead('20261125-00001') }));
    workflow.executions.set('20261120-00001', 'FAILED');
    workflow.executions.set('20261121-00001', 'TIMED_OUT');
    workflow.executions.set('20261122-00001-r1', 'ABORTED');
    workflow.executions.set('20261123-00001', 'MISSING');
    workflow.executions.set('20261125-00001', 'FAILED');
    const counted: string[] = [];
    const report = await restartStalledWorkflows({ ...ports, metrics: { count: (m: string) => void counted.push(m) } }, SETTINGS);

    expect(report).toMatchObject({ repaired: 4, failed: 0, checked: 5 });
    expect(counted).toEqual(['workflowRepairs', 'workflowRepairs', 'workflowRepairs', 'workflowRepairs']);
    expect([...workflow.namedStarts.keys()].sort()).toEqual(['20261120-00001-r1', '20261121-00001-r1', '20261122-00001-r2', '20261123-00001-r1']);
    expect(workflow.namedStarts.get('20261120-00001-r1')).toMatchObject({
      caseNo: '20261120-00001',
      resume: 'AwaitAck',
      route: { notifyError: null },
      wait: { waitingFor: 'acknowledgement', level: 1, dueAt: '2026-11-27T05:00:00.000Z', seconds: 7200 },
    });
    expect(workflow.namedStarts.get('20261121-00001-r1')).toMatchObject({ resume: 'AwaitResolve', wait: { waitingFor: 'resolution' } });
    expect(workflow.namedStarts.get('20261122-00001-r2')).toEqual({ caseNo: '20261122-00001', resume: 'TellCitizen' });
    expect(workflow.namedStarts.get('20261123-00001-r1')).toMatchObject({ resume: 'DispatchCase', signal: { Error: 'Case.Returned' } });
    const repaired = await cases.get('20261120-00001');
    expect(repaired?.executionArn).toBe(dead('20261120-00001-r1'));
    expect((await cases.timeline('20261120-00001', { limit: 10 })).items.at(-1)).toMatchObject({
      type: 'workflow-restarted',
      by: 'workflow',
      data: { previous: '20261120-00001', previousStatus: 'FAILED', execution: '20261120-00001-r1', resumedAt: 'AwaitAck' },
    });

    // The next run finds the restarted executions running: nothing is started twice.
    const again = await restartStalledWorkflows(ports, SETTINGS);
    expect(again.repaired).toBe(0);
    expect(workflow.namedStarts.size).toBe(4);
  });

  it('a routed case with no recorded execution (intake records none) whose execution died is restarted under the next name, not its own', async () => {
    await given(newCase('20261126-00004', '2026-11-26T01:00:00.000Z', { status: 'ACKNOWLEDGED', department: 'PWD', resolveDueAt: '2026-11-28T01:00:00.000Z' }));
    workflow.executions.set('20261126-00004', 'ABORTED');

    const report = await restartStalledWorkflows(ports, SETTINGS);

    expect(report).toMatchObject({ repaired: 1, checked: 1 });
    // Starting `20261126-00004` again would only find the aborted execution by that name.
    expect([...workflow.namedStarts.keys()]).toEqual(['20261126-00004-r1']);
    expect((await cases.get('20261126-00004'))?.executionArn).toMatch(/:20261126-00004-r1$/);
    expect((await cases.timeline('20261126-00004', { limit: 10 })).items.at(-1)).toMatchObject({
      type: 'workflow-restarted',
      data: { previous: '20261126-00004', previousStatus: 'ABORTED', execution: '20261126-00004-r1', resumedAt: 'AwaitResolve' },
    });
  });

  it('two sweepers that saw the same dead execution start the same name: one execution, one restart recorded', async () => {
    const arn = 'arn:aws:states:ap-northeast-1:123456789012:execution:case-lifecycle:20261126-00009';
    await given(newCase('20261126-00009', '2026-11-26T01:00:00.000Z', { status: 'ACKNOWLEDGED', department: 'PWD', resolveDueAt: '2026-11-28T01:00:00.000Z', executionArn: arn }));
    workflow.executions.set('20261126-00009', 'FAILED');

    const [a, b] = await Promise.all([restartStalledWorkflows(ports, SETTINGS), restartStalledWorkflows(ports, SETTINGS)]);

    expect(workflow.namedStarts.size).toBe(1);
    expect(a.repaired + b.repaired).toBeGreaterThanOrEqual(1);
    const events = (await cases.timeline('20261126-00009', { limit: 10 })).items.filter((e) => e.type === 'workflow-restarted');
    expect(events).toHaveLength(1);
  });
});
