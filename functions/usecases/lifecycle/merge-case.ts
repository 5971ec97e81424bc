/**
 * POST /cases/{caseNo}/merge — the case duplicates an open parent case; its reporter hears the parent's outcome.
 * Steps:
 * 1. the parent must be another open case that is not itself merged (400 naming `parentCaseNo` otherwise);
 * 2. the duplicate (runCaseAction, case-action.ts): already merged into this parent is a retry (no write);
 *    merged elsewhere is a 409; otherwise it must be open and have no duplicates of its own (no chains).
 *    ONE conditional write: MERGED, `parentCaseNo`, event `merged`;
 * 3. the parent: ONE conditional write adding the duplicate to `duplicates` with event `merged`, unless it is
 *    there already (a retry), so its workflow's TellCitizen reaches that reporter when it is resolved;
 * 4. answer the duplicate's waiting task with failure `Case.Merged`; its execution ends.
 */
import type { Actor } from '../../domain/actor';
import type { Case } from '../../domain/case';
import { isOpen } from '../../domain/case';
import { ConflictError, ValidationError } from '../../domain/errors';
import { assertCaseReachable } from '../../auth/ownership';
import { ALL_WAITS, runCaseAction, type CaseActionPorts } from './case-action';
import { changeCase } from './context';
import { CASE_SIGNALS } from './task-results';

export async function mergeCase(ports: CaseActionPorts, actor: Actor, caseNo: string, input: { parentCaseNo: string }): Promise<Case> {
  const { parentCaseNo } = input;
  if (parentCaseNo === caseNo) throw new ValidationError('A case cannot be merged into itself', [{ path: 'parentCaseNo', message: 'must be another case' }]);
  const parent = await ports.cases.get(parentCaseNo);
  if (!parent) throw new ValidationError('Unknown parent case', [{ path: 'parentCaseNo', message: `case ${parentCaseNo} does not exist` }]);
  assertCaseReachable(parent, actor);

  return runCaseAction(ports, actor, caseNo, {
    target: 'MERGED',
    ends: ALL_WAITS,
    idempotent: true,
    applied: (c) => c.status === 'MERGED' && c.parentCaseNo === parentCaseNo,
    allowed: (c) => {
      if (c.status === 'MERGED') throw new ConflictError(`Case ${caseNo} is already merged into ${c.parentCaseNo}`, { parentCaseNo: c.parentCaseNo });
      if (!isOpen(parent.status) || parent.parentCaseNo)
        throw new ValidationError('The parent case is not open', [{ path: 'parentCaseNo', message: `case ${parentCaseNo} is ${parent.status}; only an open case takes duplicates` }]);
      if (c.duplicates?.length)
        throw new ConflictError(`Case ${caseNo} has duplicates of its own; merge them into ${parentCaseNo} first`, { duplicates: c.duplicates.join(',') });
      return isOpen(c.status);
    },
    change: () => ({
      set: { status: 'MERGED', parentCaseNo },
      event: { type: 'merged', by: actor.id, text: `併入案件 ${parentCaseNo} / Merged into case ${parentCaseNo}`, data: { parentCaseNo } },
    }),
    afterWrite: async () => {
      await changeCase(ports.cases, parentCaseNo, (p) =>
        p.duplicates?.includes(caseNo)
          ? undefined
          : {
              set: { duplicates: [...(p.duplicates ?? []), caseNo] },
              event: { type: 'merged', by: actor.id, text: `案件 ${caseNo} 併入本案 / Case ${caseNo} merged into this case`, data: { duplicate: caseNo } },
            },
      );
    },
    answer: () => ({ kind: 'failure', error: CASE_SIGNALS.merged, cause: parentCaseNo }),
  });
}
