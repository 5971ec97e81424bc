/**
 * The scheduled Lambda of the retention job (EventBridge, daily; infra/constructs/privacy-jobs.ts). Thin: the
 * adapters from the environment, then functions/usecases/erase-personal-data.ts.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { attachmentStore, caseRepository, jobMarks, loadSecretKeys } from '../composition';
import { logger, logScoped } from '../shared/logger';
import { erasePersonalData, type EraseReport } from '../usecases/erase-personal-data';

const cases = caseRepository();
const ports = { cases, closed: cases, marks: jobMarks(), files: attachmentStore() };

export const handler = logScoped(middy<unknown, EraseReport, Error, Context>(async () => {
    await loadSecretKeys();
    return erasePersonalData(ports);
  }).use(injectLambdaContext(logger, { resetKeys: true })));
