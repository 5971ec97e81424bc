/**
 * The supervisors' dashboard over DynamoDB: open figures from the queues, SLA compliance from the daily
 * statistics that `recordResolution` keeps, "this week" and "this month" on the one clock in Asia/Taipei.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandler } from '../../functions/api/http';
import { DynamoCaseStatistics } from '../../functions/adapters/case-statistics';
import { loadConfig } from '../../functions/config/load';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { recordResolution, type Dashboard } from '../../functions/usecases/dashboard';
import { apiEvent, call, CLAIMS } from '../api/support/events';
import { expectNoReporterData, startConsoleApi, type ConsoleApi } from './support/console-api';

let api: ConsoleApi;
let dashboard: ApiHandler;
let statistics: DynamoCaseStatistics;
let restoreClock: (() => void) | undefined;

/** Friday 27 November 2026, 14:00 in Taipei. */
const NOW = '2026-11-27T06:00:00.000Z';

beforeAll(async () => {
  api = await startConsoleApi('citydesk-dashboard-test');
  dashboard = await api.handler('dashboard');
  statistics = new DynamoCaseStatistics(api.local.ddb, api.local.tableName);

  // Open: PWD holds three, EPD two, one is not routed yet.
  await api.seed({ caseNo: '20261127-00001', status: 'ASSIGNED', acknowledgeDueAt: '2026-11-27T03:00:00.000Z', escalationLevel: 1, category: 'pothole', location: { district: 'zhongli', address: '中山路 1 號' } });
  await api.seed({ caseNo: '20261127-00002', status: 'ASSIGNED', acknowledgeDueAt: '2026-11-27T09:00:00.000Z', category: 'pothole', location: { district: 'zhongli', address: '中山路 2 號' } });
  await api.seed({ caseNo: '20261125-00001', status: 'ACKNOWLEDGED', resolveDueAt: '2026-11-26T09:30:00.000Z', escalationLevel: 2, category: 'arcade-obstruction', location: { district: 'taoyuan', address: '中正路 3 號' } });
  await api.seed({ caseNo: '20261126-00001', status: 'REOPENED', department: 'EPD', resolveDueAt: '2026-12-03T09:30:00.000Z', category: 'litter', location: { district: 'zhongli', address: '環中東路 4 號' } });
  await api.seed({ caseNo: '20261124-00001', status: 'RETURNED', department: 'EPD', escalationLevel: 2, category: 'litter', location: { district: 'bade', address: '介壽路 5 號' } });
  await api.seed({ caseNo: '20261127-00003', status: 'NEW', department: undefined, acknowledgeDueAt: undefined, resolveDueAt: undefined, category: 'pothole', location: { district: 'pingzhen', address: '環南路 6 號' } });
  // Not open.
  await api.seed({ caseNo: '20261120-00001', status: 'RESOLVED', escalationLevel: 1, acknowledgeDueAt: '2026-11-20T03:00:00.000Z' });
  await api.seed({ caseNo: '20261110-00001', status: 'CLOSED', department: 'EPD', escalationLevel: 3 });
});
afterEach(() => {
  restoreClock?.();
  restoreClock = undefined;
});
afterAll(async () => {
  await api.close();
});

async function dashboardAt(iso: string): Promise<Dashboard> {
  restoreClock = useClock(new ManualClock(iso));
  const res = await call(dashboard, apiEvent('getDashboard', { claims: CLAIMS.supervisor }));
  expect(res.statusCode).toBe(200);
  expectNoReporterData(res.body);
  return res.body as Dashboard;
}

const resolution = (caseNo: string, department: string, resolvedAt: string, resolveDueAt: string) => ({ caseNo, department, resolvedAt, resolveDueAt });

describe('GET /dashboard: open cases', () => {
  it('counts open cases by status and by department, and the counts add up', async () => {
    const d = await dashboardAt(NOW);

    expect(d.openByStatus).toEqual({ NEW: 1, ASSIGNED: 2, ACKNOWLEDGED: 1, RETURNED: 1, REOPENED: 1 });
    expect(d.openByDepartment.slice(0, 2)).toEqual([
      { department: 'PWD', name: { zh: expect.any(String), en: expect.any(String) }, counts: { ASSIGNED: 2, ACKNOWLEDGED: 1, REOPENED: 0, RETURNED: 0 } },
      { department: 'EPD', name: { zh: expect.any(String), en: expect.any(String) }, counts: { ASSIGNED: 0, ACKNOWLEDGED: 0, REOPENED: 1, RETURNED: 1 } },
    ]);
    for (const status of ['ASSIGNED', 'ACKNOWLEDGED', 'REOPENED', 'RETURNED'] as const)
      expect(d.openByDepartment.reduce((n, x) => n + x.counts[status], 0), status).toBe(d.openByStatus[status]);
    expect(Object.values(d.openByStatus).reduce((a, b) => a + b, 0)).toBe(d.totals.open);
    expect(d.totals.open).toBe(6);
    expect(d.openByDepartment.map((x) => x.department).sort()).toEqual(loadConfig().departments.departments.filter((x) => x.receivesCases).map((x) => x.code).sort());
  });

  it('lists overdue cases (past their next deadline), most overdue first', async () => {
    const d = await dashboardAt(NOW);

    expect(d.overdue.map((c) => c.caseNo)).toEqual(['20261125-00001', '20261127-00001']);
    expect(d.totals.overdue).toBe(2);
  });

  it('a case becomes overdue when the clock passes its deadline', async () => {
    const d = await dashboardAt('2026-11-27T09:00:00.001Z');

    expect(d.overdue.map((c) => c.caseNo)).toEqual(['20261125-00001', '20261127-00001', '20261127-00002']);
  });

  it('lists escalated open cases, highest level first', async () => {
    const d = await dashboardAt(NOW);

    expect(d.escalated.map((c) => [c.caseNo, c.escalationLevel])).toEqual([
      ['20261125-00001', 2],
      ['20261124-00001', 2],
      ['20261127-00001', 1],
    ]);
    expect(d.totals.escalated).toBe(3);
  });

  it('names the categories and districts with the most open cases', async () => {
    const d = await dashboardAt(NOW);

    expect(d.topCategories).toEqual([
      { category: 'pothole', count: 3 },
      { category: 'litter', count: 2 },
      { category: 'arcade-obstruction', count: 1 },
    ]);
    expect(d.topDistricts).toEqual([
      { district: 'zhongli', count: 3 },
      { district: 'bade', count: 1 },
      { district: 'pingzhen', count: 1 },
      { district: 'taoyuan', count: 1 },
    ]);
  });

  it.each([
    ['an agent', CLAIMS.agent],
    ['department staff', CLAIMS.staffPwd],
    ['an integration client', CLAIMS.integration],
  ])('%s may not read it (403)', async (_who, claims) => {
    expect((await call(dashboard, apiEvent('getDashboard', { claims }))).statusCode).toBe(403);
  });

  it('an admin may read it', async () => {
    expect((await call(dashboard, apiEvent('getDashboard', { claims: CLAIMS.admin }))).statusCode).toBe(200);
  });
});

describe('GET /dashboard: SLA compliance', () => {
  beforeAll(async () => {
    const ports = { statistics };
    // This week (Mon 23 - Fri 27 Nov, Taipei): PWD one on time, one late; 00:30 on Monday in Taipei is this week.
    await recordResolution(ports, resolution('20261120-00002', 'PWD', '2026-11-25T02:00:00.000Z', '2026-11-26T09:30:00.000Z'));
    await recordResolution(ports, resolution('20261118-00001', 'PWD', '2026-11-22T16:30:00.000Z', '2026-11-20T09:30:00.000Z'));
    // Earlier this month: 23:30 on Sunday 22 Nov in Taipei is last week.
    await recordResolution(ports, resolution('20261105-00001', 'PWD', '2026-11-22T15:30:00.000Z', '2026-11-24T09:30:00.000Z'));
    await recordResolution(ports, resolution('20261101-00001', 'EPD', '2026-11-03T02:00:00.000Z', '2026-11-02T09:30:00.000Z'));
    // Last month: in neither period.
    await recordResolution(ports, resolution('20261020-00001', 'EPD', '2026-10-30T02:00:00.000Z', '2026-11-02T09:30:00.000Z'));
  });

  it('counts resolutions on time and late per department for this week and this month, Taipei days', async () => {
    const d = await dashboardAt(NOW);

    expect(d.periods).toEqual({ week: { from: '2026-11-23', to: '2026-11-27' }, month: { from: '2026-11-01', to: '2026-11-27' } });
    const pwd = d.slaCompliance.find((x) => x.department === 'PWD');
    const epd = d.slaCompliance.find((x) => x.department === 'EPD');
    // With the open cases past their deadline now: a department late on open work is never missing from the panel.
    expect(pwd).toEqual({ department: 'PWD', week: { onTime: 1, late: 1, rate: 0.5 }, month: { onTime: 2, late: 1, rate: 0.667 }, overdueOpen: 2 });
    expect(epd).toEqual({ department: 'EPD', week: { onTime: 0, late: 0, rate: null }, month: { onTime: 0, late: 1, rate: 0 }, overdueOpen: 0 });
    expect(d.slaCompliance).toHaveLength(d.openByDepartment.length);
  });

  it('a week that began last month reads both months', async () => {
    await recordResolution({ statistics }, resolution('20261128-00001', 'TRAN', '2026-11-30T03:00:00.000Z', '2026-12-01T09:30:00.000Z'));
    await recordResolution({ statistics }, resolution('20261129-00001', 'TRAN', '2026-12-01T03:00:00.000Z', '2026-11-30T09:30:00.000Z'));

    const d = await dashboardAt('2026-12-02T04:00:00.000Z');

    expect(d.periods).toEqual({ week: { from: '2026-11-30', to: '2026-12-02' }, month: { from: '2026-12-01', to: '2026-12-02' } });
    expect(d.slaCompliance.find((x) => x.department === 'TRAN')).toEqual({ department: 'TRAN', week: { onTime: 1, late: 1, rate: 0.5 }, month: { onTime: 0, late: 1, rate: 0 }, overdueOpen: 0 });
  });
});

describe('recordResolution', () => {
  it('counts a resolution once, however often it is recorded (a retried workflow task)', async () => {
    const c = resolution('20261127-00101', 'FIRE', '2026-11-27T02:00:00.000Z', '2026-11-28T09:30:00.000Z');

    const first = await recordResolution({ statistics }, c);
    const again = await Promise.all([1, 2, 3].map(() => recordResolution({ statistics }, c)));
    const rows = await statistics.resolutions('2026-11-27', '2026-11-27');

    expect(first).toBe('counted');
    expect(again).toEqual(['already-counted', 'already-counted', 'already-counted']);
    expect(rows.filter((r) => r.department === 'FIRE')).toEqual([{ day: '2026-11-27', department: 'FIRE', onTime: 1, late: 0 }]);
  });

  it('concurrent first recordings count once', async () => {
    const c = resolution('20261127-00102', 'HEALTH', '2026-11-27T02:00:00.000Z', '2026-11-26T09:30:00.000Z');

    const results = await Promise.all([1, 2, 3].map(() => recordResolution({ statistics }, c)));
    const rows = await statistics.resolutions('2026-11-27', '2026-11-27');

    expect(results.filter((r) => r === 'counted')).toHaveLength(1);
    expect(rows.filter((r) => r.department === 'HEALTH')).toEqual([{ day: '2026-11-27', department: 'HEALTH', onTime: 0, late: 1 }]);
  });

  it('a reopened case resolved again is a second resolution, judged on its new deadline', async () => {
    await recordResolution({ statistics }, resolution('20261127-00103', 'WATER', '2026-11-27T02:00:00.000Z', '2026-11-28T09:30:00.000Z'));
    await recordResolution({ statistics }, resolution('20261127-00103', 'WATER', '2026-11-27T05:00:00.000Z', '2026-11-27T04:00:00.000Z'));

    const rows = await statistics.resolutions('2026-11-27', '2026-11-27');

    expect(rows.filter((r) => r.department === 'WATER')).toEqual([{ day: '2026-11-27', department: 'WATER', onTime: 1, late: 1 }]);
  });

  it('counts nothing for a case without a resolution, a department or a deadline', async () => {
    expect(await recordResolution({ statistics }, { caseNo: '20261127-00104', department: 'PWD', resolveDueAt: '2026-11-28T09:30:00.000Z' })).toBe('nothing-to-count');
    expect(await recordResolution({ statistics }, { caseNo: '20261127-00105', resolvedAt: '2026-11-27T02:00:00.000Z', resolveDueAt: '2026-11-28T09:30:00.000Z' })).toBe('nothing-to-count');
  });
});
