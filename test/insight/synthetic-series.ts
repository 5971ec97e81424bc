/**
 * Synthetic hourly case counts with the shape of real hotline traffic: quiet nights, busy office hours, a Monday
 * morning peak, quiet weekends and holidays; Poisson noise from a seeded generator, so every run sees the same
 * series.
 */
import { seededRandom } from '../../functions/domain/seeded-random';
import { hourBucket, type DayCalendar } from '../../functions/domain/spike-detection';

function poisson(rate: number, random: () => number): number {
  const limit = Math.exp(-rate);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

/** Expected cases per hour at an instant for a series whose busiest ordinary office hour sees `scale` cases. */
export function hourlyRate(at: Date, calendar: DayCalendar, scale: number): number {
  const day = calendar.describeDay(at);
  const localHour = (at.getUTCHours() + 8) % 24;
  const weekday = new Date(`${day.date}T00:00:00Z`).getUTCDay();
  const daytime = localHour >= 8 && localHour < 18;
  if (!day.working) return scale * (daytime ? 0.3 : 0.05);
  if (!daytime) return scale * 0.08;
  const mondayMorning = weekday === 1 && localHour >= 8 && localHour < 12;
  return scale * (mondayMorning ? 2.5 : 1);
}

/** Case times from `from` to `to` (ms), with extra cases planted at given instants. */
export function syntheticCases(options: { from: string; to: string; calendar: DayCalendar; scale: number; seed: number; planted?: string[] }): number[] {
  const random = seededRandom(options.seed);
  const times: number[] = [];
  for (let t = new Date(options.from).getTime(); t < new Date(options.to).getTime(); t += 3_600_000) {
    const n = poisson(hourlyRate(new Date(t), options.calendar, options.scale), random);
    for (let i = 0; i < n; i++) times.push(t + Math.floor(random() * 3_600_000));
  }
  times.push(...(options.planted ?? []).map((at) => new Date(at).getTime()));
  return times.sort((a, b) => a - b);
}

/** The case times by UTC hour bucket, for `countersAt`. */
export function byHour(cases: readonly number[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  for (const t of cases) {
    const bucket = hourBucket(t);
    index.set(bucket, [...(index.get(bucket) ?? []), t]);
  }
  return index;
}

/** What the hourly counters hold at `at`: the cases logged before it, by UTC hour. */
export function countersAt(cases: readonly number[] | Map<string, number[]>, at: Date): (bucket: string) => number {
  const index = cases instanceof Map ? cases : byHour(cases);
  const current = hourBucket(at);
  return (bucket) => {
    const times = index.get(bucket) ?? [];
    if (bucket < current) return times.length;
    return bucket === current ? times.filter((t) => t < at.getTime()).length : 0;
  };
}
