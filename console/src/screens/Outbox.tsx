/** Local cloud only: every SMS, e-mail and webhook the local SNS sent, newest first. */
import { useState } from 'react';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { formatDateTime } from '../logic/time';
import { useAsync, useInterval } from '../components/hooks';
import { ErrorBanner, Loading } from '../components/ui';

export function Outbox() {
  const { api } = useApp();
  const { t } = useI18n();
  const [protocol, setProtocol] = useState('');
  const data = useAsync(() => api.outbox(), [api]);
  useInterval(() => data.reload(), 3000);
  const entries = [...(data.data ?? [])].filter((e) => !protocol || e.protocol === protocol).sort((a, b) => (a.at < b.at ? 1 : -1));
  const protocols = [...new Set((data.data ?? []).map((e) => e.protocol))].sort();
  return (
    <section className="outbox">
      <h1>{t('outbox.title')}</h1>
      <p className="muted">{t('outbox.intro')}</p>
      <div className="tabs">
        {['', ...protocols].map((p) => (
          <button key={p || 'all'} type="button" className={p === protocol ? 'active' : undefined} onClick={() => setProtocol(p)}>
            {p || t('outbox.all')}
          </button>
        ))}
      </div>
      <ErrorBanner error={data.error} />
      {data.loading && !data.data ? (
        <Loading />
      ) : entries.length === 0 ? (
        <p className="empty">{t('outbox.empty')}</p>
      ) : (
        <table className="outbox-table">
          <thead>
            <tr>
              <th scope="col">{t('outbox.at')}</th>
              <th scope="col">{t('outbox.protocol')}</th>
              <th scope="col">{t('outbox.endpoint')}</th>
              <th scope="col">{t('outbox.message')}</th>
              <th scope="col">{t('outbox.status')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-protocol={e.protocol}>
                <td className="nowrap">{formatDateTime(e.at, true)}</td>
                <td>
                  <span className={`badge proto-${e.protocol}`}>{e.protocol}</span>
                </td>
                <td className="endpoint">{e.endpoint}</td>
                <td>
                  {e.subject && <strong className="subject">{e.subject}</strong>}
                  <pre className="message">{e.message}</pre>
                </td>
                <td>
                  {e.status}
                  {e.httpStatus ? ` (${e.httpStatus})` : ''}
                  {e.error ? ` ${e.error}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
