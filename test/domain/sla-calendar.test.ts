import { describe, expect, it } from 'vitest';
import { shippedCalendar, shippedPublicHolidays } from '../../functions/config/load';
import type { CalendarConfig, Deadline } from '../../functions/config/schema';
import { SlaCalendar, type HolidaySource } from '../../functions/domain/sla-calendar';

/** The calendar of the shipped config/calendar.json: the domain takes its data as an argument. */
const shipped = shippedCalendar();
const defaultSlaCalendar = () => shipped;
const isWorkingDay = (date: Date | string) => shipped.isWorkingDay(date);
const addDeadline = (start: Date, deadline: Deadline) => shipped.addDeadline(start, deadline);

/** An instant given as Taipei wall time. */
const taipei = (local: string): Date => new Date(`${local}+08:00`);
const wh = (amount: number): Deadline => ({ amount, unit: 'workingHours' });
const wd = (amount: number): Deadline => ({ amount, unit: 'workingDays' });
const HOUR = 3_600_000;

describe('SLA calendar: working days (shipped config + date-holidays TW)', () => {
  it('weekends are not working days', () => {
    expect(isWorkingDay('2026-11-28')).toBe(false);
    expect(isWorkingDay('2026-11-29')).toBe(false);
    expect(isWorkingDay('2026-11-27')).toBe(true);
  });

  it('the 2026 Lunar New Year holidays are days off, including the observed day for 小年夜 (Feb 20)', () => {
    for (const d of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']) expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay('2026-02-13')).toBe(true);
    expect(isWorkingDay('2026-02-23')).toBe(true);
  });

  it('days date-holidays lacks or misses are days off: observed days and the holidays added from 2025', () => {
    const daysOff = ['2026-02-27', '2026-04-03', '2026-04-06', '2026-05-01', '2026-09-28', '2026-10-09', '2026-10-26', '2026-12-25'];
    for (const d of daysOff) expect(isWorkingDay(d), d).toBe(false);
  });

  it('observances are working days (國父逝世紀念日, Thursday 2026-03-12)', () => {
    expect(isWorkingDay('2026-03-12')).toBe(true);
  });

  it('a make-up workday (Saturday 2025-02-08) is a working day', () => {
    expect(defaultSlaCalendar().describeDay('2025-02-08')).toMatchObject({ working: true, kind: 'make-up workday' });
  });

  it('2026 has exactly the DGPA count of weekday holidays (120 days off in total)', () => {
    const cal = defaultSlaCalendar();
    let off = 0;
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 24 * HOUR) {
      if (!cal.isWorkingDay(new Date(t).toISOString().slice(0, 10))) off++;
    }
    expect(off).toBe(120);
  });

  it('an instant belongs to its Taipei day: 2026-11-27T16:30Z is Saturday in Taipei', () => {
    expect(isWorkingDay(new Date('2026-11-27T15:59:59Z'))).toBe(true);
    expect(isWorkingDay(new Date('2026-11-27T16:00:00Z'))).toBe(false);
  });
});

describe('SLA calendar: working-hours deadlines', () => {
  it('count on after the weekend: 2 working hours from Friday 16:30 is Monday 09:30', () => {
    expect(addDeadline(taipei('2026-11-27T16:30:00'), wh(2))).toEqual(taipei('2026-11-30T09:30:00'));
  });

  it('skip lunch: 2 working hours from 11:30 is 15:00', () => {
    expect(addDeadline(taipei('2026-11-25T11:30:00'), wh(2))).toEqual(taipei('2026-11-25T15:00:00'));
  });

  it('a case logged during lunch starts counting at 13:30', () => {
    expect(addDeadline(taipei('2026-11-25T12:15:00'), wh(1))).toEqual(taipei('2026-11-25T14:30:00'));
  });

  it('an after-hours case starts counting at 08:30 the next working day', () => {
    expect(addDeadline(taipei('2026-11-25T19:00:00'), wh(1))).toEqual(taipei('2026-11-26T09:30:00'));
    expect(addDeadline(taipei('2026-11-26T07:00:00'), wh(1))).toEqual(taipei('2026-11-26T09:30:00'));
  });

  it('a case logged at 17:30 sharp starts counting the next working day', () => {
    expect(addDeadline(taipei('2026-11-25T17:30:00'), wh(1))).toEqual(taipei('2026-11-26T09:30:00'));
  });

  it('a deadline that uses up the day ends at 17:30, not at 08:30 the next day', () => {
    expect(addDeadline(taipei('2026-11-25T16:30:00'), wh(1))).toEqual(taipei('2026-11-25T17:30:00'));
  });

  it('span the Lunar New Year: 2 working hours from Friday 2026-02-13 16:00 is Monday 2026-02-23 09:00', () => {
    expect(addDeadline(taipei('2026-02-13T16:00:00'), wh(2))).toEqual(taipei('2026-02-23T09:00:00'));
  });

  it('run into a make-up Saturday: 1 working hour from Friday 2025-02-07 17:00 is Saturday 09:00', () => {
    expect(addDeadline(taipei('2025-02-07T17:00:00'), wh(1))).toEqual(taipei('2025-02-08T09:00:00'));
  });
});

describe('SLA calendar: working-day deadlines', () => {
  it('N working days is the same wall time on the Nth following working day', () => {
    expect(addDeadline(taipei('2026-11-24T10:15:00'), wd(3))).toEqual(taipei('2026-11-27T10:15:00'));
  });

  it('skip the weekend: 3 working days from Thursday 14:00 is Tuesday 14:00', () => {
    expect(addDeadline(taipei('2026-11-26T14:00:00'), wd(3))).toEqual(taipei('2026-12-01T14:00:00'));
  });

  it('an after-hours case counts from the next working moment: Friday 22:00 + 3 is Thursday 08:30', () => {
    expect(addDeadline(taipei('2026-11-27T22:00:00'), wd(3))).toEqual(taipei('2026-12-03T08:30:00'));
  });

  it('a case logged during lunch counts from 13:30', () => {
    expect(addDeadline(taipei('2026-11-25T12:40:00'), wd(1))).toEqual(taipei('2026-11-26T13:30:00'));
  });

  it('skip the Lunar New Year: 3 working days from Friday 2026-02-13 16:00 is Wednesday 2026-02-25 16:00', () => {
    expect(addDeadline(taipei('2026-02-13T16:00:00'), wd(3))).toEqual(taipei('2026-02-25T16:00:00'));
  });

  it('skip Double Tenth observed on Friday 2026-10-09: 1 working day from Thursday is Monday', () => {
    expect(addDeadline(taipei('2026-10-08T10:00:00'), wd(1))).toEqual(taipei('2026-10-12T10:00:00'));
  });

  it('count a make-up workday: 1 working day from Friday 2025-02-07 10:00 is Saturday 2025-02-08 10:00', () => {
    expect(addDeadline(taipei('2025-02-07T10:00:00'), wd(1))).toEqual(taipei('2025-02-08T10:00:00'));
  });

  it('a fraction of a working day is that share of 7.5 working hours', () => {
    expect(addDeadline(taipei('2026-11-27T10:00:00'), wd(0.5))).toEqual(taipei('2026-11-27T15:15:00'));
  });
});

describe('SLA calendar: calendar deadlines for urgent work', () => {
  it('calendar hours run through the night and the weekend: 15 minutes from Saturday 23:50 is Sunday 00:05', () => {
    expect(addDeadline(taipei('2026-11-28T23:50:00'), { amount: 0.25, unit: 'calendarHours' })).toEqual(taipei('2026-11-29T00:05:00'));
  });

  it('calendar hours ignore holidays: 4 hours from 2026-02-17 (初一) 22:00 is 02:00 the next day', () => {
    expect(addDeadline(taipei('2026-02-17T22:00:00'), { amount: 4, unit: 'calendarHours' })).toEqual(taipei('2026-02-18T02:00:00'));
  });

  it('calendar days keep the wall time: 30 days from 2026-11-27 10:00 is 2026-12-27 10:00', () => {
    expect(addDeadline(taipei('2026-11-27T10:00:00'), { amount: 30, unit: 'calendarDays' })).toEqual(taipei('2026-12-27T10:00:00'));
  });
});

describe('SLA calendar: working time between two instants', () => {
  it('counts only working time: Friday 16:30 to Monday 09:30 is 2 hours', () => {
    const cal = defaultSlaCalendar();
    expect(cal.workingTimeBetween(taipei('2026-11-27T16:30:00'), taipei('2026-11-30T09:30:00'))).toBe(2 * HOUR);
  });

  it('excludes lunch and is negative when the end is before the start', () => {
    const cal = defaultSlaCalendar();
    expect(cal.workingTimeBetween(taipei('2026-11-25T11:00:00'), taipei('2026-11-25T14:00:00'))).toBe(1.5 * HOUR);
    expect(cal.workingTimeBetween(taipei('2026-11-25T14:00:00'), taipei('2026-11-25T11:00:00'))).toBe(-1.5 * HOUR);
  });

  it('agrees with addDeadline: the working time to a working-hours deadline is its amount', () => {
    const cal = defaultSlaCalendar();
    const start = taipei('2026-02-12T15:10:00');
    expect(cal.workingTimeBetween(start, cal.addDeadline(start, wh(11)))).toBe(11 * HOUR);
  });
});

describe('SLA calendar: configuration', () => {
  const noHolidays: HolidaySource = { publicHolidays: () => new Map() };
  const base: CalendarConfig = { timeZone: 'Asia/Taipei', workingHours: { start: '08:30', end: '17:30' }, years: [] };

  it('notHolidays turns a date-holidays public holiday back into a working day', () => {
    const cal = new SlaCalendar({ ...base, years: [{ year: 2026, extraHolidays: [], makeUpWorkdays: [], notHolidays: ['2026-06-19'] }] }, shippedPublicHolidays());
    expect(cal.isWorkingDay('2026-06-19')).toBe(true);
    expect(new SlaCalendar(base, shippedPublicHolidays()).isWorkingDay('2026-06-19')).toBe(false);
  });

  it('without a lunch break the working day is continuous', () => {
    const cal = new SlaCalendar(base, noHolidays);
    expect(cal.addDeadline(taipei('2026-11-25T11:30:00'), wh(2))).toEqual(taipei('2026-11-25T13:30:00'));
  });

  it('is correct across a daylight-saving change (Europe/Berlin, 2026-03-29)', () => {
    const cal = new SlaCalendar({ ...base, timeZone: 'Europe/Berlin', workingHours: { start: '09:00', end: '17:00' } }, noHolidays);
    // Friday 16:00 CET + 2 working hours = Monday 10:00 CEST = 08:00Z.
    expect(cal.addDeadline(new Date('2026-03-27T15:00:00Z'), wh(2))).toEqual(new Date('2026-03-30T08:00:00Z'));
    // One calendar day over the change keeps the wall time: 12:00 CET -> 12:00 CEST.
    expect(cal.addDeadline(new Date('2026-03-28T11:00:00Z'), { amount: 1, unit: 'calendarDays' })).toEqual(new Date('2026-03-29T10:00:00Z'));
  });
});
