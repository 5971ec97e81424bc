/**
 * The contract between the case actions and the state machine (workflows/case-lifecycle.asl.json): what each
 * waiting Task receives when it ends. The ASL's Catch and Choice rules match these names and fields.
 *
 *   AwaitAck       success: the resolution wait (WorkflowWait)        -> $.wait
 *   AwaitResolve   success: { outcome: 'resolved' }                    -> $.signal
 *   AwaitSurvey    success: { outcome: 'surveyed', answer: 'satisfied' } -> the execution ends (the case is CLOSED)
 *                  failure: Case.Reopened (unsatisfied)                -> $.signal, RouteCase routes it back
 *   AwaitReassign  success: { outcome: 'reassigned', department }      -> $.signal
 *   WorkflowFailed success: { decision: 'retry' | 'reassign' | 'close', ... } -> $.decision (Choice RecoveryDecision)
 *   any wait       failure: Case.Returned | Case.Rerouted | Case.Reassigned | Case.Cancelled | Case.Merged
 *                  (States.Timeout escalates)
 *
 * Invariant that makes actions and workflow steps idempotent: the task token (`pendingTaskToken`, `waitingFor`)
 * stays on the case until the workflow's NEXT step replaces or removes it. An action writes its change and keeps
 * the token, then sends; a retried action that finds its change applied and the token still there only sends
 * again. A workflow step that finds the token already gone knows it ran before.
 */
import type { Case, WaitingFor } from '../../domain/case';
import type { ResumePoint } from '../ports';
import { planWait, type WorkflowWait } from '../../domain/escalation';

export const CASE_SIGNALS = {
  returned: 'Case.Returned',
  rerouted: 'Case.Rerouted',
  /** A supervisor moved an open case to another department (reassign-case.ts): RouteCase routes it there. */
  reassigned: 'Case.Reassigned',
  cancelled: 'Case.Cancelled',
  merged: 'Case.Merged',
  /**
   * An unsatisfied survey answer: the case is REOPENED and goes back to RouteCase. A failure rather than a success
   * the state machine would branch on, so the satisfied case ends at AwaitSurvey without a Choice and a Succeed
   * state (two state transitions per case).
   */
  reopened: 'Case.Reopened',
} as const;
export type CaseSignal = (typeof CASE_SIGNALS)[keyof typeof CASE_SIGNALS];

export type SurveyAnswer = 'satisfied' | 'unsatisfied' | 'unanswered';

export interface ResolvedResult {
  outcome: 'resolved';
}
export interface SurveyedResult {
  outcome: 'surveyed';
  answer: SurveyAnswer;
}
export interface ReassignedResult {
  outcome: 'reassigned';
  department: string;
}
/**
 * A supervisor's answer to the recovery wait (`WorkflowFailed` -> `$.decision`): run the failed step again, route
 * the case to a department afresh, or end it (the case is CLOSED or CANCELLED by then).
 */
export type DecisionResult = { decision: 'retry' } | { decision: 'reassign'; department: string } | { decision: 'close'; status: 'CLOSED' | 'CANCELLED' };
export type TaskResult = WorkflowWait | ResolvedResult | SurveyedResult | ReassignedResult | DecisionResult;

/** What a Catch puts in `$.signal`. */
export interface CaughtError {
  Error: string;
  Cause?: string;
}
export type Signal = CaughtError | ResolvedResult | SurveyedResult | ReassignedResult;

/**
 * A workflow step's way of ending the execution cleanly: thrown from a Lambda, its name becomes the Task's error
 * (Lambda's errorType), which the ASL catches.
 */
export class CaseSignalError extends Error {
  constructor(
    readonly signal: CaseSignal,
    message: string,
  ) {
    super(message);
    this.name = signal;
  }
}

/** The resolution wait that starts when a case is acknowledged: AwaitAck's result. */
export function resolutionWait(c: Pick<Case, 'resolveDueAt' | 'caseNo'>, now: Date): WorkflowWait {
  if (!c.resolveDueAt) throw new Error(`Case ${c.caseNo} has no resolve deadline`);
  return planWait('resolution', c.resolveDueAt, now, 'waiting');
}

export type AwaitedOutcome =
  | { settled: false }
  | { settled: true; kind: 'success'; output: TaskResult }
  | { settled: true; kind: 'failure'; error: CaseSignal; cause: string };

/**
 * Whether what a wait is for already happened: an action that came while no token was stored (between two
 * workflow steps) writes its change but cannot send. The next wait sees it here and completes its own task.
 */
export function awaitedOutcome(c: Case, waitingFor: WaitingFor, now: Date): AwaitedOutcome {
  const fail = (error: CaseSignal, cause: string): AwaitedOutcome => ({ settled: true, kind: 'failure', error, cause });
  const succeed = (output: TaskResult): AwaitedOutcome => ({ settled: true, kind: 'success', output });
  if (c.status === 'CANCELLED') return fail(CASE_SIGNALS.cancelled, 'cancelled');
  if (c.status === 'MERGED') return fail(CASE_SIGNALS.merged, c.parentCaseNo ?? 'merged');
  switch (waitingFor) {
    case 'acknowledgement':
      if (c.status === 'RETURNED') return fail(CASE_SIGNALS.returned, 'returned');
      if (c.status === 'ACKNOWLEDGED') return succeed(resolutionWait(c, now));
      return { settled: false };
    case 'resolution':
      if (c.status === 'RETURNED') return fail(CASE_SIGNALS.returned, 'returned');
      if (c.status === 'RESOLVED') return succeed({ outcome: 'resolved' });
      return { settled: false };
    case 'survey':
      if (c.status === 'CLOSED') return succeed({ outcome: 'surveyed', answer: c.survey?.answer ?? 'satisfied' });
      if (c.status === 'REOPENED') return fail(CASE_SIGNALS.reopened, 'unsatisfied');
      return { settled: false };
    case 'reassignment':
      if (c.status === 'ASSIGNED' && c.department) return succeed({ outcome: 'reassigned', department: c.department });
      return { settled: false };
    case 'decision':
      // Only a supervisor's decision ends this wait (decide-workflow-failure.ts); nothing else settles it.
      return { settled: false };
  }
}

/**
 * Whether the case still holds the token of `wait`, the wait that just ended. A supervisor's decision to retry a
 * failed step ends the recovery wait instead (its token replaced the step's): that counts as the same ending.
 */
export function endedWaitHeld(c: Pick<Case, 'waitingFor'>, wait: WaitingFor): boolean {
  return c.waitingFor === wait || c.waitingFor === 'decision';
}

/**
 * A restarted execution's way to the step the case is at (functions/usecases/restart-stalled-workflows.ts): RouteCase
 * throws it for an input with `resume`, and the ASL's `Resume.<state>` catches lead there with the input intact.
 */
export class ResumeSignal extends Error {
  constructor(readonly at: ResumePoint) {
    super(`Resume the workflow at ${at}`);
    this.name = `Resume.${at}`;
  }
}

export function isCaughtError(s: unknown): s is CaughtError {
  return typeof s === 'object' && s !== null && typeof (s as CaughtError).Error === 'string';
}
