/**
 * The supervisors' dashboard, and the SLA statistics it reads.
 *
 * Open cases are counted from the indexes, not from maintained counters: DynamoDB charges a `Select: 'COUNT'`
 * Query the same read units as reading the items it counts, so the dashboard reads the open cases once (the
 * status queue of each of the five open statuses; a small projection) and derives every open figure from those
 * same pages: counts by status and department, overdue, escalated, hot spots. The figures are exact at
 * `generatedAt`, and the cost is bounded by the open workload, never by history.
 *
 * Resolutions are history, so SLA compliance comes from a maintained daily statistics item per department,
 * counted once per resolution when a case is resolved (`recordResolution`).
 */
import type { Department } from '../config/schema';
import type { Case, CaseStatus } from '../domain/case';
import { nextDueAt, OPEN_STATUSES } from '../domain/case';
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

export interface CaseStatistics extends InsightCounters {
  /** Every open case (each open status's queue, every page). */
  openCases(): Promise<CaseSummary[]>;
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
 * 2. read every open case once (CaseStatistics.openCases, five status queues) and derive the open figures
 *    (summariseOpenCases);
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
  const [open, days, trends] = await Promise.all([
    ports.statistics.openCases(),
    ports.statistics.departmentDays(since, periods.month.to),
    trendsOf({ tallies: ports.tallies, hours: ports.statistics }, at, window),
  ]);
  const summary = summariseOpenCases(open, departments, at);
  const now = at.toISOString();
  const overdueOf = new Map<string, number>();
  for (const c of open) {
    const due = nextDueAt(c);
    if (c.department && OPEN_STATUSES.includes(c.status) && due && due < now) overdueOf.set(c.department, (overdueOf.get(c.department) ?? 0) + 1);
  }
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

/** Counts, lists and hot spots of the open cases. Pure. */
export function summariseOpenCases(
  open: readonly CaseSummary[],
  departments: readonly Pick<Department, 'code' | 'name'>[],
  at: Date,
): Pick<Dashboard, 'openByStatus' | 'openByDepartment' | 'overdue' | 'escalated' | 'topCategories' | 'topDistricts' | 'openByDistrict' | 'totals'> {
  const cases = open.filter((c) => OPEN_STATUSES.includes(c.status));
  const openByStatus = Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0])) as Record<string, number>;
  const byDepartment = new Map(departments.map((d) => [d.code, zeroCounts()]));
  for (const c of cases) {
    openByStatus[c.status] = (openByStatus[c.status] ?? 0) + 1;
    const counts = c.department ? byDepartment.get(c.department) : undefined;
    if (counts && isDepartmentStatus(c.status)) counts[c.status] += 1;
  }
  const total = (counts: Record<DepartmentOpenStatus, number>) => DEPARTMENT_OPEN_STATUSES.reduce((n, s) => n + counts[s], 0);
  const openByDepartment = departments
    .map((d) => ({ department: d.code, name: d.name, counts: byDepartment.get(d.code)! }))
    .sort((a, b) => total(b.counts) - total(a.counts));

  const now = at.toISOString();
  // Cases without a deadline (returned, not yet routed) sort after every dated one.
  const due = (c: CaseSummary) => nextDueAt(c) ?? '\uffff';
  const overdue = cases.filter((c) => due(c) < now).sort((a, b) => compare(due(a), due(b)) || compare(a.caseNo, b.caseNo));
  const escalated = cases
    .filter((c) => c.escalationLevel > 0)
    .sort((a, b) => b.escalationLevel - a.escalationLevel || compare(due(a), due(b)) || compare(a.caseNo, b.caseNo));

  return {
    openByStatus,
    openByDepartment,
    overdue: overdue.slice(0, DASHBOARD_LIST_SIZE),
    escalated: escalated.slice(0, DASHBOARD_LIST_SIZE),
    topCategories: top(cases.map((c) => c.category)).map(([category, count]) => ({ category, count })),
    topDistricts: top(cases.map((c) => c.district)).map(([district, count]) => ({ district, count })),
    openByDistrict: Object.fromEntries(top(cases.map((c) => c.district), Number.POSITIVE_INFINITY)),
    totals: { open: cases.length, overdue: overdue.length, escalated: escalated.length },
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

function zeroCounts(): Record<DepartmentOpenStatus, number> {
  return { ASSIGNED: 0, ACKNOWLEDGED: 0, REOPENED: 0, RETURNED: 0 };
}

function isDepartmentStatus(s: CaseStatus): s is DepartmentOpenStatus {
  return (DEPARTMENT_OPEN_STATUSES as readonly CaseStatus[]).includes(s);
}

/** The most frequent values, most first (ties by code), `size` of them. */
function top(values: readonly string[], size = TOP_SIZE): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || compare(a[0], b[0])).slice(0, size);
}
