/**
 * Workflow step `CloseUnanswered`: the survey window passed without an answer.
 * Steps:
 * 1. still RESOLVED: ONE conditional write — CLOSED, `closedAt`, survey `unanswered`, token removed, event
 *    `closed`;
 * 2. an answer recorded in the same moment (the case is CLOSED or REOPENED already) wins: nothing is written;
 * 3. return { outcome: 'surveyed', answer } and the execution ends; an unsatisfied answer that won throws
 *    Case.Reopened instead, which the ASL catches to route the case back to the department.
 */
import { WORKFLOW_ACTOR } from '../../domain/actor';
import { nowIso } from '../../domain/clock';
import { changeCase, type LifecyclePorts } from './context';
import { CASE_SIGNALS, CaseSignalError, type SurveyedResult } from './task-results';

export async function closeUnanswered(ports: Pick<LifecyclePorts, 'cases'>, input: { caseNo: string }): Promise<SurveyedResult> {
  const { case: c } = await changeCase(ports.cases, input.caseNo, (current) => {
    if (current.status !== 'RESOLVED') return undefined;
    const at = nowIso();
    return {
      set: { status: 'CLOSED', closedAt: at, survey: { answer: 'unanswered', at } },
      remove: ['pendingTaskToken', 'waitingFor'],
      event: {
        type: 'closed',
        by: WORKFLOW_ACTOR,
        text: '回訪期限已過，民眾未回覆，結案 / No survey answer in time; closed as unanswered',
        data: { answer: 'unanswered' },
      },
    };
  });
  if (c.status === 'REOPENED') throw new CaseSignalError(CASE_SIGNALS.reopened, `Case ${c.caseNo} was reopened by the survey answer`);
  return { outcome: 'surveyed', answer: c.survey?.answer ?? 'unanswered' };
}
