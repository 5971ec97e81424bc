/**
 * Which case actions a user may take, from their role, their department and the case's state. The API decides
 * in the end (a 403/409 is still shown); this keeps the screen from offering what would only fail.
 * Roles come from the route table's policies (functions/api/routes.ts), states from the transition table.
 */
import { OPEN_STATUSES, TRANSITIONS, type CaseStatus, type WaitingFor } from '../../../functions/domain/case';
import type { Role } from '../../../functions/domain/actor';
import { rolesOf } from '../../../functions/auth/policy';

export const CASE_ACTIONS = [
  'acknowledge',
  // The department's lead (or a supervisor) names the staff member who works the case.
  'assign',
  'progress',
  'resolve',
  'return',
  'reassign',
  'survey',
  'no-answer',
  'cancel',
  'merge',
  // A supervisor's decision when a workflow step failed for good (POST /cases/{caseNo}/workflow-decision).
  'retryStep',
  'reassignAfterFailure',
  'closeAfterFailure',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export interface ActingUser {
  role: Role;
  department?: string;
  /** Department staff in the `lead` group (the route's staffLead policy). */
  lead?: boolean;
}

export interface CaseState {
  status: CaseStatus;
  department?: string;
  waitingFor?: WaitingFor;
}

/** The route each action calls. */
export const ACTION_ROUTES: Record<CaseAction, string> = {
  acknowledge: 'acknowledgeCase',
  assign: 'assignCase',
  progress: 'reportProgress',
  resolve: 'resolveCase',
  return: 'returnCase',
  reassign: 'reassignCase',
  survey: 'recordSurvey',
  'no-answer': 'recordNoAnswer',
  cancel: 'cancelCase',
  merge: 'mergeCase',
  retryStep: 'decideWorkflowFailure',
  reassignAfterFailure: 'decideWorkflowFailure',
  closeAfterFailure: 'decideWorkflowFailure',
};

/** The three decisions share one route; each sends its `decision`. */
const WORKFLOW_DECISIONS: Partial<Record<CaseAction, 'retry' | 'reassign' | 'close'>> = {
  retryStep: 'retry',
  reassignAfterFailure: 'reassign',
  closeAfterFailure: 'close',
};

/** The path segment after `/cases/{caseNo}/` an action posts to. */
export function actionPath(action: CaseAction): string {
  if (action === 'no-answer') return 'callback-attempts';
  return WORKFLOW_DECISIONS[action] ? 'workflow-decision' : action;
}

/** Roles per action: those the route's policy allows. */
export const ACTION_ROLES: Record<CaseAction, readonly Role[]> = Object.fromEntries(
  CASE_ACTIONS.map((a) => [a, rolesOf(ACTION_ROUTES[a])]),
) as Record<CaseAction, readonly Role[]>;

/** Department actions (acknowledge, progress, resolve, return) by department staff: only on their own cases. */
const DEPARTMENT_ACTIONS: ReadonlySet<CaseAction> = new Set(['acknowledge', 'progress', 'resolve', 'return']);

const isOpenStatus = (s: CaseStatus) => OPEN_STATUSES.includes(s);

/**
 * The states each action fits: the `allowed` rules of functions/usecases/lifecycle/*, which follow the transition
 * table and the workflow's waits (an action while the workflow waits for something else would only get a 409).
 */
function fitsState(action: CaseAction, c: CaseState): boolean {
  const to = (target: CaseStatus) => TRANSITIONS[c.status].includes(target);
  switch (action) {
    case 'acknowledge':
      return (c.status === 'ASSIGNED' || c.status === 'REOPENED') && (c.waitingFor === undefined || c.waitingFor === 'acknowledgement') && to('ACKNOWLEDGED');
    case 'assign':
      // While its department holds the case (assign-case.ts answers 409 otherwise).
      return c.status === 'ASSIGNED' || c.status === 'ACKNOWLEDGED' || c.status === 'REOPENED';
    case 'progress':
      return c.status === 'ACKNOWLEDGED';
    case 'resolve':
      return c.status === 'ACKNOWLEDGED' && to('RESOLVED');
    case 'return':
      return (c.status === 'ASSIGNED' || c.status === 'ACKNOWLEDGED' || c.status === 'REOPENED') && c.waitingFor !== 'reassignment' && c.waitingFor !== 'survey' && to('RETURNED');
    case 'reassign':
      // A returned case in the dispatch queue, or an open case while its department holds it (the workflow waits
      // for its acknowledgement or resolution): the API takes it from the department with the reason given.
      if (c.status === 'RETURNED') return c.waitingFor === undefined || c.waitingFor === 'reassignment';
      return (c.status === 'ASSIGNED' || c.status === 'ACKNOWLEDGED' || c.status === 'REOPENED') && (c.waitingFor === 'acknowledgement' || c.waitingFor === 'resolution') && to('ASSIGNED');
    case 'survey':
    case 'no-answer':
      // The callback comes after the follow-up delay, when the workflow waits for the answer.
      return c.status === 'RESOLVED' && c.waitingFor === 'survey';
    case 'cancel':
      return isOpenStatus(c.status) && to('CANCELLED');
    case 'merge':
      return isOpenStatus(c.status) && to('MERGED');
    case 'retryStep':
      return c.waitingFor === 'decision';
    case 'reassignAfterFailure':
      return c.waitingFor === 'decision' && isOpenStatus(c.status);
    case 'closeAfterFailure':
      return c.waitingFor === 'decision' && (isOpenStatus(c.status) || c.status === 'RESOLVED');
  }
}

export function canTakeAction(user: ActingUser, action: CaseAction, c: CaseState): boolean {
  if (!ACTION_ROLES[action].includes(user.role)) return false;
  if (user.role === 'staff' && DEPARTMENT_ACTIONS.has(action) && (!user.department || user.department !== c.department)) return false;
  // Among the staff only the department's lead assigns, and only the department's own cases.
  if (action === 'assign' && user.role === 'staff' && (!user.lead || !user.department || user.department !== c.department)) return false;
  return fitsState(action, c);
}

/** Exactly the actions this user may take on this case now, in the order the screen offers them. */
export function allowedActions(user: ActingUser, c: CaseState): CaseAction[] {
  return CASE_ACTIONS.filter((a) => canTakeAction(user, a, c));
}

/** Notes: every staff role; department staff on their own department's cases. */
export function canAddNote(user: ActingUser, c: CaseState): boolean {
  if (!['agent', 'staff', 'supervisor', 'admin'].includes(user.role)) return false;
  return user.role !== 'staff' || (user.department !== undefined && user.department === c.department);
}

/** What each action asks for before it is sent (the request body fields). */
export type ActionField = 'note' | 'resolution' | 'reason' | 'department' | 'assignee' | 'answer' | 'rating' | 'comment' | 'parentCaseNo';
export const ACTION_FIELDS: Record<CaseAction, ReadonlyArray<{ field: ActionField; required: boolean }>> = {
  acknowledge: [{ field: 'note', required: false }],
  assign: [
    { field: 'assignee', required: true },
    { field: 'reason', required: false },
  ],
  progress: [{ field: 'note', required: true }],
  resolve: [{ field: 'resolution', required: true }],
  return: [{ field: 'reason', required: true }],
  reassign: [
    { field: 'department', required: true },
    { field: 'reason', required: true },
  ],
  survey: [
    { field: 'answer', required: true },
    { field: 'rating', required: true },
    { field: 'comment', required: false },
  ],
  'no-answer': [{ field: 'note', required: false }],
  cancel: [{ field: 'reason', required: true }],
  merge: [{ field: 'parentCaseNo', required: true }],
  retryStep: [{ field: 'note', required: false }],
  reassignAfterFailure: [
    { field: 'department', required: true },
    { field: 'note', required: false },
  ],
  closeAfterFailure: [{ field: 'reason', required: true }],
};

/** The request body of an action from the form's values: blank optional fields are left out. */
export function actionBody(action: CaseAction, values: Partial<Record<ActionField, string>>): Record<string, string | number> {
  const decision = WORKFLOW_DECISIONS[action];
  const body: Record<string, string | number> = decision ? { decision } : {};
  for (const { field } of ACTION_FIELDS[action]) {
    const v = values[field]?.trim();
    if (v) body[field] = field === 'rating' ? Number(v) : v;
  }
  return body;
}

/** Required fields left blank, so the form can say so before sending. */
export function missingFields(action: CaseAction, values: Partial<Record<ActionField, string>>): ActionField[] {
  return ACTION_FIELDS[action].filter(({ field, required }) => required && !values[field]?.trim()).map(({ field }) => field);
}

/**
 * What the workflow waits for, when that fits the case's state. The task token (and `waitingFor`) stays on the
 * case until the workflow's next step, so a closed case may still carry `survey`: that is bookkeeping, not a wait.
 */
export function activeWait(c: CaseState): WaitingFor | undefined {
  const fits: Record<WaitingFor, readonly CaseStatus[]> = {
    acknowledgement: ['ASSIGNED', 'REOPENED'],
    resolution: ['ACKNOWLEDGED'],
    survey: ['RESOLVED'],
    reassignment: ['RETURNED'],
    // A failed workflow step waits for a supervisor whatever the case's status.
    decision: ['NEW', 'ASSIGNED', 'ACKNOWLEDGED', 'RESOLVED', 'RETURNED', 'REOPENED'],
  };
  return c.waitingFor && fits[c.waitingFor].includes(c.status) ? c.waitingFor : undefined;
}

/** Access requests to the reporter's personal data on a timeline, and whether a supervisor approved each. */
export function piiAccessRequests(events: ReadonlyArray<{ type: string; at: string; by: string; text?: string; data?: Record<string, unknown> | null }>): Array<{
  requestId: string;
  at: string;
  by: string;
  reason?: string;
  approved: boolean;
}> {
  const approved = new Set(events.filter((e) => e.type === 'pii-access-approved').map((e) => e.data?.requestId).filter((id) => typeof id === 'string'));
  return events
    .filter((e) => e.type === 'pii-access-requested' && typeof e.data?.requestId === 'string')
    .map((e) => ({ requestId: String(e.data!.requestId), at: e.at, by: e.by, ...(e.text ? { reason: e.text } : {}), approved: approved.has(String(e.data!.requestId)) }));
}
