/** GET /sops/{category}/versions, PUT /sops/{category} — SOP history, and edits saved as new versions. */
import { config, sopCatalog } from '../../composition';
import { ValidationError } from '../../domain/errors';
import { editSop, sopVersions, type SopAdminPorts } from '../../usecases/edit-sop';
import { etag, httpHandler, parseIfMatch, routeDispatcher } from '../http';
import { PreconditionRequiredError } from '../http-errors';
import { categoryPath, sopEditBody } from '../schemas';

const ports: SopAdminPorts = { sops: sopCatalog(), config: config() };

/** The SOP version the edit was made on (428 without If-Match, 400 naming it when it is not a version). */
function sopVersionOf(headers: Record<string, string>): number {
  const version = parseIfMatch(headers['if-match']);
  if (version === undefined) throw new PreconditionRequiredError('Editing a SOP needs an If-Match header with the version you read');
  if (!Number.isInteger(version)) throw new ValidationError('If-Match is not a SOP version', [{ path: 'If-Match', message: 'must be a SOP version such as "2"' }]);
  return version;
}

export const handler = routeDispatcher({
  listSopVersions: httpHandler('listSopVersions', { path: categoryPath }, async ({ pathParameters }) => ({
    body: { items: await sopVersions(ports, pathParameters.category) },
  })),
  editSop: httpHandler('editSop', { path: categoryPath, body: sopEditBody }, async ({ actor, pathParameters, body, headers }) => {
    const saved = await editSop(ports, actor, pathParameters.category, sopVersionOf(headers), body);
    return { body: saved, headers: { etag: etag(saved.version) } };
  }),
});
