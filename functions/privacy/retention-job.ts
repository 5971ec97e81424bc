/**
 * The scheduled Lambda of the retention job (EventBridge, daily; infra/constructs/privacy-jobs.ts). Thin: the
 * adapters from the environment, then functions/usecases/erase-personal-data.ts.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { ddb } from '../adapters/clients';
import { DynamoCaseRepository } from '../adapters/case-repository';
import { DynamoJobMarks } from '../adapters/job-mark-store';
import { env } from '../config/environment';
import { logger } from '../shared/logger';
import { erasePersonalData, type EraseReport } from '../usecases/erase-personal-data';

const cases = new DynamoCaseRepository(ddb, env.tableName());
const ports = { cases, closed: cases, marks: new DynamoJobMarks(ddb, env.tableName()) };

export const handler = middy<unknown, EraseReport, Error, Context>(async () => erasePersonalData(ports)).use(injectLambdaContext(logger, { resetKeys: true }));
