/**
 * An XLSX workbook from the pack's sections (logic/meeting-pack.ts): one sheet per section, its header row bold
 * and frozen, numbers as numbers. exceljs is loaded only when a workbook is asked for (it is most of a megabyte),
 * and text cells are written as strings, which a spreadsheet never evaluates, so the formula guard CSV needs is
 * not needed here.
 */
import type { CsvColumn, CsvValue } from './csv';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface SheetSource {
  title: string;
  columns: ReadonlyArray<CsvColumn<never>>;
  rows: readonly unknown[];
}

/** Excel's sheet names: at most 31 characters, none of \ / ? * [ ] : and unique in the workbook. */
export function sheetName(title: string, taken: ReadonlySet<string>): string {
  const base = title.replace(/[\\/?*[\]:]/g, ' ').trim().slice(0, 31) || 'Sheet';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  return name;
}

export async function workbookBytes(sheets: readonly SheetSource[]): Promise<ArrayBuffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'CityDesk 1999';
  const taken = new Set<string>();
  for (const sheet of sheets) {
    const name = sheetName(sheet.title, taken);
    taken.add(name.toLowerCase());
    const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    const columns = sheet.columns as ReadonlyArray<CsvColumn<unknown>>;
    ws.addRow(columns.map((c) => c.header)).font = { bold: true };
    for (const row of sheet.rows) ws.addRow(columns.map((c) => cellValue(c.value(row))));
    ws.columns.forEach((column, i) => {
      column.width = Math.min(40, Math.max(8, ...[columns[i]?.header ?? '', ...sheet.rows.map((r) => String(columns[i]?.value(r) ?? ''))].map(displayWidth)));
    });
  }
  return (await workbook.xlsx.writeBuffer());
}

function cellValue(value: CsvValue): string | number | boolean | null {
  return value === undefined ? null : value;
}

/** Chinese characters take two columns. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\uffff]/.test(ch) ? 2 : 1;
  return w + 2;
}
