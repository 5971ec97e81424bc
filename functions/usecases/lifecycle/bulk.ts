/**
 * The per-case answer of a bulk action from a queue (acknowledge, assign): each case is acted on as by its own
 * request, one after the other; one case's failure never stops the others, and each gets its outcome.
 * Steps:
 * 1. the case numbers, in the order given (the body schemas, action-inputs.ts, bound them at BULK_CASES_MAX and
 *    refuse repeats);
 * 2. one after the other, the single action: `done` (the action's own outcome name) with the new status and version;
 *    a case the actor may not reach or that does not exist: `not-found` (as the single action's 404);
 *    a case whose state does not allow it: `conflict` with its current status (as the single action's 409);
 *    anything else (the workflow could not be answered, a lost race, a refused input): `failed` with the error's
 *    code; the change may stand, and the single action again finishes the job;
 * 3. the results in the order asked, with the count of each outcome.
 */
import type { Case } from '../../domain/case';
import { DomainError, IllegalTransitionError, NotFoundError } from '../../domain/errors';
import { logger } from '../../shared/logger';

export type BulkOutcome<Done extends string> = Done | 'not-found' | 'conflict' | 'failed';

export interface BulkResult<Done extends string> {
  caseNo: string;
  outcome: BulkOutcome<Done>;
  /** The status after (done) or the one that did not allow it (conflict). */
  status?: string;
  version?: number;
  /** The error's code when the outcome is `failed`. */
  error?: string;
}

export interface BulkAnswer<Done extends string> {
  results: Array<BulkResult<Done>>;
  counts: Record<BulkOutcome<Done>, number>;
}

export async function eachCase<Done extends string>(caseNos: readonly string[], done: Done, act: (caseNo: string) => Promise<Case>): Promise<BulkAnswer<Done>> {
  const results: Array<BulkResult<Done>> = [];
  for (const caseNo of caseNos) results.push(await one(caseNo, done, act));
  const counts = { [done]: 0, 'not-found': 0, conflict: 0, failed: 0 } as Record<BulkOutcome<Done>, number>;
  for (const r of results) counts[r.outcome] += 1;
  return { results, counts };
}

async function one<Done extends string>(caseNo: string, done: Done, act: (caseNo: string) => Promise<Case>): Promise<BulkResult<Done>> {
  try {
    const c = await act(caseNo);
    return { caseNo, outcome: done, status: c.status, version: c.version };
  } catch (e) {
    if (e instanceof NotFoundError) return { caseNo, outcome: 'not-found' };
    if (e instanceof IllegalTransitionError) return { caseNo, outcome: 'conflict', status: e.from };
    // Reported in the answer, not thrown: the other cases go on. Logged as the error mapper would have.
    logger.error('Bulk action: one case failed', { caseNo, action: done, error: e instanceof Error ? e.name : 'unknown' });
    return { caseNo, outcome: 'failed', error: e instanceof DomainError ? e.code : 'INTERNAL' };
  }
}
