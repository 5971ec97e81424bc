/**
 * Human-friendly case numbers: `YYYYMMDD-NNNNN`, the day the case was logged in Asia/Taipei plus that day's
 * counter (an atomic ADD in the store). Citizens read them out on the phone, so the day is the city's day,
 * not UTC's: a case logged at 23:30 Taipei time belongs to that Taipei day.
 */
export const CASE_TIME_ZONE = 'Asia/Taipei';

/** Highest sequence a day can hold with five digits. */
export const MAX_DAILY_SEQUENCE = 99_999;

/** `20261127-00042`; month and day must be plausible, the date itself is checked by parseCaseNo. */
export const CASE_NO_PATTERN = /^(\d{4})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])-(\d{5})$/;

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: CASE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

function taipeiDateParts(at: Date): { year: string; month: string; day: string } {
  const parts = Object.fromEntries(dayFormat.formatToParts(at).map((p) => [p.type, p.value]));
  return { year: parts.year, month: parts.month, day: parts.day };
}

/** The Taipei calendar day of an instant as `yyyymmdd` (the case-number prefix and counter key). */
export function taipeiDay(at: Date): string {
  const { year, month, day } = taipeiDateParts(at);
  return `${year}${month}${day}`;
}

/** The Taipei calendar day of an instant as `yyyy-mm-dd` (for date-range keys and reports). */
export function taipeiDate(at: Date): string {
  const { year, month, day } = taipeiDateParts(at);
  return `${year}-${month}-${day}`;
}

/** yyyy-mm-dd plus n days (calendar arithmetic on the date itself, no time zone involved). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The month after a yyyy-mm month. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function isRealDay(day: string): boolean {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(4, 6));
  const d = Number(day.slice(6, 8));
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * `formatCaseNo('20261127', 42)` -> `20261127-00042`. Throws RangeError for a malformed day or a sequence outside
 * 1..99999: a sixth digit would break every number already printed on letters and SMS, so it must fail loudly.
 */
export function formatCaseNo(day: string, seq: number): string {
  if (!/^\d{8}$/.test(day) || !isRealDay(day)) throw new RangeError(`Case number day must be a yyyymmdd date, got "${day}"`);
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_DAILY_SEQUENCE)
    throw new RangeError(`Case number sequence must be an integer from 1 to ${MAX_DAILY_SEQUENCE}, got ${seq}`);
  return `${day}-${String(seq).padStart(5, '0')}`;
}

export interface ParsedCaseNo {
  /** `yyyymmdd` */
  day: string;
  seq: number;
}

/** The parts of a case number, or undefined when it is not one (including impossible dates like 20260230). */
export function parseCaseNo(caseNo: string): ParsedCaseNo | undefined {
  const m = CASE_NO_PATTERN.exec(caseNo);
  if (!m) return undefined;
  const day = `${m[1]}${m[2]}${m[3]}`;
  const seq = Number(m[4]);
  if (!isRealDay(day) || seq < 1) return undefined;
  return { day, seq };
}

export function isCaseNo(value: string): boolean {
  return parseCaseNo(value) !== undefined;
}
