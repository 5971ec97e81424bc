/**
 * Validation of the four config files: each against its zod schema, then against each other. Anything wrong is a
 * ConfigError naming the file, the field path and the problem. Pure (no file is read here): the loader
 * (functions/config/load.ts) validates the bundled files with it, the SOP editor validates an edited SOP with it.
 */
import type { z } from 'zod';
import { ConfigError, type FieldProblem } from '../domain/errors';
import {
  calendarFileSchema,
  departmentsFileSchema,
  districtsFileSchema,
  sopsFileSchema,
  type CalendarConfig,
  type DepartmentsFile,
  type DistrictsFile,
  type Sop,
  DISTRICT_OFFICE_TOKEN,
  districtOfficeCode,
} from './schema';

export const CONFIG_FILES = {
  departments: 'config/departments.json',
  sops: 'config/sops.json',
  calendar: 'config/calendar.json',
  districts: 'config/districts.json',
  /** District polygons (GeoJSON) for locating a point; read where Open311 reports are located. */
  districtBoundaries: 'config/district-boundaries.json',
  /** Read by the CDK app only (alarm subscribers and thresholds), never by a function. */
  operations: 'config/operations.json',
} as const;

export interface Config {
  departments: DepartmentsFile;
  sops: Sop[];
  calendar: CalendarConfig;
  districts: DistrictsFile;
}

/** The files as read from disk, before validation. */
export interface RawConfigFiles {
  departments: unknown;
  sops: unknown;
  calendar: unknown;
  districts: unknown;
}

type Path = ReadonlyArray<PropertyKey>;

/** Names the elements array indexes point at (`sops.3` -> category "pothole") so the spot is easy to find. */
function describeElement(data: unknown, path: Path): string {
  let node: unknown = data;
  const labels: string[] = [];
  for (const key of path) {
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<PropertyKey, unknown>)[key];
    if (typeof key === 'number' && node && typeof node === 'object') {
      const item = node as Record<string, unknown>;
      const id = ['code', 'category', 'year', 'date', 'key', 'level'].find((k) => typeof item[k] === 'string' || typeof item[k] === 'number');
      if (id) labels.push(`${id} ${JSON.stringify(item[id])}`);
    }
  }
  return labels.length ? ` (${labels.join(', ')})` : '';
}

function pathOf(path: Path): string {
  return path.map(String).join('.');
}

/** Validates one file's content; throws ConfigError naming the file, each field path and its problem. */
export function parseConfig<S extends z.ZodType>(file: string, schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const problems: FieldProblem[] = result.error.issues.map((issue) => ({
    path: pathOf(issue.path),
    message: issue.message + describeElement(data, issue.path),
  }));
  throw new ConfigError(file, problems);
}

/** Collects problems per file so one run reports all of them. */
class Problems {
  private readonly byFile = new Map<string, FieldProblem[]>();
  add(file: string, path: Path, message: string): void {
    const list = this.byFile.get(file) ?? [];
    list.push({ path: pathOf(path), message });
    this.byFile.set(file, list);
  }
  throwIfAny(): void {
    const first = this.byFile.entries().next();
    if (first.done) return;
    const [file, problems] = first.value;
    // One ConfigError carries one file; further files follow in its problem list with their own prefix.
    const others = [...this.byFile.entries()].slice(1).flatMap(([f, ps]) => ps.map((p) => ({ path: `${f}: ${p.path}`, message: p.message })));
    throw new ConfigError(file, [...problems, ...others]);
  }
}

const MINUTES = /^(\d{2}):(\d{2})$/;
function minutesOf(hhmm: string): number {
  const m = MINUTES.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function weekdayOf(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

function isRealDate(isoDate: string): boolean {
  const [y, m, d] = isoDate.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function checkDepartments(cfg: Config, p: Problems): void {
  const file = CONFIG_FILES.departments;
  const seen = new Set<string>();
  cfg.departments.departments.forEach((d, i) => {
    if (seen.has(d.code)) p.add(file, ['departments', i, 'code'], `duplicate department code "${d.code}"`);
    seen.add(d.code);
  });
  const { level2, level3 } = cfg.departments.escalationDepartments;
  if (!seen.has(level2)) p.add(file, ['escalationDepartments', 'level2'], `unknown department "${level2}"`);
  if (!seen.has(level3)) p.add(file, ['escalationDepartments', 'level3'], `unknown department "${level3}"`);
  cfg.departments.departments.forEach((d, i) => {
    d.escalation.forEach((e, j) => {
      if (e.notifyDepartment && !seen.has(e.notifyDepartment))
        p.add(file, ['departments', i, 'escalation', j, 'notifyDepartment'], `unknown department "${e.notifyDepartment}"`);
    });
    // The workflow escalates a dispatched case through all three levels; each needs someone to name.
    if (d.receivesCases) {
      for (const level of [1, 2, 3] as const) {
        const count = d.escalation.filter((e) => e.level === level).length;
        if (count !== 1) p.add(file, ['departments', i, 'escalation'], `needs exactly one level ${level} contact, has ${count} (code "${d.code}")`);
      }
    }
    if (d.officeHours && !(minutesOf(d.officeHours.start) < minutesOf(d.officeHours.end)))
      p.add(file, ['departments', i, 'officeHours'], 'start must be before end');
  });
}

function checkDistricts(cfg: Config, p: Problems): void {
  const file = CONFIG_FILES.districts;
  const seen = new Set<string>();
  cfg.districts.districts.forEach((d, i) => {
    if (!/^[a-z][a-z0-9-]*$/.test(d.code)) p.add(file, ['districts', i, 'code'], `must be lower-case letters, digits or - ("${d.code}")`);
    if (seen.has(d.code)) p.add(file, ['districts', i, 'code'], `duplicate district code "${d.code}"`);
    seen.add(d.code);
  });
}

function checkSops(cfg: Config, p: Problems): void {
  const file = CONFIG_FILES.sops;
  const departments = new Map(cfg.departments.departments.map((d) => [d.code, d]));
  const districtCodes = cfg.districts.districts.map((d) => d.code);
  const districts = new Set(districtCodes);
  const categories = new Set<string>();

  /** A SOP target: a department that receives cases, or the DIST token (then every district needs its office). */
  const checkTarget = (path: Path, code: string, onlyDistricts: readonly string[]): void => {
    if (code === DISTRICT_OFFICE_TOKEN) {
      for (const district of onlyDistricts) {
        const office = departments.get(districtOfficeCode(district));
        if (!office) p.add(file, path, `"DIST" needs department "${districtOfficeCode(district)}" for district "${district}", which does not exist`);
        else if (!office.receivesCases) p.add(file, path, `"DIST" resolves to "${office.code}", which does not receive cases`);
      }
      return;
    }
    const dept = departments.get(code);
    if (!dept) p.add(file, path, `unknown department "${code}"`);
    else if (!dept.receivesCases) p.add(file, path, `department "${code}" does not receive cases`);
  };

  cfg.sops.forEach((sop, i) => {
    if (categories.has(sop.category)) p.add(file, ['sops', i, 'category'], `duplicate category "${sop.category}"`);
    categories.add(sop.category);
    const overridden = Object.keys(sop.districtOverrides);
    checkTarget(
      ['sops', i, 'defaultDepartment'],
      sop.defaultDepartment,
      districtCodes.filter((d) => !overridden.includes(d)),
    );
    for (const [district, code] of Object.entries(sop.districtOverrides)) {
      const path = ['sops', i, 'districtOverrides', district];
      if (!districts.has(district)) p.add(file, path, `unknown district "${district}" (category "${sop.category}")`);
      else checkTarget(path, code, [district]);
    }
    sop.attributes.forEach((a, j) => {
      const keys = new Set<string>();
      a.values?.forEach((v, k) => {
        if (keys.has(v.key)) p.add(file, ['sops', i, 'attributes', j, 'values', k, 'key'], `duplicate value "${v.key}"`);
        keys.add(v.key);
      });
      if (a.values?.length && a.datatype !== 'singlevaluelist' && a.datatype !== 'multivaluelist')
        p.add(file, ['sops', i, 'attributes', j, 'values'], `only list attributes take values (datatype "${a.datatype}")`);
    });
  });
}

function checkCalendar(cfg: Config, p: Problems): void {
  const file = CONFIG_FILES.calendar;
  const cal = cfg.calendar;
  if (!isValidTimeZone(cal.timeZone)) p.add(file, ['timeZone'], `unknown time zone "${cal.timeZone}"`);
  const start = minutesOf(cal.workingHours.start);
  const end = minutesOf(cal.workingHours.end);
  if (!(start < end) || end > 24 * 60) p.add(file, ['workingHours'], 'start must be before end, within one day');
  if (cal.lunchBreak) {
    const ls = minutesOf(cal.lunchBreak.start);
    const le = minutesOf(cal.lunchBreak.end);
    if (!(start < ls && ls < le && le < end)) p.add(file, ['lunchBreak'], 'must lie inside working hours, start before end');
  }
  const years = new Set<number>();
  cal.years.forEach((y, i) => {
    if (years.has(y.year)) p.add(file, ['years', i, 'year'], `duplicate year ${y.year}`);
    years.add(y.year);
    const holidays = new Set<string>();
    const checkDate = (list: 'extraHolidays' | 'makeUpWorkdays' | 'notHolidays', j: number, date: string): boolean => {
      const path = list === 'notHolidays' ? ['years', i, list, j] : ['years', i, list, j, 'date'];
      if (!isRealDate(date)) p.add(file, path, `${date} is not a calendar date`);
      else if (!date.startsWith(`${y.year}-`)) p.add(file, path, `${date} is not in ${y.year}`);
      else return true;
      return false;
    };
    y.extraHolidays.forEach((h, j) => {
      if (checkDate('extraHolidays', j, h.date)) holidays.add(h.date);
    });
    y.makeUpWorkdays.forEach((w, j) => {
      if (!checkDate('makeUpWorkdays', j, w.date)) return;
      const path = ['years', i, 'makeUpWorkdays', j, 'date'];
      if (holidays.has(w.date)) p.add(file, path, `${w.date} is also listed as an extra holiday`);
      // A make-up workday turns a weekend day into a working day; on a weekday it would mean nothing.
      const day = weekdayOf(w.date);
      if (day !== 0 && day !== 6) p.add(file, path, `${w.date} is not a Saturday or Sunday`);
    });
    y.notHolidays.forEach((d, j) => checkDate('notHolidays', j, d));
  });
}

/** Validates the four files and cross-checks them. Pure: tests pass broken copies here. */
export function validateConfig(raw: RawConfigFiles): Config {
  const departments = parseConfig(CONFIG_FILES.departments, departmentsFileSchema, raw.departments);
  const sops = parseConfig(CONFIG_FILES.sops, sopsFileSchema, raw.sops).sops;
  const calendar = parseConfig(CONFIG_FILES.calendar, calendarFileSchema, raw.calendar);
  const districts = parseConfig(CONFIG_FILES.districts, districtsFileSchema, raw.districts);
  const cfg: Config = { departments, sops, calendar, districts };
  const problems = new Problems();
  checkDistricts(cfg, problems);
  checkDepartments(cfg, problems);
  checkSops(cfg, problems);
  checkCalendar(cfg, problems);
  problems.throwIfAny();
  return cfg;
}

