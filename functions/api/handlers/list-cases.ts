/** GET /cases — a page of cases for one filter an index serves. */
import { ddb } from '../../adapters/clients';
import { DynamoCaseRepository } from '../../adapters/case-repository';
import { env } from '../../config/environment';
import { listCases } from '../../usecases/list-cases';
import { httpHandler } from '../http';
import { listCasesQuery } from '../schemas';

const ports = { cases: new DynamoCaseRepository(ddb, env.tableName()) };

export const handler = httpHandler('listCases', { query: listCasesQuery }, async ({ actor, query }) => ({
  body: await listCases(ports, actor, query),
}));
