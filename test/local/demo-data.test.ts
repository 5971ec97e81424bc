/**
 * Demo data: realistic, valid against the API's own schemas, spread over districts, categories and states, and
 * seeded once per data folder (a restart does not duplicate it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCaseBody } from '../../functions/api/schemas';
import { loadConfig } from '../../functions/config/load';
import { CASE_ACTION_BODIES } from '../../functions/usecases/lifecycle/action-inputs';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';
import { DEMO_CASES } from '../../local/demo-data';

describe('the demo cases', () => {
  it('are about thirty, valid as POST /cases bodies, over many districts and every dispatch category', () => {
    expect(DEMO_CASES.length).toBeGreaterThanOrEqual(28);
    for (const c of DEMO_CASES) {
      const parsed = createCaseBody.safeParse(c.body);
      expect(parsed.success, `${c.key}: ${parsed.error?.message}`).toBe(true);
    }
    expect(new Set(DEMO_CASES.map((c) => c.key)).size).toBe(DEMO_CASES.length);
    expect(new Set(DEMO_CASES.map((c) => c.body.location.district)).size).toBe(loadConfig().districts.districts.length);
    expect(new Set(DEMO_CASES.map((c) => c.body.category))).toEqual(new Set(loadConfig().sops.map((s) => s.category)));
  });

  it('only use action bodies the case action routes accept', () => {
    const bodies = {
      acknowledge: ['acknowledgeCase', {}],
      progress: ['reportProgress', (s: { text: string }) => ({ note: s.text })],
      resolve: ['resolveCase', (s: { resolution: string }) => ({ resolution: s.resolution })],
      return: ['returnCase', (s: { reason: string }) => ({ reason: s.reason })],
      cancel: ['cancelCase', (s: { reason: string }) => ({ reason: s.reason })],
    } as const;
    for (const c of DEMO_CASES)
      for (const step of c.steps ?? []) {
        if (!(step.action in bodies)) continue;
        const [route, build] = bodies[step.action as keyof typeof bodies];
        const body = typeof build === 'function' ? (build as (s: unknown) => unknown)(step) : build;
        expect(CASE_ACTION_BODIES[route].safeParse(body).success, `${c.key} ${step.action}`).toBe(true);
      }
  });
});

describe('seeding a data folder', () => {
  let dataDir: string;
  let cloud: LocalCloud | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-demo-'));
    cloud = await startLocalCloud({ port: 0, dataDir, quiet: true });
  });
  afterAll(async () => {
    await cloud?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const countByStatus = async (c: LocalCloud) => {
    const token = await c.token('supervisor1');
    const counts: Record<string, number> = {};
    for (const status of ['ASSIGNED', 'ACKNOWLEDGED', 'RESOLVED', 'RETURNED', 'CANCELLED', 'MERGED']) {
      const res = await fetch(`${c.urls.api}/cases?status=${status}&limit=100`, { headers: { authorization: `Bearer ${token}` } });
      counts[status] = ((await res.json()) as { items: unknown[] }).items.length;
    }
    return counts;
  };

  it('creates every demo case through the API and moves them into their states', async () => {
    expect(cloud!.demoData).toMatchObject({ skipped: false, cases: DEMO_CASES.length, warnings: [] });
    const counts = await countByStatus(cloud!);
    const expected = (pred: (c: (typeof DEMO_CASES)[number]) => boolean) => DEMO_CASES.filter(pred).length;
    const last = (c: (typeof DEMO_CASES)[number]) => c.steps?.at(-1)?.action;
    expect(counts).toEqual({
      ASSIGNED: expected((c) => !c.steps || last(c) === 'note'),
      ACKNOWLEDGED: expected((c) => last(c) === 'acknowledge' || last(c) === 'progress'),
      RESOLVED: expected((c) => last(c) === 'resolve'),
      RETURNED: expected((c) => last(c) === 'return'),
      CANCELLED: expected((c) => last(c) === 'cancel'),
      MERGED: expected((c) => last(c) === 'merge'),
    });
  });

  it('does not seed again when the local cloud restarts on the same folder', async () => {
    const before = await countByStatus(cloud!);
    await cloud!.close();
    cloud = await startLocalCloud({ port: 0, dataDir, quiet: true });
    expect(cloud.demoData).toMatchObject({ skipped: true, cases: DEMO_CASES.length });
    expect(await countByStatus(cloud)).toEqual(before);
  });
});
