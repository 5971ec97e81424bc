/**
 * The meeting pack's sections (one set of columns for the page, the CSV files and the workbook) and the XLSX
 * workbook, read back with exceljs as a spreadsheet would open it.
 */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { MeetingPack } from '../../console/src/api/types';
import { interpolate } from '../../console/src/i18n';
import { zhTW } from '../../console/src/i18n/zh-TW';
import { toCsv } from '../../console/src/logic/csv';
import { packSections, percent, signedPercent } from '../../console/src/logic/meeting-pack';
import { sheetName, workbookBytes } from '../../console/src/logic/xlsx';

const t = (key: string, params?: Record<string, string | number>) => interpolate((zhTW as Record<string, string>)[key] ?? key, params);
const labels = { category: (c?: string) => (c === 'pothole' ? '路面坑洞' : (c ?? '')), district: (c?: string) => (c === 'bade' ? '八德區' : (c ?? '')), department: (c?: string) => c ?? '' };

const PACK: MeetingPack = {
  month: '2026-11',
  from: '2026-11-01',
  to: '2026-11-03',
  previousMonth: '2026-10',
  volumes: {
    days: ['2026-11-01', '2026-11-02', '2026-11-03'],
    total: 6,
    previousTotal: 4,
    byCategory: [{ code: 'pothole', count: 6, previous: 4, change: 0.5, daily: [1, 2, 3] }],
    byDistrict: [{ code: 'bade', count: 6, previous: 4, change: 0.5, daily: [1, 2, 3] }],
  },
  departments: [{ department: 'PWD', created: 6, onTime: 2, late: 1, reopened: 1, satisfied: 1, unsatisfied: 2, compliance: 0.667, reopenRate: 0.333, satisfactionRate: 0.333, dissatisfactionRate: 0.667 }],
  warnings: [
    {
      id: 'spike:pothole@bade:2026-11-02T01',
      kind: 'spike',
      category: 'pothole',
      district: 'bade',
      raisedAt: '2026-11-02T01:15:00.000Z',
      status: 'closed',
      count: 8,
      lastChange: { status: 'closed', by: 'supervisor-1', at: '2026-11-03T01:00:00.000Z', reason: '=已全面刨鋪' },
    },
  ],
  sopChanges: [],
  generatedAt: '2026-12-03T02:30:00.000Z',
};

describe('packSections', () => {
  const sections = packSections(PACK, t, labels);

  it('has the five sections, each with its rows', () => {
    expect(sections.map((s) => [s.id, s.rows.length])).toEqual([
      ['categories', 1],
      ['districts', 1],
      ['departments', 1],
      ['warnings', 1],
      ['sop-changes', 0],
    ]);
  });

  it('names columns in the UI language, the change in percent as a number, the rates in percent and one column per day', () => {
    const csv = toCsv(sections[0].columns as never, sections[0].rows);

    expect(csv.split('\r\n').slice(0, 2)).toEqual(['\uFEFF類別,通數,上月,增減 (%),11-01,11-02,11-03', '路面坑洞,6,4,50,1,2,3']);
    expect(signedPercent(-0.2)).toBe('-20%');
    expect(signedPercent(null)).toBe('');
    expect(percent(0.667)).toBe('67%');
  });

  it("says what was done about a warning, guarded in CSV like any typed text", () => {
    const csv = toCsv(sections[3].columns as never, sections[3].rows);

    expect(csv).toContain("'=已全面刨鋪");
  });
});

describe('the XLSX workbook', () => {
  it('has one sheet per section, the header bold and frozen, numbers as numbers and text as text', async () => {
    const sections = packSections(PACK, t, labels);
    const bytes = await workbookBytes(sections.map((s) => ({ title: s.title, columns: s.columns as never, rows: s.rows })));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes);

    expect(book.worksheets.map((w) => w.name)).toEqual(sections.map((s) => s.title));
    const categories = book.worksheets[0];
    expect(categories.getRow(1).values).toEqual([undefined, '類別', '通數', '上月', '增減 (%)', '11-01', '11-02', '11-03']);
    expect(categories.getRow(1).font?.bold).toBe(true);
    expect(categories.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(categories.getRow(2).values).toEqual([undefined, '路面坑洞', 6, 4, 50, 1, 2, 3]);
    expect(book.worksheets[3].getCell('H2').value).toBe('=已全面刨鋪');
    expect(book.worksheets[3].getCell('H2').type).toBe(ExcelJS.ValueType.String);
  });

  it("names sheets as Excel allows: 31 characters, no / \\\\ ? * [ ] :, unique", () => {
    const taken = new Set(['calls']);

    expect(sheetName('a/b:c?[d]', new Set())).toBe('a b c  d');
    expect(sheetName('x'.repeat(40), new Set())).toHaveLength(31);
    expect(sheetName('Calls', taken)).toBe('Calls 2');
  });
});
