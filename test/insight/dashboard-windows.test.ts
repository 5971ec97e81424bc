/**
 * The dashboard's time windows and department figures over DynamoDB: today, 7 and 30 days read the departments'
 * day counters (created, resolved on time / late, reopened, survey answers) with their rates; SLA compliance
 * lists every department with resolutions or overdue cases, the current week included; a bad window is a 400
 * naming `window`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStatistics } from '../../functions/adapters/case-statistics';
import type { ApiHandler } from '../../functions/api/http';
import { ManualClock, useClock } from '../../functions/domain/clock';
import type { Dashboard } from '../../functions/usecases/dashboard';
import type { DepartmentCounter } from '../../functions/usecases/insight-counters';
import { apiEvent, call, CLAIMS } from '../api/support/events';
import { startConsoleApi, type ConsoleApi } from '../console-api/support/console-api';

/** Thursday 3 December 2026, 14:00 in Taipei. */
const NOW = '2026-12-03T06:00:00.000Z';

let api: ConsoleApi;
let dashboard: ApiHandler;
let statistics: DynamoCaseStatistics;
let restoreClock: (() => void) | undefined;
let seq = 0;

const event = (counter: DepartmentCounter, department: string, day: string) =>
  statistics.countDepartmentEvent({ counter, caseNo: `c-${++seq}`, department, at: `${day}T02:00:00.000Z`, day });
const resolution = (department: string, day: string, onTime: boolean) =>
  statistics.countResolution({ caseNo: `r-${++seq}`, department, resolvedAt: `${day}T03:00:00.000Z`, day, onTime });

beforeAll(async () => {
  api = await startConsoleApi('citydesk-dashboard-windows-test');
  dashboard = await api.handler('dashboard');
  statistics = new DynamoCaseStatistics(api.local.ddb, api.local.tableName);
  // PWD: today 2 created, 1 on time; three days ago 1 late, 1 reopened; 20 days ago 2 on time.
  await event('created', 'PWD', '2026-12-03');
  await event('created', 'PWD', '2026-12-03');
  await resolution('PWD', '2026-12-03', true);
  await resolution('PWD', '2026-11-30', false);
  await event('reopened', 'PWD', '2026-11-30');
  await event('satisfied', 'PWD', '2026-11-30');
  await event('unsatisfied', 'PWD', '2026-11-30');
  await resolution('PWD', '2026-11-13', true);
  await resolution('PWD', '2026-11-13', true);
  // MAYOR receives no cases, yet resolved one this week: it is listed.
  await resolution('MAYOR', '2026-12-01', false);
  // EPD holds an overdue case and has resolved nothing.
  await api.seed({ caseNo: '20261201-00001', status: 'ASSIGNED', department: 'EPD', acknowledgeDueAt: '2026-12-02T01:00:00.000Z', category: 'litter' });
});
afterEach(() => {
  restoreClock?.();
  restoreClock = undefined;
});
afterAll(async () => {
  await api.close();
});

async function dashboardAt(query: Record<string, string> = {}): Promise<{ status: number; body: Dashboard }> {
  restoreClock = useClock(new ManualClock(NOW));
  const res = await call(dashboard, apiEvent('getDashboard', { claims: CLAIMS.supervisor, query }));
  return { status: res.statusCode, body: res.body as Dashboard };
}

describe('GET /dashboard time windows', () => {
  it('today: what the counters hold for today only', async () => {
    const { body } = await dashboardAt({ window: 'today' });
    expect(body.window).toEqual({ name: 'today', from: '2026-12-03', to: '2026-12-03' });
    expect(body.byDepartment.find((d) => d.department === 'PWD')).toMatchObject({ created: 2, onTime: 1, late: 0, reopened: 0, compliance: 1 });
  });

  it('7 days (the default): resolutions, reopen and satisfaction rates of the last week', async () => {
    const { body } = await dashboardAt();
    expect(body.window).toEqual({ name: '7d', from: '2026-11-27', to: '2026-12-03' });
    expect(body.byDepartment.find((d) => d.department === 'PWD')).toEqual({
      department: 'PWD',
      created: 2,
      onTime: 1,
      late: 1,
      overdueOpen: 0,
      reopened: 1,
      satisfied: 1,
      unsatisfied: 1,
      compliance: 0.5,
      reopenRate: 0.5,
      satisfactionRate: 0.5,
    });
  });

  it('30 days reaches into the previous month', async () => {
    const { body } = await dashboardAt({ window: '30d' });
    expect(body.window.from).toBe('2026-11-04');
    expect(body.byDepartment.find((d) => d.department === 'PWD')).toMatchObject({ onTime: 3, late: 1, compliance: 0.75 });
  });

  it('SLA compliance lists every department with resolutions or overdue cases, this week included', async () => {
    const { body } = await dashboardAt();
    expect(body.periods.week).toEqual({ from: '2026-11-30', to: '2026-12-03' });
    const pwd = body.slaCompliance.find((d) => d.department === 'PWD')!;
    expect(pwd.week).toEqual({ onTime: 1, late: 1, rate: 0.5 });
    expect(body.slaCompliance.find((d) => d.department === 'MAYOR')).toMatchObject({ week: { onTime: 0, late: 1, rate: 0 } });
    expect(body.slaCompliance.find((d) => d.department === 'EPD')).toMatchObject({ overdueOpen: 1, week: { rate: null } });
  });

  it('answers 400 naming window for a window it does not know', async () => {
    for (const window of ['week', '90d', '']) {
      const { status, body } = await dashboardAt({ window });
      expect(status).toBe(400);
      expect(JSON.stringify(body)).toContain('window');
    }
  });
});
