/**
 * The signed-in person's notifications (GET /notifications) and their read marker (POST /notifications/read).
 * Steps of a read:
 * 1. the person's inbox from their role and department (domain/notifications.ts); a role without one reads an
 *    empty list;
 * 2. one Query for the page, newest first; the marker (GetItem) and one COUNT Query of what sorts after it, capped
 *    at UNREAD_CAP (the badge shows "99+").
 * Marking read moves the person's marker to a notification they were shown; it never moves back.
 */
import type { Actor } from '../domain/actor';
import { inboxOf, type ConsoleNotification } from '../domain/notifications';
import type { NotificationStore, PageRequest } from './ports';

export const UNREAD_CAP = 100;

export interface NotificationList {
  items: ConsoleNotification[];
  cursor?: string;
  /** Notifications newer than the marker, at most UNREAD_CAP. */
  unread: number;
  readUpTo?: string;
}

export async function listNotifications(ports: { notifications: NotificationStore }, actor: Actor, page: PageRequest): Promise<NotificationList> {
  const inbox = inboxOf(actor);
  if (!inbox) return { items: [], unread: 0 };
  const [list, readUpTo] = await Promise.all([ports.notifications.page(inbox, page), ports.notifications.readUpTo(actor.id)]);
  const unread = await ports.notifications.countAfter(inbox, readUpTo, UNREAD_CAP);
  return { ...list, unread, ...(readUpTo ? { readUpTo } : {}) };
}

export async function markNotificationsRead(ports: { notifications: NotificationStore }, actor: Actor, input: { upTo: string }): Promise<{ readUpTo: string }> {
  return { readUpTo: await ports.notifications.markRead(actor.id, input.upTo) };
}
