/** Asking for, and seeing, the reporter's personal data: every look is audited. */
import { useState } from 'react';
import type { CaseEvent, CaseView } from '../../api/types';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { piiAccessRequests } from '../../logic/actions';
import { formatDateTime } from '../../logic/time';
import { ErrorBanner, Field } from '../../components/ui';
import { useAction } from '../../components/hooks';

export function PiiAccess({ c, events, onChanged }: { c: CaseView; events: CaseEvent[]; onChanged: () => void }) {
  const { api, session } = useApp();
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const { busy, error, run: runAction } = useAction();
  // The case lists its open requests (with expiry); a case read before that field existed has them on its timeline.
  const requests = c.piiAccess
    ? c.piiAccess.map((r) => ({ requestId: r.id, at: r.requestedAt, by: r.by, reason: r.reason, approved: r.status === 'approved', expiresAt: r.expiresAt }))
    : piiAccessRequests(events).map((r) => ({ ...r, expiresAt: undefined as string | undefined }));
  const role = session.user.role;
  const ownStaff = role === 'staff' && session.user.department === c.department;
  const mine = requests.filter((r) => r.by === session.user.sub);
  const canAsk = ownStaff && c.reporter.masked && !c.reporter.anonymous && !mine.some((r) => !r.approved);
  const pending = role === 'supervisor' ? requests.filter((r) => !r.approved) : [];
  if (!canAsk && !pending.length && !(ownStaff && mine.length)) return null;

  const run = (fn: () => Promise<unknown>) =>
    runAction(fn, () => {
      setReason('');
      onChanged();
    });

  return (
    <section className="panel pii" aria-labelledby="pii-title">
      <h2 id="pii-title">{t('pii.title')}</h2>
      <ErrorBanner error={error} shownPaths={['reason']} />
      {ownStaff &&
        mine.map((r) => (
          <p key={r.requestId} className="muted">
            {formatDateTime(r.at)} {r.approved ? (r.expiresAt ? t('pii.expires', { until: formatDateTime(r.expiresAt) }) : t('pii.approved')) : t('pii.pending')}
          </p>
        ))}
      {canAsk && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => api.requestPiiAccess(c.caseNo, reason));
          }}
        >
          <Field label={t('pii.reason')} error={error} path="reason" required>
            <input value={reason} onChange={(e) => setReason(e.target.value)} name="pii-reason" />
          </Field>
          <button type="submit" disabled={busy || !reason.trim()}>
            {t('pii.request')}
          </button>
        </form>
      )}
      {pending.length > 0 && (
        <ul className="plain">
          {pending.map((r) => (
            <li key={r.requestId} className="pii-request">
              <span className="muted">{formatDateTime(r.at)}</span> {r.reason}{' '}
              <button type="button" disabled={busy} onClick={() => void run(() => api.approvePiiAccess(c.caseNo, r.requestId))} data-request-id={r.requestId}>
                {t('pii.approve')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Correct what the caller said or the agent typed: only changed fields go, with the version read (If-Match). */
