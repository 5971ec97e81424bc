/** GET /cases/{caseNo}/timeline — a page of the case's events. */
import { ddb } from '../../adapters/clients';
import { DynamoCaseRepository } from '../../adapters/case-repository';
import { env } from '../../config/environment';
import { getTimeline } from '../../usecases/get-timeline';
import { httpHandler } from '../http';
import { caseNoPath, pageQuery } from '../schemas';

const ports = { cases: new DynamoCaseRepository(ddb, env.tableName()) };

export const handler = httpHandler('getCaseTimeline', { path: caseNoPath, query: pageQuery }, async ({ actor, pathParameters, query }) => ({
  body: await getTimeline(ports, actor, pathParameters.caseNo, query),
}));
