/** POST /cases — log a new case (Idempotency-Key honoured). */
import { articleStore, businessMetrics, caseRepository, caseStatistics, caseWorkflow, idempotencyStore, inquiryLog, rateCounters, sopCatalog, surgeTopics } from '../../composition';
import { createCase, type CreateCasePorts } from '../../usecases/create-case';
import { etag, httpHandler, idempotencyKeyOf } from '../http';
import { presentCase } from '../present';
import { createCaseBody } from '../schemas';

const ports: CreateCasePorts = {
  cases: caseRepository(),
  idempotency: idempotencyStore(),
  sops: sopCatalog(),
  workflow: caseWorkflow(),
  caps: rateCounters(),
  metrics: businessMetrics(),
  articles: articleStore(),
  inquiries: inquiryLog(),
  counters: caseStatistics(),
  surgeTopics: surgeTopics(),
};

export const handler = httpHandler('createCase', { body: createCaseBody }, async ({ actor, body, headers }) => {
  const { case: c, created } = await createCase(ports, actor, body, idempotencyKeyOf(headers));
  return {
    statusCode: created ? 201 : 200,
    body: presentCase(c, actor),
    headers: { location: `/cases/${c.caseNo}`, etag: etag(c.version) },
  };
});
