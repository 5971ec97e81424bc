/**
 * POST /cases/{caseNo}/resolve — the department reports the case done.
 * Steps: runCaseAction (case-action.ts) with
 * - valid for an ACKNOWLEDGED case (a resolution text is required: the citizen is told what was done);
 * - the write: RESOLVED, `resolvedAt`, `resolution`, event `resolved`;
 * - the answer to AwaitResolve: `{ outcome: 'resolved' }`; the workflow then tells the citizen.
 */
import type { Actor } from '../../domain/actor';
import type { Case } from '../../domain/case';
import { nowIso } from '../../domain/clock';
import { ValidationError } from '../../domain/errors';
import { runCaseAction, type CaseActionPorts } from './case-action';

export async function resolveCase(ports: CaseActionPorts, actor: Actor, caseNo: string, input: { resolution: string }): Promise<Case> {
  const resolution = input.resolution.trim();
  if (!resolution) throw new ValidationError('A resolution is required', [{ path: 'resolution', message: 'must not be empty' }]);
  return runCaseAction(ports, actor, caseNo, {
    target: 'RESOLVED',
    ends: ['resolution'],
    applied: (c) => c.status === 'RESOLVED',
    allowed: (c) => c.status === 'ACKNOWLEDGED',
    change: () => ({
      set: { status: 'RESOLVED', resolvedAt: nowIso(), resolution },
      event: { type: 'resolved', by: actor.id, text: resolution },
    }),
    answer: () => ({ kind: 'success', output: { outcome: 'resolved' } }),
  });
}
