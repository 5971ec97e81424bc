/**
 * Lists exported as CSV: the file Excel opens right (BOM, CRLF, quoting), never runs a cell as a formula, holds at
 * most the row cap paged from the list API, and names its columns in the UI's language with data as on screen.
 */
import { describe, expect, it } from 'vitest';
import type { CaseSummary, Page, Warning } from '../../console/src/api/types';
import { translate, type Lang, type MessageKey, type Params } from '../../console/src/i18n';
import { CSV_BOM, csvCell, toCsv } from '../../console/src/logic/csv';
import { callbackColumns, caseColumns, collectPages, EXPORT_ROW_CAP, exportFileName, warningColumns } from '../../console/src/logic/export';

const tr = (lang: Lang) => (key: MessageKey, params?: Params) => translate(lang, key, params);
const labels = {
  status: (s: string) => `status:${s}`,
  category: (c: string | undefined) => (c ? `cat:${c}` : ''),
  district: (d: string | undefined) => (d ? `dist:${d}` : ''),
  department: (d: string | undefined) => (d ? `dept:${d}` : ''),
};

function summary(overrides: Partial<CaseSummary> = {}): CaseSummary {
  return {
    caseNo: '20261127-00042',
    status: 'ASSIGNED',
    category: 'street-light',
    department: 'PWD',
    priority: 'normal',
    escalationLevel: 0,
    acknowledgeDueAt: '2026-11-27T03:00:00.000Z',
    resolveDueAt: '2026-12-02T01:00:00.000Z',
    createdAt: '2026-11-27T01:00:00.000Z',
    updatedAt: '2026-11-27T01:00:00.000Z',
    channel: 'phone',
    district: 'zhongli',
    address: '中正路 100 號前',
    ...overrides,
  };
}

/** Splits a file as a spreadsheet would (enough for these cells: no line breaks inside quotes here). */
function rows(csv: string): string[][] {
  return csv
    .replace(CSV_BOM, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.filter((m) => m !== '').map((m) => m.replace(/,$/, '')));
}

describe('a CSV cell', () => {
  it('quotes a comma, a quote or a line break, doubling the quotes', () => {
    expect(csvCell('中正路 100 號, 2 樓')).toBe('"中正路 100 號, 2 樓"');
    expect(csvCell('他說 "很暗"')).toBe('"他說 ""很暗"""');
    expect(csvCell('第一行\n第二行')).toBe('"第一行\n第二行"');
    expect(csvCell('路燈')).toBe('路燈');
  });

  it('keeps text a spreadsheet would run as a formula as text, with an apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://x.example","點我")')).toBe(`"'=HYPERLINK(""http://x.example"",""點我"")"`);
    expect(csvCell('+886912345678')).toBe("'+886912345678");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=1')).toBe('a=1');
  });

  it('writes numbers as numbers (a negative one is no formula) and nothing as empty', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });
});

describe('a CSV file', () => {
  it('starts with the UTF-8 byte-order mark, then the header, one CRLF-ended line per row', () => {
    const csv = toCsv([{ header: '案號', value: (r: { n: string }) => r.n }, { header: '地點', value: () => '中正路, 100 號' }], [{ n: 'A' }, { n: 'B' }]);

    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv).toBe(`${CSV_BOM}案號,地點\r\nA,"中正路, 100 號"\r\nB,"中正路, 100 號"\r\n`);
  });

  it('an empty list is the header alone', () => {
    expect(toCsv([{ header: 'x', value: () => 1 }], [])).toBe(`${CSV_BOM}x\r\n`);
  });
});

describe('paging a list for export', () => {
  const pagedList = (total: number, pageSize: number) => {
    const asked: Array<string | undefined> = [];
    const fetchPage = async (cursor: string | undefined): Promise<Page<number>> => {
      asked.push(cursor);
      const from = cursor ? Number(cursor) : 0;
      const items = Array.from({ length: Math.min(pageSize, total - from) }, (_, i) => from + i);
      return from + pageSize < total ? { items, cursor: String(from + pageSize) } : { items };
    };
    return { asked, fetchPage };
  };

  it('follows the cursor to the end of a list under the cap', async () => {
    const list = pagedList(450, 200);

    const got = await collectPages(list.fetchPage);

    expect(got.items).toHaveLength(450);
    expect(got.capped).toBe(false);
    expect(list.asked).toEqual([undefined, '200', '400']);
  });

  it('stops at the cap and says the list was longer', async () => {
    const list = pagedList(EXPORT_ROW_CAP + 300, 200);

    const got = await collectPages(list.fetchPage);

    expect(got.items).toHaveLength(EXPORT_ROW_CAP);
    expect(got.items.at(-1)).toBe(EXPORT_ROW_CAP - 1);
    expect(got.capped).toBe(true);
    expect(list.asked).toHaveLength(EXPORT_ROW_CAP / 200);
  });

  it('a list exactly as long as the cap is not reported as cut', async () => {
    const got = await collectPages(pagedList(400, 200).fetchPage, 400);

    expect(got).toMatchObject({ capped: false });
    expect(got.items).toHaveLength(400);
  });

  it('a cursor handed back twice ends the list instead of looping', async () => {
    let calls = 0;
    const got = await collectPages(async () => ({ items: [calls++], cursor: 'same' }));

    expect(got.items).toEqual([0, 1]);
    expect(got.capped).toBe(false);
  });

  it('names the file with the list and the Taipei time', () => {
    expect(exportFileName('callback-queue', Date.parse('2026-11-27T01:05:00.000Z'))).toBe('callback-queue-20261127-0905.csv');
  });
});

describe('exported columns', () => {
  it("are the case table's, named in the UI's language", () => {
    const now = Date.parse('2026-11-27T04:00:00.000Z');
    for (const [lang, first] of [['zh-TW', '案號'], ['en', 'Case no.']] as const) {
      const [header] = rows(toCsv(caseColumns(tr(lang), labels, now), [summary()]));
      expect(header[0]).toBe(first);
      expect(header).toEqual(caseColumns(tr(lang), labels, now).map((c) => c.header));
    }
    const [header, row] = rows(toCsv(caseColumns(tr('en'), labels, now), [summary({ priority: 'urgent', escalationLevel: 1 })]));
    expect(header).toEqual(['Case no.', 'Status', 'Escalation', 'Urgent', 'Category', 'District', 'Where', 'Department', 'Due', 'Overdue', 'Logged']);
    expect(row).toEqual(['20261127-00042', 'status:ASSIGNED', '1', 'Yes', 'cat:street-light', 'dist:zhongli', '中正路 100 號前', 'dept:PWD', '2026-11-27 11:00', 'Yes', '2026-11-27 09:00']);
  });

  it('the department inbox leaves out the department, as its table does', () => {
    expect(caseColumns(tr('en'), labels, 0, { department: false }).map((c) => c.header)).not.toContain('Department');
  });

  it("the callback queue carries the phone as masked on screen and never the case's reporter", () => {
    const queued = summary({ status: 'RESOLVED', waitingFor: 'survey', waitDueAt: '2026-12-07T01:00:00.000Z', callerPhone: '0912-***-678', resolution: '已更換燈泡', callback: { attempts: 1, lastAttemptAt: '2026-12-02T01:00:00.000Z', retryAt: '2026-12-02T03:00:00.000Z' } });

    const [header, row] = rows(toCsv(callbackColumns(tr('zh-TW'), labels), [queued]));

    expect(header).toEqual(['案號', '類別', '單位', '來電號碼', '處理結果', '回訪期限', '已撥打', '再撥時間']);
    expect(row).toEqual(['20261127-00042', 'cat:street-light', 'dept:PWD', '0912-***-678', '已更換燈泡', '2026-12-07 09:00', '1', '2026-12-02 11:00']);
  });

  it('the early-warning list names kind and status in words and lists the cases', () => {
    const warning = { id: 'w1', kind: 'spike', category: 'street-light', district: 'zhongli', seriesKey: 'k', status: 'open', history: [], raisedAt: '2026-11-27T01:00:00.000Z', lastSeenAt: '2026-11-27T01:00:00.000Z', evidence: { from: '2026-11-27T00:00:00.000Z', to: '2026-11-27T01:00:00.000Z', count: 7, caseNos: ['20261127-00001', '20261127-00002'] } } as Warning;

    const [header, row] = rows(toCsv(warningColumns(tr('en'), labels), [warning]));

    expect(header).toEqual(['Kind', 'Status', 'Category', 'District', 'Department', 'Calls', 'From', 'To', 'Raised', 'Cases']);
    expect(row).toEqual(['Unusual rise', 'Open', 'cat:street-light', 'dist:zhongli', '', '7', '2026-11-27 08:00', '2026-11-27 09:00', '2026-11-27 09:00', '20261127-00001 20261127-00002']);
  });
});
