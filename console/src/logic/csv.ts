/**
 * CSV as spreadsheets open it: UTF-8 with a byte-order mark (without it Excel reads Chinese as the ANSI code page),
 * CRLF line ends (RFC 4180), every cell with a comma, quote or line break quoted with its quotes doubled, and
 * text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return that hides one)
 * prefixed with an apostrophe, so an address typed as `=HYPERLINK(...)` stays text.
 */
export const CSV_BOM = '\uFEFF';
export const CSV_MIME = 'text/csv;charset=utf-8';

export type CsvValue = string | number | boolean | null | undefined;

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: empty for nothing, numbers as written, text guarded against formulas and quoted when it must be. */
export function csvCell(value: CsvValue): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(String(value)) ? `'${String(value)}` : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file: the mark, the header row, one row per item, each line ended by CRLF. */
export function toCsv<T>(columns: ReadonlyArray<CsvColumn<T>>, rows: readonly T[]): string {
  const lines = [columns.map((c) => csvCell(c.header)), ...rows.map((row) => columns.map((c) => csvCell(c.value(row))))];
  return CSV_BOM + lines.map((cells) => `${cells.join(',')}\r\n`).join('');
}
