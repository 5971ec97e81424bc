/**
 * SOPs as Open311 services and cases as Open311 service requests. Pure: the catalogue and departments come in.
 *
 * Privacy: what comes out of here is open data. Reporter fields are never read (the adapter does not even
 * project them); free text is published only where a citizen wrote it for publication (a description filed
 * through Open311, the department's resolution), and phone numbers and e-mail addresses in it are masked.
 */
import type { Deadline, Department, SopAttribute, VersionedSop } from '../config/schema';
import { publicChangeOf, type CaseEvent, type CaseStatus, type PublicEventType } from '../domain/case';
import { deadlinesFor } from '../domain/sop';
import { MAX_STRING_ATTRIBUTE, MAX_TEXT_ATTRIBUTE } from '../domain/sop';
import { maskContactDetails } from '../privacy/contact-details';
import type { FieldObject } from './document';
import type { PublicCase } from './ports';

/** Consultations are answered on the call: not something an app files. */
export function isOpen311Service(sop: Pick<VersionedSop, 'caseType'>): boolean {
  return sop.caseType !== 'consultation';
}

export interface Catalogue {
  /** Open311 services (SOP categories that are not consultations), by category. */
  services: ReadonlyMap<string, VersionedSop>;
  departments: ReadonlyMap<string, Department>;
}

export function catalogue(sops: readonly VersionedSop[], departments: readonly Department[]): Catalogue {
  return {
    services: new Map(sops.filter(isOpen311Service).map((s) => [s.category, s])),
    departments: new Map(departments.map((d) => [d.code, d])),
  };
}

// ------------------------------------------------------------------------------------------------ services

export function serviceOf(sop: VersionedSop): FieldObject {
  return {
    service_code: sop.category,
    service_name: sop.name.zh,
    description: sop.description?.zh ?? sop.name.zh,
    metadata: sop.attributes.some((a) => !a.retired),
    // A POST answers with the case number at once: the case exists when the response is sent.
    type: 'realtime',
    keywords: [sop.name.en, ...sop.keywords].join(', '),
    group: sop.group?.zh ?? '',
  };
}

const DATATYPE_DESCRIPTIONS: Readonly<Record<SopAttribute['datatype'], string>> = {
  string: `文字，一行，最多 ${MAX_STRING_ATTRIBUTE} 字 (one line of text)`,
  text: `文字，可換行，最多 ${MAX_TEXT_ATTRIBUTE} 字 (text, line breaks allowed)`,
  number: '數字，例如 3 或 2.5 (a number)',
  datetime: '日期時間，ISO 8601 並含時區，例如 2026-11-27T08:30:00+08:00 (date-time with time zone)',
  singlevaluelist: '請選擇一項，送出選項的 key (one key from values)',
  multivaluelist: '可選擇多項，以 attribute[code][]=key 逐項送出 (one or more keys from values)',
};

/**
 * The SOP's extra questions still asked (retired ones left out), numbered 1..n in their order (the specification
 * wants unique positive orders).
 */
export function serviceDefinitionOf(sop: VersionedSop): FieldObject {
  const ordered = sop.attributes
    .filter((a) => !a.retired)
    .map((a, i) => ({ a, i }))
    .sort((x, y) => (x.a.order ?? Number.MAX_SAFE_INTEGER) - (y.a.order ?? Number.MAX_SAFE_INTEGER) || x.i - y.i)
    .map(({ a }) => a);
  return {
    service_code: sop.category,
    attributes: ordered.map((a, i) => ({
      variable: true,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: DATATYPE_DESCRIPTIONS[a.datatype],
      order: i + 1,
      description: `${a.description.zh} (${a.description.en})`,
      ...(a.values ? { values: a.values.map((v) => ({ key: v.key, name: v.name.zh })) } : {}),
    })),
  };
}

const UNIT_ZH: Readonly<Record<Deadline['unit'], string>> = {
  workingHours: '個工作小時',
  workingDays: '個工作天',
  calendarHours: '小時',
  calendarDays: '天',
};

export function deadlineText(d: Deadline): string {
  return `${d.amount} ${UNIT_ZH[d.unit]}`;
}

/** What the SOP promises: who handles the report and within which time. */
export function serviceNotice(sop: VersionedSop, priority: 'normal' | 'urgent', departmentName?: string): string {
  const { resolveWithin } = deadlinesFor(sop, priority);
  return `依標準作業程序，本案由${departmentName ?? '權責機關'}於 ${deadlineText(resolveWithin)}內處理完成。`;
}

// ------------------------------------------------------------------------------------------------ requests

export type Open311Status = 'open' | 'closed';

export const STATUSES_BY_OPEN311: Readonly<Record<Open311Status, readonly CaseStatus[]>> = {
  open: ['NEW', 'ASSIGNED', 'ACKNOWLEDGED', 'RETURNED', 'REOPENED'],
  // Resolved is closed for the citizen: the department reports it fixed (the survey may still reopen it).
  closed: ['RESOLVED', 'CLOSED', 'CANCELLED', 'MERGED'],
};

export function open311Status(status: CaseStatus): Open311Status {
  return STATUSES_BY_OPEN311.open.includes(status) ? 'open' : 'closed';
}

/** W3C date-time at Taipei's offset: `2026-11-27T09:00:00+08:00`. */
export function w3cTaipei(iso: string | undefined): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return new Date(t + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

export { maskContactDetails } from '../privacy/contact-details';

function departmentName(cat: Catalogue, code: string | undefined): string | null {
  if (!code) return null;
  return cat.departments.get(code)?.name.zh ?? code;
}

function statusNotes(c: PublicCase, cat: Catalogue): string {
  const dept = departmentName(cat, c.department) ?? '權責機關';
  switch (c.status) {
    case 'NEW':
      return '已受理，待分派。';
    case 'ASSIGNED':
      return `已分派${dept}。`;
    case 'ACKNOWLEDGED':
      return `${dept}已接案處理中。`;
    case 'RETURNED':
      return '重新分派中。';
    case 'REOPENED':
      return '民眾反映尚未改善，已重新處理。';
    case 'RESOLVED':
    case 'CLOSED':
      return c.resolution ? maskContactDetails(c.resolution) : `${dept}已處理完成。`;
    case 'CANCELLED':
      return '本案已撤銷。';
    case 'MERGED':
      return c.parentCaseNo ? `與案件 ${c.parentCaseNo} 合併處理。` : '與其他案件合併處理。';
  }
}

/** Closed requests carry the time they were closed (the specification's updated_datetime rule). */
function updatedDatetime(c: PublicCase): string | null {
  if (open311Status(c.status) === 'closed') return w3cTaipei(c.resolvedAt ?? c.closedAt ?? c.updatedAt);
  return w3cTaipei(c.updatedAt);
}

export function requestOf(c: PublicCase, cat: Catalogue): FieldObject {
  const sop = cat.services.get(c.category);
  const agency = departmentName(cat, c.department);
  return {
    service_request_id: c.caseNo,
    status: open311Status(c.status),
    status_notes: statusNotes(c, cat),
    service_name: sop?.name.zh ?? c.category,
    service_code: c.category,
    // Only what a citizen wrote for publication: agents' notes of a phone call stay inside.
    description: c.channel === 'open311' ? maskContactDetails(c.description) : null,
    agency_responsible: agency,
    service_notice: sop ? serviceNotice(sop, c.priority, agency ?? undefined) : null,
    requested_datetime: w3cTaipei(c.createdAt),
    updated_datetime: updatedDatetime(c),
    expected_datetime: w3cTaipei(c.resolveDueAt),
    // Typed by the citizen or an agent, like the description: `中壢區 王家門口 電話0912…` must not go out whole.
    address: maskContactDetails(c.location.address),
    address_id: null,
    zipcode: null,
    lat: c.location.lat ?? null,
    long: c.location.lng ?? null,
    media_url: c.mediaUrl ?? null,
  };
}

// ------------------------------------------------------------------------------------------------ updates

/** The changes a citizen sees (PUBLIC_EVENT_TYPES, each one; a closing or reopening survey answer counts as one: publicChangeOf), with the status the request has after them. */
const PUBLIC_EVENTS: Record<PublicEventType, { status: CaseStatus; text: (e: CaseEvent, cat: Catalogue) => string }> = {
  created: { status: 'NEW', text: () => '已受理。' },
  routed: { status: 'ASSIGNED', text: (e, cat) => `已分派${departmentName(cat, stringData(e, 'department')) ?? '權責機關'}。` },
  reassigned: { status: 'ASSIGNED', text: (e, cat) => `改派${departmentName(cat, stringData(e, 'department')) ?? '權責機關'}。` },
  acknowledged: { status: 'ACKNOWLEDGED', text: () => '權責機關已接案處理中。' },
  returned: { status: 'RETURNED', text: () => '重新分派中。' },
  resolved: { status: 'RESOLVED', text: () => '已處理完成。' },
  reopened: { status: 'REOPENED', text: () => '民眾反映尚未改善，已重新處理。' },
  closed: { status: 'CLOSED', text: () => '已結案。' },
  cancelled: { status: 'CANCELLED', text: () => '本案已撤銷。' },
  merged: { status: 'MERGED', text: () => '與其他案件合併處理。' },
};

function stringData(e: CaseEvent, key: string): string | undefined {
  const v = e.data?.[key];
  return typeof v === 'string' ? v : undefined;
}

export interface RequestUpdate {
  at: string;
  fields: FieldObject;
}

/**
 * The public updates of a case within [from, to]. `update_id` is `<case number>_<case version>`: unique and
 * stable, since each timeline event records one version. The resolution's text is the department's public
 * answer; other events get a fixed sentence (event texts are written for staff).
 */
export function updatesOf(c: PublicCase & { timeline: CaseEvent[] }, cat: Catalogue, from: string, to: string): RequestUpdate[] {
  const out: RequestUpdate[] = [];
  for (const e of c.timeline) {
    const change = publicChangeOf(e);
    const rule = change ? PUBLIC_EVENTS[change] : undefined;
    if (!rule || e.at < from || e.at > to) continue;
    const version = Number(e.id.split('#')[1]);
    const description = e.type === 'resolved' && e.text ? maskContactDetails(e.text) : rule.text(e, cat);
    out.push({
      at: e.at,
      fields: {
        update_id: `${c.caseNo}_${Number.isFinite(version) ? version : e.id}`,
        service_request_id: c.caseNo,
        status: open311Status(rule.status),
        external_status_code: rule.status,
        updated_datetime: w3cTaipei(e.at),
        description,
        media_url: null,
      },
    });
  }
  return out;
}
