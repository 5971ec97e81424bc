/**
 * The SLA calendar: when the city works, and when a deadline falls.
 *
 * A day is a working day unless it is a weekend day or a public holiday; `config/calendar.json` corrects the
 * national list each year (extra holidays such as observed days and bridge holidays, make-up workdays, and
 * date-holidays entries that are not days off). Public holidays come from `config/public-holidays.json`, which
 * scripts/generate-public-holidays.ts writes from date-holidays' Taiwan data at build time (type `public` only:
 * its `observance` days, e.g. Mother's Day, are working days) for the configured years and the one after; a
 * year outside it has no national holidays here (the config validation and the generator keep them aligned).
 *
 * Deadline rules (all wall-clock times in the calendar's time zone, Asia/Taipei by default):
 * - workingHours: count only time inside working hours (minus lunch) on working days, starting at the next
 *   working moment. 2 working hours from Friday 16:30 is Monday 09:30; from 11:30 it is 14:00.
 * - workingDays: N working days end at the same wall time on the Nth working day after the next working moment.
 *   From Tuesday 10:15, 3 working days is Friday 10:15; from Friday 22:00 (next working moment Monday 08:30) it
 *   is Thursday 08:30. A fraction adds that share of a working day in working hours.
 * - calendarHours: plain elapsed time (urgent work does not stop at night).
 * - calendarDays: the same wall time N days later.
 *
 * Pure: no I/O; the holiday data is passed in (functions/config/load.ts reads the generated file). Time-zone arithmetic goes through Intl, so it stays correct
 * in zones with daylight saving time even though Taipei has none.
 */
import type { CalendarConfig, Deadline } from '../config/schema';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Longest search for working time; a calendar with no working day in ten years is a configuration fault. */
const MAX_SEARCH_DAYS = 3660;

/** Public holidays by ISO date (`YYYY-MM-DD`) for one year. */
export interface HolidaySource {
  publicHolidays(year: number): ReadonlyMap<string, string>;
}

/** The shape of config/public-holidays.json: holiday names by ISO date, per year. */
export interface PublicHolidaysFile {
  years: Record<string, Record<string, string>>;
}

/**
 * Holidays from the generated file (config/public-holidays.json): date-holidays' Taiwan `public` entries, including
 * its substitute (observed) days, read from a small JSON instead of running date-holidays' rules at run time.
 */
export function publicHolidaysFrom(file: PublicHolidaysFile): HolidaySource {
  const byYear = new Map<number, ReadonlyMap<string, string>>(Object.entries(file.years).map(([y, days]) => [Number(y), new Map(Object.entries(days))]));
  const none: ReadonlyMap<string, string> = new Map();
  return { publicHolidays: (year) => byYear.get(year) ?? none };
}

export type DayKind = 'working day' | 'weekend' | 'holiday' | 'make-up workday';

export interface DayInfo {
  /** `YYYY-MM-DD` in the calendar's time zone. */
  date: string;
  working: boolean;
  kind: DayKind;
  /** Holiday or make-up workday name. */
  name?: string;
}

interface LocalDate {
  y: number;
  m: number;
  d: number;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const isoOf = (ld: LocalDate): string => `${pad(ld.y, 4)}-${pad(ld.m)}-${pad(ld.d)}`;

function parseIsoDate(iso: string): LocalDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`Expected a YYYY-MM-DD date, got "${iso}"`);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

/** Civil-date arithmetic (no time zone involved: a calendar date plus n days). */
function addDays(ld: LocalDate, n: number): LocalDate {
  const t = new Date(Date.UTC(ld.y, ld.m - 1, ld.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function weekday(ld: LocalDate): number {
  return new Date(Date.UTC(ld.y, ld.m - 1, ld.d)).getUTCDay();
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Wall-clock reading of instants in one IANA zone, and the way back. */
class Zone {
  private readonly format: Intl.DateTimeFormat;
  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** Wall-clock parts of an instant; `ms` is milliseconds since local midnight. */
  wall(at: Date): LocalDate & { ms: number } {
    const p: Record<string, number> = {};
    for (const part of this.format.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const ms = ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + (at.getTime() % 1000 + 1000) % 1000;
    return { y: p.year, m: p.month, d: p.day, ms };
  }

  private offset(at: Date): number {
    const w = this.wall(at);
    return Date.UTC(w.y, w.m - 1, w.d) + w.ms - at.getTime();
  }

  /** The instant at `ms` after local midnight of a local date (a second pass settles offset changes). */
  instant(ld: LocalDate, ms: number): Date {
    const asUtc = Date.UTC(ld.y, ld.m - 1, ld.d) + ms;
    const first = asUtc - this.offset(new Date(asUtc));
    const second = asUtc - this.offset(new Date(first));
    return new Date(second);
  }
}

export class SlaCalendar {
  readonly timeZone: string;
  private readonly zone: Zone;
  /** Working periods of a working day, as [start, end) minutes after local midnight. */
  private readonly periods: ReadonlyArray<readonly [number, number]>;
  private readonly extraHolidays = new Map<string, string>();
  private readonly makeUpWorkdays = new Map<string, string>();
  private readonly notHolidays = new Set<string>();

  constructor(
    config: CalendarConfig,
    private readonly holidays: HolidaySource,
  ) {
    this.timeZone = config.timeZone;
    this.zone = new Zone(config.timeZone);
    const start = minutesOf(config.workingHours.start);
    const end = minutesOf(config.workingHours.end);
    this.periods = config.lunchBreak
      ? [
          [start, minutesOf(config.lunchBreak.start)],
          [minutesOf(config.lunchBreak.end), end],
        ]
      : [[start, end]];
    for (const y of config.years) {
      for (const h of y.extraHolidays) this.extraHolidays.set(h.date, h.name);
      for (const w of y.makeUpWorkdays) this.makeUpWorkdays.set(w.date, w.name);
      for (const d of y.notHolidays) this.notHolidays.add(d);
    }
  }

  /** Working time in one working day, in milliseconds (7.5 h with the default hours and lunch). */
  get workingDayMs(): number {
    return this.periods.reduce((sum, [a, b]) => sum + (b - a) * MINUTE, 0);
  }

  /** The local date of an instant, or the date itself when given `YYYY-MM-DD`. */
  private localDate(date: Date | string): LocalDate {
    return typeof date === 'string' ? parseIsoDate(date) : this.zone.wall(date);
  }

  describeDay(date: Date | string): DayInfo {
    const ld = this.localDate(date);
    const iso = isoOf(ld);
    const makeUp = this.makeUpWorkdays.get(iso);
    if (makeUp !== undefined) return { date: iso, working: true, kind: 'make-up workday', name: makeUp };
    const extra = this.extraHolidays.get(iso);
    if (extra !== undefined) return { date: iso, working: false, kind: 'holiday', name: extra };
    const wd = weekday(ld);
    if (wd === 0 || wd === 6) return { date: iso, working: false, kind: 'weekend' };
    const national = this.notHolidays.has(iso) ? undefined : this.holidays.publicHolidays(ld.y).get(iso);
    if (national !== undefined) return { date: iso, working: false, kind: 'holiday', name: national };
    return { date: iso, working: true, kind: 'working day' };
  }

  /** Whether the day (of an instant, in the calendar's zone, or a `YYYY-MM-DD` date) is a working day. */
  isWorkingDay(date: Date | string): boolean {
    return this.describeDay(date).working;
  }

  /** The working periods of a local date as instants ([] on a day off). */
  private workingPeriods(ld: LocalDate): Array<[number, number]> {
    if (!this.isWorkingDay(isoOf(ld))) return [];
    return this.periods.map(([a, b]) => [this.zone.instant(ld, a * MINUTE).getTime(), this.zone.instant(ld, b * MINUTE).getTime()]);
  }

  /** Adds `ms` of working time to `start`; with 0, the next working moment (start itself if it is one). */
  private addWorkingTime(start: Date, ms: number): Date {
    let remaining = ms;
    let day: LocalDate = this.zone.wall(start);
    const from0 = start.getTime();
    for (let i = 0; i < MAX_SEARCH_DAYS; i++, day = addDays(day, 1)) {
      for (const [a, b] of this.workingPeriods(day)) {
        if (from0 >= b) continue;
        const from = Math.max(a, from0);
        if (remaining <= b - from) return new Date(from + remaining);
        remaining -= b - from;
      }
    }
    throw new RangeError(`No working time found within ${MAX_SEARCH_DAYS} days of ${start.toISOString()}`);
  }

  /** The first instant at or after `at` that is inside working hours on a working day. */
  nextWorkingMoment(at: Date): Date {
    return this.addWorkingTime(at, 0);
  }

  /** The Nth working day after a local date (N >= 1), or the date itself for N = 0. */
  private nthWorkingDayAfter(ld: LocalDate, n: number): LocalDate {
    let day = ld;
    let found = 0;
    for (let i = 0; found < n; i++) {
      if (i >= MAX_SEARCH_DAYS) throw new RangeError(`No ${n} working days found within ${MAX_SEARCH_DAYS} days of ${isoOf(ld)}`);
      day = addDays(day, 1);
      if (this.isWorkingDay(isoOf(day))) found++;
    }
    return day;
  }

  private addWorkingDays(start: Date, amount: number): Date {
    const whole = Math.floor(amount);
    const fraction = amount - whole;
    const begin = this.nextWorkingMoment(start);
    const wall = this.zone.wall(begin);
    const target = this.nthWorkingDayAfter(wall, whole);
    const end = this.zone.instant(target, wall.ms);
    return fraction > 0 ? this.addWorkingTime(end, fraction * this.workingDayMs) : end;
  }

  private addCalendarDays(start: Date, amount: number): Date {
    const whole = Math.floor(amount);
    const wall = this.zone.wall(start);
    const end = this.zone.instant(addDays(wall, whole), wall.ms);
    return new Date(end.getTime() + (amount - whole) * DAY);
  }

  /** When a deadline of `deadline` counted from `start` falls (see the rules at the top of this file). */
  addDeadline(start: Date, deadline: Deadline): Date {
    if (!(deadline.amount >= 0) || !Number.isFinite(deadline.amount)) throw new RangeError(`Deadline amount must be a finite number >= 0, got ${deadline.amount}`);
    switch (deadline.unit) {
      case 'workingHours':
        return this.addWorkingTime(start, deadline.amount * HOUR);
      case 'workingDays':
        return this.addWorkingDays(start, deadline.amount);
      case 'calendarHours':
        return new Date(start.getTime() + deadline.amount * HOUR);
      case 'calendarDays':
        return this.addCalendarDays(start, deadline.amount);
    }
  }

  /**
   * Working time between two instants, in milliseconds (negative when `to` is before `from`): how much of the
   * department's working time a case has used, for SLA reports.
   */
  workingTimeBetween(from: Date, to: Date): number {
    if (to.getTime() < from.getTime()) return -this.workingTimeBetween(to, from);
    const a = from.getTime();
    const b = to.getTime();
    let total = 0;
    let day: LocalDate = this.zone.wall(from);
    const last = isoOf(this.zone.wall(to));
    for (let i = 0; i <= MAX_SEARCH_DAYS * 10; i++, day = addDays(day, 1)) {
      for (const [s, e] of this.workingPeriods(day)) total += Math.max(0, Math.min(e, b) - Math.max(s, a));
      if (isoOf(day) === last) return total;
    }
    throw new RangeError('Interval too long for workingTimeBetween');
  }
}
