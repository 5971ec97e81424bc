/**
 * POST /cases/{caseNo}/return — the department says the case is not theirs.
 * Steps: runCaseAction (case-action.ts) with
 * - valid for an ASSIGNED, ACKNOWLEDGED or REOPENED case (a reason is required) that is not between a
 *   reassignment or a reopen and its routing;
 * - the write: RETURNED, event `returned` with the department and the reason;
 * - the answer to AwaitAck or AwaitResolve: task failure `Case.Returned`; the workflow puts the case in the 1999
 *   desk's dispatch queue.
 */
import type { Actor } from '../../domain/actor';
import type { Case } from '../../domain/case';
import { ValidationError } from '../../domain/errors';
import { runCaseAction, type CaseActionPorts } from './case-action';
import { CASE_SIGNALS } from './task-results';

export async function returnCase(ports: CaseActionPorts, actor: Actor, caseNo: string, input: { reason: string }): Promise<Case> {
  const reason = input.reason.trim();
  if (!reason) throw new ValidationError('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  return runCaseAction(ports, actor, caseNo, {
    target: 'RETURNED',
    ends: ['acknowledgement', 'resolution'],
    applied: (c) => c.status === 'RETURNED',
    allowed: (c) =>
      (c.status === 'ASSIGNED' || c.status === 'ACKNOWLEDGED' || c.status === 'REOPENED') && c.waitingFor !== 'reassignment' && c.waitingFor !== 'survey',
    change: (c) => ({
      set: { status: 'RETURNED' },
      event: { type: 'returned', by: actor.id, text: reason, data: { department: c.department ?? null, reason } },
    }),
    answer: () => ({ kind: 'failure', error: CASE_SIGNALS.returned, cause: reason }),
  });
}
