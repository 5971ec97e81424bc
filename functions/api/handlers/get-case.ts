/** GET /cases/{caseNo} — one case, as the caller may see it (an unmasked reporter is recorded as `pii-viewed`). */
import { caseRepository, personalDataAudit } from '../../composition';
import { getCase } from '../../usecases/get-case';
import { etag, httpHandler } from '../http';
import { viewCase } from '../present';
import { caseNoPath } from '../schemas';

const ports = { cases: caseRepository(), audit: personalDataAudit() };

export const handler = httpHandler('getCase', { path: caseNoPath }, async ({ actor, pathParameters }) => {
  const c = await getCase(ports, actor, pathParameters.caseNo);
  return { body: await viewCase(ports.audit, c, actor), headers: { etag: etag(c.version) } };
});
