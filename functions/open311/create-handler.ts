/** Open311 POST requests (api_key): the Lambda module that files a case and starts its workflow. */
import { DynamoApiKeyStore } from '../adapters/api-key-store';
import { DynamoCaseRepository } from '../adapters/case-repository';
import { StepFunctionsCaseWorkflow } from '../adapters/case-workflow';
import { ddb, sfn } from '../adapters/clients';
import { DynamoIdempotencyStore } from '../adapters/idempotency-store';
import { DynamoRateCounters } from '../adapters/rate-counters';
import { DynamoSopCatalog } from '../adapters/sop-catalog';
import { env } from '../config/environment';
import { open311CreateHandler } from './handlers';
import { open311Settings } from './settings';

export const handler = open311CreateHandler(
  {
    cases: new DynamoCaseRepository(ddb, env.tableName()),
    idempotency: new DynamoIdempotencyStore(ddb, env.tableName()),
    sops: new DynamoSopCatalog(ddb, env.tableName()),
    workflow: new StepFunctionsCaseWorkflow(sfn, env.caseWorkflowArn()),
    apiKeys: new DynamoApiKeyStore(ddb, env.tableName()),
    caps: new DynamoRateCounters(ddb, env.tableName()),
  },
  open311Settings(),
);
