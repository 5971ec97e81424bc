/**
 * The case: what a citizen reported, where it is in its lifecycle, and who must act by when.
 * Pure domain: no AWS SDK, no I/O. Everything that changes a case goes through `transition`.
 */
import { IllegalTransitionError } from './errors';

export const CASE_STATUSES = [
  'NEW',
  'ASSIGNED',
  'ACKNOWLEDGED',
  'RESOLVED',
  'CLOSED',
  'RETURNED',
  'REOPENED',
  'CANCELLED',
  'MERGED',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses in which a department or the dispatch desk still owes the citizen something. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['NEW', 'ASSIGNED', 'ACKNOWLEDGED', 'RETURNED', 'REOPENED'];
export const TERMINAL_STATUSES: readonly CaseStatus[] = ['CLOSED', 'CANCELLED', 'MERGED'];

export const PRIORITIES = ['normal', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CHANNELS = ['phone', 'web', 'walk-in', 'line', 'open311'] as const;
export type Channel = (typeof CHANNELS)[number];

export const NOTIFY_PREFERENCES = ['sms', 'email', 'none'] as const;
export type NotifyPreference = (typeof NOTIFY_PREFERENCES)[number];

/** Escalation ladder: 0 none, 1 department supervisor, 2 the 1999 supervisors (RDEC), 3 the mayor's office. */
export type EscalationLevel = 0 | 1 | 2 | 3;

/** Which task token the case's workflow is currently waiting on, if any. */
export type WaitingFor = 'acknowledgement' | 'resolution' | 'survey' | 'reassignment' | 'decision';
export const WAITS: readonly WaitingFor[] = ['acknowledgement', 'resolution', 'survey', 'reassignment', 'decision'];

/** Personal data: never logged, masked in responses for everyone who has no need to see it. */
export interface Reporter {
  name?: string;
  phone?: string;
  email?: string;
  anonymous: boolean;
  notify: NotifyPreference;
  /** Set when the retention job erased name, phone and e-mail (functions/privacy/retention.ts); the case stays. */
  erasedAt?: string;
}

/**
 * A department handler's request to see the reporter's personal data, and its approval by a supervisor
 * (functions/privacy/access-requests.ts). Kept on the case item; the timeline records each step.
 */
export interface PiiAccessRequest {
  id: string;
  /** Actor id of the requester. */
  by: string;
  department?: string;
  /** Why the handler needs the data (free text, no personal data). */
  reason: string;
  requestedAt: string;
  status: 'pending' | 'approved';
  approvedBy?: string;
  approvedAt?: string;
  /** The approval ends here; the reporter is masked again for the requester afterwards. */
  expiresAt?: string;
}

export interface CaseLocation {
  district: string;
  address: string;
  lat?: number;
  lng?: number;
}

/** When a file was attached: with the report, with a progress note, or before / after the repair. */
export const ATTACHMENT_KINDS = ['intake', 'progress', 'before', 'after'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** A checked file on a case: what it is and who added it; never the name it had on the uploader's device. */
export interface CaseAttachment {
  id: string;
  kind: AttachmentKind;
  contentType: 'image/jpeg' | 'image/png' | 'application/pdf';
  size: number;
  at: string;
  by: string;
}

export type AttributeValue = string | number | boolean | string[];

export const EVENT_TYPES = [
  'created',
  'routed',
  'notified',
  'acknowledged',
  'progress',
  'escalated',
  'note',
  'returned',
  'reassigned',
  /** A department supervisor gave the case to one of the department's staff (or to another of them). */
  'assigned',
  'resolved',
  'citizen-notified',
  'follow-up',
  'survey',
  'reopened',
  'closed',
  'cancelled',
  'merged',
  'updated',
  'pii-viewed',
  'pii-access-requested',
  'pii-access-approved',
  /** A supervisor refused an access request, with the reason. */
  'pii-access-denied',
  /** A supervisor ended an approval before it ran out, with the reason: the reporter is masked again at once. */
  'pii-access-revoked',
  'pii-erased',
  /** A photo or PDF was added to the case after its bytes were checked (intake, progress, before or after a repair). */
  'attachment-added',
  /** The workflow waits for an action by a deadline (resolution, reassignment); the task token is stored with it. */
  'waiting',
  /** A workflow step failed for good: which step, which error name; the workflow waits for a supervisor. */
  'workflow-failed',
  /** A supervisor's decision on a failed workflow step: retry it, reassign, or close. */
  'workflow-decision',
  /** The stalled-workflow sweeper restarted a dead execution at the wait the case is in. */
  'workflow-restarted',
] as const;
export type CaseEventType = (typeof EVENT_TYPES)[number];

/**
 * The events that change what a citizen sees of a case (the status a public request shows): Open311 lists them as
 * a request's updates, and only they enter the recent-changes index its update feed reads.
 */
export const PUBLIC_EVENT_TYPES = ['created', 'routed', 'reassigned', 'acknowledged', 'returned', 'resolved', 'reopened', 'closed', 'cancelled', 'merged'] as const satisfies readonly CaseEventType[];
export type PublicEventType = (typeof PUBLIC_EVENT_TYPES)[number];
export const isPublicEvent = (type: CaseEventType): type is PublicEventType => (PUBLIC_EVENT_TYPES as readonly CaseEventType[]).includes(type);

/**
 * The public change an event records, if any: a public event's own type; a survey answer that closes the case
 * (satisfied) or sends it back to its department (unsatisfied) changes what the citizen sees as much as the
 * 'closed' and 'reopened' events do, so it counts as those. A call nobody answered changes nothing public.
 */
export function publicChangeOf(e: Pick<CaseEvent, 'type' | 'data'>): PublicEventType | undefined {
  if (isPublicEvent(e.type)) return e.type;
  if (e.type !== 'survey') return undefined;
  const answer = e.data?.answer;
  return answer === 'satisfied' ? 'closed' : answer === 'unsatisfied' ? 'reopened' : undefined;
}

/** The statuses in which a department holds a case and works it: a case is assigned to its staff only then. */
export const ASSIGNABLE_STATUSES = ['ASSIGNED', 'ACKNOWLEDGED', 'REOPENED'] as const satisfies readonly string[];

/** The staff member working the case, while its department holds it (a leftover assignee is not shown). */
export function currentAssignee(c: Pick<Case, 'status' | 'assignee'>): string | undefined {
  return c.assignee !== undefined && (ASSIGNABLE_STATUSES as readonly string[]).includes(c.status) ? c.assignee : undefined;
}

/** One line of a case's timeline. Written in the same transaction as the change it records. */
export interface CaseEvent {
  /** Sortable id: `<iso time>#<version>` — unique per case because versions are. */
  id: string;
  at: string;
  type: CaseEventType;
  /** Actor id (user sub, `workflow`, or `system`). */
  by: string;
  /** Free text shown on the timeline (no personal data). */
  text?: string;
  /** Structured details: from/to status, department, escalation level, deadline... */
  data?: Record<string, string | number | boolean | null>;
}

/**
 * How the agent handled a call of an inquiry SOP: answered from a published article, or no article fit (the
 * question is kept as an article request for the department) — both close the case on the call — or escalated
 * to the department as a normal case.
 */
export const INQUIRY_OUTCOMES = ['answered', 'no-article', 'escalated'] as const;
export type InquiryOutcome = (typeof INQUIRY_OUTCOMES)[number];
export interface CaseInquiry {
  outcome: InquiryOutcome;
  /** The article read to the caller (and its version then). */
  articleId?: string;
  articleVersion?: number;
  /** The caller's question when no article fit (no personal data: the agent writes the question, not the caller). */
  question?: string;
}

export interface Case {
  caseNo: string;
  status: CaseStatus;
  category: string;
  description: string;
  location: CaseLocation;
  reporter: Reporter;
  channel: Channel;
  priority: Priority;
  /** Set by the caller to override the SOP's priority; the SOP result is kept in `priority`. */
  priorityOverride?: Priority;
  attributes: Record<string, AttributeValue>;
  /** A photo or other media the reporter attached, by URL (Open311 `media_url`): public, like the report. */
  mediaUrl?: string;
  department?: string;
  sopVersion?: number;
  acknowledgeDueAt?: string;
  resolveDueAt?: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  /** Set on cases of an inquiry SOP. */
  inquiry?: CaseInquiry;
  /** The surge topic (a typhoon, an epidemic) the call was logged under, when one was pinned. */
  surgeTopic?: string;
  escalationLevel: EscalationLevel;
  resolution?: string;
  parentCaseNo?: string;
  /** Case numbers merged into this one; their reporters hear the outcome too. */
  duplicates?: string[];
  survey?: { answer: 'satisfied' | 'unsatisfied' | 'unanswered'; comment?: string; at: string; rating?: number };
  /**
   * The satisfaction call: the attempts nobody answered so far and when to call again; `dueFrom`, the workflow's
   * own, is when the first call falls due (see `surveyDue`). Never shown (`asShownAt`).
   */
  callback?: Callback;
  /**
   * A supervisor moved this open case to this department; the workflow has not routed it there yet (RouteCase
   * removes it). Marks the reassignment as done for a retried request.
   */
  rerouteTo?: string;
  /**
   * The department staff member (user id) working the case, chosen by a department supervisor; cleared when the
   * case leaves the department (returned, reassigned). Only meaningful while the department holds the case.
   */
  assignee?: string;
  assignedAt?: string;
  /** When the receipt SMS (the case number, at logging) went out or was given up: it is sent once. */
  receiptAt?: string;
  /** When the wait the workflow is in ends (the callback deadline while waiting for the survey). */
  waitDueAt?: string;
  executionArn?: string;
  waitingFor?: WaitingFor;
  pendingTaskToken?: string;
  /** Access requests to the reporter's personal data, pending or approved and not yet expired. */
  piiAccess?: PiiAccessRequest[];
  /**
   * Photos and PDFs recorded on the case (at most MAX_ATTACHMENTS_PER_CASE, so the item stays small); the bytes are
   * in the attachment bucket under the case's prefix. Emptied when retention erases the case's personal data.
   */
  attachments?: CaseAttachment[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  /** Optimistic lock: every write is conditional on the version it read, and increments it. */
  version: number;
}

/**
 * Allowed transitions. Anything not listed is an IllegalTransitionError.
 * ASSIGNED -> ASSIGNED and ACKNOWLEDGED -> ASSIGNED are re-routes (category change, reassignment).
 */
export const TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  // NEW -> CLOSED: an inquiry answered on the call (functions/usecases/create-case.ts), never routed.
  NEW: ['ASSIGNED', 'CLOSED', 'RETURNED', 'CANCELLED', 'MERGED'],
  ASSIGNED: ['ASSIGNED', 'ACKNOWLEDGED', 'RETURNED', 'CANCELLED', 'MERGED'],
  ACKNOWLEDGED: ['ASSIGNED', 'RESOLVED', 'RETURNED', 'CANCELLED', 'MERGED'],
  RETURNED: ['ASSIGNED', 'CANCELLED', 'MERGED'],
  REOPENED: ['ASSIGNED', 'ACKNOWLEDGED', 'RESOLVED', 'RETURNED', 'CANCELLED', 'MERGED'],
  RESOLVED: ['CLOSED', 'REOPENED'],
  CLOSED: [],
  CANCELLED: [],
  MERGED: [],
};

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws IllegalTransitionError (a 409 at the API) when `to` is not allowed from `from`. */
export function assertTransition(caseNo: string, from: CaseStatus, to: CaseStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(caseNo, from, to);
}

export function isOpen(status: CaseStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export interface Callback {
  attempts: number;
  lastAttemptAt?: string;
  retryAt?: string;
  /**
   * The end of the SOP's follow-up delay after resolution. The survey wait (its task token) starts as soon as the
   * citizen is told, so the workflow needs no timer of its own; until this instant the wait is not due.
   */
  dueFrom?: string;
}

/**
 * The survey wait has started but its follow-up delay has not passed: the workflow holds the token, yet the case
 * is not due for its satisfaction call and reads as a resolved case waiting for nothing.
 */
export function followUpPending(c: Pick<Case, 'waitingFor' | 'callback'>, now: Date): boolean {
  const dueFrom = c.callback?.dueFrom;
  return c.waitingFor === 'survey' && dueFrom !== undefined && Date.parse(dueFrom) > now.getTime();
}

/** The satisfaction call is due: resolved, the workflow waits for the survey answer, and the follow-up delay is over. */
export function surveyDue(c: Pick<Case, 'status' | 'waitingFor' | 'callback'>, now: Date): boolean {
  return c.status === 'RESOLVED' && c.waitingFor === 'survey' && !followUpPending(c, now);
}

type ShownCallback = Omit<Callback, 'dueFrom' | 'lastAttemptAt'> & { lastAttemptAt: string };
export type Shown<T extends Pick<Case, 'waitingFor' | 'waitDueAt' | 'callback'>> = Omit<T, 'callback'> & { callback?: ShownCallback };

/**
 * A case (or summary) as anyone outside the workflow sees it at `now`: inside the follow-up delay without the
 * survey wait (no `waitingFor`, no `waitDueAt`), as a resolved case read before the wait starts; `callback` only
 * once a call was made, without `dueFrom`.
 */
export function asShownAt<T extends Pick<Case, 'waitingFor' | 'waitDueAt' | 'callback'>>(c: T, now: Date): Shown<T> {
  const { callback, ...rest } = c;
  const shown = (followUpPending(c, now) ? withoutWait(rest) : rest) as Omit<T, 'callback'>;
  if (!callback?.lastAttemptAt) return shown;
  const { dueFrom: _dueFrom, lastAttemptAt, ...calls } = callback;
  return { ...shown, callback: { ...calls, lastAttemptAt } };
}

function withoutWait<T extends { waitingFor?: unknown; waitDueAt?: unknown }>(c: T): Omit<T, 'waitingFor' | 'waitDueAt'> {
  const { waitingFor: _waitingFor, waitDueAt: _waitDueAt, ...rest } = c;
  return rest;
}

/** The deadline that matters now: acknowledge while unacknowledged, resolve after. */
export function nextDueAt(c: Pick<Case, 'status' | 'acknowledgeDueAt' | 'resolveDueAt'>): string | undefined {
  if (c.status === 'ASSIGNED' || c.status === 'NEW') return c.acknowledgeDueAt ?? c.resolveDueAt;
  if (c.status === 'ACKNOWLEDGED' || c.status === 'REOPENED') return c.resolveDueAt;
  return undefined;
}
