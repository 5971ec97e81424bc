/**
 * The supervisors' queue of personal-data access requests: pending ones (oldest first) to approve or deny with a
 * reason, and running approvals (soonest to end first) to revoke with a reason. Every decision is on the case's
 * timeline; a revoked approval masks the reporter again on the requester's next read.
 */
import { useState } from 'react';
import type { PiiAccessQueue } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { formatDateTime } from '../logic/time';
import { useAction, useAsync, useInterval } from '../components/hooks';
import { useDisplayName } from '../components/names';
import { ErrorBanner, Field, Loading } from '../components/ui';

type Entry = PiiAccessQueue['items'][number];

export function AccessRequestsScreen() {
  const { api } = useApp();
  const { t } = useI18n();
  const pending = useAsync(() => api.piiAccessQueue('pending'), [api]);
  const approved = useAsync(() => api.piiAccessQueue('approved'), [api]);
  const reload = () => {
    pending.reload();
    approved.reload();
  };
  useInterval(reload, 30_000);
  const name = useDisplayName([...(pending.data?.items ?? []), ...(approved.data?.items ?? [])].map((e) => e.request.by));
  return (
    <section className="access-requests">
      <header className="screen-head">
        <h1>{t('access.title')}</h1>
        <button type="button" onClick={reload}>
          {t('common.refresh')}
        </button>
      </header>
      {(['pending', 'approved'] as const).map((status) => {
        const data = status === 'pending' ? pending : approved;
        return (
          <section key={status} className="panel" aria-labelledby={`access-${status}`} data-testid={`access-${status}`}>
            <h2 id={`access-${status}`}>{t(`access.${status}`)}</h2>
            <ErrorBanner error={data.error} onRetry={data.reload} />
            {data.loading && !data.data ? (
              <Loading />
            ) : data.data?.items.length ? (
              <ul className="plain">
                {data.data.items.map((e) => (
                  <AccessRequestItem key={e.request.id} entry={e} requester={name(e.request.by)} onChanged={reload} />
                ))}
              </ul>
            ) : (
              <p className="empty">{t(`access.none.${status}`)}</p>
            )}
          </section>
        );
      })}
    </section>
  );
}

function AccessRequestItem({ entry, requester, onChanged }: { entry: Entry; requester: string; onChanged: () => void }) {
  const { api } = useApp();
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const { caseNo, request: r } = entry;
  const pending = r.status === 'pending';
  return (
    <li className="pii-request" data-request-id={r.id} data-case-no={caseNo}>
      <p>
        <a href={`#/cases/${encodeURIComponent(caseNo)}`}>{caseNo}</a> · {requester}
        {r.department ? ` (${r.department})` : ''} · <span className="muted">{formatDateTime(r.requestedAt)}</span>
        {r.expiresAt ? <span className="muted"> · {t('pii.expires', { until: formatDateTime(r.expiresAt) })}</span> : null}
      </p>
      <p>{r.reason}</p>
      <ErrorBanner error={error} shownPaths={['reason']} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => api.endPiiAccess(caseNo, r.id, pending ? 'deny' : 'revoke', reason), onChanged);
        }}
      >
        <Field label={t('access.reason')} error={error} path="reason" required>
          <input value={reason} onChange={(e) => setReason(e.target.value)} name="access-reason" />
        </Field>
        {pending && (
          <button type="button" disabled={busy} onClick={() => void run(() => api.approvePiiAccess(caseNo, r.id), onChanged)} data-action="approve">
            {t('pii.approve')}
          </button>
        )}
        <button type="submit" disabled={busy} data-action={pending ? 'deny' : 'revoke'}>
          {t(pending ? 'access.deny' : 'access.revoke')}
        </button>
      </form>
    </li>
  );
}
