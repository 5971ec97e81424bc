/**
 * The scheduled Lambda of the stalled-workflow job (EventBridge, every 5 minutes; functions/privacy/jobs.ts,
 * infra/constructs/privacy-jobs.ts). Thin: the adapters from the environment, then
 * functions/usecases/restart-stalled-workflows.ts.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { ddb, sfn } from '../adapters/clients';
import { DynamoCaseRepository } from '../adapters/case-repository';
import { StepFunctionsCaseWorkflow } from '../adapters/case-workflow';
import { DynamoStalledCases } from '../adapters/stalled-cases';
import { env } from '../config/environment';
import { logger } from '../shared/logger';
import { restartStalledWorkflows, type RestartReport } from '../usecases/restart-stalled-workflows';

const ports = {
  stalled: new DynamoStalledCases(ddb, env.tableName()),
  cases: new DynamoCaseRepository(ddb, env.tableName()),
  workflow: new StepFunctionsCaseWorkflow(sfn, env.caseWorkflowArn()),
};

export const handler = middy<unknown, RestartReport, Error, Context>(async () => restartStalledWorkflows(ports)).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
