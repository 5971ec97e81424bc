/**
 * The supervisors' dashboard, and the SLA statistics it reads.
 *
 * Open cases are never read to be counted: every case write moves maintained counters in its own transaction
 * (domain/open-figures.ts: by status, department × status, category, district, escalation level, and deadline
 * day), so the open figures cost the same few reads at 100 cases and at 100,000. Only the lists read cases:
 * the oldest overdue and the most escalated, a bounded page of a sparse index each, then those cases by key.
 *
 * Resolutions are history, so SLA compliance comes from a maintained daily statistics item per department,
 * counted once per resolution when a case is resolved (`recordResolution`).
 */
import type { Department } from '../config/schema';
import type { Case, CaseStatus } from '../domain/case';
import { OPEN_STATUSES } from '../domain/case';
import { FigureName, NO_DEPARTMENT } from '../domain/open-figures';
import { addDays, taipeiDate } from '../domain/case-number';
import { now as clockNow } from '../domain/clock';
import { trendsOf, type DailyTallyStore, type Trends } from './daily-tallies';
import type { DepartmentDay, InsightCounters } from './insight-counters';
import type { CaseSummary, DepartmentDirectory } from './ports';

/** Open statuses a department holds a case in (its gsi1 partitions); NEW cases have no department yet. */
export const DEPARTMENT_OPEN_STATUSES = ['ASSIGNED', 'ACKNOWLEDGED', 'REOPENED', 'RETURNED'] as const satisfies readonly CaseStatus[];
export type DepartmentOpenStatus = (typeof DEPARTMENT_OPEN_STATUSES)[number];

/** How many cases the overdue and escalated lists show, and how many entries the hot-spot lists have. */
export const DASHBOARD_LIST_SIZE = 50;
export const TOP_SIZE = 10;
/** The escalation levels above none (domain/case.ts EscalationLevel), highest first. */
export const ESCALATION_LEVELS = [3, 2, 1] as const;

/** One resolution, as the SLA statistics count it. */
export interface Resolution {
  caseNo: string;
  department: string;
  resolvedAt: string;
  /** Taipei day of `resolvedAt` (yyyy-mm-dd): the statistics item it is counted in. */
  day: string;
  onTime: boolean;
}

/** A department's resolutions on one Taipei day. */
export interface DailyResolutions {
  day: string;
  department: string;
  onTime: number;
  late: number;
}

/** What the dashboard reads of the open cases (adapters/open-figures-store.ts). */
export interface OpenFigures {
  /** Counter name (domain/open-figures.ts FigureName) → open cases; a counter may be 0. */
  counters: Record<string, number>;
  /** Department (or `-` for none yet) → open cases past their next deadline now. */
  overdueByDepartment: Record<string, number>;
  /** The oldest overdue open cases, oldest deadline first. */
  overdue: CaseSummary[];
  /** The open escalated cases, highest level first, then by deadline. */
  escalated: CaseSummary[];
}

export interface CaseStatistics extends InsightCounters {
  /** The open-case figures at `now` (ISO), with at most `listSize` cases in each list; `levels` highest first. */
  openFigures(now: string, listSize: number, levels: readonly number[]): Promise<OpenFigures>;
  /** Deletes the deadline days before `today` (UTC yyyy-mm-dd) that no open case counts under; how many. */
  dropEmptyDueDays(today: string): Promise<number>;
  /** Daily resolution counts of every department, Taipei days `fromDay`..`toDay` inclusive (yyyy-mm-dd). */
  resolutions(fromDay: string, toDay: string): Promise<DailyResolutions[]>;
  /** Counts a resolution once: true when counted by this call, false when it had been counted before. */
  countResolution(r: Resolution): Promise<boolean>;
}

export interface DashboardPorts {
  statistics: CaseStatistics;
  departments: DepartmentDirectory;
  tallies: DailyTallyStore;
}

export interface Compliance {
  onTime: number;
  late: number;
  /** onTime / (onTime + late), 3 decimals; null when nothing was resolved. */
  rate: number | null;
}

/** The dashboard's time windows: today, the last 7 and the last 30 Taipei days (today included). */
export const DASHBOARD_WINDOWS = ['today', '7d', '30d'] as const;
export type DashboardWindow = (typeof DASHBOARD_WINDOWS)[number];
const WINDOW_DAYS: Record<DashboardWindow, number> = { today: 1, '7d': 7, '30d': 30 };

/** A department's figures over the chosen window, from its day counters. */
export interface DepartmentWindowFigures {
  department: string;
  created: number;
  onTime: number;
  late: number;
  /** Open cases of the department past their next deadline now. */
  overdueOpen: number;
  reopened: number;
  satisfied: number;
  unsatisfied: number;
  /** onTime / (onTime + late); null without resolutions. */
  compliance: number | null;
  /** reopened / (onTime + late); null without resolutions. */
  reopenRate: number | null;
  /** satisfied / (satisfied + unsatisfied); null without answers. */
  satisfactionRate: number | null;
}

export interface Dashboard {
  openByStatus: Record<string, number>;
  openByDepartment: Array<{ department: string; name: Department['name']; counts: Record<DepartmentOpenStatus, number> }>;
  overdue: CaseSummary[];
  escalated: CaseSummary[];
  /** Every department that receives cases or resolved any this month, with its open overdue cases now. */
  slaCompliance: Array<{ department: string; week: Compliance; month: Compliance; overdueOpen: number }>;
  /** The chosen window (Taipei days, inclusive) and each department's figures in it. */
  window: { name: DashboardWindow; from: string; to: string };
  byDepartment: DepartmentWindowFigures[];
  topCategories: Array<{ category: string; count: number }>;
  topDistricts: Array<{ district: string; count: number }>;
  /** Open cases per district, every district with any (the dashboard's map). */
  openByDistrict: Record<string, number>;
  /** Cases reported per category and per district over the window: by hour today, by day for 7 and 30 days. */
  trends: Trends;
  totals: { open: number; overdue: number; escalated: number };
  /** The Taipei days the SLA figures cover (yyyy-mm-dd, inclusive); the week starts on Monday. */
  periods: { week: { from: string; to: string }; month: { from: string; to: string } };
  generatedAt: string;
}

/**
 * The dashboard at this moment.
 * Steps:
 * 1. the departments that receive cases (config), in config order;
 * 2. the open figures (CaseStatistics.openFigures: the counters, the overdue count per department, the two
 *    lists) and what the dashboard shows of them (summariseOpenFigures);
 * 3. this week, this month and the chosen window (today, 7 or 30 days) in Asia/Taipei from the one clock, and
 *    the departments' day counters since the earliest of their starts (one Query per month);
 * 4. SLA compliance per department for the week and month, with its open overdue cases now: every department
 *    that receives cases, resolved any in the period, or holds an overdue case; and per department over the
 *    window: created, on time, late, reopened, satisfied, unsatisfied, and the compliance, reopen and
 *    satisfaction rates;
 * 5. the window's trend lines per category and district (daily-tallies.ts);
 * 6. `generatedAt` = the clock's now.
 */
export async function getDashboard(ports: DashboardPorts, at: Date = clockNow(), windowName: DashboardWindow = '7d'): Promise<Dashboard> {
  const all = await ports.departments.list();
  const departments = all.filter((d) => d.receivesCases);
  const periods = dashboardPeriods(at);
  const window = dashboardWindow(at, windowName);
  const since = [periods.week.from, periods.month.from, window.from].sort()[0];
  const now = at.toISOString();
  const [open, days, trends] = await Promise.all([
    ports.statistics.openFigures(now, DASHBOARD_LIST_SIZE, ESCALATION_LEVELS),
    ports.statistics.departmentDays(since, periods.month.to),
    trendsOf({ tallies: ports.tallies, hours: ports.statistics }, at, window),
  ]);
  const summary = summariseOpenFigures(open, departments);
  const overdueOf = new Map(Object.entries(open.overdueByDepartment).filter(([d, n]) => d !== NO_DEPARTMENT && n > 0));
  // Every department with resolutions or overdue cases appears, also one that no longer receives cases.
  const seen = new Set([...departments.map((d) => d.code), ...days.filter((d) => d.onTime + d.late > 0).map((d) => d.department), ...overdueOf.keys()]);
  const listed = [...departments.map((d) => d.code), ...all.map((d) => d.code).filter((c) => seen.has(c) && !departments.some((d) => d.code === c)), ...[...seen].filter((c) => !all.some((d) => d.code === c))];
  return {
    ...summary,
    slaCompliance: slaCompliance(days, listed.map((code) => ({ code })), periods).map((x) => ({ ...x, overdueOpen: overdueOf.get(x.department) ?? 0 })),
    window: { name: windowName, ...window },
    byDepartment: windowFigures(days.filter((d) => d.day >= window.from && d.day <= window.to), listed, overdueOf),
    trends,
    periods,
    generatedAt: now,
  };
}

/** The Taipei days of a window ending today. */
export function dashboardWindow(at: Date, name: DashboardWindow): { from: string; to: string } {
  const today = taipeiDate(at);
  return { from: addDays(today, -(WINDOW_DAYS[name] - 1)), to: today };
}

/** Per department (the given order), its counters summed over the days given, with the rates. Pure. */
export function windowFigures(days: readonly DepartmentDay[], departments: readonly string[], overdueOf: ReadonlyMap<string, number>): DepartmentWindowFigures[] {
  const rate = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 1000) / 1000);
  return departments.map((department) => {
    const mine = days.filter((d) => d.department === department);
    const sum = (k: keyof Omit<DepartmentDay, 'day' | 'department'>) => mine.reduce((n, d) => n + d[k], 0);
    const [created, onTime, late, reopened, satisfied, unsatisfied] = [sum('created'), sum('onTime'), sum('late'), sum('reopened'), sum('satisfied'), sum('unsatisfied')];
    return {
      department,
      created,
      onTime,
      late,
      overdueOpen: overdueOf.get(department) ?? 0,
      reopened,
      satisfied,
      unsatisfied,
      compliance: rate(onTime, onTime + late),
      reopenRate: rate(reopened, onTime + late),
      satisfactionRate: rate(satisfied, satisfied + unsatisfied),
    };
  });
}

/** Counts, lists and hot spots of the open cases, from their figures. Pure. */
export function summariseOpenFigures(
  open: OpenFigures,
  departments: readonly Pick<Department, 'code' | 'name'>[],
): Pick<Dashboard, 'openByStatus' | 'openByDepartment' | 'overdue' | 'escalated' | 'topCategories' | 'topDistricts' | 'openByDistrict' | 'totals'> {
  const count = (name: string) => Math.max(0, open.counters[name] ?? 0);
  const openByStatus = Object.fromEntries(OPEN_STATUSES.map((s) => [s, count(FigureName.status(s))])) as Record<string, number>;
  const total = (counts: Record<DepartmentOpenStatus, number>) => DEPARTMENT_OPEN_STATUSES.reduce((n, s) => n + counts[s], 0);
  const openByDepartment = departments
    .map((d) => ({ department: d.code, name: d.name, counts: Object.fromEntries(DEPARTMENT_OPEN_STATUSES.map((s) => [s, count(FigureName.departmentStatus(d.code, s))])) as Record<DepartmentOpenStatus, number> }))
    .sort((a, b) => total(b.counts) - total(a.counts));
  const byPrefix = (prefix: string) => Object.entries(open.counters).filter(([n, v]) => n.startsWith(prefix) && v > 0).map(([n, v]) => [n.slice(prefix.length), v] as [string, number]);
  const districts = top(byPrefix(FigureName.district('')), Number.POSITIVE_INFINITY);
  return {
    openByStatus,
    openByDepartment,
    overdue: open.overdue.slice(0, DASHBOARD_LIST_SIZE),
    escalated: open.escalated.slice(0, DASHBOARD_LIST_SIZE),
    topCategories: top(byPrefix(FigureName.category(''))).map(([category, count]) => ({ category, count })),
    topDistricts: districts.slice(0, TOP_SIZE).map(([district, count]) => ({ district, count })),
    openByDistrict: Object.fromEntries(districts),
    totals: {
      open: Object.values(openByStatus).reduce((n, v) => n + v, 0),
      overdue: Object.values(open.overdueByDepartment).reduce((n, v) => n + Math.max(0, v), 0),
      escalated: byPrefix('E#').reduce((n, [, v]) => n + v, 0),
    },
  };
}

/** This week (from Monday) and this month (from the 1st), up to today, as Taipei days. */
export function dashboardPeriods(at: Date): Dashboard['periods'] {
  const today = taipeiDate(at);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const monday = new Date(Date.UTC(y, m - 1, d - ((weekday + 6) % 7)));
  return {
    week: { from: monday.toISOString().slice(0, 10), to: today },
    month: { from: `${today.slice(0, 7)}-01`, to: today },
  };
}

/** Per department (config order, zeros included), the resolutions of each period. Pure. */
export function slaCompliance(
  rows: readonly DailyResolutions[],
  departments: readonly Pick<Department, 'code'>[],
  periods: Dashboard['periods'],
): Array<Omit<Dashboard['slaCompliance'][number], 'overdueOpen'>> {
  const within = (day: string, p: { from: string; to: string }) => day >= p.from && day <= p.to;
  return departments.map((d) => {
    const mine = rows.filter((r) => r.department === d.code);
    return {
      department: d.code,
      week: compliance(mine.filter((r) => within(r.day, periods.week))),
      month: compliance(mine.filter((r) => within(r.day, periods.month))),
    };
  });
}

/**
 * Keeps the dashboard's overdue read short: the deadline days before today whose cases have all been dealt with
 * are deleted (a day whose count is not zero stays, however old). Run by the quarter-hour early-warning job.
 */
export async function trimDeadlineDays(ports: Pick<DashboardPorts, 'statistics'>, at: Date): Promise<number> {
  return ports.statistics.dropEmptyDueDays(at.toISOString().slice(0, 10));
}

/**
 * Count a resolved case in its department's SLA statistics. The workflow calls it once the case is resolved;
 * calling it again (a retried task, a later step) changes nothing.
 * Steps:
 * 1. nothing to count unless the case carries a resolution with its department and resolve deadline;
 * 2. on time = resolved no later than the resolve deadline in force (a reopened case was routed with fresh
 *    deadlines, and its next resolution is judged against those);
 * 3. one conditional ADD on the department's statistics item of the Taipei day of the resolution, keyed by case
 *    number and resolution time, so each resolution counts exactly once (adapters/case-statistics.ts).
 */
export async function recordResolution(
  ports: Pick<DashboardPorts, 'statistics'>,
  c: Pick<Case, 'caseNo' | 'department' | 'resolvedAt' | 'resolveDueAt'>,
): Promise<'counted' | 'already-counted' | 'nothing-to-count'> {
  if (!c.resolvedAt || !c.department || !c.resolveDueAt) return 'nothing-to-count';
  const resolvedAt = new Date(c.resolvedAt);
  const counted = await ports.statistics.countResolution({
    caseNo: c.caseNo,
    department: c.department,
    resolvedAt: resolvedAt.toISOString(),
    day: taipeiDate(resolvedAt),
    onTime: resolvedAt.getTime() <= new Date(c.resolveDueAt).getTime(),
  });
  return counted ? 'counted' : 'already-counted';
}

/** Code-point order: ISO instants, case numbers and codes sort as written, whatever the locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compliance(rows: readonly DailyResolutions[]): Compliance {
  const onTime = rows.reduce((n, r) => n + r.onTime, 0);
  const late = rows.reduce((n, r) => n + r.late, 0);
  const all = onTime + late;
  return { onTime, late, rate: all === 0 ? null : Math.round((onTime / all) * 1000) / 1000 };
}



/** The largest counts, most first (ties by code), `size` of them. */
function top(counts: ReadonlyArray<[string, number]>, size = TOP_SIZE): Array<[string, number]> {
  return [...counts].sort((a, b) => b[1] - a[1] || compare(a[0], b[0])).slice(0, size);
}
