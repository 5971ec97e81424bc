/**
 * Exporting a list: the rows come from the same list API the screen reads, page after page, up to a cap (a file
 * the browser builds must stay small, and an export is not a way around the API's paging); the columns are the
 * screen's, named in the UI's language, with personal data as masked as on screen.
 */
import type { CaseSummary, Page, Warning } from '../api/types';
import type { Translate } from '../i18n';
import type { CsvColumn } from './csv';
import { currentDue, isOverdue } from './countdown';
import { formatDateTime } from './time';

/** Rows per exported file. */
export const EXPORT_ROW_CAP = 5000;
/** Rows asked per page while exporting (the API's largest page). */
export const EXPORT_PAGE_SIZE = 200;

export interface Collected<T> {
  items: T[];
  /** More rows were there than the cap: the file holds the first `cap`. */
  capped: boolean;
}

/** Pages through a list from its first page until it ends or `cap` rows are in. */
export async function collectPages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, cap = EXPORT_ROW_CAP): Promise<Collected<T>> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    if (items.length > cap) return { items: items.slice(0, cap), capped: true };
    // A cursor handed back twice would loop for ever: the list ends there.
    if (!page.cursor || seen.has(page.cursor)) return { items, capped: false };
    if (items.length === cap) return { items, capped: true };
    seen.add(page.cursor);
    cursor = page.cursor;
  }
}

/** `<name>-<yyyymmdd>-<hhmm>.csv` in Taipei time. */
export function exportFileName(name: string, nowMs: number): string {
  const stamp = formatDateTime(nowMs).replace(/-/g, '').replace(' ', '-').replace(':', '');
  return `${name}-${stamp}.csv`;
}

export interface CaseLabels {
  status: (s: string) => string;
  category: (code: string | undefined) => string;
  district: (code: string | undefined) => string;
  department: (code: string | undefined) => string;
}

/** The case table's columns (CaseTable), with the overdue and urgent marks as words. */
export function caseColumns(t: Translate, labels: CaseLabels, nowMs: number, options: { department?: boolean } = {}): Array<CsvColumn<CaseSummary>> {
  const yesNo = (b: boolean) => (b ? t('common.yes') : t('common.no'));
  return [
    { header: t('list.caseNo'), value: (c) => c.caseNo },
    { header: t('list.status'), value: (c) => labels.status(c.status) },
    { header: t('list.escalation'), value: (c) => c.escalationLevel || '' },
    { header: t('list.urgent'), value: (c) => yesNo(c.priority === 'urgent') },
    { header: t('list.category'), value: (c) => labels.category(c.category) },
    { header: t('list.district'), value: (c) => labels.district(c.district) },
    { header: t('list.address'), value: (c) => c.address },
    ...(options.department === false ? [] : [{ header: t('list.department'), value: (c: CaseSummary) => labels.department(c.department) }]),
    { header: t('list.due'), value: (c) => formatDateTime(currentDue(c)) },
    { header: t('list.overdue'), value: (c) => yesNo(isOverdue(c, nowMs)) },
    { header: t('list.created'), value: (c) => formatDateTime(c.createdAt) },
  ];
}

/** The callback queue's columns (CallbackTable): the phone as masked on screen, never revealed into a file. */
export function callbackColumns(t: Translate, labels: CaseLabels): Array<CsvColumn<CaseSummary>> {
  return [
    { header: t('list.caseNo'), value: (c) => c.caseNo },
    { header: t('list.category'), value: (c) => labels.category(c.category) },
    { header: t('list.department'), value: (c) => labels.department(c.department) },
    { header: t('callback.phone'), value: (c) => c.callerPhone },
    { header: t('callback.resolution'), value: (c) => c.resolution },
    { header: t('callback.due'), value: (c) => formatDateTime(currentDue(c)) },
    { header: t('callback.attempts'), value: (c) => c.callback?.attempts ?? 0 },
    { header: t('callback.retryAt'), value: (c) => formatDateTime(c.callback?.retryAt) },
  ];
}

/** The early-warning list's columns. */
export function warningColumns(t: Translate, labels: Pick<CaseLabels, 'category' | 'district' | 'department'>): Array<CsvColumn<Warning>> {
  return [
    { header: t('warnings.kind'), value: (w) => t(`warnings.kind.${w.kind}`) },
    { header: t('warnings.status'), value: (w) => t(`warnings.status.${w.status}`) },
    { header: t('list.category'), value: (w) => labels.category(w.category) },
    { header: t('list.district'), value: (w) => labels.district(w.district) },
    { header: t('list.department'), value: (w) => labels.department(w.department) },
    { header: t('warnings.export.count'), value: (w) => w.evidence.count },
    { header: t('warnings.export.from'), value: (w) => formatDateTime(w.evidence.from) },
    { header: t('warnings.export.to'), value: (w) => formatDateTime(w.evidence.to) },
    { header: t('warnings.export.raised'), value: (w) => formatDateTime(w.raisedAt) },
    { header: t('warnings.export.cases'), value: (w) => w.evidence.caseNos.join(' ') },
  ];
}
