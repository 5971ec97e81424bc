/**
 * The counters insight reads instead of history: cases created per UTC hour, category and district (the spike
 * job's series), and per Taipei day and department the cases created, reopened, and the survey answers (beside
 * the resolutions on time / late that recordResolution counts in the same item).
 *
 * Each count is ONE conditional ADD that also records what it counted (a marker: the case, and for repeatable
 * events the instant of the event) and is refused when the marker is there already, so a retried workflow task
 * or action, or two calls racing, count an event exactly once (adapters/case-statistics.ts). The same ADD may
 * ride in a case change's transaction (CaseChange.counts): a first routing counts its intake and department so.
 *
 * Where they are counted:
 * - intake: the hour counter, by the workflow's RouteCase step, which runs first for every case and is retried
 *   until it succeeds (the category and district the case was logged with; a later re-routing does not move it):
 *   in the first routing's write, else (a cancelled case, a run that routes nothing) on its own;
 * - routing: `created` for the department the case was first routed to, on the Taipei day it was created (in the
 *   first routing's write; a retry that finds it routed counts on its own, which finds it counted);
 * - reopen: `reopened` and `unsatisfied` by RouteCase when it routes a reopened case back;
 * - survey: `satisfied` / `unsatisfied` by the survey action once the answer is on the case (its retries too);
 * - resolution: on time / late by TellCitizen (dashboard.ts recordResolution).
 */
import type { Case } from '../domain/case';
import { taipeiDate } from '../domain/case-number';
import { hourBucket } from '../domain/spike-detection';

export type DepartmentCounter = 'created' | 'reopened' | 'satisfied' | 'unsatisfied';
export const DEPARTMENT_COUNTERS: readonly DepartmentCounter[] = ['created', 'reopened', 'satisfied', 'unsatisfied'];

/** One event of a department's day. */
export interface DepartmentEvent {
  counter: DepartmentCounter;
  caseNo: string;
  department: string;
  /** When it happened (ISO): with the case, what makes the event unique. */
  at: string;
  /** Taipei day of `at` (yyyy-mm-dd). */
  day: string;
}

/** One case at intake, counted in its hour. */
export interface IntakeCount {
  caseNo: string;
  category: string;
  district: string;
  /** UTC hour bucket `YYYY-MM-DDTHH` of the case's creation. */
  bucket: string;
}

/** An hour's cases of a category in a district. */
export interface HourlyCount {
  bucket: string;
  category: string;
  district: string;
  count: number;
}

/** Everything counted for one department on one Taipei day. */
export interface DepartmentDay extends Record<DepartmentCounter | 'onTime' | 'late', number> {
  day: string;
  department: string;
}

export interface InsightCounters {
  /** True when counted by this call, false when it had been counted before. */
  countDepartmentEvent(e: DepartmentEvent): Promise<boolean>;
  countIntake(e: IntakeCount): Promise<boolean>;
  /** Every category and district with cases in these hour buckets; one Query per bucket. */
  hourlyCounts(buckets: readonly string[]): Promise<HourlyCount[]>;
  /** Every category and district with cases in the UTC hour buckets `from`..`to` inclusive: one Query per UTC day. */
  hourlyCountsBetween(fromBucket: string, toBucket: string): Promise<HourlyCount[]>;
  /** Every department's day items, Taipei days `fromDay`..`toDay` inclusive (yyyy-mm-dd). */
  departmentDays(fromDay: string, toDay: string): Promise<DepartmentDay[]>;
}

export type CountOutcome = 'counted' | 'already-counted' | 'nothing-to-count';
const outcome = (counted: boolean): CountOutcome => (counted ? 'counted' : 'already-counted');

/** The intake of a case in its creation hour. A case without a district (unplaced) has no series to count in. */
export async function countIntake(counters: Pick<InsightCounters, 'countIntake'>, c: Pick<Case, 'caseNo' | 'category' | 'createdAt' | 'location'>): Promise<CountOutcome> {
  const e = intakeOf(c);
  return e ? outcome(await counters.countIntake(e)) : 'nothing-to-count';
}

export function intakeOf(c: Pick<Case, 'caseNo' | 'category' | 'createdAt' | 'location'>): IntakeCount | undefined {
  if (!c.location.district) return undefined;
  return { caseNo: c.caseNo, category: c.category, district: c.location.district, bucket: hourBucket(new Date(c.createdAt)) };
}

/** `created` for the department the case was first routed to, on its day of creation. */
export async function countRouted(counters: InsightCounters, c: Pick<Case, 'caseNo' | 'department' | 'createdAt'>): Promise<CountOutcome> {
  const e = routedOf(c);
  return e ? outcome(await counters.countDepartmentEvent(e)) : 'nothing-to-count';
}

export function routedOf(c: Pick<Case, 'caseNo' | 'department' | 'createdAt'>): DepartmentEvent | undefined {
  return c.department ? departmentEvent('created', c.caseNo, c.department, c.createdAt) : undefined;
}

/** `satisfied` / `unsatisfied` for the survey answer on the case (an unanswered survey counts nothing). */
export async function countSurvey(counters: InsightCounters, c: Pick<Case, 'caseNo' | 'department' | 'survey'>): Promise<CountOutcome> {
  const s = c.survey;
  if (!s || !c.department || s.answer === 'unanswered') return 'nothing-to-count';
  return outcome(await counters.countDepartmentEvent(departmentEvent(s.answer, c.caseNo, c.department, s.at)));
}

/** `reopened` (and its unsatisfied answer) for a case the citizen was not satisfied with; one per survey answer. */
export async function countReopened(counters: InsightCounters, c: Pick<Case, 'caseNo' | 'department' | 'survey'>): Promise<CountOutcome> {
  const s = c.survey;
  if (!s || !c.department || s.answer !== 'unsatisfied') return 'nothing-to-count';
  const reopened = await counters.countDepartmentEvent(departmentEvent('reopened', c.caseNo, c.department, s.at));
  await countSurvey(counters, c);
  return outcome(reopened);
}

function departmentEvent(counter: DepartmentCounter, caseNo: string, department: string, at: string): DepartmentEvent {
  const instant = new Date(at);
  return { counter, caseNo, department, at: instant.toISOString(), day: taipeiDate(instant) };
}
