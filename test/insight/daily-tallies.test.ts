/**
 * Trend lines from the hourly intake counters and the daily tallies rolled up from them, over dynalite: Taipei day
 * boundaries, today by hour, a finished day read from its tally once rolled up, and the dashboard's map figures.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandler } from '../../functions/api/http';
import { DynamoCaseStatistics, DynamoDailyTallies } from '../../functions/adapters/case-statistics';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { rollUpDailyTallies, taipeiDayBuckets, taipeiHourOf, tallyOf, trendsOf, type TallyPorts } from '../../functions/usecases/daily-tallies';
import type { Dashboard } from '../../functions/usecases/dashboard';
import { apiEvent, call, CLAIMS } from '../api/support/events';
import { startConsoleApi, type ConsoleApi } from '../console-api/support/console-api';

let api: ConsoleApi;
let dashboard: ApiHandler;
let statistics: DynamoCaseStatistics;
let ports: TallyPorts;
let restoreClock: (() => void) | undefined;

/** Thursday 3 December 2026, 10:30 in Taipei. */
const NOW = new Date('2026-12-03T02:30:00.000Z');
let seq = 0;
const intake = (bucket: string, category: string, district: string, n = 1) =>
  Promise.all(Array.from({ length: n }, () => statistics.countIntake({ caseNo: `c-${++seq}`, category, district, bucket })));

beforeAll(async () => {
  api = await startConsoleApi('citydesk-daily-tallies-test');
  dashboard = await api.handler('dashboard');
  statistics = new DynamoCaseStatistics(api.local.ddb, api.local.tableName);
  ports = { tallies: new DynamoDailyTallies(api.local.ddb, api.local.tableName), hours: statistics };
  // 1 December (Taipei): 00:xx Taipei is 16:xx UTC on 30 November; 23:xx Taipei is 15:xx UTC on 1 December.
  await intake('2026-11-30T16', 'pothole', 'zhongli', 2);
  await intake('2026-12-01T15', 'street-light', 'bade');
  // 16:00 UTC on 1 December is already 2 December in Taipei.
  await intake('2026-12-01T16', 'pothole', 'bade', 3);
  // Today, 3 December: 08:xx and 10:xx Taipei.
  await intake('2026-12-03T00', 'litter', 'zhongli');
  await intake('2026-12-03T02', 'pothole', 'zhongli', 4);
  // Later today (after NOW): not yet reported, must not show.
  await intake('2026-12-03T05', 'pothole', 'zhongli', 9);
  await api.seed({ caseNo: '20261203-00001', status: 'ASSIGNED', category: 'pothole', location: { district: 'zhongli', address: '中山路 1 號' } });
  await api.seed({ caseNo: '20261203-00002', status: 'ACKNOWLEDGED', category: 'pothole', location: { district: 'zhongli', address: '中山路 2 號' } });
  await api.seed({ caseNo: '20261203-00003', status: 'ASSIGNED', category: 'litter', location: { district: 'bade', address: '介壽路 5 號' } });
  await api.seed({ caseNo: '20261101-00001', status: 'CLOSED', category: 'litter', location: { district: 'daxi', address: '中山路 9 號' } });
});
afterEach(() => {
  restoreClock?.();
  restoreClock = undefined;
});
afterAll(async () => {
  await api.close();
});

describe('Taipei days over UTC hour buckets', () => {
  it('a Taipei day is 16:00 UTC the day before to 15:00 UTC on the day, and hours shift by eight', () => {
    expect(taipeiDayBuckets('2026-12-01')).toEqual({ from: '2026-11-30T16', to: '2026-12-01T15' });
    expect(taipeiDayBuckets('2027-01-01')).toEqual({ from: '2026-12-31T16', to: '2027-01-01T15' });
    expect(taipeiHourOf('2026-11-30T16')).toBe('00');
    expect(taipeiHourOf('2026-12-01T15')).toBe('23');
  });

  it('a tally sums the hours by category and by district', () => {
    const tally = tallyOf('2026-12-01', [
      { bucket: '2026-11-30T16', category: 'pothole', district: 'zhongli', count: 2 },
      { bucket: '2026-12-01T15', category: 'street-light', district: 'bade', count: 1 },
      { bucket: '2026-12-01T10', category: 'pothole', district: 'bade', count: 4 },
    ]);

    expect(tally).toEqual({ day: '2026-12-01', total: 7, byCategory: { pothole: 6, 'street-light': 1 }, byDistrict: { zhongli: 2, bade: 5 } });
  });
});

describe('trend lines', () => {
  it('today: one count per Taipei hour up to now, nothing after now', async () => {
    const trends = await trendsOf(ports, NOW, { from: '2026-12-03', to: '2026-12-03' });

    expect(trends.unit).toBe('hour');
    expect(trends.labels).toEqual(['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10']);
    expect(trends.categories).toEqual([
      { code: 'pothole', total: 4, counts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4] },
      { code: 'litter', total: 1, counts: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0] },
    ]);
    expect(trends.districts).toEqual([{ code: 'zhongli', total: 5, counts: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 4] }]);
  });

  it('seven days: per Taipei day, summed from the hours while no tally is written', async () => {
    const trends = await trendsOf(ports, NOW, { from: '2026-11-27', to: '2026-12-03' });

    expect(trends.unit).toBe('day');
    expect(trends.labels).toEqual(['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']);
    expect(trends.categories).toEqual([
      { code: 'pothole', total: 9, counts: [0, 0, 0, 0, 2, 3, 4] },
      { code: 'litter', total: 1, counts: [0, 0, 0, 0, 0, 0, 1] },
      { code: 'street-light', total: 1, counts: [0, 0, 0, 0, 1, 0, 0] },
    ]);
    expect(trends.districts).toEqual([
      { code: 'zhongli', total: 7, counts: [0, 0, 0, 0, 2, 0, 5] },
      { code: 'bade', total: 4, counts: [0, 0, 0, 0, 1, 3, 0] },
    ]);
  });
});

describe('the daily roll-up', () => {
  it('writes a tally for each finished day of the last month without one, never today, and a second run writes none', async () => {
    const first = await rollUpDailyTallies(ports, NOW);
    const second = await rollUpDailyTallies(ports, NOW);

    expect(first.rolledUp).toHaveLength(31);
    expect(first.rolledUp[0]).toBe('2026-11-02');
    expect(first.rolledUp.at(-1)).toBe('2026-12-02');
    expect(second.rolledUp).toEqual([]);
    expect(await ports.tallies.tallies('2026-12-01', '2026-12-03')).toEqual([
      { day: '2026-12-01', total: 3, byCategory: { pothole: 2, 'street-light': 1 }, byDistrict: { zhongli: 2, bade: 1 } },
      { day: '2026-12-02', total: 3, byCategory: { pothole: 3 }, byDistrict: { bade: 3 } },
    ]);
  });

  it('a finished day with a tally is read from it (one item), today still from the hours', async () => {
    await rollUpDailyTallies(ports, NOW);
    // Counted into 1 December's hours after its tally was written: the trend shows the tally.
    await intake('2026-12-01T03', 'pothole', 'daxi', 5);
    await intake('2026-12-03T01', 'pothole', 'daxi', 2);

    const trends = await trendsOf(ports, NOW, { from: '2026-11-27', to: '2026-12-03' });

    expect(trends.districts.find((s) => s.code === 'daxi')).toEqual({ code: 'daxi', total: 2, counts: [0, 0, 0, 0, 0, 0, 2] });
  });
});

describe('GET /dashboard', () => {
  it('carries the window\'s trend lines and the open cases per district for the map', async () => {
    restoreClock = useClock(new ManualClock(NOW.toISOString()));
    const res = await call(dashboard, apiEvent('getDashboard', { claims: CLAIMS.supervisor, query: { window: 'today' } }));

    expect(res.statusCode).toBe(200);
    const d = res.body as Dashboard;
    expect(d.openByDistrict).toEqual({ zhongli: 2, bade: 1 });
    expect(d.trends.unit).toBe('hour');
    expect(d.trends.categories.map((s) => s.code)).toEqual(['pothole', 'litter']);
  });
});
