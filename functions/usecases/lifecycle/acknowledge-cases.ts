/**
 * POST /queues/department/acknowledge — a department takes several cases on at once, from its queue. Each case is
 * acknowledged exactly as by its own POST /cases/{caseNo}/acknowledge (acknowledge-case.ts: its reach, state and
 * write, its answer to the workflow), with its own outcome (bulk.ts: `acknowledged`, `not-found`, `conflict`,
 * `failed`).
 * Steps:
 * 1. for each case number in the order given, acknowledgeCase with the note;
 * 2. the results in that order, with the count of each outcome (bulk.ts).
 */
import type { Actor } from '../../domain/actor';
import { acknowledgeCase } from './acknowledge-case';
import { eachCase, type BulkAnswer } from './bulk';
import type { CaseActionPorts } from './case-action';

export async function acknowledgeCases(ports: CaseActionPorts, actor: Actor, input: { caseNos: readonly string[]; note?: string }): Promise<BulkAnswer<'acknowledged'>> {
  return eachCase(input.caseNos, 'acknowledged', (caseNo) => acknowledgeCase(ports, actor, caseNo, input.note ? { note: input.note } : {}));
}
