/** GET /cases/{caseNo}/timeline — a page of the case's events. */
import { caseRepository } from '../../composition';
import { getTimeline } from '../../usecases/get-timeline';
import { httpHandler } from '../http';
import { caseNoPath, pageQuery } from '../schemas';

const ports = { cases: caseRepository() };

export const handler = httpHandler('getCaseTimeline', { path: caseNoPath, query: pageQuery }, async ({ actor, pathParameters, query }) => ({
  body: await getTimeline(ports, actor, pathParameters.caseNo, query),
}));
