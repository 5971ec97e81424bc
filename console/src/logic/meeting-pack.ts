/**
 * The improvement-meeting pack as tables: each section's columns are defined once, and the page, the CSV files
 * and the XLSX workbook are all drawn from them, so the printed pack, the files and the screen never disagree.
 * Pure: the API's pack, the UI's language and the reference names in, sections out.
 */
import type { MeetingPack } from '../api/types';
import type { Translate } from '../i18n';
import type { CsvColumn } from './csv';
import type { CaseLabels } from './export';
import { formatDateTime } from './time';

export interface PackSection<T = unknown> {
  /** File and sheet name part, and the section's test id. */
  id: 'categories' | 'districts' | 'departments' | 'warnings' | 'sop-changes';
  title: string;
  columns: ReadonlyArray<CsvColumn<T>>;
  rows: readonly T[];
}

type Volume = MeetingPack['volumes']['byCategory'][number];
type DepartmentRow = MeetingPack['departments'][number];
type WarningRow = MeetingPack['warnings'][number];
type SopChangeRow = MeetingPack['sopChanges'][number];

/** A rate as a whole percent, or empty when there was nothing to rate. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '' : `${Math.round(rate * 100)}%`;
}

/** A change against the month before as a signed percent: +50%, -20%, or empty when the month before had none. */
export function signedPercent(change: number | null): string {
  if (change === null) return '';
  const n = Math.round(change * 100);
  return `${n > 0 ? '+' : ''}${n}%`;
}

export function packSections(pack: MeetingPack, t: Translate, labels: Pick<CaseLabels, 'category' | 'district' | 'department'>): PackSection[] {
  const volume = (name: (code: string) => string, heading: string): Array<CsvColumn<Volume>> => [
    { header: heading, value: (r) => name(r.code) },
    { header: t('meeting.col.count'), value: (r) => r.count },
    { header: t('meeting.col.previous'), value: (r) => r.previous },
    // A number, not "+50%": CSV would have to guard a leading + or - as a formula, and a sheet can sum numbers.
    { header: t('meeting.col.change'), value: (r) => (r.change === null ? '' : Math.round(r.change * 100)) },
    ...pack.volumes.days.map((day, i) => ({ header: day.slice(5), value: (r: Volume) => r.daily[i] ?? 0 })),
  ];
  const departments: Array<CsvColumn<DepartmentRow>> = [
    { header: t('meeting.col.department'), value: (d) => labels.department(d.department) },
    { header: t('meeting.col.created'), value: (d) => d.created },
    { header: t('meeting.col.onTime'), value: (d) => d.onTime },
    { header: t('meeting.col.late'), value: (d) => d.late },
    { header: t('meeting.col.compliance'), value: (d) => percent(d.compliance) },
    { header: t('meeting.col.reopened'), value: (d) => d.reopened },
    { header: t('meeting.col.reopenRate'), value: (d) => percent(d.reopenRate) },
    { header: t('meeting.col.unsatisfied'), value: (d) => d.unsatisfied },
    { header: t('meeting.col.dissatisfaction'), value: (d) => percent(d.dissatisfactionRate) },
  ];
  const warnings: Array<CsvColumn<WarningRow>> = [
    { header: t('meeting.col.raised'), value: (w) => formatDateTime(w.raisedAt) },
    { header: t('meeting.col.kind'), value: (w) => t(`warnings.kind.${w.kind}`) },
    { header: t('meeting.col.category'), value: (w) => labels.category(w.category) },
    { header: t('meeting.col.district'), value: (w) => labels.district(w.district) },
    { header: t('meeting.col.place'), value: (w) => w.address ?? '' },
    { header: t('meeting.col.calls'), value: (w) => w.count },
    { header: t('meeting.col.status'), value: (w) => t(`warnings.status.${w.status}`) },
    { header: t('meeting.col.done'), value: (w) => w.lastChange?.reason ?? '' },
  ];
  const sopChanges: Array<CsvColumn<SopChangeRow>> = [
    { header: t('meeting.col.changedAt'), value: (s) => formatDateTime(s.updatedAt) },
    { header: t('meeting.col.category'), value: (s) => labels.category(s.category) },
    { header: t('meeting.col.version'), value: (s) => s.version },
    { header: t('meeting.col.reason'), value: (s) => s.reason ?? '' },
  ];
  return [
    section('categories', t('meeting.categories'), volume(labels.category, t('meeting.col.category')), pack.volumes.byCategory),
    section('districts', t('meeting.districts'), volume(labels.district, t('meeting.col.district')), pack.volumes.byDistrict),
    section('departments', t('meeting.departments'), departments, pack.departments),
    section('warnings', t('meeting.warnings'), warnings, pack.warnings),
    section('sop-changes', t('meeting.sopChanges'), sopChanges, pack.sopChanges),
  ];
}

function section<T>(id: PackSection['id'], title: string, columns: ReadonlyArray<CsvColumn<T>>, rows: readonly T[]): PackSection {
  return { id, title, columns, rows } as PackSection;
}
