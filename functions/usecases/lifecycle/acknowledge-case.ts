/**
 * POST /cases/{caseNo}/acknowledge — the department takes the case on.
 * Steps: runCaseAction (case-action.ts) with
 * - valid for an ASSIGNED or REOPENED case whose workflow is not between a reassignment or a reopen and its
 *   routing (the department may not be the one it will be routed to);
 * - the write: ACKNOWLEDGED, `acknowledgedAt`, event `acknowledged` (with the actor's note if any);
 * - the answer to AwaitAck: the resolution wait (the resolve deadline), which AwaitResolve times out on.
 */
import type { Actor } from '../../domain/actor';
import type { Case } from '../../domain/case';
import { now, nowIso } from '../../domain/clock';
import { runCaseAction, type CaseActionPorts } from './case-action';
import { resolutionWait } from './task-results';

export async function acknowledgeCase(ports: CaseActionPorts, actor: Actor, caseNo: string, input: { note?: string } = {}): Promise<Case> {
  return runCaseAction(ports, actor, caseNo, {
    target: 'ACKNOWLEDGED',
    ends: ['acknowledgement'],
    applied: (c) => c.status === 'ACKNOWLEDGED',
    allowed: (c) => (c.status === 'ASSIGNED' || c.status === 'REOPENED') && (c.waitingFor === undefined || c.waitingFor === 'acknowledgement'),
    change: () => ({
      set: { status: 'ACKNOWLEDGED', acknowledgedAt: nowIso() },
      event: { type: 'acknowledged', by: actor.id, text: input.note ?? '已簽收 / Acknowledged' },
    }),
    answer: (c) => ({ kind: 'success', output: resolutionWait(c, now()) }),
  });
}
