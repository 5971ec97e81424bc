/**
 * The scheduled Lambda of the stalled-workflow job (EventBridge, every 5 minutes; functions/privacy/jobs.ts,
 * infra/constructs/privacy-jobs.ts). Thin: the adapters from the environment, then
 * functions/usecases/restart-stalled-workflows.ts.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { businessMetrics, caseRepository, caseWorkflow, loadSecretKeys, stalledCases } from '../composition';
import { logger, logScoped } from '../shared/logger';
import { restartStalledWorkflows, type RestartReport } from '../usecases/restart-stalled-workflows';

const ports = {
  stalled: stalledCases(),
  cases: caseRepository(),
  workflow: caseWorkflow(),
  metrics: businessMetrics(),
};

export const handler = logScoped(
  middy<unknown, RestartReport, Error, Context>(async () => {
    await loadSecretKeys();
    return restartStalledWorkflows(ports);
  }).use(injectLambdaContext(logger, { resetKeys: true })),
);
