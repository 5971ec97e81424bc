/**
 * GET /reports/meeting over dynalite: a Taipei month's volumes against the month before, the departments' month
 * from their day counters, the month's warnings with what was done, and the SOP versions stored in the month.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandler } from '../../functions/api/http';
import { DynamoCaseStatistics } from '../../functions/adapters/case-statistics';
import { DynamoSopCatalog } from '../../functions/adapters/sop-catalog';
import { DynamoWarningStore } from '../../functions/adapters/warning-store';
import { loadConfig } from '../../functions/config/load';
import { ManualClock, useClock } from '../../functions/domain/clock';
import type { EarlyWarning } from '../../functions/domain/early-warning';
import type { MeetingPack } from '../../functions/usecases/meeting-pack';
import { apiEvent, call, CLAIMS } from '../api/support/events';
import { startConsoleApi, type ConsoleApi } from '../console-api/support/console-api';

let api: ConsoleApi;
let handler: ApiHandler;
let restoreClock: (() => void) | undefined;

/** Thursday 3 December 2026, 10:30 in Taipei: November is finished, December has begun. */
const NOW = '2026-12-03T02:30:00.000Z';
let seq = 0;

function warning(id: string, raisedAt: string, extra: Partial<EarlyWarning> = {}): EarlyWarning {
  return {
    id,
    kind: 'spike',
    category: 'street-light',
    district: 'bade',
    department: 'DIST-BADE',
    seriesKey: 'street-light@bade',
    status: 'open',
    history: [],
    raisedAt,
    lastSeenAt: raisedAt,
    evidence: { from: raisedAt, to: raisedAt, count: 8, baseline: 1, pValue: 0.0001, caseNos: ['20261110-00001'] },
    ...extra,
  } as EarlyWarning;
}

beforeAll(async () => {
  api = await startConsoleApi('citydesk-meeting-pack-test');
  handler = await api.handler('dashboard');
  const statistics = new DynamoCaseStatistics(api.local.ddb, api.local.tableName);
  const intake = (bucket: string, category: string, district: string, n: number) =>
    Promise.all(Array.from({ length: n }, () => statistics.countIntake({ caseNo: `c-${++seq}`, category, district, bucket })));
  // October: 4 potholes. November: 6 potholes (one of them at 23:30 on 30 November in Taipei), 3 street lights.
  await intake('2026-10-12T02', 'pothole', 'zhongli', 4);
  await intake('2026-11-02T03', 'pothole', 'zhongli', 5);
  await intake('2026-11-30T15', 'pothole', 'bade', 1);
  await intake('2026-11-10T01', 'street-light', 'bade', 3);
  // 16:00 UTC on 30 November is 1 December in Taipei: December's, not November's.
  await intake('2026-11-30T16', 'litter', 'bade', 2);
  const event = (counter: 'created' | 'reopened' | 'satisfied' | 'unsatisfied', department: string, day: string) =>
    statistics.countDepartmentEvent({ counter, caseNo: `c-${++seq}`, department, at: `${day}T03:00:00.000Z`, day });
  await Promise.all([event('created', 'PWD', '2026-11-02'), event('created', 'PWD', '2026-11-02'), event('created', 'DIST-BADE', '2026-11-10')]);
  await Promise.all([event('reopened', 'PWD', '2026-11-20'), event('satisfied', 'PWD', '2026-11-21'), event('unsatisfied', 'PWD', '2026-11-22'), event('unsatisfied', 'PWD', '2026-11-23')]);
  await statistics.countResolution({ caseNo: 'r-1', department: 'PWD', resolvedAt: '2026-11-05T03:00:00.000Z', day: '2026-11-05', onTime: true });
  await statistics.countResolution({ caseNo: 'r-2', department: 'PWD', resolvedAt: '2026-11-06T03:00:00.000Z', day: '2026-11-06', onTime: false });
  await statistics.countResolution({ caseNo: 'r-3', department: 'PWD', resolvedAt: '2026-11-07T03:00:00.000Z', day: '2026-11-07', onTime: true });

  const warnings = new DynamoWarningStore(api.local.ddb, api.local.tableName);
  const closed = warning('spike:street-light@bade:2026-11-10T01', '2026-11-10T01:15:00.000Z');
  await warnings.raise(closed);
  await warnings.saveStatus({ ...closed, status: 'closed', history: [{ status: 'closed', by: 'supervisor-1', at: '2026-11-11T02:00:00.000Z', reason: '已全面更換燈具' }] }, 'open');
  // Raised at 23:30 on 31 October UTC = 1 November 07:30 in Taipei: November's, though stored under October.
  await warnings.raise(warning('spike:pothole@zhongli:2026-10-31T23', '2026-10-31T23:30:00.000Z', { category: 'pothole', district: 'zhongli', seriesKey: 'pothole@zhongli' }));
  await warnings.raise(warning('spike:pothole@bade:2026-12-02T01', '2026-12-02T01:15:00.000Z', { category: 'pothole', seriesKey: 'pothole@bade' }));

  const restore = useClock(new ManualClock('2026-11-18T06:00:00.000Z'));
  try {
    const sops = new DynamoSopCatalog(api.local.ddb, api.local.tableName, loadConfig().sops.map((s) => s.category));
    const current = (await sops.current('street-light'))!;
    await sops.saveNewVersion({ ...current, keywords: [...current.keywords, '路燈閃爍'] }, current.version, { by: 'supervisor-2', reason: '八德區路燈改由區公所先行查修' });
  } finally {
    restore();
  }
});
afterEach(() => {
  restoreClock?.();
  restoreClock = undefined;
});
afterAll(async () => {
  await api.close();
});

async function pack(query: Record<string, string>, claims = CLAIMS.supervisor): Promise<{ statusCode: number; body: unknown }> {
  restoreClock = useClock(new ManualClock(NOW));
  return call(handler, apiEvent('getMeetingPack', { claims, query }));
}

describe('GET /reports/meeting', () => {
  it("counts November's calls by category and district against October, on Taipei days", async () => {
    const res = await pack({ month: '2026-11' });

    expect(res.statusCode).toBe(200);
    const p = res.body as MeetingPack;
    expect(p).toMatchObject({ month: '2026-11', from: '2026-11-01', to: '2026-11-30', previousMonth: '2026-10' });
    expect(p.volumes.days).toHaveLength(30);
    expect(p.volumes).toMatchObject({ total: 9, previousTotal: 4 });
    expect(p.volumes.byCategory.map(({ daily: _d, ...r }) => r)).toEqual([
      { code: 'pothole', count: 6, previous: 4, change: 0.5 },
      { code: 'street-light', count: 3, previous: 0, change: null },
    ]);
    expect(p.volumes.byCategory[0].daily[p.volumes.days.indexOf('2026-11-30')]).toBe(1);
    expect(p.volumes.byDistrict.map((r) => [r.code, r.count, r.previous])).toEqual([
      ['zhongli', 5, 4],
      ['bade', 4, 0],
    ]);
  });

  it("gives each department's month: created, deadlines met, reopened and dissatisfaction rates", async () => {
    const p = (await pack({ month: '2026-11' })).body as MeetingPack;

    expect(p.departments.find((d) => d.department === 'PWD')).toEqual({
      department: 'PWD',
      created: 2,
      onTime: 2,
      late: 1,
      reopened: 1,
      satisfied: 1,
      unsatisfied: 2,
      compliance: 0.667,
      reopenRate: 0.333,
      satisfactionRate: 0.333,
      dissatisfactionRate: 0.667,
    });
    expect(p.departments.map((d) => d.department)).toEqual(['PWD', 'DIST-BADE']);
  });

  it("lists the month's warnings with what was done, and the SOP versions stored in the month", async () => {
    const p = (await pack({ month: '2026-11' })).body as MeetingPack;

    expect(p.warnings.map((w) => w.id)).toEqual(['spike:street-light@bade:2026-11-10T01', 'spike:pothole@zhongli:2026-10-31T23']);
    expect(p.warnings[0]).toMatchObject({ status: 'closed', count: 8, lastChange: { status: 'closed', by: 'supervisor-1', reason: '已全面更換燈具' } });
    expect(p.sopChanges).toEqual([expect.objectContaining({ category: 'street-light', updatedBy: 'supervisor-2', reason: '八德區路燈改由區公所先行查修', origin: 'console' })]);
  });

  it('the current month runs up to today; its first Taipei day counts the calls of 16:00 UTC the day before', async () => {
    const p = (await pack({})).body as MeetingPack;

    expect(p).toMatchObject({ month: '2026-12', from: '2026-12-01', to: '2026-12-03', previousMonth: '2026-11' });
    expect(p.volumes.byCategory.find((r) => r.code === 'litter')).toMatchObject({ count: 2, daily: [2, 0, 0] });
    expect(p.warnings.map((w) => w.id)).toEqual(['spike:pothole@bade:2026-12-02T01']);
  });

  it('a month not begun, or not a month, is a 400 naming month; agents may not read the pack', async () => {
    const future = await pack({ month: '2027-01' });
    const malformed = await pack({ month: '2026-13' });
    const agent = await pack({ month: '2026-11' }, CLAIMS.agent);

    expect(future.statusCode).toBe(400);
    expect(JSON.stringify(future.body)).toContain('month');
    expect(malformed.statusCode).toBe(400);
    expect(JSON.stringify(malformed.body)).toContain('month');
    expect(agent.statusCode).toBe(403);
  });
});
