/**
 * POST /cases/{caseNo}/cancel — an agent or supervisor withdraws the case (a reason is required); a machine client
 * (integration) only a case it filed itself (a system withdrawing its own filing, the smoke test cleaning up).
 * Steps: runCaseAction (case-action.ts) with
 * - a machine client and a case someone else filed: 403, nothing written;
 * - valid while the case is open (NEW, ASSIGNED, ACKNOWLEDGED, RETURNED, REOPENED);
 * - the write: CANCELLED, event `cancelled` with the reason;
 * - the answer to whatever wait holds the token: task failure `Case.Cancelled`; the execution ends. Between two
 *   steps (no token) the next step sees CANCELLED and ends it.
 */
import type { Actor } from '../../domain/actor';
import type { Case } from '../../domain/case';
import { isOpen } from '../../domain/case';
import { ForbiddenError, ValidationError } from '../../domain/errors';
import { ALL_WAITS, runCaseAction, type CaseActionPorts } from './case-action';
import { CASE_SIGNALS } from './task-results';

export async function cancelCase(ports: CaseActionPorts, actor: Actor, caseNo: string, input: { reason: string }): Promise<Case> {
  const reason = input.reason.trim();
  if (!reason) throw new ValidationError('A reason is required', [{ path: 'reason', message: 'must not be empty' }]);
  return runCaseAction(ports, actor, caseNo, {
    target: 'CANCELLED',
    ends: ALL_WAITS,
    applied: (c) => c.status === 'CANCELLED',
    allowed: (c) => {
      if (actor.role === 'integration' && c.createdBy !== actor.id) throw new ForbiddenError('A machine client may cancel only the cases it filed');
      return isOpen(c.status);
    },
    change: () => ({ set: { status: 'CANCELLED' }, event: { type: 'cancelled', by: actor.id, text: reason, data: { reason } } }),
    answer: () => ({ kind: 'failure', error: CASE_SIGNALS.cancelled, cause: reason }),
  });
}
