/**
 * POST /cases/{caseNo}/workflow-decision — a supervisor decides about a case whose workflow step failed for good
 * (the recovery path, workflow-failed.ts). Steps: runCaseAction (case-action.ts) with
 * - valid only while the workflow waits for this decision (`waitingFor: decision`): 409 naming the status
 *   otherwise; a reassignment names a department that receives cases (400 naming `department`) and needs an
 *   open case;
 * - retry: event `workflow-decision`; the answer `{ decision: 'retry' }` runs the failed step again (Choice
 *   `RecoveryDecision` on the state's `failedStep`);
 * - reassign: the department set, event `workflow-decision`; the answer `{ decision: 'reassign', department }`
 *   routes the case afresh to it (RouteCase, fresh deadlines, the department notified);
 * - close: a RESOLVED case becomes CLOSED, any other CANCELLED (nothing closes an unresolved case), event
 *   `workflow-decision` with the reason; the answer ends the execution and the spent token is cleared.
 */
import type { Config } from '../../config/validate';
import type { Actor } from '../../domain/actor';
import { assertTransition, isOpen, type Case } from '../../domain/case';
import { nowIso } from '../../domain/clock';
import { runCaseAction, type CaseActionPorts } from './case-action';
import { receivingDepartment } from './reassign-case';

export type WorkflowDecisionInput =
  | { decision: 'retry'; note?: string }
  | { decision: 'reassign'; department: string; note?: string }
  | { decision: 'close'; reason: string };

export async function decideWorkflowFailure(
  ports: CaseActionPorts,
  config: Pick<Config, 'departments'>,
  actor: Actor,
  caseNo: string,
  input: WorkflowDecisionInput,
): Promise<Case> {
  const waiting = (c: Case) => c.waitingFor === 'decision' && c.pendingTaskToken !== undefined;
  switch (input.decision) {
    case 'retry':
      return runCaseAction(ports, actor, caseNo, {
        target: 'a retried workflow step',
        ends: ['decision'],
        applied: () => false,
        allowed: waiting,
        change: (c) => ({
          event: {
            type: 'workflow-decision',
            by: actor.id,
            text: `督導決定重試失敗的步驟 / Supervisor retries the failed step${input.note ? `: ${input.note}` : ''}`,
            data: { decision: 'retry', status: c.status },
          },
        }),
        answer: () => ({ kind: 'success', output: { decision: 'retry' } }),
      });
    case 'reassign': {
      const department = receivingDepartment(config, input.department);
      return runCaseAction(ports, actor, caseNo, {
        target: 'reassigned',
        ends: ['decision'],
        applied: () => false,
        allowed: (c) => waiting(c) && isOpen(c.status),
        change: (c) => ({
          set: { department: department.code },
          remove: ['assignee', 'assignedAt'],
          event: {
            type: 'workflow-decision',
            by: actor.id,
            text: `督導決定改派${department.name.zh} / Supervisor reassigns to ${department.name.en}${input.note ? `: ${input.note}` : ''}`,
            data: { decision: 'reassign', from: c.department ?? null, to: department.code, status: c.status },
          },
        }),
        answer: () => ({ kind: 'success', output: { decision: 'reassign', department: department.code } }),
      });
    }
    case 'close': {
      const reason = input.reason.trim();
      const endsAs = (c: Case) => (c.status === 'RESOLVED' ? 'CLOSED' : 'CANCELLED');
      return runCaseAction(ports, actor, caseNo, {
        target: 'CLOSED or CANCELLED',
        ends: ['decision'],
        applied: (c) => c.status === 'CLOSED' || c.status === 'CANCELLED',
        allowed: (c) => waiting(c) && (isOpen(c.status) || c.status === 'RESOLVED'),
        change: (c) => {
          const status = endsAs(c);
          assertTransition(c.caseNo, c.status, status);
          return {
            set: status === 'CLOSED' ? { status, closedAt: nowIso() } : { status },
            event: {
              type: 'workflow-decision',
              by: actor.id,
              text: `督導決定結案（流程失敗）：${reason} / Supervisor ends the case after a workflow failure: ${reason}`,
              data: { decision: 'close', from: c.status, to: status, reason },
            },
          };
        },
        answer: (c) => ({ kind: 'success', output: { decision: 'close', status: c.status === 'CLOSED' ? 'CLOSED' : 'CANCELLED' } }),
      });
    }
  }
}
