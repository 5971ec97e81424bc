/**
 * POST /cases/{caseNo}/assign — the department's lead (or a 1999 supervisor, an admin) hands a case the department
 * holds to one of its staff, whose "my cases" tab lists it first; POST /queues/department/assign does it for
 * several cases with each case's outcome (bulk.ts). Assignment lives inside the department: the workflow neither
 * waits for it nor hears of it, so there is no task to answer.
 * Steps:
 * 1. read the case as the actor may see it: unknown or another department's is a 404;
 * 2. the department must hold it (ASSIGNED, ACKNOWLEDGED, REOPENED): a 409 naming the current status otherwise;
 * 3. the assignee must be staff of that very department in the staff directory (user-directory.ts: a person
 *    known there from their sign-in): a 400 naming `assignee` otherwise;
 * 4. already assigned to that person: nothing to write (a retried request);
 * 5. ONE conditional write (context.ts changeCase: a lost race re-reads and checks 2 and 4 again): `assignee`,
 *    `assignedAt`, and the event `assigned` (assignee, the previous one, the reason as its text when given). The case enters the assignee's
 *    "my cases" index partition in the same write (table.ts assigneeIndexKeys).
 */
import type { Actor } from '../../domain/actor';
import { ASSIGNABLE_STATUSES, currentAssignee, type Case } from '../../domain/case';
import { nowIso } from '../../domain/clock';
import { IllegalTransitionError, NotFoundError, ValidationError } from '../../domain/errors';
import { assertCaseReachable } from '../../auth/ownership';
import type { CaseRepository } from '../ports';
import type { UserDirectory } from '../user-directory';
import { eachCase, type BulkAnswer } from './bulk';
import { changeCase } from './context';

export interface AssignPorts {
  cases: CaseRepository;
  users: Pick<UserDirectory, 'get'>;
}

export interface AssignInput {
  assignee: string;
  reason?: string;
}

const held = (c: Case): boolean => c.department !== undefined && (ASSIGNABLE_STATUSES as readonly string[]).includes(c.status);

export async function assignCase(ports: AssignPorts, actor: Actor, caseNo: string, input: AssignInput): Promise<Case> {
  const current = await ports.cases.get(caseNo);
  if (!current) throw new NotFoundError(`Case ${caseNo} not found`);
  assertCaseReachable(current, actor);
  if (!held(current)) throw new IllegalTransitionError(caseNo, current.status, 'assigned');
  await assertDepartmentStaff(ports, input.assignee, current.department!);

  const { case: after } = await changeCase(ports.cases, caseNo, (c) => {
    if (!held(c) || c.department !== current.department) throw new IllegalTransitionError(caseNo, c.status, 'assigned');
    const before = currentAssignee(c);
    if (before === input.assignee) return undefined;
    return {
      set: { assignee: input.assignee, assignedAt: nowIso() },
      // The ids are named by the console from the staff directory, as it names who acted; the reason as typed.
      event: {
        type: 'assigned',
        by: actor.id,
        ...(input.reason ? { text: input.reason } : {}),
        data: { assignee: input.assignee, ...(before ? { previousAssignee: before } : {}), ...(input.reason ? { reason: input.reason } : {}) },
      },
    };
  });
  return after;
}

export async function assignCases(ports: AssignPorts, actor: Actor, input: AssignInput & { caseNos: readonly string[] }): Promise<BulkAnswer<'assigned'>> {
  const { caseNos, ...each } = input;
  return eachCase(caseNos, 'assigned', (caseNo) => assignCase(ports, actor, caseNo, each));
}

async function assertDepartmentStaff(ports: AssignPorts, assignee: string, department: string): Promise<void> {
  const [profile] = await ports.users.get([assignee]);
  if (!profile || profile.role !== 'staff' || profile.department !== department)
    throw new ValidationError('Not staff of the department', [{ path: 'assignee', message: `is not a staff member of ${department} in the staff directory` }]);
}
