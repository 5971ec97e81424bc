/**
 * Workflow step `Dispatch`: the case goes to the 1999 desk's dispatch queue for a supervisor to reassign.
 * Reached when a department returned the case (Case.Returned: the return action already made it RETURNED) or
 * when routing failed (no SOP, no topic for the department...).
 * Steps:
 * 1. read the case; cancelled or merged ends the workflow;
 * 2. routing failed: ONE conditional write making it RETURNED, event `returned` by the workflow naming the
 *    error, unless it is RETURNED already (a retry). A department's return wrote RETURNED itself: no write;
 * 3. return the reassignment wait: due one working day from now (DISPATCH_DEADLINE).
 */
import { assertTransition } from '../../domain/case';
import { WORKFLOW_ACTOR } from '../../domain/actor';
import { now as clockNow } from '../../domain/clock';
import { DISPATCH_DEADLINE, planWait, type WorkflowWait } from '../../domain/escalation';
import { changeCase, type LifecyclePorts, type LifecycleSettings } from './context';
import { CASE_SIGNALS, CaseSignalError, isCaughtError, type Signal } from './task-results';

export interface DispatchInput {
  caseNo: string;
  signal?: Signal;
}

export async function dispatchCase(ports: LifecyclePorts, settings: LifecycleSettings, input: DispatchInput): Promise<WorkflowWait> {
  const error = isCaughtError(input.signal) ? input.signal.Error : 'unknown';
  await changeCase(ports.cases, input.caseNo, (c) => {
    if (c.status === 'CANCELLED') throw new CaseSignalError(CASE_SIGNALS.cancelled, `Case ${c.caseNo} is cancelled`);
    if (c.status === 'MERGED') throw new CaseSignalError(CASE_SIGNALS.merged, `Case ${c.caseNo} is merged`);
    // A department's return made it RETURNED already; if it is ASSIGNED again, a supervisor was quicker than
    // this step and AwaitReassign answers itself.
    if (c.status === 'RETURNED' || error === CASE_SIGNALS.returned) return undefined;
    assertTransition(c.caseNo, c.status, 'RETURNED');
    return {
      set: { status: 'RETURNED' },
      remove: ['pendingTaskToken', 'waitingFor'],
      event: {
        type: 'returned',
        by: WORKFLOW_ACTOR,
        text: `無法依 SOP 派案（${error}），退回 1999 派案 / Routing failed (${error}); back to the 1999 dispatch desk`,
        data: { reason: 'routing-failed', error },
      },
    };
  });
  const now = clockNow();
  return planWait('reassignment', settings.calendar.addDeadline(now, DISPATCH_DEADLINE), now, 'waiting');
}
