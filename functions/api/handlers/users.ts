/** PUT /me, GET /users?ids= — the staff directory timelines are named from. */
import { userDirectory } from '../../composition';
import { displayNames, recordSignIn } from '../../usecases/user-directory';
import { httpHandler, routeDispatcher } from '../http';
import { userIdsQuery } from '../schemas';

const ports = { users: userDirectory() };

export const handler = routeDispatcher({
  recordSignIn: httpHandler('recordSignIn', async ({ actor }) => {
    const { profile } = await recordSignIn(ports, actor);
    const { updatedAt: _at, ...view } = profile;
    return { body: view };
  }),
  listUsers: httpHandler('listUsers', { query: userIdsQuery }, async ({ query }) => ({ body: { items: await displayNames(ports, query.ids) } })),
});
