/**
 * The insight counters against dynalite: concurrent intakes of one hour, each also retried at the same time, are
 * counted exactly once each (none lost, none twice); the department's day counts created, reopened and survey
 * answers once per event; and the workflow's RouteCase step and the survey action maintain them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStatistics } from '../../functions/adapters/case-statistics';
import { countIntake, countReopened, countSurvey, type DepartmentDay } from '../../functions/usecases/insight-counters';
import { routeCase } from '../../functions/usecases/lifecycle/route-case';
import { recordSurvey } from '../../functions/usecases/lifecycle/record-survey';
import type { Case } from '../../functions/domain/case';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { WorkflowHarness } from '../workflow/support/harness';

let local: LocalTable;
let statistics: DynamoCaseStatistics;

beforeAll(async () => {
  local = await startDynalite();
  statistics = new DynamoCaseStatistics(local.ddb, local.tableName);
});
afterAll(async () => {
  await local.close();
});

const intake = (n: number, over: Partial<Case> = {}) =>
  ({ caseNo: `20261203-${String(n).padStart(5, '0')}`, category: 'street-light', createdAt: '2026-12-03T05:10:00.000Z', location: { district: 'bade', address: '' }, ...over }) as Case;

describe('hourly intake counters', () => {
  it('counts 40 concurrent intakes of one hour, each sent three times at once, as 40', async () => {
    const cases = Array.from({ length: 40 }, (_, i) => intake(i + 1));
    const outcomes = await Promise.all(cases.flatMap((c) => [countIntake(statistics, c), countIntake(statistics, c), countIntake(statistics, c)]));
    expect(outcomes.filter((o) => o === 'counted')).toHaveLength(40);
    expect(outcomes.filter((o) => o === 'already-counted')).toHaveLength(80);
    const rows = await statistics.hourlyCounts(['2026-12-03T05']);
    expect(rows).toEqual([{ bucket: '2026-12-03T05', category: 'street-light', district: 'bade', count: 40 }]);
  });

  it('keeps hours, categories and districts apart, and reads one hour without its neighbours', async () => {
    await countIntake(statistics, intake(101, { createdAt: '2026-12-03T06:59:59.999Z' }));
    await countIntake(statistics, intake(102, { createdAt: '2026-12-03T06:00:00.000Z', category: 'pothole' }));
    await countIntake(statistics, intake(103, { createdAt: '2026-12-03T06:30:00.000Z', location: { district: 'zhongli', address: '' } }));
    await countIntake(statistics, intake(104, { createdAt: '2026-12-03T07:00:00.000Z' }));
    const rows = await statistics.hourlyCounts(['2026-12-03T06']);
    expect(rows.map((r) => `${r.category}/${r.district}=${r.count}`).sort()).toEqual(['pothole/bade=1', 'street-light/bade=1', 'street-light/zhongli=1']);
  });

  it('does not count a case without a district', async () => {
    expect(await countIntake(statistics, intake(200, { location: { district: '', address: '' } }))).toBe('nothing-to-count');
  });
});

describe("a department's day", () => {
  it('counts each survey answer and reopening once, however often and concurrently it is recorded', async () => {
    const unhappy = { caseNo: '20261203-00300', department: 'PWD', survey: { answer: 'unsatisfied' as const, at: '2026-12-03T03:00:00.000Z' } };
    const happy = { caseNo: '20261203-00301', department: 'PWD', survey: { answer: 'satisfied' as const, at: '2026-12-03T03:05:00.000Z' } };
    await Promise.all([countReopened(statistics, unhappy), countReopened(statistics, unhappy), countSurvey(statistics, unhappy), countSurvey(statistics, happy), countSurvey(statistics, happy)]);
    // The same case reopened again after a later survey is a new event.
    await countReopened(statistics, { ...unhappy, survey: { ...unhappy.survey, at: '2026-12-03T04:00:00.000Z' } });
    expect(await dayItem('2026-12-03', 'PWD')).toMatchObject({ reopened: 2, unsatisfied: 2, satisfied: 1 });
    expect(await countSurvey(statistics, { ...happy, survey: { answer: 'unanswered', at: happy.survey.at } })).toBe('nothing-to-count');
  });
});

describe('maintained by the workflow and the survey action', () => {
  let h: WorkflowHarness;
  beforeAll(async () => {
    h = await WorkflowHarness.start();
  });
  afterAll(async () => {
    await h.close();
  });

  it('RouteCase counts the intake hour and the first department once; an unsatisfied survey counts the answer and the reopening', async () => {
    const c = await h.newCase({ location: { district: 'bade', address: '介壽路一段 1 號' } });
    await Promise.all([routeCase(h.deps.ports, h.settings, { caseNo: c.caseNo }), routeCase(h.deps.ports, h.settings, { caseNo: c.caseNo })]);
    const bucket = c.createdAt.slice(0, 13);
    expect(await h.statistics.hourlyCounts([bucket])).toEqual([{ bucket, category: 'street-light', district: 'bade', count: 1 }]);
    const routed = await h.case(c.caseNo);
    const day = '2026-11-27';
    expect(await dayItemOf(h, day, routed.department!)).toMatchObject({ created: 1 });

    // Straight to the survey wait, as after a resolution and the follow-up call.
    await h.cases.update(c.caseNo, routed.version, { set: { status: 'RESOLVED', resolvedAt: h.clock.now().toISOString(), waitingFor: 'survey' }, event: { type: 'resolved', by: 'staff' } });
    await recordSurvey(h.actionPorts, { id: 'agent-1', role: 'agent' }, c.caseNo, { answer: 'unsatisfied' });
    await routeCase(h.deps.ports, h.settings, { caseNo: c.caseNo, signal: { outcome: 'surveyed', answer: 'unsatisfied' } });
    expect(await dayItemOf(h, day, routed.department!)).toMatchObject({ created: 1, reopened: 1, unsatisfied: 1 });
  });

  it('a first routing after a run that counted its intake on its own (and stopped short) counts it once', async () => {
    const c = await h.newCase({ location: { district: 'guanyin', address: '中山路 1 號' } });
    await countIntake(h.statistics, c);

    await routeCase(h.deps.ports, h.settings, { caseNo: c.caseNo });

    const bucket = c.createdAt.slice(0, 13);
    expect((await h.statistics.hourlyCounts([bucket])).find((x) => x.district === 'guanyin')).toEqual({ bucket, category: 'street-light', district: 'guanyin', count: 1 });
    expect(await h.timelineTypes(c.caseNo)).toEqual(['created', 'citizen-notified', 'routed']);
  });
});

async function dayItem(day: string, department: string): Promise<DepartmentDay | undefined> {
  return (await statistics.departmentDays(day, day)).find((d) => d.department === department);
}

async function dayItemOf(h: WorkflowHarness, day: string, department: string): Promise<DepartmentDay | undefined> {
  return (await h.statistics.departmentDays(day, day)).find((d) => d.department === department);
}
