/**
 * POST /cases/{caseNo}/callback-attempts — the agent called for the satisfaction answer and nobody answered.
 * Steps: runCaseAction (case-action.ts) with
 * - valid for a RESOLVED case in the callback queue (the workflow waits for the answer, the follow-up delay is
 *   over: `surveyDue`), on the version the agent
 *   read (If-Match): a double click records one attempt, the second is a 412;
 * - the SOP the case runs under says how many calls are made (`callbackAttempts`, DEFAULT_CALLBACK_ATTEMPTS);
 * - below that: ONE conditional write of the attempt count, when it was and when to call again (`retryAt`, or
 *   CALLBACK_RETRY_HOURS later; never after the callback deadline), event `survey` with answer `no-answer`; the
 *   workflow keeps waiting;
 * - the last attempt: CLOSED as unanswered (`closedAt`, survey `unanswered`), event `closed`, and the answer to
 *   AwaitSurvey `{ outcome: 'surveyed', answer: 'unanswered' }` (the Survey choice closes it).
 */
import type { Actor } from '../../domain/actor';
import { surveyDue, type Case } from '../../domain/case';
import { now } from '../../domain/clock';
import { PreconditionFailedError, ValidationError } from '../../domain/errors';
import type { CaseChange, SopCatalog } from '../ports';
import { runCaseAction, type CaseActionPorts } from './case-action';
import { sopOf } from './context';

/** Calls per case when its SOP names no number: the usual hotline practice of three tries. */
export const DEFAULT_CALLBACK_ATTEMPTS = 3;
/** When to call again if the agent names no time. */
export const CALLBACK_RETRY_HOURS = 2;

export interface NoAnswerInput {
  retryAt?: string;
  note?: string;
}

export async function recordNoAnswer(ports: CaseActionPorts & { sops: SopCatalog }, actor: Actor, caseNo: string, expectedVersion: number, input: NoAnswerInput): Promise<Case> {
  const current = await ports.cases.get(caseNo);
  const maxAttempts = (current && (await sopOf(ports.sops, current))?.callbackAttempts) ?? DEFAULT_CALLBACK_ATTEMPTS;
  const at = now();
  if (input.retryAt && Date.parse(input.retryAt) <= at.getTime()) throw new ValidationError('Call again later, not earlier', [{ path: 'retryAt', message: 'must be in the future' }]);
  let closing = false;
  return runCaseAction(ports, actor, caseNo, {
    target: 'no-answer',
    ends: ['survey'],
    applied: () => false,
    allowed: (c) => surveyDue(c, at),
    change: (c): CaseChange => {
      if (c.version !== expectedVersion) throw new PreconditionFailedError(`Case ${caseNo} is at version ${c.version}, not ${expectedVersion}`, c.version);
      const attempt = (c.callback?.attempts ?? 0) + 1;
      const iso = at.toISOString();
      const note = input.note?.trim();
      closing = attempt >= maxAttempts;
      if (closing)
        return {
          set: { status: 'CLOSED', closedAt: iso, survey: { answer: 'unanswered', at: iso }, callback: { ...c.callback, attempts: attempt, lastAttemptAt: iso } },
          event: {
            type: 'closed',
            by: actor.id,
            text: `第 ${attempt} 次回訪仍無人接聽，依 SOP 結案 / Call ${attempt} not answered either; closed as unanswered per the SOP`,
            data: { answer: 'unanswered', attempt },
          },
        };
      const retryAt = earliest(input.retryAt ?? new Date(at.getTime() + CALLBACK_RETRY_HOURS * 3_600_000).toISOString(), c.waitDueAt);
      return {
        set: { callback: { ...c.callback, attempts: attempt, lastAttemptAt: iso, retryAt } },
        event: {
          type: 'survey',
          by: actor.id,
          text: note ?? `回訪無人接聽（第 ${attempt} 次，共 ${maxAttempts} 次） / No answer (call ${attempt} of ${maxAttempts})`,
          data: { answer: 'no-answer', attempt, retryAt },
        },
      };
    },
    answer: () => (closing ? { kind: 'success', output: { outcome: 'surveyed', answer: 'unanswered' } } : undefined),
  });
}

function earliest(a: string, b: string | undefined): string {
  return b && Date.parse(b) < Date.parse(a) ? b : a;
}
