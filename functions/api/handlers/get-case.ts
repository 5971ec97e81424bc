/** GET /cases/{caseNo} — one case, as the caller may see it (an unmasked reporter is recorded as `pii-viewed`). */
import { ddb } from '../../adapters/clients';
import { DynamoCaseRepository } from '../../adapters/case-repository';
import { DynamoPersonalDataAuditLog } from '../../adapters/privacy-audit-store';
import { env } from '../../config/environment';
import { getCase } from '../../usecases/get-case';
import { etag, httpHandler } from '../http';
import { viewCase } from '../present';
import { caseNoPath } from '../schemas';

const ports = { cases: new DynamoCaseRepository(ddb, env.tableName()), audit: new DynamoPersonalDataAuditLog(ddb, env.tableName()) };

export const handler = httpHandler('getCase', { path: caseNoPath }, async ({ actor, pathParameters }) => {
  const c = await getCase(ports, actor, pathParameters.caseNo);
  return { body: await viewCase(ports.audit, c, actor), headers: { etag: etag(c.version) } };
});
