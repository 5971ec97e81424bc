/**
 * The recovery path on the local cloud, end to end: the test-only fault switch (`POST /_local/faults`) makes the
 * TellCitizen task fail; the execution enters WorkflowFailed instead of failing, the case stays RESOLVED and
 * waits for a decision, the 1999 supervisors get the notice by e-mail (the escalation topic's subscription for
 * stage local), a decision out of turn is a 409 naming the status, and the supervisor's retry over the HTTP API
 * resumes the step: the citizen is told and the execution runs on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';

let cloud: LocalCloud;
let dataDir: string;
let sfn: SFNClient;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-recovery-'));
  cloud = await startLocalCloud({ port: 0, dataDir, demoData: false, quiet: true, timeScale: 0 });
  sfn = new SFNClient({ endpoint: cloud.urls.stepFunctions, region: cloud.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}, 60_000);

afterAll(async () => {
  sfn?.destroy();
  await cloud?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, p: string, user: string | undefined, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${cloud.urls.api}${p}`, {
    method,
    headers: { ...(user ? { authorization: `Bearer ${await cloud.token(user)}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

async function timeline(caseNo: string): Promise<Array<{ type: string; data?: Record<string, unknown> }>> {
  return (await call('GET', `/cases/${caseNo}/timeline?limit=200`, 'supervisor1')).body.items as Array<{ type: string; data?: Record<string, unknown> }>;
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const until = Date.now() + 20_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a workflow task failing for good on the local cloud', () => {
  it('enters the recovery path with the case intact, tells the supervisors, and a supervisor retry resumes it', async () => {
    const bad = await call('POST', '/_local/faults', undefined, { task: 'NoSuchTask', times: 1 });
    expect(bad).toMatchObject({ status: 400, body: { error: { fields: [{ path: 'task' }] } } });
    expect((await call('POST', '/_local/faults', undefined, { task: 'TellCitizen', times: 1 })).status).toBe(200);

    const created = await call('POST', '/cases', 'agent1', {
      category: 'street-light',
      description: '路燈整晚不亮',
      location: { district: 'zhongli', address: '中正路 100 號前' },
      reporter: { name: '林美華', phone: '0912345678', notify: 'sms' },
      channel: 'phone',
      attributes: {},
    });
    expect(created.status).toBe(201);
    const caseNo = created.body.caseNo as string;
    await eventually(() => timeline(caseNo), (t) => t.some((e) => e.type === 'notified'), 'the department notice');
    expect((await call('POST', `/cases/${caseNo}/acknowledge`, 'dist-zhongli.staff')).status).toBe(200);
    await eventually(() => timeline(caseNo), (t) => t.some((e) => e.type === 'waiting'), 'the resolution wait');
    expect((await call('POST', `/cases/${caseNo}/resolve`, 'dist-zhongli.staff', { resolution: '已更換燈泡' })).status).toBe(200);

    const events = await eventually(() => timeline(caseNo), (t) => t.some((e) => e.type === 'workflow-failed'), 'the recovery path');
    expect(events.find((e) => e.type === 'workflow-failed')?.data).toMatchObject({ step: 'TellCitizen', error: 'Local.InjectedFault', status: 'RESOLVED' });
    const held = await call('GET', `/cases/${caseNo}`, 'supervisor1');
    expect(held.body).toMatchObject({ status: 'RESOLVED', waitingFor: 'decision', resolution: '已更換燈泡' });
    const executionArn = `arn:aws:states:${cloud.region}:000000000000:execution:citydesk-local-case-lifecycle:${caseNo}`;
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');

    const outbox = (await fetch(`${cloud.urls.api}/_local/outbox?protocol=email&endpoint=${encodeURIComponent('rdec-1999@example.org')}`).then((r) => r.json())) as {
      entries: Array<{ subject?: string; message: string }>;
    };
    const notice = outbox.entries.find((e) => e.subject?.includes(caseNo));
    expect(notice?.subject).toContain('TellCitizen');
    expect(notice?.message).not.toContain('林美華');
    expect(notice?.message).not.toContain('0912345678');

    // Department staff may not decide; a supervisor's decision out of turn is a 409 naming the status.
    expect((await call('POST', `/cases/${caseNo}/workflow-decision`, 'dist-zhongli.staff', { decision: 'retry' })).status).toBe(403);
    expect((await call('POST', `/cases/${caseNo}/workflow-decision`, 'supervisor1', { decision: 'later' })).status).toBe(400);

    const decided = await call('POST', `/cases/${caseNo}/workflow-decision`, 'supervisor1', { decision: 'retry', note: '已排除' });
    expect(decided.status).toBe(200);
    // The outcome notice, not the receipt SMS sent at routing.
    const after = await eventually(() => timeline(caseNo), (t) => t.some((e) => e.type === 'citizen-notified' && e.data?.message !== 'receipt'), 'the citizen notice after the retry');
    // The survey wait may have started already (AwaitSurvey follows TellCitizen at once): up to the notice, then.
    const work = after.map((e) => e.type).filter((t) => t !== 'pii-viewed');
    expect(work.slice(0, work.lastIndexOf('citizen-notified') + 1).slice(-3)).toEqual(['workflow-failed', 'workflow-decision', 'citizen-notified']);
    const again = await call('POST', `/cases/${caseNo}/workflow-decision`, 'supervisor1', { decision: 'retry' });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'ILLEGAL_TRANSITION' } } });

    // The citizen-notified event is written while TellCitizen still runs: the execution reaches AwaitSurvey after it.
    const entered = await eventually(
      async () => {
        const { events: history = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
        return history.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name);
      },
      (names) => names.includes('AwaitSurvey'),
      'the survey wait',
    );
    expect(entered).toEqual(['RouteCase', 'AwaitAck', 'AwaitResolve', 'TellCitizen', 'CaughtTellCitizen', 'WorkflowFailed', 'RecoveryDecision', 'TellCitizen', 'AwaitSurvey']);
  }, 90_000);
});
