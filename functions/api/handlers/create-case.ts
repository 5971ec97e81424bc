/** POST /cases — log a new case (Idempotency-Key honoured). */
import { ddb, sfn } from '../../adapters/clients';
import { DynamoCaseRepository } from '../../adapters/case-repository';
import { StepFunctionsCaseWorkflow } from '../../adapters/case-workflow';
import { DynamoIdempotencyStore } from '../../adapters/idempotency-store';
import { DynamoRateCounters } from '../../adapters/rate-counters';
import { DynamoSopCatalog } from '../../adapters/sop-catalog';
import { env } from '../../config/environment';
import { createCase, type CreateCasePorts } from '../../usecases/create-case';
import { etag, httpHandler, idempotencyKeyOf } from '../http';
import { presentCase } from '../present';
import { createCaseBody } from '../schemas';

const ports: CreateCasePorts = {
  cases: new DynamoCaseRepository(ddb, env.tableName()),
  idempotency: new DynamoIdempotencyStore(ddb, env.tableName()),
  sops: new DynamoSopCatalog(ddb, env.tableName()),
  workflow: new StepFunctionsCaseWorkflow(sfn, env.caseWorkflowArn()),
  caps: new DynamoRateCounters(ddb, env.tableName()),
};

export const handler = httpHandler('createCase', { body: createCaseBody }, async ({ actor, body, headers }) => {
  const { case: c, created } = await createCase(ports, actor, body, idempotencyKeyOf(headers));
  return {
    statusCode: created ? 201 : 200,
    body: presentCase(c, actor),
    headers: { location: `/cases/${c.caseNo}`, etag: etag(c.version) },
  };
});
