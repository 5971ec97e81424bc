/** GET /cases/{caseNo} — one case, as the caller may see it. */
import { ddb } from '../../adapters/clients';
import { DynamoCaseRepository } from '../../adapters/case-repository';
import { env } from '../../config/environment';
import { getCase } from '../../usecases/get-case';
import { etag, httpHandler } from '../http';
import { presentCase } from '../present';
import { caseNoPath } from '../schemas';

const ports = { cases: new DynamoCaseRepository(ddb, env.tableName()) };

export const handler = httpHandler('getCase', { path: caseNoPath }, async ({ actor, pathParameters }) => {
  const c = await getCase(ports, actor, pathParameters.caseNo);
  return { body: presentCase(c, actor), headers: { etag: etag(c.version) } };
});
