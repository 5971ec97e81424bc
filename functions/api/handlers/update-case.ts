/** PATCH /cases/{caseNo} — correct a case; If-Match required (428 without, 412 when stale). */
import { caseRepository, caseWorkflow, sopCatalog } from '../../composition';
import { updateCase, type UpdateCasePorts } from '../../usecases/update-case';
import { etag, httpHandler, requireIfMatch } from '../http';
import { presentCase } from '../present';
import { caseNoPath, updateCaseBody } from '../schemas';

const ports: UpdateCasePorts = {
  cases: caseRepository(),
  sops: sopCatalog(),
  workflow: caseWorkflow(),
};

export const handler = httpHandler('updateCase', { path: caseNoPath, body: updateCaseBody }, async ({ actor, body, headers, pathParameters }) => {
  const expectedVersion = requireIfMatch(headers);
  const c = await updateCase(ports, actor, pathParameters.caseNo, expectedVersion, body);
  return { body: presentCase(c, actor), headers: { etag: etag(c.version) } };
});
