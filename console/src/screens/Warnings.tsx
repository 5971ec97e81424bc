/**
 * Early warnings for supervisors: spikes (a category's calls unusually many against the same hours of comparable
 * days) and recurring places. Filter by status, kind and district; acknowledge; close with the reason; open the
 * cases behind a warning; merge its duplicates into one parent case (each child through the case's own merge
 * action, with the version just read).
 */
import { useState } from 'react';
import type { Warning } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { canActOnWarnings } from '../logic/navigation';
import { formatDateTime } from '../logic/time';
import { useAsync, useInterval } from '../components/hooks';
import { ErrorBanner, Loading, useLabels } from '../components/ui';
import { ExportCsv } from '../components/ExportCsv';
import { collectPages, warningColumns } from '../logic/export';

const OPEN_CASE = ['NEW', 'ASSIGNED', 'ACKNOWLEDGED', 'RETURNED', 'REOPENED'];

export function WarningsScreen({ params }: { params: URLSearchParams }) {
  const { api, reference } = useApp();
  const { t, pick } = useI18n();
  const labels = useLabels();
  const [status, setStatus] = useState(params.get('status') ?? 'open');
  const [kind, setKind] = useState(params.get('kind') ?? '');
  const [district, setDistrict] = useState(params.get('district') ?? '');
  const query = { ...(status ? { status } : {}), ...(kind ? { kind } : {}), ...(district ? { district } : {}) };
  const data = useAsync(() => api.warnings(query), [api, status, kind, district]);
  useInterval(() => data.reload(), 30_000);
  const focus = params.get('id');
  return (
    <section className="warnings">
      <header className="screen-head">
        <h1>{t('warnings.title')}</h1>
        <button type="button" onClick={data.reload}>
          {t('common.refresh')}
        </button>
      </header>
      <div className="filters" role="group" aria-label={t('warnings.filters')}>
        <label>
          {t('warnings.status')}
          <select name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('warnings.all')}</option>
            {(['open', 'acknowledged', 'closed'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`warnings.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('warnings.kind')}
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">{t('warnings.all')}</option>
            <option value="spike">{t('warnings.kind.spike')}</option>
            <option value="recurring-place">{t('warnings.kind.recurring-place')}</option>
          </select>
        </label>
        <label>
          {t('list.district')}
          <select name="district" value={district} onChange={(e) => setDistrict(e.target.value)}>
            <option value="">{t('warnings.all')}</option>
            {reference.districts.map((d) => (
              <option key={d.code} value={d.code}>
                {pick(d.name)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {/* The warning list comes whole (no pages); the cap still bounds the file. */}
      <ExportCsv name="warnings" columns={() => warningColumns(t, labels)} collect={() => collectPages(async () => ({ items: await api.warnings(query) }))} />
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {data.loading && !data.data ? (
        <Loading />
      ) : data.data?.length ? (
        <ul className="warning-list">
          {data.data.map((w) => (
            <WarningItem key={w.id} w={w} focused={w.id === focus} onChanged={data.reload} />
          ))}
        </ul>
      ) : (
        <p className="empty">{t('warnings.none')}</p>
      )}
    </section>
  );
}

function WarningItem({ w, focused, onChanged }: { w: Warning; focused: boolean; onChanged: () => void }) {
  const { api, session } = useApp();
  const { t } = useI18n();
  const labels = useLabels();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [parent, setParent] = useState(w.evidence.caseNos[0] ?? '');
  const [merged, setMerged] = useState<{ merged: number; skipped: number }>();
  const mayAct = canActOnWarnings(session.user.role);
  const run = async (job: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await job();
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const mergeDuplicates = () =>
    run(async () => {
      let done = 0;
      let skipped = 0;
      for (const caseNo of w.evidence.caseNos) {
        if (caseNo === parent) continue;
        const c = await api.getCase(caseNo);
        if (!OPEN_CASE.includes(c.status)) {
          skipped += 1;
          continue;
        }
        await api.act(caseNo, 'merge', { parentCaseNo: parent }, c.version);
        done += 1;
      }
      setMerged({ merged: done, skipped });
    });
  const where = w.district ? labels.district(w.district) : t('warnings.cityWide');
  const last = w.history.at(-1);
  const expected = typeof w.evidence.expected === 'number' ? Math.round(w.evidence.expected * 10) / 10 : undefined;
  return (
    <li className={`warning panel${focused ? ' focused' : ''}`} data-testid="warning" data-warning-id={w.id} data-status={w.status}>
      <h2>
        <span className={`badge warning-${w.kind}`}>{t(`warnings.kind.${w.kind}`)}</span> {labels.category(w.category)} · {where}
        <span className={`badge warning-status-${w.status}`} data-testid="warning-status">
          {t(`warnings.status.${w.status}`)}
        </span>
      </h2>
      <p data-testid="warning-evidence">
        {w.kind === 'spike'
          ? t('warnings.spikeEvidence', { count: w.evidence.count, expected: expected ?? 0, from: formatDateTime(w.evidence.from), to: formatDateTime(w.evidence.to) })
          : t('warnings.placeEvidence', { count: w.evidence.count, address: typeof w.evidence.address === 'string' ? w.evidence.address : '', days: typeof w.evidence.days === 'number' ? w.evidence.days : 0 })}
        {w.department && <> · {t('warnings.department', { department: labels.department(w.department) })}</>}
      </p>
      <p className="muted">
        {t('warnings.raisedAt', { at: formatDateTime(w.raisedAt) })}
        {last && <> · {t('warnings.lastChange', { status: t(`warnings.status.${last.status}`), by: last.by, at: formatDateTime(last.at) })}</>}
        {last?.reason && <> · {t('warnings.reason', { reason: last.reason })}</>}
      </p>
      <div className="warning-cases">
        {t('warnings.cases')}{' '}
        {w.evidence.caseNos.map((caseNo) => (
          <label key={caseNo} className="case-pick">
            {mayAct && w.evidence.caseNos.length > 1 && (
              <input type="radio" name={`parent-${w.id}`} value={caseNo} checked={parent === caseNo} onChange={() => setParent(caseNo)} aria-label={t('warnings.parentOf', { caseNo })} />
            )}
            <a href={`#/cases/${encodeURIComponent(caseNo)}`}>{caseNo}</a>
          </label>
        ))}
      </div>
      <ErrorBanner error={error} />
      {merged && <p role="status">{t('warnings.merged', { merged: merged.merged, skipped: merged.skipped, parent })}</p>}
      {mayAct && (
        <div className="actions">
          {w.status === 'open' && (
            <button type="button" disabled={busy} data-testid="warning-acknowledge" onClick={() => void run(() => api.actOnWarning(w.id, 'acknowledge'))}>
              {t('warnings.acknowledge')}
            </button>
          )}
          {w.evidence.caseNos.length > 1 && (
            <button type="button" disabled={busy || !parent} data-testid="warning-merge" onClick={() => void mergeDuplicates()}>
              {t('warnings.mergeInto', { parent })}
            </button>
          )}
          {w.status !== 'closed' && (
            <span className="close-warning">
              <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('warnings.closeReason')} aria-label={t('warnings.closeReason')} maxLength={500} />
              <button type="button" disabled={busy || !reason.trim()} data-testid="warning-close" onClick={() => void run(() => api.actOnWarning(w.id, 'close', reason.trim()))}>
                {t('warnings.close')}
              </button>
            </span>
          )}
        </div>
      )}
    </li>
  );
}

/** The header's count of open warnings, for supervisors: a link to the warnings page, polled every minute. */
export function WarningBadge() {
  const { api } = useApp();
  const { t } = useI18n();
  const open = useAsync(() => api.warnings({ status: 'open' }), [api]);
  useInterval(() => open.reload(), 60_000);
  const n = open.data?.length ?? 0;
  if (!n) return null;
  return (
    <a className="badge warning-count" href="#/warnings?status=open" data-testid="warning-badge" title={t('warnings.badgeTitle', { n })}>
      {t('warnings.badge', { n })}
    </a>
  );
}
