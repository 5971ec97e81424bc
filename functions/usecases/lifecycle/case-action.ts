/**
 * The shape every case action shares (acknowledge, resolve, return, reassign, survey, cancel, merge).
 * Steps:
 * 1. load the case as the actor may see it: another department's case is a 404, as an unknown one;
 * 2. already applied and still holding the token of the wait it ends: this is a retry after the send failed —
 *    skip the write and only send again;
 * 3. not valid in the current state: IllegalTransitionError, a 409 naming the current status;
 * 4. ONE conditional write (re-read and re-checked on a lost race), keeping the task token on the case;
 * 5. if the case holds the token of a wait this action ends, send the task result. A task that is already
 *    over (ConflictError from the adapter: it timed out, or the execution ended) is not an error: the change
 *    stands and the workflow's next step sees it (task-results.ts). Any other send failure propagates: the
 *    client retries and step 2 finishes the job without recording anything twice.
 * 6. the task answered (or already over) and the case ended (CLOSED, CANCELLED, MERGED): no next step will ever
 *    replace the token, so one more conditional write, on the version just read, removes `pendingTaskToken` and
 *    `waitingFor` — without a timeline event (WorkflowBookkeepingCleanup in ports.ts). Only after the answer went
 *    out, so a failed send still finds its token on the retry. A lost race leaves them for the next action on the
 *    case; it never fails the answer to the client. Because an ended case can lose its token, an action whose end
 *    state is already there counts as a retry (200, nothing written) also without the token: nothing leaves a
 *    terminal state, so the workflow cannot have moved on to anything this action could contradict.
 */
import type { Actor } from '../../domain/actor';
import { TERMINAL_STATUSES, WAITS, type Case, type WaitingFor } from '../../domain/case';
import { ConflictError, IllegalTransitionError, PreconditionFailedError } from '../../domain/errors';
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
    return spec.change(current);
  });
  if (written) spec.written?.(c);
  await spec.afterWrite?.(c);
  if (!(await answerTask(ports, c, spec)) || !isTerminal(c)) return c;
  return clearBookkeeping(ports, c);
}

function isTerminal(c: Case): boolean {
  return TERMINAL_STATUSES.includes(c.status);
}

/** Step 6: the spent token off an ended case; the case as it stands either way. */
async function clearBookkeeping(ports: CaseActionPorts, c: Case): Promise<Case> {
  try {
    return await ports.cases.update(c.caseNo, c.version, { remove: ['pendingTaskToken', 'waitingFor'] });
  } catch (e) {
    if (!(e instanceof PreconditionFailedError)) throw e;
    logger.info('The case changed before its spent task token was cleared; the token stays for now', { waitingFor: c.waitingFor });
    return c;
  }
}

export function holdsTokenFor(c: Case, waits: readonly WaitingFor[]): boolean {
  return c.pendingTaskToken !== undefined && c.waitingFor !== undefined && waits.includes(c.waitingFor);
}

/** True when the task of the stored token is over now: answered here, or ended before. */
async function answerTask(ports: CaseActionPorts, c: Case, spec: CaseActionSpec): Promise<boolean> {
  if (!holdsTokenFor(c, spec.ends)) return false;
  const answer = spec.answer(c);
  if (!answer) return false;
  try {
    if (answer.kind === 'success') await ports.workflow.sendSuccess(c.pendingTaskToken!, { ...answer.output });
    else await ports.workflow.sendFailure(c.pendingTaskToken!, answer.error, answer.cause);
  } catch (e) {
    if (!(e instanceof ConflictError)) throw e;
    logger.info('The workflow task had already ended; its next step picks the change up', { waitingFor: c.waitingFor, reason: e.details.reason });
  }
  return true;
}

export const ALL_WAITS: readonly WaitingFor[] = WAITS;
