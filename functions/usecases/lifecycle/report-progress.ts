/**
 * POST /cases/{caseNo}/progress — the department says how the work is going (a timeline entry; the workflow is
 * not involved, the resolve deadline still runs).
 * Steps:
 * 1. load the case as the actor may see it (another department's case is a 404);
 * 2. valid only for an ACKNOWLEDGED case (409 with the current status otherwise);
 * 3. ONE conditional write appending the `progress` event.
 */
import type { Actor } from '../../domain/actor';
import type { Case } from '../../domain/case';
import { IllegalTransitionError } from '../../domain/errors';
import { assertCaseReachable } from '../../auth/ownership';
import { changeCase } from './context';
import type { CaseActionPorts } from './case-action';

export async function reportProgress(ports: Pick<CaseActionPorts, 'cases'>, actor: Actor, caseNo: string, input: { note: string }): Promise<Case> {
  const { case: c } = await changeCase(ports.cases, caseNo, (current) => {
    assertCaseReachable(current, actor);
    if (current.status !== 'ACKNOWLEDGED') throw new IllegalTransitionError(caseNo, current.status, 'progress');
    return { event: { type: 'progress', by: actor.id, text: input.note } };
  });
  return c;
}
