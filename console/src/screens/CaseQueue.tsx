/** The callback queue (resolved, waiting for the satisfaction call) and the dispatch queue (returned, waiting for a department). */
import { useState } from 'react';
import type { CaseSummary, Page } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { useAsync, useInterval, useNow } from '../components/hooks';
import { CaseTable, ErrorBanner, Loading, MoreButton } from '../components/ui';

export function CaseQueue({ kind }: { kind: 'callback' | 'dispatch' }) {
  const { api } = useApp();
  const { t } = useI18n();
  const now = useNow(1000);
  const [extra, setExtra] = useState<{ items: CaseSummary[]; cursor?: string; loading?: boolean }>({ items: [] });
  const fetchPage = (cursor?: string): Promise<Page<CaseSummary>> => (kind === 'callback' ? api.callbackQueue(cursor) : api.dispatchQueue(cursor));
  const first = useAsync(() => fetchPage(), [api, kind]);
  useInterval(() => first.reload(), 5000);
  const cursor = extra.items.length ? extra.cursor : first.data?.cursor;
  return (
    <section className={`queue queue-${kind}`}>
      <h1>{kind === 'callback' ? t('callback.title') : t('dispatch.title')}</h1>
      <p className="muted">{kind === 'callback' ? t('callback.intro') : t('dispatch.intro')}</p>
      <ErrorBanner error={first.error} />
      {first.loading && !first.data ? <Loading /> : first.data && <CaseTable items={[...first.data.items, ...extra.items]} now={now} />}
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
