/**
 * The console's work queues. Each is one index partition read in its own order, never a Scan:
 * - callback queue (agents): RESOLVED cases whose follow-up is due — the workflow waits for the survey answer
 *   (`waitingFor: survey`) and `callback.dueFrom` has passed — oldest first, from the RESOLVED status queue (gsi2);
 * - dispatch queue (supervisors): RETURNED cases waiting to be reassigned, oldest first (gsi2);
 * - department queue (department staff, supervisors): one department's cases in one status by due time, soonest
 *   first (gsi1), with the counts of the department's working statuses.
 * Summaries carry no description and no personal data (CaseEntity.toSummary), so nothing needs masking.
 */
import type { Actor } from '../domain/actor';
import type { CaseStatus, WaitingFor } from '../domain/case';
import { now } from '../domain/clock';
import { ForbiddenError, ValidationError } from '../domain/errors';
import { isCaseReachable } from '../auth/ownership';
import type { CaseRepository, CaseSummary, DepartmentDirectory, Page, PageRequest } from './ports';

/** The statuses a department works through; the inbox shows a count for each. */
export const DEPARTMENT_QUEUE_STATUSES = ['ASSIGNED', 'ACKNOWLEDGED', 'REOPENED', 'RESOLVED'] as const satisfies readonly CaseStatus[];
export type DepartmentQueueStatus = (typeof DEPARTMENT_QUEUE_STATUSES)[number];

export interface CaseQueues {
  /** Cases in `status`, oldest created first; with `waitingFor`, only those the workflow waits on for it. */
  statusQueue(status: CaseStatus, page: PageRequest, waitingFor?: WaitingFor, options?: StatusQueueOptions): Promise<Page<CaseSummary>>;
  /** How many cases the department holds in each status (its gsi1 partitions, counted). */
  departmentCounts<S extends CaseStatus>(department: string, statuses: readonly S[]): Promise<Record<S, number>>;
  /** The open cases assigned to one staff member, first assigned first ("my cases"). */
  assignedTo(userId: string, page: PageRequest): Promise<Page<CaseSummary>>;
}

export interface QueuePorts {
  queues: CaseQueues;
}

export interface DepartmentQueuePorts extends QueuePorts {
  cases: CaseRepository;
  departments: DepartmentDirectory;
}

export interface DepartmentQueueQuery extends PageRequest {
  status: DepartmentQueueStatus;
  department?: string;
  /** Only the cases assigned to the caller, in any working status (the "my cases" tab). */
  mine?: boolean;
}

export type DepartmentQueue = Page<CaseSummary> & { department: string; status: DepartmentQueueStatus; mine?: true; counts: Record<DepartmentQueueStatus, number> };

/** What a status queue may add to its summaries: the caller's phone, masked (`0912-***-678`). */
export interface StatusQueueOptions {
  maskedCallerPhone?: boolean;
  /** Only the waits due by this instant: a survey wait inside its follow-up delay (`callback.dueFrom`) is not. */
  dueBy?: Date;
}

/**
 * Resolved cases waiting for the satisfaction call.
 * Steps: read the RESOLVED status queue oldest first, keeping the cases whose workflow waits for the survey
 * answer and whose follow-up delay is over (the wait starts when the citizen is told; the call is due from
 * `callback.dueFrom`); each with the caller's phone masked (the agent reveals it on the case, an audited view).
 */
export async function callbackQueue(ports: QueuePorts, page: PageRequest): Promise<Page<CaseSummary>> {
  return ports.queues.statusQueue('RESOLVED', page, 'survey', { maskedCallerPhone: true, dueBy: now() });
}

/**
 * Returned cases waiting for reassignment.
 * Steps: read the RETURNED status queue oldest first (the longest-waiting case is the next to reassign).
 */
export async function dispatchQueue(ports: QueuePorts, page: PageRequest): Promise<Page<CaseSummary>> {
  return ports.queues.statusQueue('RETURNED', page);
}

/**
 * One department's inbox.
 * Steps:
 * 1. the department: department staff get their own (naming another is a 403); supervisors must name one, and it
 *    must exist (400 naming `department`);
 * 2. the page of the asked status by due time (the repository's department queue on gsi1) — or, with `mine`, the
 *    page of the caller's own assigned cases (any working status, first assigned first; a Query of their sparse
 *    index partition, not a filter over the department) — and the counts of the department's four working
 *    statuses, read in parallel;
 * 3. every item is checked against the visibility rules of present.ts before it leaves.
 */
export async function departmentQueue(ports: DepartmentQueuePorts, actor: Actor, query: DepartmentQueueQuery): Promise<DepartmentQueue> {
  const department = await queueDepartment(ports, actor, query.department);
  const [page, counts] = await Promise.all([
    query.mine
      ? ports.queues.assignedTo(actor.id, { limit: query.limit, cursor: query.cursor })
      : ports.cases.list({ department, status: query.status, limit: query.limit, cursor: query.cursor }),
    ports.queues.departmentCounts(department, DEPARTMENT_QUEUE_STATUSES),
  ]);
  const items = page.items.filter((c) => isCaseReachable(c, actor) && (!query.mine || c.department === department));
  return { ...page, items, department, status: query.status, ...(query.mine ? { mine: true as const } : {}), counts };
}

async function queueDepartment(ports: Pick<DepartmentQueuePorts, 'departments'>, actor: Actor, asked: string | undefined): Promise<string> {
  if (actor.role === 'staff') {
    if (asked !== undefined && asked !== actor.department) throw new ForbiddenError(`Department staff see only their own department (${actor.department})`);
    return actor.department!;
  }
  if (asked === undefined) throw new ValidationError('Which department?', [{ path: 'department', message: 'is required (a department code such as PWD)' }]);
  if (!(await ports.departments.get(asked))) throw new ValidationError('Unknown department', [{ path: 'department', message: `"${asked}" is not a department` }]);
  return asked;
}
