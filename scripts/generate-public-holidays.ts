/**
 * `npm run generate:holidays`: writes config/public-holidays.json, the national public holidays the SLA
 * calendar reads at run time, from date-holidays' Taiwan data (type `public` only: its `observance` days are
 * working days), for every year in config/calendar.json plus the year after the last (a deadline set late in
 * December ends in January). date-holidays is a build-time tool: its data and the rules engine behind it
 * (moment-timezone, astronomia: about 1 MiB minified) stay out of the Lambda bundles.
 *
 * Run it when config/calendar.json gains a year or date-holidays is upgraded; test/domain/public-holidays.test.ts
 * fails while the file differs from what this script would write.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Holidays from 'date-holidays';
import calendarJson from '../config/calendar.json' with { type: 'json' };

export const OUTPUT = fileURLToPath(new URL('../config/public-holidays.json', import.meta.url));

export interface PublicHolidaysFile {
  source: string;
  /** year -> `YYYY-MM-DD` -> name (several holidays on one day are joined with "; "). */
  years: Record<string, Record<string, string>>;
}

/** The years the file covers: the configured ones and the year after the last. */
export function coveredYears(configured: readonly number[] = calendarJson.years.map((y) => y.year)): number[] {
  const years = new Set(configured);
  years.add(Math.max(...configured) + 1);
  return [...years].sort((a, b) => a - b);
}

/** date-holidays' `public` entries for Taiwan, by date, for each year. */
export function publicHolidaysFromDateHolidays(years: readonly number[]): PublicHolidaysFile {
  const hd = new Holidays('TW');
  const out: PublicHolidaysFile = { source: 'date-holidays, country TW, type public (scripts/generate-public-holidays.ts)', years: {} };
  for (const year of years) {
    const days: Record<string, string> = {};
    for (const h of hd.getHolidays(year)) {
      if (h.type !== 'public') continue;
      const date = h.date.slice(0, 10);
      days[date] = days[date] ? `${days[date]}; ${h.name}` : h.name;
    }
    out.years[String(year)] = Object.fromEntries(Object.entries(days).sort(([a], [b]) => a.localeCompare(b)));
  }
  return out;
}

export function render(file: PublicHolidaysFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = publicHolidaysFromDateHolidays(coveredYears());
  writeFileSync(OUTPUT, render(file));
  console.log(`${OUTPUT}: ${Object.entries(file.years).map(([y, d]) => `${y} ${Object.keys(d).length} days`).join(', ')}`);
}
