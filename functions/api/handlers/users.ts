/** PUT /me, GET /users?ids= — the staff directory timelines are named from; the signed-in person's notifications. */
import { notificationStore, userDirectory } from '../../composition';
import { listNotifications, markNotificationsRead } from '../../usecases/notifications';
import { displayNames, recordSignIn } from '../../usecases/user-directory';
import { httpHandler, routeDispatcher } from '../http';
import { notificationsReadBody, pageQuery, userIdsQuery } from '../schemas';

const ports = { users: userDirectory(), notifications: notificationStore() };

export const handler = routeDispatcher({
  recordSignIn: httpHandler('recordSignIn', async ({ actor }) => {
    const { profile } = await recordSignIn(ports, actor);
    const { updatedAt: _at, ...view } = profile;
    return { body: view };
  }),
  listNotifications: httpHandler('listNotifications', { query: pageQuery }, async ({ actor, query }) => ({ body: await listNotifications(ports, actor, query) })),
  markNotificationsRead: httpHandler('markNotificationsRead', { body: notificationsReadBody }, async ({ actor, body }) => ({ body: await markNotificationsRead(ports, actor, body) })),
  listUsers: httpHandler('listUsers', { query: userIdsQuery }, async ({ query }) => ({ body: { items: await displayNames(ports, query.ids) } })),
});
