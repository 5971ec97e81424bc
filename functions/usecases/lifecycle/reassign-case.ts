/**
 * POST /cases/{caseNo}/reassign — a supervisor sends a case to a department: a returned one from the dispatch
 * queue, or any open one a department holds (overdue with the wrong department, say), with a reason.
 * Steps:
 * 1. the department must exist and receive cases (400 naming `department` otherwise);
 * 2. read the case to tell the two apart: a case waiting for its department's acknowledgement or resolution (or
 *    already moved, `rerouteTo`: a retry) is an open one, anything else takes the returned-case path;
 * 3. a returned case, runCaseAction (case-action.ts) with
 *    - valid for a RETURNED case in the dispatch queue (while the workflow still holds the department's token the
 *      case has not reached the queue yet: 409, try again in a moment);
 *    - the write: ASSIGNED to the department, event `reassigned` (from, to, the reason when given);
 *    - the answer to AwaitReassign: `{ outcome: 'reassigned', department }`; the workflow routes the case again
 *      (fresh deadlines) and notifies the new department;
 * 4. an open case: a reason is required (400 naming `reason`), another department than its own (400 naming
 *    `department`); runCaseAction with
 *    - valid while the workflow holds the token of the acknowledgement or resolution wait (409 with the current
 *      status otherwise: a case between steps, resolved, waiting for a decision);
 *    - the write: ASSIGNED to the department, the acknowledgement cleared, `rerouteTo` (the department, until the
 *      workflow has routed it), event `reassigned` (from, to, reason);
 *    - the answer: the wait fails with `Case.Reassigned`; the ASL sends it to RouteCase, which routes the case to
 *      the department the supervisor chose with fresh deadlines and notifies it.
 */
import type { Department } from '../../config/schema';
import type { Config } from '../../config/validate';
import type { Actor } from '../../domain/actor';
import type { Case } from '../../domain/case';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { eachCase, type BulkAnswer } from './bulk';
import { runCaseAction, type CaseActionPorts } from './case-action';
import { CASE_SIGNALS } from './task-results';

/** The waits of a case a department holds: a supervisor may take it from the department during them. */
const OPEN_WAITS = ['acknowledgement', 'resolution'] as const;
const OPEN_STATUSES: ReadonlySet<string> = new Set(['ASSIGNED', 'ACKNOWLEDGED', 'REOPENED']);

/** The department a case may be sent to: it exists and receives cases (a 400 naming `department` otherwise). */
export function receivingDepartment(config: Pick<Config, 'departments'>, code: string): Department {
  const department = config.departments.departments.find((d) => d.code === code);
  if (!department || !department.receivesCases)
    throw new ValidationError('Unknown department', [{ path: 'department', message: `"${code}" is not a department that receives cases` }]);
  return department;
}

export async function reassignCase(ports: CaseActionPorts, config: Pick<Config, 'departments'>, actor: Actor, caseNo: string, input: { department: string; reason?: string }): Promise<Case> {
  const department = receivingDepartment(config, input.department);
  const current = await ports.cases.get(caseNo);
  if (!current) throw new NotFoundError(`Case ${caseNo} not found`);
  if (current.rerouteTo !== undefined || (OPEN_WAITS as readonly string[]).includes(current.waitingFor ?? '')) return reassignOpenCase(ports, actor, current, department, input.reason);
  return runCaseAction(ports, actor, caseNo, {
    target: 'ASSIGNED',
    ends: ['reassignment'],
    applied: (c) => c.status === 'ASSIGNED' && c.department === department.code,
    allowed: (c) => c.status === 'RETURNED' && (c.waitingFor === undefined || c.waitingFor === 'reassignment'),
    change: (c) => ({
      set: { status: 'ASSIGNED', department: department.code },
      // The department's own assignment goes with the case: the new department assigns its own staff.
      remove: ['acknowledgedAt', 'assignee', 'assignedAt'],
      event: {
        type: 'reassigned',
        by: actor.id,
        text: `改派${department.name.zh} / Reassigned to ${department.name.en}`,
        data: { from: c.department ?? null, to: department.code, ...(input.reason ? { reason: input.reason } : {}) },
      },
    }),
    answer: () => ({ kind: 'success', output: { outcome: 'reassigned', department: department.code } }),
  });
}

async function reassignOpenCase(ports: CaseActionPorts, actor: Actor, current: Case, department: Department, reason: string | undefined): Promise<Case> {
  if (!reason) throw new ValidationError('A reason is required', [{ path: 'reason', message: 'is required to take a case from the department that holds it' }]);
  if (current.rerouteTo === undefined && current.department === department.code)
    throw new ValidationError('Same department', [{ path: 'department', message: `the case is with ${department.code} already` }]);
  return runCaseAction(ports, actor, current.caseNo, {
    target: 'reassigned',
    ends: OPEN_WAITS,
    applied: (c) => c.rerouteTo === department.code,
    allowed: (c) => OPEN_STATUSES.has(c.status) && c.rerouteTo === undefined && c.pendingTaskToken !== undefined && (OPEN_WAITS as readonly string[]).includes(c.waitingFor ?? ''),
    change: (c) => ({
      set: { status: 'ASSIGNED', department: department.code, rerouteTo: department.code },
      // The department's own assignment goes with the case: the new department assigns its own staff.
      remove: ['acknowledgedAt', 'assignee', 'assignedAt'],
      event: {
        type: 'reassigned',
        by: actor.id,
        text: `改派${department.name.zh} / Reassigned to ${department.name.en}`,
        data: { from: c.department ?? null, to: department.code, reason },
      },
    }),
    answer: () => ({ kind: 'failure', error: CASE_SIGNALS.reassigned, cause: reason }),
  });
}

/**
 * POST /queues/reassign — a supervisor sends several cases (picked in the dispatch queue or a department's inbox)
 * to one department with one reason.
 * Steps:
 * 1. the department must exist and receive cases: a 400 naming `department` before any case is touched;
 * 2. for each case number in the order given, reassignCase exactly as its own request would (bulk.ts: `reassigned`,
 *    `not-found`, `conflict` with the status, `failed` with the code, e.g. VALIDATION_FAILED for a case already
 *    with that department), the other cases going on;
 * 3. the results in that order, with the count of each outcome.
 */
export async function reassignCases(
  ports: CaseActionPorts,
  config: Pick<Config, 'departments'>,
  actor: Actor,
  input: { caseNos: readonly string[]; department: string; reason: string },
): Promise<BulkAnswer<'reassigned'>> {
  receivingDepartment(config, input.department);
  return eachCase(input.caseNos, 'reassigned', (caseNo) => reassignCase(ports, config, actor, caseNo, { department: input.department, reason: input.reason }));
}
