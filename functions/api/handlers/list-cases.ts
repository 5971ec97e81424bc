/** GET /cases — a page of cases for one filter an index serves. */
import { caseRepository } from '../../composition';
import { listCases } from '../../usecases/list-cases';
import { httpHandler } from '../http';
import { listCasesQuery } from '../schemas';

const ports = { cases: caseRepository() };

export const handler = httpHandler('listCases', { query: listCasesQuery }, async ({ actor, query }) => ({
  body: await listCases(ports, actor, query),
}));
