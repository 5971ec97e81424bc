/** GET /sops, GET /sops/{category}, GET /departments — the reference data the console and integrations read. */
import { departmentDirectory, sopCatalog } from '../../composition';
import type { Department } from '../../config/schema';
import { NotFoundError } from '../../domain/errors';
import { httpHandler, routeDispatcher } from '../http';
import { categoryPath } from '../schemas';

const sops = sopCatalog();
const departments = departmentDirectory();

/** Notification endpoints are staff contacts: not reference data. */
function presentDepartment({ subscriptions: _endpoints, ...department }: Department): Omit<Department, 'subscriptions'> {
  return department;
}

export const handler = routeDispatcher({
  listSops: httpHandler('listSops', async () => ({ body: { items: await sops.list() } })),
  getSop: httpHandler('getSop', { path: categoryPath }, async ({ pathParameters }) => {
    const sop = await sops.current(pathParameters.category);
    if (!sop) throw new NotFoundError(`No SOP for category ${pathParameters.category}`);
    return { body: sop };
  }),
  listDepartments: httpHandler('listDepartments', async () => ({ body: { items: (await departments.list()).map(presentDepartment) } })),
});
