/**
 * The signed-in person's notifications (their role's and department's inbox): escalations, access requests to
 * decide, returned cases, new early warnings; newest first, the unread ones marked, "mark all read" moving their
 * marker to the newest shown. The header badge polls the unread count every minute.
 */
import { useState } from 'react';
import type { ConsoleNotification, NotificationList } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { formatDateTime } from '../logic/time';
import { useAction, useAsync, useInterval } from '../components/hooks';
import { ErrorBanner, Loading } from '../components/ui';

const POLL_MS = 60_000;

export function NotificationBadge() {
  const { api } = useApp();
  const { t } = useI18n();
  const list = useAsync(() => api.notifications(), [api]);
  useInterval(() => list.reload(), POLL_MS);
  const n = list.data?.unread ?? 0;
  if (!n) return null;
  const shown = n >= 100 ? '99+' : String(n);
  return (
    <a className="badge notification-count" href="#/notifications" data-testid="notification-badge" title={t('notifications.badgeTitle', { n: shown })}>
      {t('notifications.badge', { n: shown })}
    </a>
  );
}

export function NotificationsScreen() {
  const { api } = useApp();
  const { t } = useI18n();
  const first = useAsync(() => api.notifications(), [api]);
  const [more, setMore] = useState<NotificationList[]>([]);
  const marking = useAction();
  useInterval(() => first.reload(), POLL_MS);
  const pages = first.data ? [first.data, ...more] : [];
  const items = pages.flatMap((p) => p.items);
  const cursor = pages.at(-1)?.cursor;
  const readUpTo = first.data?.readUpTo;
  return (
    <section className="notifications">
      <header className="screen-head">
        <h1>{t('notifications.title')}</h1>
        <button type="button" onClick={first.reload}>
          {t('common.refresh')}
        </button>
        {items[0] && (
          <button type="button" disabled={marking.busy} data-action="mark-read" onClick={() => void marking.run(() => api.markNotificationsRead(items[0].id), first.reload)}>
            {t('notifications.markRead')}
          </button>
        )}
      </header>
      <ErrorBanner error={first.error ?? marking.error} onRetry={first.reload} />
      {first.loading && !first.data ? (
        <Loading />
      ) : items.length ? (
        <ul className="plain notification-list">
          {items.map((n) => (
            <NotificationItem key={n.id} n={n} unread={readUpTo === undefined || n.id > readUpTo} />
          ))}
        </ul>
      ) : (
        <p className="empty">{t('notifications.none')}</p>
      )}
      {cursor && (
        <button type="button" onClick={() => void api.notifications(cursor).then((p) => setMore((m) => [...m, p]))}>
          {t('notifications.more')}
        </button>
      )}
    </section>
  );
}

function NotificationItem({ n, unread }: { n: ConsoleNotification; unread: boolean }) {
  const { t } = useI18n();
  const target = n.caseNo ? `#/cases/${encodeURIComponent(n.caseNo)}` : n.warningId ? `#/warnings?id=${encodeURIComponent(n.warningId)}` : undefined;
  return (
    <li className={unread ? 'unread' : undefined} data-kind={n.kind} data-case-no={n.caseNo} data-unread={unread}>
      {unread && <span className="badge">{t('notifications.unread')}</span>} <strong>{t(`notifications.kind.${n.kind}`)}</strong>{' '}
      {target ? <a href={target}>{n.caseNo ?? n.detail}</a> : null}
      {n.department ? ` · ${n.department}` : ''}
      {n.detail && n.caseNo ? ` · ${n.detail}` : ''} <span className="muted">{formatDateTime(n.at)}</span>
    </li>
  );
}
