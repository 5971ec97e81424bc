/**
 * The SLA calendar reads national holidays from config/public-holidays.json, generated from date-holidays at
 * build time (scripts/generate-public-holidays.ts) so date-holidays stays out of the Lambda bundles. These tests
 * keep the file equal to what date-holidays says for every configured year, and the calendar built on it equal,
 * day by day, to a calendar asking date-holidays directly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import Holidays from 'date-holidays';
import calendarJson from '../../config/calendar.json' with { type: 'json' };
import { loadConfig, shippedPublicHolidays } from '../../functions/config/load';
import { SlaCalendar, publicHolidaysFrom, type HolidaySource } from '../../functions/domain/sla-calendar';
import { coveredYears, OUTPUT, publicHolidaysFromDateHolidays, render } from '../../scripts/generate-public-holidays';

/** date-holidays asked at run time, as the calendar did before the data was generated. */
function dateHolidaysSource(): HolidaySource {
  const hd = new Holidays('TW');
  return {
    publicHolidays(year) {
      const days = new Map<string, string>();
      for (const h of hd.getHolidays(year)) if (h.type === 'public') days.set(h.date.slice(0, 10), h.name);
      return days;
    },
  };
}

describe('generated public holidays', () => {
  it('config/public-holidays.json is what the generator writes from date-holidays now (run `npm run generate:holidays` when not)', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(render(publicHolidaysFromDateHolidays(coveredYears())));
  });

  it('covers every year of config/calendar.json and the year after the last', () => {
    const configured = calendarJson.years.map((y) => y.year);
    const file = JSON.parse(readFileSync(OUTPUT, 'utf8')) as { years: Record<string, unknown> };
    expect(Object.keys(file.years).map(Number)).toEqual([...configured, Math.max(...configured) + 1]);
  });

  it('the calendar on the generated data agrees with date-holidays on every day of the covered years', () => {
    const config = loadConfig().calendar;
    const generated = new SlaCalendar(config, shippedPublicHolidays());
    const direct = new SlaCalendar(config, dateHolidaysSource());
    const differing: string[] = [];
    let days = 0;
    for (const year of coveredYears()) {
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        const date = new Date(t).toISOString().slice(0, 10);
        days++;
        if (generated.describeDay(date).working !== direct.describeDay(date).working) differing.push(date);
      }
    }
    expect(days).toBeGreaterThan(365 * 3);
    expect(differing).toEqual([]);
  });

  it('a year the file does not cover has weekends only: no holiday is invented', () => {
    const cal = new SlaCalendar(loadConfig().calendar, publicHolidaysFrom({ years: { '2026': { '2026-01-01': '元旦' } } }));
    expect(cal.describeDay('2026-01-01')).toMatchObject({ working: false, kind: 'holiday' });
    expect(cal.describeDay('2031-01-01')).toMatchObject({ working: true, kind: 'working day' });
  });
});
