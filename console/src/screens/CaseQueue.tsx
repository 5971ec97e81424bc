/** The callback queue (resolved, waiting for the satisfaction call) and the dispatch queue (returned, waiting for a department). */
import { useState } from 'react';
import type { CaseSummary, Page } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { useAsync, useInterval, useNow } from '../components/hooks';
import { CaseTable, Due, ErrorBanner, Loading, MoreButton, useLabels } from '../components/ui';
import { ExportCsv } from '../components/ExportCsv';
import { currentDue } from '../logic/countdown';
import { callbackColumns, caseColumns, collectPages, EXPORT_PAGE_SIZE } from '../logic/export';
import { caseHref } from '../logic/navigation';
import { formatDateTime } from '../logic/time';
import { BulkReassign } from './inbox/BulkReassign';

export function CaseQueue({ kind }: { kind: 'callback' | 'dispatch' }) {
  const { api } = useApp();
  const { t } = useI18n();
  const labels = useLabels();
  const now = useNow(1000);
  const [extra, setExtra] = useState<{ items: CaseSummary[]; cursor?: string; loading?: boolean }>({ items: [] });
  const fetchPage = (cursor?: string, limit?: number): Promise<Page<CaseSummary>> => (kind === 'callback' ? api.callbackQueue(cursor, limit) : api.dispatchQueue(cursor, limit));
  const first = useAsync(() => fetchPage(), [api, kind]);
  useInterval(() => first.reload(), 5000);
  const cursor = extra.items.length ? extra.cursor : first.data?.cursor;
  // The dispatch desk picks returned cases and sends them to one department at once.
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const selection =
    kind === 'dispatch'
      ? {
          selected: picked,
          toggle: (caseNo: string) => {
            const next = new Set(picked);
            if (!next.delete(caseNo)) next.add(caseNo);
            setPicked(next);
          },
        }
      : undefined;
  return (
    <section className={`queue queue-${kind}`}>
      <h1>{kind === 'callback' ? t('callback.title') : t('dispatch.title')}</h1>
      <p className="muted">{kind === 'callback' ? t('callback.intro') : t('dispatch.intro')}</p>
      <ExportCsv
        name={kind === 'callback' ? 'callback-queue' : 'dispatch-queue'}
        columns={() => (kind === 'callback' ? callbackColumns(t, labels) : caseColumns(t, labels, Date.now()))}
        collect={() => collectPages((cursor) => fetchPage(cursor, EXPORT_PAGE_SIZE))}
      />
      <ErrorBanner error={first.error} />
      {selection && (
        <BulkReassign
          selected={picked}
          onDone={() => {
            setPicked(new Set());
            setExtra({ items: [] });
            first.reload();
          }}
        />
      )}
      {first.loading && !first.data ? <Loading /> : first.data && (kind === 'callback' ? <CallbackTable items={[...first.data.items, ...extra.items]} now={now} /> : <CaseTable items={[...first.data.items, ...extra.items]} now={now} selection={selection} />)}
      <MoreButton
        cursor={cursor}
        loading={extra.loading}
        onMore={async () => {
          if (!cursor) return;
          setExtra((x) => ({ ...x, loading: true }));
          try {
            const page = await fetchPage(cursor);
            setExtra((x) => ({ items: [...x.items, ...page.items], cursor: page.cursor, loading: false }));
          } catch {
            setExtra((x) => ({ ...x, loading: false }));
          }
        }}
      />
    </section>
  );
}

/** The callback queue as the agent works it: what was done (the resolution), by when to call, and earlier tries. */
function CallbackTable({ items, now }: { items: readonly CaseSummary[]; now: number }) {
  const { t } = useI18n();
  const labels = useLabels();
  if (!items.length) return <p className="empty">{t('list.empty')}</p>;
  return (
    <table className="cases callbacks">
      <thead>
        <tr>
          <th scope="col">{t('list.caseNo')}</th>
          <th scope="col">{t('list.category')}</th>
          <th scope="col">{t('callback.phone')}</th>
          <th scope="col">{t('callback.resolution')}</th>
          <th scope="col">{t('callback.due')}</th>
          <th scope="col">{t('callback.attempts')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <tr key={c.caseNo} data-case-no={c.caseNo}>
            <td>
              <a href={caseHref(c.caseNo)} className="case-no">
                {c.caseNo}
              </a>
            </td>
            <td>
              {labels.category(c.category)}
              <div className="muted">{labels.department(c.department)}</div>
            </td>
            <td data-testid="callback-phone">
              <CallerPhone caseNo={c.caseNo} masked={c.callerPhone} />
            </td>
            <td className="pre" data-testid="callback-resolution">
              {c.resolution ?? '—'}
            </td>
            <td data-testid="callback-due">
              <Due due={currentDue(c)} now={now} />
            </td>
            <td data-testid="callback-attempts">
              {c.callback ? t('callback.tried', { n: c.callback.attempts, at: formatDateTime(c.callback.retryAt) || '—' }) : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The caller's number, masked until the agent asks for it: revealing reads the case, which shows the number to an
 * agent while its callback is due and records that view on the case's access tab (pii-viewed, follow-up-call).
 */
function CallerPhone({ caseNo, masked }: { caseNo: string; masked?: string }) {
  const { api } = useApp();
  const { t } = useI18n();
  const [shown, setShown] = useState<{ phone?: string; error?: unknown }>({});
  if (!masked) return <>—</>;
  if (shown.phone) return <span className="phone" data-testid="revealed-phone">{shown.phone}</span>;
  return (
    <>
      <span className="muted">{masked}</span>{' '}
      <button
        type="button"
        className="link"
        data-testid="reveal-phone"
        onClick={() => {
          api.getCase(caseNo).then(
            (c) => setShown({ phone: c.reporter.masked ? undefined : c.reporter.phone }),
            (error: unknown) => setShown({ error }),
          );
        }}
      >
        {t('callback.reveal')}
      </button>
      <ErrorBanner error={shown.error} />
    </>
  );
}
