/**
 * POST /queues/department/acknowledge — a department takes several cases on at once, from its queue. Each case is
 * acknowledged exactly as by its own POST /cases/{caseNo}/acknowledge (acknowledge-case.ts: its reach, state and
 * write, its answer to the workflow); one case's failure never stops the others, and each gets its outcome.
 * Steps:
 * 1. the case numbers, in the order given (the body schema, action-inputs.ts, bounds them at BULK_CASES_MAX and
 *    refuses repeats);
 * 2. one after the other, acknowledgeCase: `acknowledged` with the new status and version;
 *    a case the actor may not reach or that does not exist: `not-found` (as the single action's 404);
 *    a case whose state does not allow it: `conflict` with its current status (as the single action's 409);
 *    anything else (the workflow could not be answered, a lost race): `failed` with the error's code; the change
 *    may stand, and acknowledging that case again finishes the job (case-action.ts);
 * 3. the results in the order asked, with the count of each outcome.
 */
import type { Actor } from '../../domain/actor';
import { DomainError, IllegalTransitionError, NotFoundError } from '../../domain/errors';
import { logger } from '../../shared/logger';
import { acknowledgeCase } from './acknowledge-case';
import type { CaseActionPorts } from './case-action';

export type BulkOutcome = 'acknowledged' | 'not-found' | 'conflict' | 'failed';

export interface BulkResult {
  caseNo: string;
  outcome: BulkOutcome;
  /** The status after (acknowledged) or the one that did not allow it (conflict). */
  status?: string;
  version?: number;
  /** The error's code when the outcome is `failed`. */
  error?: string;
}

export interface BulkAnswer {
  results: BulkResult[];
  counts: Record<BulkOutcome, number>;
}

export async function acknowledgeCases(ports: CaseActionPorts, actor: Actor, input: { caseNos: readonly string[]; note?: string }): Promise<BulkAnswer> {
  const results: BulkResult[] = [];
  for (const caseNo of input.caseNos) results.push(await acknowledgeOne(ports, actor, caseNo, input.note));
  const counts: Record<BulkOutcome, number> = { acknowledged: 0, 'not-found': 0, conflict: 0, failed: 0 };
  for (const r of results) counts[r.outcome] += 1;
  return { results, counts };
}

async function acknowledgeOne(ports: CaseActionPorts, actor: Actor, caseNo: string, note: string | undefined): Promise<BulkResult> {
  try {
    const c = await acknowledgeCase(ports, actor, caseNo, note ? { note } : {});
    return { caseNo, outcome: 'acknowledged', status: c.status, version: c.version };
  } catch (e) {
    if (e instanceof NotFoundError) return { caseNo, outcome: 'not-found' };
    if (e instanceof IllegalTransitionError) return { caseNo, outcome: 'conflict', status: e.from };
    // Reported in the answer, not thrown: the other cases go on. Logged as the error mapper would have.
    logger.error('Bulk acknowledge: one case failed', { caseNo, error: e instanceof Error ? e.name : 'unknown' });
    return { caseNo, outcome: 'failed', error: e instanceof DomainError ? e.code : 'INTERNAL' };
  }
}
