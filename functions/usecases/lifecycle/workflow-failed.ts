/**
 * Workflow step `WorkflowFailed`, the one recovery path (a `.waitForTaskToken` Lambda): a step failed after its
 * retries, every Task's Catch led here with the state intact, and the execution now waits for a supervisor.
 * Steps:
 * 1. read the case; cancelled or merged meanwhile: end the workflow (CaseSignalError, caught by the ASL);
 * 2. the same token already stored: a retried invocation, everything below happened already;
 * 3. tell who must decide: the escalation topic (the 1999 supervisors: message attribute `level` 2, `waitingFor`
 *    `decision`) and the operations topic, with the case number, the step and the error's name — never the
 *    error's message, which may quote the case's text, and no reporter data. Before the write, as citizen
 *    messages are: a crash in between repeats the notice rather than losing it;
 * 4. ONE conditional write: `pendingTaskToken`, `waitingFor: decision`, event `workflow-failed` (step, error).
 *    The decision's token replaces the failed step's; a retried step counts it as the wait that ended
 *    (`endedWaitHeld`, task-results.ts). The case's status and fields stay as they were.
 * The Task then waits, without a deadline, for POST /cases/{caseNo}/workflow-decision (decide-workflow-failure.ts).
 */
import { WORKFLOW_ACTOR } from '../../domain/actor';
import { nowIso } from '../../domain/clock';
import { NOTICE_ATTRIBUTE, NOTICES } from '../../domain/email-delivery';
import { dedupeId, workflowFailureNotice } from '../../domain/messages';
import { logger } from '../../shared/logger';
import { caseFacts, changeCase, loadCase, sopOf, type LifecyclePorts, type LifecycleSettings } from './context';
import { CASE_SIGNALS, CaseSignalError } from './task-results';

export interface WorkflowFailedInput {
  caseNo: string;
  token: string;
  /** The state whose Catch led here (the ASL's `Caught<Step>` Pass states name it). */
  step: string;
  /** The caught error's name (`$.failure.Error`). */
  error: string;
}

export type WorkflowFailedResult = 'recorded' | 'already-recorded';

/** The escalation ladder's level of the 1999 supervisors (RDEC), who decide on failed workflows. */
export const SUPERVISOR_LEVEL = 2;

export async function workflowFailed(ports: LifecyclePorts, settings: LifecycleSettings, input: WorkflowFailedInput): Promise<WorkflowFailedResult> {
  const step = nameOnly(input.step);
  const error = nameOnly(input.error);
  const c = await loadCase(ports.cases, input.caseNo);
  if (c.status === 'CANCELLED') throw new CaseSignalError(CASE_SIGNALS.cancelled, `Case ${c.caseNo} is cancelled`);
  if (c.status === 'MERGED') throw new CaseSignalError(CASE_SIGNALS.merged, `Case ${c.caseNo} is merged`);
  if (c.pendingTaskToken === input.token) return 'already-recorded';

  const at = nowIso();
  const notice = workflowFailureNotice(caseFacts(c, await sopOf(ports.sops, c), settings.config), { step, error, at }, settings.consoleUrl);
  const message = { default: notice.default, email: notice.email, sms: notice.sms, https: notice.https };
  // One failure is one task token: its tail keeps the id the same when this step is retried.
  const id = dedupeId(c.caseNo, 'workflow-failed', step, input.token.slice(-24));
  await ports.notifier.publish(settings.escalationTopicArn, message, notice.subject, { level: SUPERVISOR_LEVEL, [NOTICE_ATTRIBUTE]: NOTICES.workflowFailed, waitingFor: 'decision', dedupeId: id });
  if (settings.operationsTopicArn) await ports.notifier.publish(settings.operationsTopicArn, message, notice.subject, { kind: 'workflow-failed', step, dedupeId: id });
  else logger.warn('No operations topic configured: the workflow failure went to the supervisors only', { step, error });

  const { written } = await changeCase(ports.cases, input.caseNo, (current) => {
    if (current.pendingTaskToken === input.token) return undefined;
    return {
      set: { pendingTaskToken: input.token, waitingFor: 'decision' },
      event: {
        type: 'workflow-failed',
        by: WORKFLOW_ACTOR,
        at,
        text: `流程步驟 ${step} 失敗（${error}），待督導決定 / Workflow step ${step} failed (${error}); waiting for a supervisor's decision`,
        data: { step, error, status: current.status },
      },
    };
  });
  logger.warn('Workflow step failed; the case waits for a supervisor', { step, error });
  return written ? 'recorded' : 'already-recorded';
}

/** Step and error names as Step Functions gives them; anything else is cut to a safe, short token. */
function nameOnly(s: unknown): string {
  const name = typeof s === 'string' ? s.replace(/[^A-Za-z0-9._:-]/g, '').slice(0, 80) : '';
  return name || 'unknown';
}
