/**
 * The early-warning scan over DynamoDB (the real counters, warning store and case indexes on dynalite) and the
 * supervisors' warning API: a planted spike is raised once with its evidence and sent once; re-running the same
 * window changes nothing; later findings of the episode extend it; after the quiet period a new spike is a new
 * warning; a place reported three times raises a recurring-place warning; acknowledge and close (with a reason)
 * record who and why, and a stale or repeated action is a 409.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStatistics } from '../../functions/adapters/case-statistics';
import { DynamoWarningCases, DynamoWarningStore } from '../../functions/adapters/warning-store';
import type { ApiHandler } from '../../functions/api/http';
import { parseEarlyWarningSettings } from '../../functions/config/early-warning';
import { loadConfig, shippedCalendar } from '../../functions/config/load';
import { ManualClock, useClock } from '../../functions/domain/clock';
import type { EarlyWarning } from '../../functions/domain/early-warning';
import { resolveDepartment } from '../../functions/domain/sop';
import { scanForWarnings, topicWarningAlerts, type ScanPorts, type ScanSettings } from '../../functions/usecases/early-warnings';
import { countIntake } from '../../functions/usecases/insight-counters';
import { apiEvent, call, CLAIMS } from '../api/support/events';
import { startConsoleApi, type ConsoleApi } from '../console-api/support/console-api';

const config = loadConfig();
const shipped = parseEarlyWarningSettings(
  {
    spike: { defaults: { windowHours: 2, baselineDays: 8, maxLookbackWeeks: 10, minCount: 5, maxPValue: 0.001 }, quietPeriodHours: 6, categories: {} },
    recurringPlaces: { defaults: { times: 3, days: 30, distanceMeters: 30 }, categories: {} },
  },
  config.sops.map((s) => s.category),
);
const settings: ScanSettings = {
  categories: config.sops.map((s) => s.category),
  spikeThresholds: (c) => shipped.spikeThresholds(c),
  recurringPlaceRule: (c) => shipped.recurringPlaceRule(c),
  quietPeriodMs: shipped.quietPeriodMs,
  calendar: shippedCalendar(),
  departmentOf: (category, district) => {
    const sop = config.sops.find((s) => s.category === category);
    return sop ? resolveDepartment(sop, district) : undefined;
  },
};

let api: ConsoleApi;
let warningsApi: ApiHandler;
let ports: ScanPorts;
let statistics: DynamoCaseStatistics;
const published: Array<{ topicArn: string; subject?: string; sms?: string }> = [];
let restoreClock: (() => void) | undefined;
let seq = 0;

beforeAll(async () => {
  api = await startConsoleApi('citydesk-early-warnings-test');
  warningsApi = await api.handler('warnings');
  statistics = new DynamoCaseStatistics(api.local.ddb, api.local.tableName);
  ports = {
    counters: statistics,
    warnings: new DynamoWarningStore(api.local.ddb, api.local.tableName),
    cases: new DynamoWarningCases(api.local.ddb, api.local.tableName),
    alerts: topicWarningAlerts(
      { publish: async (topicArn, message, subject) => void published.push({ topicArn, subject, sms: message.sms }) },
      {
        earlyWarningTopicArn: 'arn:early-warnings',
        departmentTopicArn: (code) => (config.departments.departments.some((d) => d.code === code) ? `arn:dept-${code}` : undefined),
        consoleUrl: 'https://console.example.org',
        names: {
          category: (c) => config.sops.find((s) => s.category === c)?.name ?? { zh: c, en: c },
          district: (c) => config.districts.districts.find((d) => d.code === c)?.name ?? { zh: c, en: c },
          department: (c) => config.departments.departments.find((d) => d.code === c)?.name ?? { zh: c, en: c },
        },
      },
    ),
  };
});
afterEach(() => {
  restoreClock?.();
  restoreClock = undefined;
});
afterAll(async () => {
  await api.close();
});

/** A case logged at `createdAt`, counted at intake as RouteCase counts it. */
async function logCase(createdAt: string, over: { category?: string; district?: string; address?: string } = {}): Promise<string> {
  seq += 1;
  const caseNo = `${createdAt.slice(0, 10).replace(/-/g, '')}-${String(seq).padStart(5, '0')}`;
  const c = await api.seed({
    caseNo,
    createdAt,
    category: over.category ?? 'street-light',
    location: { district: over.district ?? 'bade', address: over.address ?? `介壽路一段 ${seq} 號` },
  });
  await countIntake(statistics, c);
  return caseNo;
}

const at = (iso: string) => new Date(iso);
const warnings = async (query: Record<string, string> = {}) => {
  const res = await call(warningsApi, apiEvent('listWarnings', { claims: CLAIMS.supervisor, query }));
  expect(res.statusCode).toBe(200);
  return (res.body as { items: EarlyWarning[] }).items;
};

describe('spike warnings', () => {
  // Thursday 3 December 2026, 13:00-13:15 in Taipei: eight street-light calls from Bade, none in those hours before.
  const spikeCases: string[] = [];

  it('raises one warning for the planted spike, with its evidence, and sends it to the supervisors and the department', async () => {
    for (let i = 0; i < 8; i++) spikeCases.push(await logCase(`2026-12-03T05:${String(i * 2).padStart(2, '0')}:00.000Z`));
    // A normal load elsewhere: six potholes in Zhongli in the window, as on every comparable Thursday.
    for (let i = 0; i < 6; i++) await logCase(`2026-12-03T04:${String(10 + i).padStart(2, '0')}:00.000Z`, { category: 'pothole', district: 'zhongli' });
    for (let week = 1; week <= 8; week++) {
      const day = new Date(Date.parse('2026-12-03T04:00:00.000Z') - week * 7 * 86_400_000).toISOString();
      for (let i = 0; i < 6; i++) await statistics.countIntake({ caseNo: `old-${week}-${i}`, category: 'pothole', district: 'zhongli', bucket: day.slice(0, 13) });
    }

    const report = await scanForWarnings(ports, settings, at('2026-12-03T05:15:00.000Z'));

    expect(report.raised).toEqual(['spike:street-light@bade:2026-12-03T05', 'spike:street-light@*:2026-12-03T05']);
    const [w] = await warnings({ district: 'bade' });
    expect(w).toMatchObject({ kind: 'spike', category: 'street-light', district: 'bade', status: 'open', history: [], notifiedAt: '2026-12-03T05:15:00.000Z' });
    expect(w.evidence).toMatchObject({ from: '2026-12-03T04:00:00.000Z', to: '2026-12-03T05:15:00.000Z', count: 8, baselineCount: 0, expected: 0 });
    expect(w.evidence.caseNos).toEqual(spikeCases);
    expect(w.department).toBe(settings.departmentOf('street-light', 'bade'));
    // Once to the early-warning topic per warning, and the district warning also to its department's topic.
    expect(published.map((p) => p.topicArn).sort()).toEqual(['arn:dept-' + w.department, 'arn:early-warnings', 'arn:early-warnings'].sort());
    expect(published[0].subject).toMatch(/^\[1999 預警\] 路燈/);
    expect(published[0].sms!.length).toBeLessThanOrEqual(70);
  });

  it('changes nothing when the same window is scanned again', async () => {
    const before = await warnings();
    const report = await scanForWarnings(ports, settings, at('2026-12-03T05:15:00.000Z'));
    expect(report).toMatchObject({ raised: [], extended: [], notified: [] });
    expect(await warnings()).toEqual(before);
    expect(published).toHaveLength(3);
  });

  it('extends the episode 15 minutes later instead of raising another warning', async () => {
    await logCase('2026-12-03T05:20:00.000Z');
    const report = await scanForWarnings(ports, settings, at('2026-12-03T05:30:00.000Z'));
    expect(report.raised).toEqual([]);
    expect(report.extended).toContain('spike:street-light@bade:2026-12-03T05');
    const [w] = await warnings({ district: 'bade' });
    expect(w.evidence.count).toBe(9);
    expect(w.lastSeenAt).toBe('2026-12-03T05:30:00.000Z');
    expect(published).toHaveLength(3);
  });

  it('raises a new warning for a spike after the quiet period', async () => {
    for (let i = 0; i < 6; i++) await logCase(`2026-12-03T13:0${i}:00.000Z`);
    const report = await scanForWarnings(ports, settings, at('2026-12-03T13:10:00.000Z'));
    expect(report.raised).toContain('spike:street-light@bade:2026-12-03T13');
  });

  it('answers 400 naming the field for a malformed month, status or id', async () => {
    for (const [query, field] of [
      [{ month: '2026-13' }, 'month'],
      [{ month: 'december' }, 'month'],
      [{ status: 'gone' }, 'status'],
    ] as const) {
      const res = await call(warningsApi, apiEvent('listWarnings', { claims: CLAIMS.supervisor, query }));
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    const res = await call(warningsApi, apiEvent('acknowledgeWarning', { claims: CLAIMS.supervisor, pathParameters: { warningId: 'nonsense' }, body: {} }));
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.body)).toContain('warningId');
  });
});

describe('warning lifecycle', () => {
  const id = 'spike:street-light@bade:2026-12-03T05';
  const act = (route: 'acknowledgeWarning' | 'closeWarning', body: Record<string, unknown>, claims = CLAIMS.supervisor) =>
    call(warningsApi, apiEvent(route, { claims, pathParameters: { warningId: id }, body }));

  it('is acknowledged by a supervisor, once, and only supervisors may', async () => {
    restoreClock = useClock(new ManualClock('2026-12-03T05:40:00.000Z'));
    expect((await act('acknowledgeWarning', {}, CLAIMS.agent)).statusCode).toBe(403);
    const res = await act('acknowledgeWarning', {});
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ status: 'acknowledged', history: [{ status: 'acknowledged', by: 'sup-1', at: '2026-12-03T05:40:00.000Z' }] });
    const again = await act('acknowledgeWarning', {});
    expect(again.statusCode).toBe(409);
    expect(JSON.stringify(again.body)).toContain('acknowledged');
  });

  it('is closed only with a reason, which it keeps', async () => {
    restoreClock = useClock(new ManualClock('2026-12-03T06:00:00.000Z'));
    const missing = await act('closeWarning', {});
    expect(missing.statusCode).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('reason');
    const res = await act('closeWarning', { reason: '路燈線路故障，已派工修復' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ status: 'closed', history: [{ status: 'acknowledged' }, { status: 'closed', by: 'sup-1', reason: '路燈線路故障，已派工修復' }] });
    expect(await warnings({ status: 'closed' })).toHaveLength(1);
    expect((await act('closeWarning', { reason: 'again' })).statusCode).toBe(409);
  });

  it('a closed episode is not raised again while it goes on', async () => {
    await logCase('2026-12-03T05:50:00.000Z');
    const report = await scanForWarnings(ports, settings, at('2026-12-03T06:00:00.000Z'));
    expect(report.raised.filter((r) => r.includes('@bade:'))).toEqual([]);
    expect((await warnings({ district: 'bade', status: 'closed' }))[0].id).toBe(id);
  });
});

describe('recurring places', () => {
  it('raises a warning when one place is reported three times within 30 days, open or closed', async () => {
    await logCase('2026-11-10T02:00:00.000Z', { category: 'pothole', district: 'pingzhen', address: '桃園市平鎮區環南路 66 號' });
    await logCase('2026-11-25T02:00:00.000Z', { category: 'pothole', district: 'pingzhen', address: '平鎮區環南路66號前' });
    const third = await logCase('2026-12-04T02:00:00.000Z', { category: 'pothole', district: 'pingzhen', address: '平鎮區環南路六十六號' });
    const report = await scanForWarnings(ports, settings, at('2026-12-04T02:15:00.000Z'));
    const raised = report.raised.filter((r) => r.startsWith('recurring-place:'));
    expect(raised).toHaveLength(1);
    const [w] = await warnings({ kind: 'recurring-place', month: '2026-12' });
    expect(w).toMatchObject({ category: 'pothole', district: 'pingzhen', evidence: { count: 3, days: 30 } });
    expect(w.evidence.caseNos.at(-1)).toBe(third);
    expect((await scanForWarnings(ports, settings, at('2026-12-04T02:30:00.000Z'))).raised.filter((r) => r.startsWith('recurring-place:'))).toEqual([]);
  });
});
