/**
 * Trend lines of what callers report: cases per Taipei day (or per hour today) by category and by district.
 *
 * The hourly intake counters (insight-counters.ts) hold every case once, but a 30-day trend over them would read
 * every hour's items of a month on each dashboard load. So each finished Taipei day is rolled up once into a
 * tally (one small item: the day's cases by category and by district), and a trend reads one item per day; only
 * today, and a past day whose tally is not written yet, are summed from the hours.
 *
 * A tally is a sum the roll-up recomputes from the same counters: writing it again writes the same figures, so
 * the roll-up needs no marker and a re-run (or two racing) changes nothing.
 */
import { addDays, taipeiDate } from '../domain/case-number';
import type { HourlyCount, InsightCounters } from './insight-counters';

/** One Taipei day's cases, by category and by district. */
export interface DailyTally {
  day: string;
  total: number;
  byCategory: Record<string, number>;
  byDistrict: Record<string, number>;
}

export interface DailyTallyStore {
  /** The tallies written for Taipei days `fromDay`..`toDay` inclusive (days without one are absent). */
  tallies(fromDay: string, toDay: string): Promise<DailyTally[]>;
  /** Writes (or rewrites) a day's tally. */
  putTally(tally: DailyTally): Promise<void>;
}

export interface TallyPorts {
  tallies: DailyTallyStore;
  hours: Pick<InsightCounters, 'hourlyCountsBetween'>;
}

/** How many finished days the roll-up looks back for a missing tally: a month, what the dashboard's widest window shows. */
export const ROLL_UP_DAYS = 31;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Asia/Taipei is UTC+8 all year (no daylight saving). */
const TAIPEI_OFFSET_MS = 8 * HOUR_MS;

/** The UTC hour buckets of a Taipei day: 16:00 UTC the day before to 15:00 UTC on the day. */
export function taipeiDayBuckets(day: string): { from: string; to: string } {
  const start = Date.parse(`${day}T00:00:00Z`) - TAIPEI_OFFSET_MS;
  return { from: bucketOf(start), to: bucketOf(start + DAY_MS - HOUR_MS) };
}

/** The Taipei hour (00..23) an UTC hour bucket falls in. */
export function taipeiHourOf(bucket: string): string {
  return new Date(Date.parse(`${bucket}:00:00Z`) + TAIPEI_OFFSET_MS).toISOString().slice(11, 13);
}

/** A day's tally from its hours' counters. Pure. */
export function tallyOf(day: string, counts: readonly HourlyCount[]): DailyTally {
  const tally: DailyTally = { day, total: 0, byCategory: {}, byDistrict: {} };
  for (const c of counts) {
    tally.total += c.count;
    tally.byCategory[c.category] = (tally.byCategory[c.category] ?? 0) + c.count;
    tally.byDistrict[c.district] = (tally.byDistrict[c.district] ?? 0) + c.count;
  }
  return tally;
}

/** The Taipei days `from`..`to` inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * Roll up the finished days that have no tally yet (the early-warning job calls it every quarter hour: right
 * after midnight it writes yesterday's, and a missed run is caught up by the next).
 * Steps:
 * 1. the finished Taipei days of the last ROLL_UP_DAYS, and the tallies already written for them (one Query a month);
 * 2. for each day without one: its 24 UTC hours' counters (at most two Queries), summed;
 * 3. one put per day.
 */
export async function rollUpDailyTallies(ports: TallyPorts, at: Date): Promise<{ rolledUp: string[] }> {
  const today = taipeiDate(at);
  const days = daysBetween(addDays(today, -ROLL_UP_DAYS), addDays(today, -1));
  const written = new Set((await ports.tallies.tallies(days[0], days[days.length - 1])).map((t) => t.day));
  const rolledUp: string[] = [];
  for (const day of days.filter((d) => !written.has(d))) {
    const { from, to } = taipeiDayBuckets(day);
    await ports.tallies.putTally(tallyOf(day, await ports.hours.hourlyCountsBetween(from, to)));
    rolledUp.push(day);
  }
  return { rolledUp };
}

/** One line of a trend chart: a category's or a district's cases per step. */
export interface TrendSeries {
  code: string;
  total: number;
  counts: number[];
}

export interface Trends {
  /** `hour`: today's Taipei hours so far; `day`: the window's Taipei days. */
  unit: 'hour' | 'day';
  /** Taipei hours (`00`..) or days (`yyyy-mm-dd`), oldest first. */
  labels: string[];
  /** Every category / district with cases in the window, most cases first (ties by code). */
  categories: TrendSeries[];
  districts: TrendSeries[];
}

/**
 * The trend lines of a window ending now (`day`: by day even when the window is one day).
 * Steps:
 * 1. one day (today), unless by day: today's hours so far, from the hourly counters (at most two Queries);
 * 2. several days: the tallies of the window's finished days (one Query a month); a finished day without a tally
 *    yet, and today so far, summed from their hours;
 * 3. a series per category and per district, zeros where nothing was reported.
 */
export async function trendsOf(ports: TallyPorts, at: Date, window: { from: string; to: string }, unit: 'auto' | 'day' = 'auto'): Promise<Trends> {
  const today = taipeiDate(at);
  if (unit === 'auto' && window.from === window.to) {
    const { from } = taipeiDayBuckets(today);
    const counts = await ports.hours.hourlyCountsBetween(from, bucketOf(at.getTime()));
    const labels = Array.from({ length: Number(taipeiHourOf(bucketOf(at.getTime()))) + 1 }, (_, h) => String(h).padStart(2, '0'));
    const step = (c: HourlyCount) => labels.indexOf(taipeiHourOf(c.bucket));
    return { unit: 'hour', labels, categories: series(counts, labels.length, step, (c) => c.category), districts: series(counts, labels.length, step, (c) => c.district) };
  }
  const labels = daysBetween(window.from, window.to);
  const stored = new Map((await ports.tallies.tallies(window.from, addDays(today, -1))).map((t) => [t.day, t]));
  const tallies = await Promise.all(
    labels.map(async (day) => {
      const kept = day < today ? stored.get(day) : undefined;
      if (kept) return kept;
      const { from, to } = taipeiDayBuckets(day);
      return tallyOf(day, await ports.hours.hourlyCountsBetween(from, day === today ? bucketOf(at.getTime()) : to));
    }),
  );
  const rows = tallies.flatMap((t, i) => [
    ...Object.entries(t.byCategory).map(([code, count]) => ({ kind: 'category' as const, code, count, i })),
    ...Object.entries(t.byDistrict).map(([code, count]) => ({ kind: 'district' as const, code, count, i })),
  ]);
  const of = (kind: 'category' | 'district') => lines(rows.filter((r) => r.kind === kind), labels.length);
  return { unit: 'day', labels, categories: of('category'), districts: of('district') };
}

function series(counts: readonly HourlyCount[], steps: number, step: (c: HourlyCount) => number, code: (c: HourlyCount) => string): TrendSeries[] {
  return lines(
    counts.map((c) => ({ code: code(c), count: c.count, i: step(c) })).filter((r) => r.i >= 0),
    steps,
  );
}

function lines(rows: ReadonlyArray<{ code: string; count: number; i: number }>, steps: number): TrendSeries[] {
  const byCode = new Map<string, number[]>();
  for (const r of rows) {
    const counts = byCode.get(r.code) ?? new Array<number>(steps).fill(0);
    counts[r.i] += r.count;
    byCode.set(r.code, counts);
  }
  return [...byCode.entries()]
    .map(([code, counts]) => ({ code, counts, total: counts.reduce((a, b) => a + b, 0) }))
    .filter((s) => s.total > 0)
    .sort((a, b) => b.total - a.total || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

function bucketOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13);
}
