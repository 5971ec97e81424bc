/**
 * POST /cases/{caseNo}/acknowledge | progress | resolve | return | assign | reassign | survey | cancel | merge |
 * workflow-decision, and POST /queues/department/acknowledge | assign (several cases, each with its outcome) — the case
 * actions that drive the case's workflow. One Lambda serves them all (routeDispatcher picks by route key); each
 * validates its body, runs its use case (functions/usecases/lifecycle/) and answers with the case as the caller
 * may see it and its new version as ETag.
 * Errors: 400 naming the field, 404 for a case the caller may not see, 409 with `currentStatus` when the action
 * does not fit the case's state.
 */
import { businessMetrics, caseRepository, caseStatistics, caseWorkflow, config, sopCatalog, userDirectory } from '../../composition';
import type { Case } from '../../domain/case';
import { acknowledgeCase } from '../../usecases/lifecycle/acknowledge-case';
import { bulkAcknowledgeBody, bulkAssignBody, bulkReassignBody, CASE_ACTION_BODIES } from '../../usecases/lifecycle/action-inputs';
import { assignCase, assignCases } from '../../usecases/lifecycle/assign-case';
import { acknowledgeCases } from '../../usecases/lifecycle/acknowledge-cases';
import type { CaseActionPorts } from '../../usecases/lifecycle/case-action';
import type { InsightCounters } from '../../usecases/insight-counters';
import { cancelCase } from '../../usecases/lifecycle/cancel-case';
import { decideWorkflowFailure } from '../../usecases/lifecycle/decide-workflow-failure';
import { mergeCase } from '../../usecases/lifecycle/merge-case';
import { reassignCase, reassignCases } from '../../usecases/lifecycle/reassign-case';
import { recordSurvey } from '../../usecases/lifecycle/record-survey';
import { recordNoAnswer } from '../../usecases/lifecycle/record-no-answer';
import { reportProgress } from '../../usecases/lifecycle/report-progress';
import { resolveCase } from '../../usecases/lifecycle/resolve-case';
import { returnCase } from '../../usecases/lifecycle/return-case';
import type { Actor } from '../../domain/actor';
import { etag, httpHandler, requireIfMatch, routeDispatcher, type ApiHandler } from '../http';
import { presentCase } from '../present';
import { caseNoPath } from '../schemas';

const ports: CaseActionPorts & { statistics: InsightCounters } = {
  cases: caseRepository(),
  workflow: caseWorkflow(),
  // The survey answer is counted for the department's day (insight-counters.ts).
  statistics: caseStatistics(),
  metrics: businessMetrics(),
};
const users = userDirectory();
const reference = config();
const sops = sopCatalog();

type Bodies = typeof CASE_ACTION_BODIES;
type RouteId = keyof Bodies;

/** One route: validate path and body, run the action, present the case. */
function action<R extends RouteId>(
  routeId: R,
  run: (actor: Actor, caseNo: string, body: NonNullable<ReturnType<Bodies[R]['parse']>>, headers: Record<string, string>) => Promise<Case>,
): ApiHandler {
  return httpHandler(routeId, { path: caseNoPath, body: CASE_ACTION_BODIES[routeId] }, async ({ actor, pathParameters, body, headers }) => {
    const c = await run(actor, pathParameters.caseNo, (body ?? {}) as NonNullable<ReturnType<Bodies[R]['parse']>>, headers);
    return { body: presentCase(c, actor), headers: { etag: etag(c.version) } };
  });
}

export const handler = routeDispatcher({
  acknowledgeCase: action('acknowledgeCase', (actor, caseNo, body) => acknowledgeCase(ports, actor, caseNo, body)),
  reportProgress: action('reportProgress', (actor, caseNo, body) => reportProgress(ports, actor, caseNo, body)),
  resolveCase: action('resolveCase', (actor, caseNo, body) => resolveCase(ports, actor, caseNo, body)),
  returnCase: action('returnCase', (actor, caseNo, body) => returnCase(ports, actor, caseNo, body)),
  assignCase: action('assignCase', (actor, caseNo, body) => assignCase({ cases: ports.cases, users }, actor, caseNo, body)),
  reassignCase: action('reassignCase', (actor, caseNo, body) => reassignCase(ports, reference, actor, caseNo, body)),
  recordSurvey: action('recordSurvey', (actor, caseNo, body) => recordSurvey(ports, actor, caseNo, body)),
  recordNoAnswer: action('recordNoAnswer', (actor, caseNo, body, headers) => recordNoAnswer({ ...ports, sops }, actor, caseNo, requireIfMatch(headers), body)),
  cancelCase: action('cancelCase', (actor, caseNo, body) => cancelCase(ports, actor, caseNo, body)),
  mergeCase: action('mergeCase', (actor, caseNo, body) => mergeCase(ports, actor, caseNo, body)),
  decideWorkflowFailure: action('decideWorkflowFailure', (actor, caseNo, body) => decideWorkflowFailure(ports, reference, actor, caseNo, body)),
  assignCases: httpHandler('assignCases', { body: bulkAssignBody }, async ({ actor, body }) => ({ body: await assignCases({ cases: ports.cases, users }, actor, body) })),
  acknowledgeCases: httpHandler('acknowledgeCases', { body: bulkAcknowledgeBody }, async ({ actor, body }) => ({ body: await acknowledgeCases(ports, actor, body) })),
  reassignCases: httpHandler('reassignCases', { body: bulkReassignBody }, async ({ actor, body }) => ({ body: await reassignCases(ports, reference, actor, body) })),
});
