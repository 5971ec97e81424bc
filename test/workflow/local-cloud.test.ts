/**
 * The case lifecycle end to end on the local cloud (local/cloud.ts): the same ASL on the local Step Functions
 * service, the workflow's Lambda handlers in process, SNS to the local outbox, driven through the HTTP API with
 * demo users' tokens. The clock is stopped (time scale 0) and moved forward by hand.
 * The happy path's state transitions are counted from the execution history (GetExecutionHistory), as AWS bills
 * them: one per state entered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';

let cloud: LocalCloud;
let dataDir: string;
let sfn: SFNClient;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-workflow-'));
  cloud = await startLocalCloud({ port: 0, dataDir, demoData: false, quiet: true, timeScale: 0 });
  sfn = new SFNClient({ endpoint: cloud.urls.stepFunctions, region: cloud.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}, 60_000);

afterAll(async () => {
  sfn?.destroy();
  await cloud?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface CaseBody {
  caseNo: string;
  status: string;
  waitingFor?: string;
  acknowledgeDueAt?: string;
}

async function call(method: string, p: string, user: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${cloud.urls.api}${p}`, {
    method,
    headers: { authorization: `Bearer ${await cloud.token(user)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

async function timeline(caseNo: string): Promise<string[]> {
  const res = await call('GET', `/cases/${caseNo}/timeline?limit=200`, 'supervisor1');
  return (res.body.items as Array<{ type: string }>).map((e) => e.type);
}

/** Polls until `ok` (the workflow runs asynchronously), failing with the last value seen. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const until = Date.now() + 15_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The case view shows the execution ARN to admins only, so the test finds the execution by its name, the case number. */
async function executionOf(caseNo: string): Promise<string> {
  const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
  for (const machine of stateMachines) {
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn, maxResults: 1000 }));
    const found = executions.find((e) => e.name === caseNo);
    if (found?.executionArn) return found.executionArn;
  }
  throw new Error(`no execution named ${caseNo}`);
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

async function newStreetLightCase(): Promise<CaseBody> {
  const created = await call('POST', '/cases', 'agent1', {
    category: 'street-light',
    description: '路燈整晚不亮',
    location: { district: 'zhongli', address: '中正路 100 號前' },
    reporter: { name: '林美華', phone: '0912345678', notify: 'sms' },
    channel: 'phone',
    attributes: {},
  });
  expect(created.status).toBe(201);
  const caseNo = (created.body as unknown as CaseBody).caseNo;
  await eventually(() => timeline(caseNo), (t) => t.includes('notified'), 'the department notice');
  return (await call('GET', `/cases/${caseNo}`, 'supervisor1')).body as unknown as CaseBody;
}

describe('case lifecycle on the local cloud', () => {
  it('create -> acknowledged -> resolved -> survey -> closed through the HTTP API, in 5 state transitions', async () => {
    const c = await newStreetLightCase();

    expect((await call('POST', `/cases/${c.caseNo}/acknowledge`, 'dist-zhongli.staff')).status).toBe(200);
    await eventually(() => timeline(c.caseNo), (t) => t.includes('waiting'), 'the resolution wait');
    expect((await call('POST', `/cases/${c.caseNo}/resolve`, 'dist-zhongli.staff', { resolution: '已更換燈泡' })).status).toBe(200);
    // The second citizen notice: the first is the receipt SMS sent at routing.
    await eventually(() => timeline(c.caseNo), (t) => t.filter((type) => type === 'citizen-notified').length === 2, 'the citizen notice');
    // The survey wait starts at once, due only after the follow-up delay (3 working days).
    await eventually(() => timeline(c.caseNo), (t) => t.includes('follow-up'), 'the survey wait');
    const followUp = (await call('GET', `/cases/${c.caseNo}/timeline?limit=200`, 'supervisor1')).body.items as Array<{ type: string; data?: { from?: string } }>;
    const dueFrom = Date.parse(followUp.find((e) => e.type === 'follow-up')!.data!.from!);
    const inCallbackQueue = async () => ((await call('GET', '/queues/callback', 'agent1')).body.items as Array<{ caseNo: string }>).map((i) => i.caseNo);
    expect(await inCallbackQueue()).not.toContain(c.caseNo);
    expect(await call('POST', `/cases/${c.caseNo}/survey`, 'agent1', { answer: 'satisfied' })).toMatchObject({ status: 409, body: { error: { code: 'ILLEGAL_TRANSITION' } } });
    cloud.clock.advance(dueFrom - cloud.clock.nowMs());
    expect(await inCallbackQueue()).toContain(c.caseNo);
    const survey = await call('POST', `/cases/${c.caseNo}/survey`, 'agent1', { answer: 'satisfied' });

    expect(survey).toMatchObject({ status: 200, body: { status: 'CLOSED' } });
    const executionArn = await executionOf(c.caseNo);
    await eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status === 'SUCCEEDED', 'the execution to end');
    const entered = (await history(executionArn)).filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual(['RouteCase', 'AwaitAck', 'AwaitResolve', 'TellCitizen', 'AwaitSurvey']);
    const events = await timeline(c.caseNo);
    const work = events.filter((t) => t !== 'pii-viewed');
    // The intake writes nothing after the case (no execution ARN to record), so the order is fixed.
    expect(work).toEqual(['created', 'citizen-notified', 'routed', 'notified', 'acknowledged', 'waiting', 'resolved', 'citizen-notified', 'follow-up', 'survey']);
    // The supervisor read the case unmasked once (newStreetLightCase): that view is audited on the timeline.
    expect(events.filter((t) => t === 'pii-viewed')).toHaveLength(1);
    const outbox = (await fetch(`${cloud.urls.sns}/_local/outbox?protocol=sms&endpoint=${encodeURIComponent('+886912345678')}`).then((r) => r.json())) as { entries: Array<{ message: string }> };
    expect(outbox.entries.map((m) => m.message)).toContain(`桃園市1999：已受理您反映的案件${c.caseNo}（路燈故障），處理完成後將再通知您。`);
    expect(outbox.entries.map((m) => m.message)).toContain(`桃園市1999：您反映的案件${c.caseNo}（路燈故障）已處理完成，謝謝您。`);
  }, 60_000);

  it('an unacknowledged case escalates when the local clock passes its deadline, and a cancel ends it', async () => {
    const c = await newStreetLightCase();

    cloud.clock.advance(new Date(c.acknowledgeDueAt!).getTime() - cloud.clock.now().getTime() + 1000);
    await eventually(() => timeline(c.caseNo), (t) => t.includes('escalated'), 'the escalation');
    const escalated = (await call('GET', `/cases/${c.caseNo}`, 'supervisor1')).body as unknown as CaseBody & { escalationLevel: number };
    const cancelled = await call('POST', `/cases/${c.caseNo}/cancel`, 'supervisor1', { reason: '測試結束' });

    expect(escalated).toMatchObject({ escalationLevel: 1, waitingFor: 'acknowledgement', status: 'ASSIGNED' });
    expect(cancelled.status).toBe(200);
    const executionArn = await executionOf(c.caseNo);
    await eventually(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status === 'SUCCEEDED', 'the execution to end');
    const entered = (await history(executionArn)).filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual(['RouteCase', 'AwaitAck', 'EscalateAck', 'AwaitAck', 'Cancelled']);
  }, 60_000);
});
