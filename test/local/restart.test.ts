/**
 * The local cloud survives being killed: `npm start` in a child process, a case waiting for its department's
 * acknowledgement, SIGKILL (no cleanup at all), `npm start` again on the same data folder. The stale lock is
 * taken over, the case is still there, and acknowledging it resumes its workflow from the persisted task token;
 * the SOP catalogue seeded by the first start is not seeded again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChild } from './fixtures/child-cloud';

const dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-restart-'));
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

async function call(api: string, user: string, method: string, p: string, body?: unknown) {
  const { token } = (await (await fetch(`${api}/_local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user }) })).json()) as { token: string };
  const res = await fetch(`${api}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a local cloud killed with SIGKILL', () => {
  it('starts again on the same folder and the waiting workflow continues', { timeout: 90_000 }, async () => {
    const first = await startChild(dataDir, children);
    const created = await call(first.api, 'agent1', 'POST', '/cases', {
      category: 'traffic-signal',
      description: '介壽路一段與建國路口號誌全暗。',
      location: { district: 'bade', address: '八德區介壽路一段與建國路口' },
      reporter: { anonymous: true, notify: 'none' },
      channel: 'phone',
      attributes: { signalState: 'dark' },
    });
    expect(created.status).toBe(201);
    const caseNo = created.body.caseNo as string;
    const waiting = await eventually(
      () => call(first.api, 'agent1', 'GET', `/cases/${caseNo}`),
      (r) => r.body.waitingFor === 'acknowledgement',
    );
    expect(waiting.body).toMatchObject({ status: 'ASSIGNED', department: 'TRAN' });

    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    const second = await startChild(dataDir, children);
    const acknowledged = await call(second.api, 'tran.staff', 'POST', `/cases/${caseNo}/acknowledge`, {});
    expect(acknowledged.status).toBe(200);
    const resumed = await eventually(
      () => call(second.api, 'tran.staff', 'GET', `/cases/${caseNo}`),
      (r) => r.body.waitingFor === 'resolution',
    );
    expect(resumed.body).toMatchObject({ status: 'ACKNOWLEDGED', waitingFor: 'resolution' });
    // Each start seeds the SOP catalogue from config/sops.json; the second start found nothing changed.
    const versions = await call(second.api, 'tran.staff', 'GET', '/sops/traffic-signal/versions');
    expect((versions.body.items as Array<Record<string, unknown>>).map((v) => [v.version, v.origin, v.updatedBy])).toEqual([[1, 'config', 'config']]);
  });
});
