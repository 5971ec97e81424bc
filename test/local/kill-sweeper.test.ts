/**
 * kill -9 mid-lifecycle, then the sweeper: `npm start` in a child process takes a burst of cases (some still
 * being routed), one case's execution is stopped by hand (ABORTED: a workflow died), the process is SIGKILLed
 * with no cleanup, and started again on the same data folder. Moving the local clock past the next 5-minute mark
 * runs the stalled-workflow job from the schedule list: it restarts the dead execution at the wait its case is
 * in, and every case has a running workflow again. No case, event or accepted action is lost, and no case
 * number is given twice. The sweeper's repair count of the run is printed (`SWEEPER REPAIRS: n`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeExecutionCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { startChild } from './fixtures/child-cloud';

const dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-kill-sweeper-'));
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(api: string, user: string | undefined, method: string, p: string, body?: unknown) {
  const token = user
    ? ((await (await fetch(`${api}/_local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user }) })).json()) as { token: string }).token
    : undefined;
  const res = await fetch(`${api}${p}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sfnOf = async (api: string) => {
  const health = await call(api, undefined, 'GET', '/_local/health');
  const services = health.body.services as { stepFunctions: string };
  return { sfn: new SFNClient({ endpoint: services.stepFunctions, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }), machine: health.body.caseWorkflowArn as string };
};
const executionArn = (machine: string, name: string) => machine.replace(':stateMachine:', ':execution:') + `:${name}`;

const STREET_LIGHT = {
  category: 'street-light',
  description: '路燈整晚不亮',
  location: { district: 'zhongli', address: '中正路 100 號前' },
  reporter: { anonymous: true, notify: 'none' },
  channel: 'phone',
  attributes: {},
};

describe('kill -9 of the local cloud mid-lifecycle, then the sweeper', () => {
  it('loses nothing, and the sweeper restarts the dead workflow at its wait', { timeout: 180_000 }, async () => {
    const first = await startChild(dataDir, children, ['--time-scale', '0']);
    // Two cases waiting for the department, one acknowledged.
    const waiting: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await call(first.api, 'agent1', 'POST', '/cases', STREET_LIGHT);
      expect(created.status).toBe(201);
      waiting.push(created.body.caseNo as string);
    }
    for (const caseNo of waiting) await eventually(() => call(first.api, 'agent1', 'GET', `/cases/${caseNo}`), (r) => r.body.waitingFor === 'acknowledgement');
    const [, , acked] = waiting;
    expect((await call(first.api, 'dist-zhongli.staff', 'POST', `/cases/${acked}/acknowledge`, {})).status).toBe(200);
    await eventually(() => call(first.api, 'agent1', 'GET', `/cases/${acked}`), (r) => r.body.waitingFor === 'resolution');
    // A workflow dies: its execution is stopped (ABORTED), the case still ACKNOWLEDGED.
    const { sfn, machine } = await sfnOf(first.api);
    await sfn.send(new StopExecutionCommand({ executionArn: executionArn(machine, acked), error: 'Operator', cause: 'stopped by hand' }));
    sfn.destroy();
    // A burst of intakes, the process killed while they are being routed.
    const burst = await Promise.all([0, 1, 2, 3].map(() => call(first.api, 'agent1', 'POST', '/cases', STREET_LIGHT)));
    const accepted = burst.filter((r) => r.status === 201).map((r) => r.body.caseNo as string);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    const second = await startChild(dataDir, children, ['--time-scale', '0']);
    await call(second.api, undefined, 'POST', '/_local/clock', { advance: 'PT10M' });
    const all = [...waiting, ...accepted];
    const restarted = await eventually(
      () => call(second.api, 'supervisor1', 'GET', `/cases/${acked}/timeline?limit=100`),
      (r) => (r.body.items as Array<{ type: string }>).some((e) => e.type === 'workflow-restarted'),
    );
    expect((restarted.body.items as Array<{ type: string; data?: Record<string, unknown> }>).find((e) => e.type === 'workflow-restarted')?.data).toMatchObject({
      previous: acked,
      previousStatus: 'ABORTED',
      execution: `${acked}-r1`,
      resumedAt: 'AwaitResolve',
    });

    // Every case is there, once, with its events, and its workflow runs (or waits) again.
    expect(new Set(all).size).toBe(all.length);
    const { sfn: sfn2, machine: machine2 } = await sfnOf(second.api);
    let repairs = 0;
    for (const caseNo of all) {
      const c = await eventually(() => call(second.api, 'supervisor1', 'GET', `/cases/${caseNo}`), (r) => typeof r.body.waitingFor === 'string');
      expect(c.status, caseNo).toBe(200);
      const events = ((await call(second.api, 'supervisor1', 'GET', `/cases/${caseNo}/timeline?limit=100`)).body.items as Array<{ type: string; data?: { execution?: string } }>);
      expect(events[0].type, caseNo).toBe('created');
      const restarts = events.filter((e) => e.type === 'workflow-restarted');
      repairs += restarts.length;
      const name = restarts.at(-1)?.data?.execution ?? caseNo;
      expect((await sfn2.send(new DescribeExecutionCommand({ executionArn: executionArn(machine2, name) }))).status, caseNo).toBe('RUNNING');
    }
    sfn2.destroy();
    // The acknowledgement accepted before the kill stands, and the restarted workflow takes the resolution.
    expect((await call(second.api, 'supervisor1', 'GET', `/cases/${acked}`)).body).toMatchObject({ status: 'ACKNOWLEDGED', waitingFor: 'resolution' });
    expect((await call(second.api, 'dist-zhongli.staff', 'POST', `/cases/${acked}/resolve`, { resolution: '已更換燈泡' })).status).toBe(200);
    await eventually(
      () => call(second.api, 'supervisor1', 'GET', `/cases/${acked}/timeline?limit=100`),
      // The outcome notice, not the receipt SMS sent at routing.
      (r) => (r.body.items as Array<{ type: string; data?: { message?: string } }>).some((e) => e.type === 'citizen-notified' && e.data?.message !== 'receipt'),
    );
    console.log(`SWEEPER REPAIRS: ${repairs} (cases ${all.length}, accepted before the kill ${all.length})`);
    expect(repairs).toBeGreaterThanOrEqual(1);
  });
});
