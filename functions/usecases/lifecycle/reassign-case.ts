/**
 * POST /cases/{caseNo}/reassign — a supervisor sends a returned case to a department.
 * Steps: runCaseAction (case-action.ts) with
 * - the department must exist and receive cases (400 naming `department` otherwise);
 * - valid for a RETURNED case in the dispatch queue (while the workflow still holds the department's token the
 *   case has not reached the queue yet: 409, try again in a moment);
 * - the write: ASSIGNED to the department, event `reassigned` (from, to);
 * - the answer to AwaitReassign: `{ outcome: 'reassigned', department }`; the workflow routes the case again
 *   (fresh deadlines) and notifies the new department.
 */
import type { Department } from '../../config/schema';
import type { Config } from '../../config/validate';
import type { Actor } from '../../domain/actor';
import type { Case } from '../../domain/case';
import { ValidationError } from '../../domain/errors';
import { runCaseAction, type CaseActionPorts } from './case-action';

/** The department a case may be sent to: it exists and receives cases (a 400 naming `department` otherwise). */
export function receivingDepartment(config: Pick<Config, 'departments'>, code: string): Department {
  const department = config.departments.departments.find((d) => d.code === code);
  if (!department || !department.receivesCases)
    throw new ValidationError('Unknown department', [{ path: 'department', message: `"${code}" is not a department that receives cases` }]);
  return department;
}

export async function reassignCase(ports: CaseActionPorts, config: Pick<Config, 'departments'>, actor: Actor, caseNo: string, input: { department: string }): Promise<Case> {
  const department = receivingDepartment(config, input.department);
  return runCaseAction(ports, actor, caseNo, {
    target: 'ASSIGNED',
    ends: ['reassignment'],
    applied: (c) => c.status === 'ASSIGNED' && c.department === department.code,
    allowed: (c) => c.status === 'RETURNED' && (c.waitingFor === undefined || c.waitingFor === 'reassignment'),
    change: (c) => ({
      set: { status: 'ASSIGNED', department: department.code },
      remove: ['acknowledgedAt'],
      event: {
        type: 'reassigned',
        by: actor.id,
        text: `改派${department.name.zh} / Reassigned to ${department.name.en}`,
        data: { from: c.department ?? null, to: department.code },
      },
    }),
    answer: () => ({ kind: 'success', output: { outcome: 'reassigned', department: department.code } }),
  });
}
