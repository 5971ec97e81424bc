/** PUT /me, GET /users?ids=, GET /users/staff?department= — the staff directory timelines are named from; the signed-in person's notifications. */
import { notificationStore, userDirectory } from '../../composition';
import { listNotifications, markNotificationsRead } from '../../usecases/notifications';
import { departmentStaff, displayNames, recordSignIn } from '../../usecases/user-directory';
import { httpHandler, routeDispatcher } from '../http';
import { departmentStaffQuery, notificationsReadBody, pageQuery, userIdsQuery } from '../schemas';

const ports = { users: userDirectory(), notifications: notificationStore() };

export const handler = routeDispatcher({
  recordSignIn: httpHandler('recordSignIn', async ({ actor }) => {
    const { profile } = await recordSignIn(ports, actor);
    const { updatedAt: _at, ...view } = profile;
    return { body: view };
  }),
  listNotifications: httpHandler('listNotifications', { query: pageQuery }, async ({ actor, query }) => ({ body: await listNotifications(ports, actor, query) })),
  markNotificationsRead: httpHandler('markNotificationsRead', { body: notificationsReadBody }, async ({ actor, body }) => ({ body: await markNotificationsRead(ports, actor, body) })),
  listDepartmentStaff: httpHandler('listDepartmentStaff', { query: departmentStaffQuery }, async ({ actor, query }) => ({ body: { items: await departmentStaff(ports, actor, query.department) } })),
  listUsers: httpHandler('listUsers', { query: userIdsQuery }, async ({ query }) => ({ body: { items: await displayNames(ports, query.ids) } })),
});
