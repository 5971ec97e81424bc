/**
 * POST /cases/{caseNo}/survey — an agent records the citizen's answer to the follow-up call.
 * Steps: runCaseAction (case-action.ts) with
 * - valid for a RESOLVED case in the callback queue (the workflow waits for the answer and the follow-up delay is
 *   over: `surveyDue`); an answer before that is a 409, as when the workflow did not wait yet;
 * - the write: satisfied -> CLOSED (`closedAt`); unsatisfied -> REOPENED (the resolution is cleared; the
 *   workflow routes it back to the department with fresh deadlines, and its next callback starts a fresh count of
 *   attempts); the answer, the 1 to 5 rating and the comment in `survey`, event `survey`;
 * - once the answer is on the case (a retry too): `satisfied` / `unsatisfied` counted for the department's day
 *   (insight-counters.ts; counted once however often this runs);
 * - the answer to AwaitSurvey: satisfied `{ outcome: 'surveyed', answer }` (the execution ends), unsatisfied the
 *   failure `Case.Reopened` (task-results.ts: the ASL catches it and routes the case back);
 * - counted once when this call wrote it: `SurveysSatisfied` or `SurveysUnsatisfied` (business metrics).
 * A retry with a different answer than the one recorded is a 409.
 */
import type { Actor } from '../../domain/actor';
import { surveyDue, type Case } from '../../domain/case';
import { now, nowIso } from '../../domain/clock';
import { countSurvey, type InsightCounters } from '../insight-counters';
import { runCaseAction, type CaseActionPorts } from './case-action';
import { CASE_SIGNALS } from './task-results';

export interface SurveyInput {
  answer: 'satisfied' | 'unsatisfied';
  /** 1 (poor) to 5 (very good). */
  rating?: number;
  comment?: string;
}

export async function recordSurvey(ports: CaseActionPorts & { statistics: InsightCounters }, actor: Actor, caseNo: string, input: SurveyInput): Promise<Case> {
  const satisfied = input.answer === 'satisfied';
  const comment = input.comment?.trim() || undefined;
  return runCaseAction(ports, actor, caseNo, {
    target: satisfied ? 'CLOSED' : 'REOPENED',
    ends: ['survey'],
    applied: (c) => c.survey?.answer === input.answer && c.status === (satisfied ? 'CLOSED' : 'REOPENED'),
    allowed: (c) => surveyDue(c, now()),
    change: () => {
      const at = nowIso();
      const survey = { answer: input.answer, at, ...(input.rating ? { rating: input.rating } : {}), ...(comment ? { comment } : {}) };
      const data = { answer: input.answer, ...(input.rating ? { rating: input.rating } : {}) };
      return satisfied
        ? {
            set: { status: 'CLOSED', closedAt: at, survey },
            event: { type: 'survey', by: actor.id, text: '民眾滿意，結案 / Citizen satisfied; closed', data },
          }
        : {
            set: { status: 'REOPENED', survey },
            remove: ['acknowledgedAt', 'resolvedAt', 'resolution', 'callback'],
            event: { type: 'survey', by: actor.id, text: '民眾不滿意，重新處理 / Citizen not satisfied; reopened', data },
          };
    },
    afterWrite: async (c) => {
      await countSurvey(ports.statistics, c);
    },
    written: () => ports.metrics?.count(satisfied ? 'surveysSatisfied' : 'surveysUnsatisfied', {}),
    answer: () =>
      satisfied
        ? { kind: 'success', output: { outcome: 'surveyed', answer: input.answer } }
        : { kind: 'failure', error: CASE_SIGNALS.reopened, cause: 'unsatisfied' },
  });
}
