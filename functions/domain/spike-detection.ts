/**
 * Spike detection: is the number of cases of one series (a category in a district, or a category city-wide) in
 * the recent window unlikely given the same hours of comparable days in the previous weeks?
 *
 * The test. Let x be the cases in the window and y the cases in the same hours of the n baseline days. If the
 * rate has not changed, x and y are Poisson counts, y over n times the window's hours, and given their total
 * x + y the window's share is binomial: x ~ Binomial(x + y, 1 / (n + 1)). The p-value is the upper tail
 * P(X >= x). The current hour is still running but is compared with whole hours of the baseline days: that
 * makes the test conservative in an hour's first minutes (never a false alarm from the hour's shape). A warning needs x >= minCount AND p <= maxPValue. This is the exact conditional test for an
 * increase of a Poisson rate: unlike a Poisson tail around the baseline mean it accounts for the baseline being
 * itself a noisy count, and it needs no floor for a baseline of zero (then p = (1 / (n + 1))^x: with eight
 * baseline days, five calls where there were none give p = 0.000017).
 *
 * Comparable days. Volumes follow the week (Monday mornings are busy) and the calendar (a holiday is quiet), so
 * the baseline of an hour is the same hour on the previous days that have the same weekday and are also working
 * (or also not working): a Monday is compared with the working Mondays before it, skipping a Monday holiday;
 * a Saturday with Saturdays off. A holiday counts as a Sunday (it is compared with Sundays and other holidays)
 * and a make-up working Saturday as a Friday, the days they resemble. Days are local days of the calendar's zone; an hour's counterpart is
 * the same instant a whole number of days earlier (exact in a zone without daylight saving time, as Taipei).
 *
 * Counts are hourly buckets (`YYYY-MM-DDTHH`, UTC). A missing bucket counts zero: in the first weeks after
 * going live the baseline is therefore low, and minCount is what keeps small numbers quiet.
 *
 * Pure: the counts and the calendar come in as arguments.
 */
import type { DayInfo } from './sla-calendar';

export interface SpikeThresholds {
  /** Hours in the recent window, the current (partial) hour included. */
  windowHours: number;
  /** Comparable days whose same hours make the baseline. */
  baselineDays: number;
  /** How far back to look for them, in weeks. */
  maxLookbackWeeks: number;
  /** Fewer cases than this in the window never raise a warning, however unusual. */
  minCount: number;
  /** The largest p-value that still counts as a spike. */
  maxPValue: number;
}

export const DEFAULT_SPIKE_THRESHOLDS: SpikeThresholds = {
  windowHours: 2,
  baselineDays: 8,
  maxLookbackWeeks: 10,
  minCount: 5,
  maxPValue: 0.001,
};

/** The calendar as the detector needs it (SlaCalendar fits). */
export interface DayCalendar {
  describeDay(date: Date | string): Pick<DayInfo, 'date' | 'working' | 'kind'>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The counter bucket of an instant: its UTC hour, `YYYY-MM-DDTHH`. */
export function hourBucket(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 13);
}

/** The weekday a day is compared as, and whether its comparable days work. */
function profile(day: Pick<DayInfo, 'date' | 'working' | 'kind'>): { weekday: number; working: boolean } {
  const weekday = new Date(`${day.date}T00:00:00Z`).getUTCDay();
  if (day.kind === 'holiday') return { weekday: 0, working: false };
  if (day.kind === 'make-up workday') return { weekday: 5, working: true };
  return { weekday, working: day.working };
}

/**
 * The comparable days before the local day of `at`, latest first, as whole-day offsets (1 = the day before):
 * up to `baselineDays` of them within `maxLookbackWeeks` weeks.
 */
export function comparableDayOffsets(at: Date, calendar: DayCalendar, t: Pick<SpikeThresholds, 'baselineDays' | 'maxLookbackWeeks'>): number[] {
  const want = profile(calendar.describeDay(at));
  const offsets: number[] = [];
  for (let back = 1; back <= t.maxLookbackWeeks * 7 && offsets.length < t.baselineDays; back++) {
    const p = profile(calendar.describeDay(new Date(at.getTime() - back * DAY)));
    if (p.weekday === want.weekday && p.working === want.working) offsets.push(back);
  }
  return offsets;
}

/** The counts the detector reads, by hour bucket; absent is zero. */
export type HourlyCounts = (bucket: string) => number;

/**
 * What to compare at an instant, the same for every series: the window's hour buckets and, for each, the buckets
 * of the same hour on its comparable days. A job computes it once per run and reads exactly these counters.
 */
export interface SpikePlan {
  /** The window: from the start of its first hour to `at`. */
  from: string;
  to: string;
  window: Array<{ bucket: string; baseline: string[] }>;
  /** Comparable days every window hour has (the n of the test). */
  baselineDays: number;
  /** The local dates of the current hour's baseline days, latest first. */
  baselineDates: string[];
}

export function spikePlan(at: Date, calendar: DayCalendar, t: SpikeThresholds = DEFAULT_SPIKE_THRESHOLDS): SpikePlan {
  assertThresholds(t);
  const currentHour = Math.floor(at.getTime() / HOUR) * HOUR;
  const firstHour = currentHour - (t.windowHours - 1) * HOUR;
  const hours = Array.from({ length: t.windowHours }, (_, i) => firstHour + i * HOUR);
  // Each hour finds its baseline through its own local day, so a window across midnight is compared correctly.
  const offsets = hours.map((h) => comparableDayOffsets(new Date(h), calendar, t));
  const baselineDays = Math.min(...offsets.map((o) => o.length));
  return {
    from: new Date(firstHour).toISOString(),
    to: at.toISOString(),
    window: hours.map((h, i) => ({ bucket: hourBucket(h), baseline: offsets[i].slice(0, baselineDays).map((back) => hourBucket(h - back * DAY)) })),
    baselineDays,
    baselineDates: offsets[offsets.length - 1].slice(0, baselineDays).map((back) => calendar.describeDay(new Date(currentHour - back * DAY)).date),
  };
}

/** Every hour bucket a plan reads. */
export function planBuckets(plan: SpikePlan): string[] {
  return [...new Set(plan.window.flatMap((w) => [w.bucket, ...w.baseline]))];
}

export interface SpikeFinding {
  from: string;
  to: string;
  count: number;
  /** Cases the baseline days had in the same hours, in total. */
  baselineCount: number;
  baselineDates: string[];
  /** The baseline days' mean count in the window's hours. */
  expected: number;
  pValue: number;
  spike: boolean;
}

/** Runs the test for one series. */
export function detectSpike(counts: HourlyCounts, plan: SpikePlan, t: SpikeThresholds = DEFAULT_SPIKE_THRESHOLDS): SpikeFinding {
  assertThresholds(t);
  const n = plan.baselineDays;
  const count = plan.window.reduce((sum, w) => sum + counts(w.bucket), 0);
  const baselineCount = plan.window.reduce((sum, w) => sum + w.baseline.reduce((s, b) => s + counts(b), 0), 0);
  // Without any comparable day there is no baseline to be unusual against.
  const pValue = n === 0 ? 1 : binomialUpperTail(count, count + baselineCount, 1 / (n + 1));
  return {
    from: plan.from,
    to: plan.to,
    count,
    baselineCount,
    baselineDates: plan.baselineDates,
    expected: n > 0 ? baselineCount / n : 0,
    pValue,
    spike: count >= t.minCount && pValue <= t.maxPValue,
  };
}

function assertThresholds(t: SpikeThresholds): void {
  const bad = (field: keyof SpikeThresholds, why: string): never => {
    throw new RangeError(`spike threshold ${field} ${why}, got ${t[field]}`);
  };
  if (!Number.isInteger(t.windowHours) || t.windowHours < 1 || t.windowHours > 24) bad('windowHours', 'must be a whole number of hours from 1 to 24');
  if (!Number.isInteger(t.baselineDays) || t.baselineDays < 1) bad('baselineDays', 'must be a whole number of at least 1');
  if (!Number.isInteger(t.maxLookbackWeeks) || t.maxLookbackWeeks < 1) bad('maxLookbackWeeks', 'must be a whole number of at least 1');
  if (!Number.isInteger(t.minCount) || t.minCount < 1) bad('minCount', 'must be a whole number of at least 1');
  if (!(t.maxPValue > 0 && t.maxPValue < 1)) bad('maxPValue', 'must be between 0 and 1');
}

/** ln(k!) exactly for small k, Stirling's series beyond. */
function logFactorial(k: number): number {
  if (k < 256) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + 1 / (12 * k) - 1 / (360 * k ** 3);
}

/** P(X >= x) for X ~ Binomial(trials, p), summed from x upwards so that small tails keep their precision. */
export function binomialUpperTail(x: number, trials: number, p: number): number {
  if (x <= 0) return 1;
  if (x > trials) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let log = logFactorial(trials) - logFactorial(x) - logFactorial(trials - x) + x * Math.log(p) + (trials - x) * Math.log1p(-p);
  let sum = 0;
  for (let k = x; k <= trials; k++) {
    const term = Math.exp(log);
    sum += term;
    if (term < sum * 1e-15 && k > trials * p) break;
    log += Math.log((trials - k) / (k + 1)) + Math.log(p) - Math.log1p(-p);
  }
  return Math.min(1, sum);
}
