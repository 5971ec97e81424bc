import { describe, expect, it } from 'vitest';
import { shippedCalendar } from '../../functions/config/load';
import {
  binomialUpperTail,
  DEFAULT_SPIKE_THRESHOLDS,
  detectSpike,
  hourBucket,
  planBuckets,
  spikePlan,
  type DayCalendar,
} from '../../functions/domain/spike-detection';
import { byHour, countersAt, syntheticCases } from './synthetic-series';

const calendar = shippedCalendar();
/** The calendar, remembered per hour: the scans below ask about the same days thousands of times. */
const days = new Map<number, ReturnType<DayCalendar['describeDay']>>();
const cachedCalendar: DayCalendar = {
  describeDay(date) {
    const hour = Math.floor(new Date(date).getTime() / 3_600_000);
    let day = days.get(hour);
    if (!day) days.set(hour, (day = calendar.describeDay(date)));
    return day;
  },
};
const taipei = (local: string): Date => new Date(`${local}+08:00`);
const history = { from: '2026-08-01T00:00:00Z', to: '2026-11-17T00:00:00Z', calendar };

describe('the spike test', () => {
  it('is the binomial upper tail, exact for small numbers', () => {
    expect(binomialUpperTail(8, 10, 0.5)).toBeCloseTo((45 + 10 + 1) / 1024, 12);
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    expect(binomialUpperTail(5, 5, 0.2)).toBeCloseTo(0.2 ** 5, 15);
  });

  it('keeps the precision of tiny tails in large counts', () => {
    const tail = binomialUpperTail(400, 1000, 0.2);
    expect(tail).toBeGreaterThan(0);
    expect(tail).toBeLessThan(1e-40);
  });

  it('rejects thresholds that make no sense, naming the field', () => {
    expect(() => spikePlan(new Date(), calendar, { ...DEFAULT_SPIKE_THRESHOLDS, windowHours: 0 })).toThrow(/windowHours/);
    expect(() => detectSpike(() => 0, spikePlan(new Date(), calendar), { ...DEFAULT_SPIKE_THRESHOLDS, maxPValue: 2 })).toThrow(/maxPValue/);
  });
});

describe('comparable days', () => {
  it('compares a Monday morning with the working Mondays before it', () => {
    const plan = spikePlan(taipei('2026-11-16T10:15'), calendar);
    expect(plan.baselineDates).toEqual(['2026-11-09', '2026-11-02', '2026-10-19', '2026-10-12', '2026-10-05', '2026-09-21', '2026-09-14', '2026-09-07']);
    expect(plan.window.map((w) => w.bucket)).toEqual(['2026-11-16T01', '2026-11-16T02']);
    expect(plan.window[1].baseline[0]).toBe('2026-11-09T02');
  });

  it('skips a Monday holiday in the baseline of a working Monday', () => {
    // 2026-10-26 is a holiday (observed Retrocession Day).
    expect(spikePlan(taipei('2026-11-02T10:00'), calendar).baselineDates.slice(0, 4)).toEqual(['2026-10-19', '2026-10-12', '2026-10-05', '2026-09-21']);
  });

  it('compares a holiday with the Sundays and holidays before it', () => {
    // 2026-10-09 is a Friday off (observed National Day); 2026-10-10 is a Saturday, compared as a Saturday.
    expect(spikePlan(taipei('2026-10-26T10:00'), calendar).baselineDates.slice(0, 5)).toEqual(['2026-10-25', '2026-10-18', '2026-10-11', '2026-10-09', '2026-10-04']);
  });

  it('finds each hour of a window across midnight through its own day', () => {
    // Sunday 23:00 to Monday 00:30: the Sunday hour is compared with Sundays, the Monday hour with Mondays.
    const plan = spikePlan(taipei('2026-11-16T00:30'), calendar);
    expect(plan.window[0].baseline[0]).toBe(hourBucket(taipei('2026-11-08T23:00')));
    expect(plan.window[1].baseline[0]).toBe(hourBucket(taipei('2026-11-09T00:00')));
  });

  it('tells the job exactly which counters to read', () => {
    const plan = spikePlan(taipei('2026-11-10T10:15'), calendar);
    expect(planBuckets(plan)).toHaveLength(DEFAULT_SPIKE_THRESHOLDS.windowHours * (1 + DEFAULT_SPIKE_THRESHOLDS.baselineDays));
  });
});

describe('spike detection on synthetic series', () => {
  // 2,688 runs of the job over three series: two seconds alone, longer on a busy machine.
  it('raises nothing in four weeks of ordinary traffic, Monday-morning peaks and a holiday included', { timeout: 120_000 }, () => {
    // A district series (0.3 cases in a busy hour), a busy district and a city-wide one (4 and 10).
    const series = [0.3, 4, 10].map((scale, i) => byHour(syntheticCases({ ...history, scale, seed: 7 + i })));
    const raised: string[] = [];
    let mondayPeak = 0;
    for (let t = Date.parse('2026-10-19T00:00:00Z'); t < Date.parse('2026-11-16T00:00:00Z'); t += 15 * 60_000) {
      const at = new Date(t);
      const plan = spikePlan(at, cachedCalendar);
      series.forEach((cases, i) => {
        const finding = detectSpike(countersAt(cases, at), plan);
        if (finding.spike) raised.push(`series ${i} at ${at.toISOString()}: ${finding.count} vs ${finding.expected}`);
        if (i === 2 && at.getTime() === taipei('2026-11-09T11:00').getTime()) mondayPeak = finding.count / finding.expected;
      });
    }
    expect(raised).toEqual([]);
    // The Monday peak is there (well above a Tuesday), and the Monday baseline is what keeps it quiet.
    const busiest = series[2];
    const tuesday = detectSpike(countersAt(busiest, taipei('2026-11-10T11:00')), spikePlan(taipei('2026-11-10T11:00'), calendar));
    const monday = detectSpike(countersAt(busiest, taipei('2026-11-09T11:00')), spikePlan(taipei('2026-11-09T11:00'), calendar));
    expect(monday.count).toBeGreaterThan(2 * tuesday.count);
    expect(mondayPeak).toBeLessThan(1.6);
  });

  it('finds eight street-light calls from one district within minutes', () => {
    const planted = Array.from({ length: 8 }, (_, i) => `2026-11-10T10:0${i}:00+08:00`);
    const cases = syntheticCases({ ...history, scale: 0.3, seed: 11, planted });
    const at = taipei('2026-11-10T10:15');
    const finding = detectSpike(countersAt(cases, at), spikePlan(at, calendar));
    expect(finding.spike).toBe(true);
    expect(finding.count).toBeGreaterThanOrEqual(8);
    expect(finding.pValue).toBeLessThan(DEFAULT_SPIKE_THRESHOLDS.maxPValue);
    expect(finding).toMatchObject({ from: taipei('2026-11-10T09:00').toISOString(), to: at.toISOString() });
    // Before the calls nothing was unusual.
    const before = taipei('2026-11-10T09:45');
    expect(detectSpike(countersAt(cases, before), spikePlan(before, calendar)).spike).toBe(false);
  });

  it('stays quiet below the minimum count, however unusual', () => {
    const planted = ['2026-11-10T03:01:00+08:00', '2026-11-10T03:02:00+08:00', '2026-11-10T03:03:00+08:00', '2026-11-10T03:04:00+08:00'];
    const cases = syntheticCases({ ...history, scale: 0.3, seed: 12, planted });
    const at = taipei('2026-11-10T03:30');
    const thresholds = { ...DEFAULT_SPIKE_THRESHOLDS, minCount: 5, maxPValue: 0.001 };
    const finding = detectSpike(countersAt(cases, at), spikePlan(at, calendar), thresholds);
    expect(finding.count).toBe(4);
    expect(finding.pValue).toBeLessThan(thresholds.maxPValue);
    expect(finding.spike).toBe(false);
    expect(detectSpike(countersAt(cases, at), spikePlan(at, calendar), { ...thresholds, minCount: 4 }).spike).toBe(true);
  });

  it('finds a planted surge of fifty calls on top of a city-wide Monday-morning peak', () => {
    const planted = Array.from({ length: 50 }, (_, i) => `2026-11-09T10:${String(Math.floor(i / 2)).padStart(2, '0')}:00+08:00`);
    const at = taipei('2026-11-09T10:45');
    const quiet = syntheticCases({ ...history, scale: 10, seed: 13 });
    const surged = syntheticCases({ ...history, scale: 10, seed: 13, planted });
    expect(detectSpike(countersAt(quiet, at), spikePlan(at, calendar)).spike).toBe(false);
    expect(detectSpike(countersAt(surged, at), spikePlan(at, calendar)).spike).toBe(true);
  });
});
