/**
 * The shape every case action shares (acknowledge, resolve, return, reassign, survey, cancel, merge).
 * Steps:
 * 1. load the case as the actor may see it: another department's case is a 404, as an unknown one;
 * 2. already applied and still holding the token of the wait it ends: this is a retry after the send failed —
 *    skip the write and only send again;
 * 3. not valid in the current state: IllegalTransitionError, a 409 naming the current status;
 * 4. ONE conditional write (re-read and re-checked on a lost race), keeping the task token on the case. A change
 *    that ends the case (CLOSED, CANCELLED, MERGED) while it holds the token of a wait this action ends also
 *    removes `waitingFor` in that write: nothing waits for the case any more, and no next step will ever replace
 *    the token. The spent token itself stays (`pendingTaskToken` without `waitingFor`: the token of the wait the
 *    ending action answered), so a failed send still finds it on the retry; no second write clears it (the
 *    retention job's erasure of the reporter removes it with the rest);
 * 5. if the case holds the token of a wait this action ends (or, ended, the token it answered), send the task
 *    result. A task that is already over (ConflictError from the adapter: it timed out, the execution ended, or
 *    a retry answered it before) is not an error: the change stands and the workflow's next step sees it
 *    (task-results.ts). Any other send failure propagates: the client retries and step 2 finishes the job without
 *    recording anything twice. An action whose end state is already there counts as a retry (200, nothing
 *    written) also without the token (an ended case of an earlier release lost it to a cleanup write): nothing
 *    leaves a terminal state, so the workflow cannot have moved on to anything this action could contradict.
 */
import type { Actor } from '../../domain/actor';
import { TERMINAL_STATUSES, WAITS, type Case, type WaitingFor } from '../../domain/case';
import { ConflictError, IllegalTransitionError } from '../../domain/errors';
import { logger } from '../../shared/logger';
import { assertCaseReachable } from '../../auth/ownership';
import type { BusinessMetrics, CaseChange, CaseRepository, CaseWorkflow } from '../ports';
import { changeCase } from './context';
import type { CaseSignal, TaskResult } from './task-results';

export interface CaseActionPorts {
  cases: CaseRepository;
  workflow: Pick<CaseWorkflow, 'sendSuccess' | 'sendFailure'>;
  /** Business figures an action counts (surveys). Optional: tests that count nothing leave it out. */
  metrics?: BusinessMetrics;
}

export type TaskAnswer = { kind: 'success'; output: TaskResult } | { kind: 'failure'; error: CaseSignal; cause: string };

export interface CaseActionSpec {
  /** What the action makes of the case, for the 409 message (`ACKNOWLEDGED`, `reassigned`...). */
  target: string;
  /** The waits whose task this action ends; the token of any other wait is left alone. */
  ends: readonly WaitingFor[];
  /** The change is on the case already (a retry). */
  applied(c: Case): boolean;
  /** Valid in this state. */
  allowed(c: Case): boolean;
  change(c: Case): CaseChange;
  answer(c: Case): TaskAnswer | undefined;
  /**
   * Applied already counts as a retry even without the token (the action is naturally idempotent, e.g. merging
   * into the same parent again). Default: applied without the token is a 409, the workflow has moved on.
   */
  idempotent?: boolean;
  /** Runs when this call wrote the change (not on a retry that found it there): what to count. */
  written?(c: Case): void;
  /** Runs once the change is on the case (now or before), before the task is answered. */
  afterWrite?(c: Case): Promise<void>;
}

export async function runCaseAction(ports: CaseActionPorts, actor: Actor, caseNo: string, spec: CaseActionSpec): Promise<Case> {
  const { case: c, written } = await changeCase(ports.cases, caseNo, (current) => {
    assertCaseReachable(current, actor);
    if (spec.applied(current) && (spec.idempotent || holdsTokenFor(current, spec.ends) || isTerminal(current))) return undefined;
    if (!spec.allowed(current)) throw new IllegalTransitionError(caseNo, current.status, spec.target);
    return endingWait(current, spec.change(current), spec.ends);
  });
  if (written) spec.written?.(c);
  await spec.afterWrite?.(c);
  await answerTask(ports, c, spec);
  return c;
}

function isTerminal(c: Case): boolean {
  return TERMINAL_STATUSES.includes(c.status);
}

/** Step 4: a change that ends the case and the wait whose token it holds drops `waitingFor` in the same write. */
function endingWait(c: Case, change: CaseChange, waits: readonly WaitingFor[]): CaseChange {
  const status = change.set?.status;
  if (status === undefined || !TERMINAL_STATUSES.includes(status) || !holdsTokenFor(c, waits) || change.remove?.includes('waitingFor')) return change;
  return { ...change, remove: [...(change.remove ?? []), 'waitingFor'] };
}

export function holdsTokenFor(c: Case, waits: readonly WaitingFor[]): boolean {
  return c.pendingTaskToken !== undefined && c.waitingFor !== undefined && waits.includes(c.waitingFor);
}

/** The token of the task this action answers: of a wait it ends, or on an ended case the one its ending answered (step 4). */
function tokenToAnswer(c: Case, waits: readonly WaitingFor[]): string | undefined {
  if (holdsTokenFor(c, waits)) return c.pendingTaskToken;
  return isTerminal(c) && c.waitingFor === undefined ? c.pendingTaskToken : undefined;
}

/** Step 5: sends the task result when the case holds the token of the task this action answers. */
async function answerTask(ports: CaseActionPorts, c: Case, spec: CaseActionSpec): Promise<void> {
  const token = tokenToAnswer(c, spec.ends);
  if (token === undefined) return;
  const answer = spec.answer(c);
  if (!answer) return;
  try {
    if (answer.kind === 'success') await ports.workflow.sendSuccess(token, { ...answer.output });
    else await ports.workflow.sendFailure(token, answer.error, answer.cause);
  } catch (e) {
    if (!(e instanceof ConflictError)) throw e;
    logger.info('The workflow task had already ended; its next step picks the change up', { waitingFor: c.waitingFor, reason: e.details.reason });
  }
}

export const ALL_WAITS: readonly WaitingFor[] = WAITS;
