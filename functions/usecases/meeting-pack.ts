/**
 * The monthly improvement-meeting pack (民眾關心議題精進會議): for one Taipei month, what callers reported and how
 * it moved against the month before, how each department kept its deadlines and its callers, the early warnings of
 * the month (spikes and recurring places) with what was done about them, and the SOP changes already made. It reads
 * the daily tallies, the departments' day counters, the month's warnings and the SOP versions: never the month's
 * cases, so a month of 60,000 calls costs what a quiet one does.
 */
import type { Department } from '../config/schema';
import { addDays, nextMonth, taipeiDate } from '../domain/case-number';
import { now as clockNow } from '../domain/clock';
import type { EarlyWarning, WarningStatusChange } from '../domain/early-warning';
import { ValidationError } from '../domain/errors';
import { trendsOf, type TallyPorts, type TrendSeries } from './daily-tallies';
import { windowFigures, type DepartmentWindowFigures } from './dashboard';
import type { WarningStore } from './early-warnings';
import type { InsightCounters } from './insight-counters';
import type { DepartmentDirectory, SopCatalog } from './ports';

export interface MeetingPackPorts extends TallyPorts {
  counters: Pick<InsightCounters, 'departmentDays'>;
  warnings: Pick<WarningStore, 'list'>;
  sops: Pick<SopCatalog, 'list' | 'versions'>;
  departments: DepartmentDirectory;
}

/** A category's or a district's cases in the month, the month before, and per day of the month. */
export interface VolumeRow {
  code: string;
  count: number;
  previous: number;
  /** (count - previous) / previous, 3 decimals; null when the month before had none. */
  change: number | null;
  daily: number[];
}

export type DepartmentMonth = Omit<DepartmentWindowFigures, 'overdueOpen'> & {
  /** unsatisfied / (satisfied + unsatisfied); null without answers. */
  dissatisfactionRate: number | null;
};

export interface MeetingWarning {
  id: string;
  kind: EarlyWarning['kind'];
  category: string;
  district?: string;
  department?: string;
  raisedAt: string;
  status: EarlyWarning['status'];
  /** Calls in the evidence window (the latest finding of the episode). */
  count: number;
  /** A recurring place's address. */
  address?: string;
  /** The last status change: who acknowledged or closed it, when, and why (what was done). */
  lastChange?: WarningStatusChange;
}

export interface SopChange {
  category: string;
  version: number;
  updatedAt: string;
  updatedBy?: string;
  origin?: string;
  reason?: string;
}

export interface MeetingPack {
  month: string;
  /** The Taipei days covered: the whole month, or up to today for the current one. */
  from: string;
  to: string;
  previousMonth: string;
  volumes: { days: string[]; total: number; previousTotal: number; byCategory: VolumeRow[]; byDistrict: VolumeRow[] };
  departments: DepartmentMonth[];
  warnings: MeetingWarning[];
  sopChanges: SopChange[];
  generatedAt: string;
}

/**
 * The pack of a Taipei month (yyyy-mm).
 * Steps:
 * 1. the month's days, up to today (a month that has not begun is a 400 naming `month`), and the month before;
 * 2. volumes per category and district from the daily tallies of both months (daily-tallies.ts);
 * 3. each department's created, on time, late, reopened and survey answers from its day counters, with the
 *    compliance, reopen, satisfaction and dissatisfaction rates; departments that had none left out;
 * 4. the warnings raised in the month (the UTC month partitions the Taipei month touches), newest first;
 * 5. the SOP versions stored in the month, every category's, oldest first.
 */
export async function meetingPack(ports: MeetingPackPorts, month: string, at: Date = clockNow()): Promise<MeetingPack> {
  const today = taipeiDate(at);
  const first = `${month}-01`;
  if (first > today) throw new ValidationError('The month has not begun', [{ path: 'month', message: `must not be after ${today.slice(0, 7)}` }]);
  const last = addDays(`${nextMonth(month)}-01`, -1);
  const to = last < today ? last : today;
  const previousMonth = addDays(first, -1).slice(0, 7);
  const [current, previous, days, warnings, sopChanges, departments] = await Promise.all([
    trendsOf(ports, at, { from: first, to }, 'day'),
    trendsOf(ports, at, { from: `${previousMonth}-01`, to: addDays(first, -1) }, 'day'),
    ports.counters.departmentDays(first, to),
    warningsOf(ports.warnings, first, to),
    sopChangesIn(ports.sops, first, to),
    ports.departments.list(),
  ]);
  const codes = departmentOrder(departments, days.map((d) => d.department));
  const rate = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 1000) / 1000);
  return {
    month,
    from: first,
    to,
    previousMonth,
    volumes: {
      days: current.labels,
      total: sum(current.categories.map((s) => s.total)),
      previousTotal: sum(previous.categories.map((s) => s.total)),
      byCategory: volumeRows(current.categories, previous.categories),
      byDistrict: volumeRows(current.districts, previous.districts),
    },
    departments: windowFigures(days, codes, new Map())
      .filter((d) => d.created + d.onTime + d.late + d.reopened + d.satisfied + d.unsatisfied > 0)
      .map(({ overdueOpen: _now, ...d }) => ({ ...d, dissatisfactionRate: rate(d.unsatisfied, d.satisfied + d.unsatisfied) })),
    warnings,
    sopChanges,
    generatedAt: at.toISOString(),
  };
}

/** This month's series beside last month's totals, most cases first; a code only last month had shows with 0. */
function volumeRows(current: readonly TrendSeries[], previous: readonly TrendSeries[]): VolumeRow[] {
  const before = new Map(previous.map((s) => [s.code, s.total]));
  const steps = current[0]?.counts.length ?? 0;
  const rows = current.map((s) => ({ code: s.code, count: s.total, daily: s.counts }));
  for (const s of previous) if (!rows.some((r) => r.code === s.code)) rows.push({ code: s.code, count: 0, daily: new Array<number>(steps).fill(0) });
  return rows.map((r) => {
    const prev = before.get(r.code) ?? 0;
    return { ...r, previous: prev, change: prev === 0 ? null : Math.round(((r.count - prev) / prev) * 1000) / 1000 };
  });
}

/** Warnings are stored by the UTC month their episode started in: a Taipei month touches two. */
async function warningsOf(store: Pick<WarningStore, 'list'>, fromDay: string, toDay: string): Promise<MeetingWarning[]> {
  const start = new Date(Date.parse(`${fromDay}T00:00:00+08:00`)).toISOString();
  const end = new Date(Date.parse(`${addDays(toDay, 1)}T00:00:00+08:00`)).toISOString();
  const months = [...new Set([start.slice(0, 7), fromDay.slice(0, 7)])];
  const all = await store.list(months);
  return all
    .filter((w) => w.raisedAt >= start && w.raisedAt < end)
    .sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : 0))
    .map((w) => ({
      id: w.id,
      kind: w.kind,
      category: w.category,
      ...(w.district ? { district: w.district } : {}),
      ...(w.department ? { department: w.department } : {}),
      raisedAt: w.raisedAt,
      status: w.status,
      count: w.evidence.count,
      ...(w.kind === 'recurring-place' ? { address: w.evidence.address } : {}),
      ...(w.history.length ? { lastChange: w.history[w.history.length - 1] } : {}),
    }));
}

/** One Query per category (its versions); the versions stored within the Taipei days, oldest first. */
async function sopChangesIn(sops: Pick<SopCatalog, 'list' | 'versions'>, fromDay: string, toDay: string): Promise<SopChange[]> {
  const categories = (await sops.list()).map((s) => s.category);
  const versions = (await Promise.all(categories.map((c) => sops.versions(c)))).flat();
  return versions
    .filter((v) => v.updatedAt && taipeiDate(new Date(v.updatedAt)) >= fromDay && taipeiDate(new Date(v.updatedAt)) <= toDay)
    .sort((a, b) => (a.updatedAt! < b.updatedAt! ? -1 : a.updatedAt! > b.updatedAt! ? 1 : 0))
    .map((v) => ({
      category: v.category,
      version: v.version,
      updatedAt: v.updatedAt!,
      ...(v.updatedBy ? { updatedBy: v.updatedBy } : {}),
      ...(v.origin ? { origin: v.origin } : {}),
      ...(v.reason ? { reason: v.reason } : {}),
    }));
}

/** Config order, then any department the counters name that config no longer lists. */
function departmentOrder(departments: readonly Pick<Department, 'code'>[], counted: readonly string[]): string[] {
  const codes = departments.map((d) => d.code);
  return [...codes, ...[...new Set(counted)].filter((c) => !codes.includes(c))];
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
