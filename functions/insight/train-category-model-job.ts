/**
 * The scheduled Lambda of the nightly category-model training (EventBridge; functions/privacy/jobs.ts,
 * infra/constructs/privacy-jobs.ts). Thin: ports and settings from the composition root, then
 * functions/usecases/category-suggestions.ts.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { categoryTraining, loadSecretKeys } from '../composition';
import { logger, logScoped } from '../shared/logger';
import { trainCategoryModel, type TrainingReport } from '../usecases/category-suggestions';

const training = categoryTraining();

export const handler = logScoped(
  middy<unknown, TrainingReport, Error, Context>(async () => {
    await loadSecretKeys();
    const report = await trainCategoryModel(training.ports, await training.settings());
    logger.info('Category model trained', { ...report });
    return report;
  }).use(injectLambdaContext(logger, { resetKeys: true })),
);
