/**
 * How the console reads a case's timeline: work and access apart, one language, labelled fields. The API keeps
 * events as recorded (the workflow writes its texts in both languages, `中文 / English`, so any reader of the
 * raw timeline understands them); the console shows the half of the reader's language.
 */
import type { CaseEvent } from '../api/types';
import type { Lang } from '../i18n';

/** Who looked at or asked for the caller's personal data: the "access" tab, not the work. */
export const ACCESS_EVENT_TYPES: ReadonlySet<string> = new Set(['pii-viewed', 'pii-access-requested', 'pii-access-approved', 'pii-access-denied', 'pii-access-revoked', 'phone-revealed']);

export function splitTimeline(events: readonly CaseEvent[]): { work: CaseEvent[]; access: CaseEvent[] } {
  const work: CaseEvent[] = [];
  const access: CaseEvent[] = [];
  for (const e of events) (ACCESS_EVENT_TYPES.has(e.type) ? access : work).push(e);
  return { work, access };
}

/** Texts people typed (a note, a resolution, a reason): shown as typed, in whatever language they used. */
const TYPED_TEXT: ReadonlySet<string> = new Set(['note', 'progress', 'resolved', 'returned', 'cancelled', 'acknowledged', 'assigned', 'pii-access-requested']);
/** Texts the system wrote that say no more than the event's label. */
const LABEL_ONLY_TEXTS: ReadonlySet<string> = new Set(['已簽收 / Acknowledged', 'Case workflow started', '受理']);

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * One language of a `中文 / English` text: the split is the first ` / ` with Chinese before it and none after,
 * so a slash inside either half stays. A text not written that way is returned as it is.
 */
export function inLanguage(text: string, lang: Lang): string {
  let from = 0;
  for (;;) {
    const at = text.indexOf(' / ', from);
    if (at < 0) return text;
    const zh = text.slice(0, at);
    const en = text.slice(at + 3);
    if (CJK.test(zh) && !CJK.test(en)) return lang === 'en' ? en : zh;
    from = at + 3;
  }
}

/** The text to show under an event's label, or nothing when the label says it all. */
export function eventText(e: Pick<CaseEvent, 'type' | 'text'>, lang: Lang): string | undefined {
  if (!e.text || LABEL_ONLY_TEXTS.has(e.text)) return undefined;
  if (e.type === 'updated' && /^Corrected /.test(e.text)) return undefined;
  return TYPED_TEXT.has(e.type) ? e.text : inLanguage(e.text, lang);
}

/**
 * The message key of an event's label. Starting the workflow was recorded as an `updated` event (of the field
 * `executionArn`): it is no correction, so it gets its own label.
 */
export function eventLabelKey(e: Pick<CaseEvent, 'type' | 'data'>): string {
  if (e.type === 'updated' && e.data?.fields === 'executionArn') return 'event.workflow-started';
  if (e.type === 'escalated' && e.data?.reminder === true) return 'event.escalation-reminder';
  if (e.type === 'notified' && e.data?.delivered === false) return 'event.notify-failed';
  if (e.type === 'citizen-notified' && e.data?.message === 'receipt') return 'event.receipt-sms';
  return `event.${e.type}`;
}

/** Fields shown under an event, in this order; the rest (task tokens, internal bookkeeping) is not for people. */
export const SHOWN_FIELDS = [
  'fields',
  'fromCategory',
  'toCategory',
  'category',
  'channel',
  'department',
  'from',
  'to',
  'priority',
  'level',
  'dueAt',
  'acknowledgeDueAt',
  'resolveDueAt',
  'answer',
  'rating',
  'attempt',
  'retryAt',
  'parentCaseNo',
  'duplicate',
  'requester',
  'assignee',
  'previousAssignee',
  'minutes',
  'expiresAt',
  'sopVersion',
  'error',
  'kind',
  'filesErased',
] as const;
export type ShownField = (typeof SHOWN_FIELDS)[number];

export interface EventDetail {
  field: ShownField;
  value: string | number | boolean;
}

/** The labelled details of an event; for the workflow start none (the label says it). */
export function eventDetails(e: Pick<CaseEvent, 'type' | 'data'>): EventDetail[] {
  const data = e.data ?? {};
  if (eventLabelKey(e) === 'event.workflow-started') return [];
  const out: EventDetail[] = [];
  for (const field of SHOWN_FIELDS) {
    const value = data[field];
    if (value === undefined || value === null || value === '') continue;
    // The case's own department on a notice to it repeats the case page; a routing names it as what changed.
    if (field === 'department' && (e.type === 'notified' || e.type === 'waiting' || e.type === 'returned')) continue;
    if (field === 'level' && e.type !== 'escalated') continue;
    out.push({ field, value });
  }
  return out;
}

/** The user ids a list of events names (who acted, whose request was approved, to whom a case was assigned). */
export function actorIds(events: readonly CaseEvent[]): string[] {
  const ids = new Set<string>();
  for (const e of events) {
    ids.add(e.by);
    for (const field of ['requester', 'assignee', 'previousAssignee'] as const) if (typeof e.data?.[field] === 'string') ids.add(e.data[field]);
  }
  return [...ids];
}
