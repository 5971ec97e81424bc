/**
 * Who is told what in the console (pure rules, no I/O). A notification goes to an inbox per role and department,
 * not per person: one write per recipient group whatever the number of people in it, and everyone signed in with
 * that role (and department) reads the same list, each with their own "read up to" marker.
 * - a case escalated (or reminded) at its deadline: its department's staff and the supervisors;
 * - an access request to the reporter's personal data: the supervisors, who decide it;
 * - a case a department returned: the dispatch desk (supervisors and admins), who reassign it;
 * - a new early warning: the supervisors.
 */
import type { Actor, Role } from './actor';
import type { CaseEventType } from './case';

export const NOTIFICATION_KINDS = ['escalated', 'access-requested', 'returned', 'warning'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface Inbox {
  role: Role;
  department?: string;
}

export interface ConsoleNotification {
  /** Unique in its inbox; sorts by time. */
  id: string;
  at: string;
  kind: NotificationKind;
  caseNo?: string;
  warningId?: string;
  department?: string;
  /** The case's category code (what an e-mail digest lists beside the case number); absent on older items. */
  category?: string;
  /** A short detail without personal data: the return or request reason, the escalation level, the warning's category. */
  detail?: string;
}

/** How long a notification stays readable (DynamoDB TTL removes it afterwards). */
export const NOTIFICATION_DAYS = 30;

const SUPERVISORS: Inbox = { role: 'supervisor' };
const DISPATCH_DESK: readonly Inbox[] = [SUPERVISORS, { role: 'admin' }];

/** The one inbox a signed-in person reads, if their role has one. */
export function inboxOf(actor: Pick<Actor, 'role' | 'department'>): Inbox | undefined {
  if (actor.role === 'supervisor' || actor.role === 'admin') return { role: actor.role };
  if (actor.role === 'staff' && actor.department) return { role: 'staff', department: actor.department };
  return undefined;
}

const CASE_EVENT_KINDS: Partial<Record<CaseEventType, NotificationKind>> = {
  escalated: 'escalated',
  'pii-access-requested': 'access-requested',
  returned: 'returned',
};

/** What a case event tells which inboxes (none for most events). */
export function caseEventNotification(event: { type: CaseEventType; data?: Record<string, unknown> }, department: string | undefined): { kind: NotificationKind; inboxes: Inbox[]; detail?: string } | undefined {
  const kind = CASE_EVENT_KINDS[event.type];
  const data = event.data ?? {};
  switch (kind) {
    case 'escalated':
      return { kind, inboxes: [...(department ? [{ role: 'staff' as const, department }] : []), SUPERVISORS], detail: typeof data.level === 'number' ? String(data.level) : undefined };
    case 'access-requested':
      return { kind, inboxes: [SUPERVISORS] };
    case 'returned':
      return { kind, inboxes: [...DISPATCH_DESK], detail: typeof data.reason === 'string' ? data.reason : undefined };
    default:
      return undefined;
  }
}

export const WARNING_INBOXES: readonly Inbox[] = [SUPERVISORS];
