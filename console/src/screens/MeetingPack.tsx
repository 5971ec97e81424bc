/**
 * The improvement-meeting pack (民眾關心議題精進會議) for a chosen month: the totals against the month before,
 * then one table per section (categories, districts, departments, the month's warnings and what was done, SOP
 * changes), and the month's knowledge-base figures (first-contact resolution, articles used, questions without
 * one, calls per surge topic). It prints on A4 (the print stylesheet drops the console around it), and downloads as one XLSX
 * workbook or a CSV per table — all drawn from the same section columns (logic/meeting-pack.ts).
 */
import { useState } from 'react';
import type { MeetingPack } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { ExportCsv, downloadBlob } from '../components/ExportCsv';
import { useAsync } from '../components/hooks';
import { ErrorBanner, Loading, useLabels } from '../components/ui';
import { packSections, signedPercent, type PackSection } from '../logic/meeting-pack';
import { formatDateTime } from '../logic/time';
import { workbookBytes, XLSX_MIME } from '../logic/xlsx';
import { KnowledgeFigures } from './dashboard/KnowledgeFigures';

export function MeetingPackScreen({ params }: { params: URLSearchParams }) {
  const { api } = useApp();
  const { t } = useI18n();
  const [month, setMonth] = useState(params.get('month') ?? '');
  const pack = useAsync(() => api.meetingPack(month || undefined), [api, month]);
  return (
    <section className="meeting-pack">
      <header className="screen-head no-print">
        <h1>{t('meeting.title')}</h1>
        <label>
          {t('meeting.month')}{' '}
          <input type="month" name="month" value={month || pack.data?.month || ''} onChange={(e) => setMonth(e.currentTarget.value)} />
        </label>
        {pack.data && <PackDownloads pack={pack.data} />}
        <button type="button" onClick={() => window.print()} data-testid="meeting-print">
          {t('meeting.print')}
        </button>
      </header>
      <ErrorBanner error={pack.error} onRetry={pack.reload} />
      {pack.loading && !pack.data ? <Loading /> : pack.data && <PackBody pack={pack.data} />}
    </section>
  );
}

function PackBody({ pack }: { pack: MeetingPack }) {
  const { t } = useI18n();
  const labels = useLabels();
  const sections = packSections(pack, t, labels);
  const change = pack.volumes.previousTotal === 0 ? null : (pack.volumes.total - pack.volumes.previousTotal) / pack.volumes.previousTotal;
  return (
    <article className="pack" data-testid="meeting-pack" data-month={pack.month}>
      <h2 className="print-only">{t('meeting.title')}</h2>
      <p className="pack-period">
        {t('meeting.period', { from: pack.from, to: pack.to })} · {t('meeting.generatedAt', { at: formatDateTime(pack.generatedAt) })}
      </p>
      <dl className="pack-totals" data-testid="meeting-totals">
        <div>
          <dt>{t('meeting.total')}</dt>
          <dd data-total={pack.volumes.total}>{pack.volumes.total}</dd>
        </div>
        <div>
          <dt>{t('meeting.previousTotal', { month: pack.previousMonth })}</dt>
          <dd>
            {pack.volumes.previousTotal} {change !== null && <span className="muted">({signedPercent(Math.round(change * 1000) / 1000)})</span>}
          </dd>
        </div>
        <div>
          <dt>{t('meeting.warningsCount')}</dt>
          <dd>{pack.warnings.length}</dd>
        </div>
        <div>
          <dt>{t('meeting.sopChangesCount')}</dt>
          <dd>{pack.sopChanges.length}</dd>
        </div>
      </dl>
      {sections.map((s) => (
        <PackTable key={s.id} section={s} month={pack.month} />
      ))}
      <KnowledgeFigures month={pack.month} />
    </article>
  );
}

function PackTable({ section, month }: { section: PackSection; month: string }) {
  const { t } = useI18n();
  return (
    <section className="panel pack-section" data-testid={`meeting-${section.id}`}>
      <h2>{section.title}</h2>
      {section.rows.length === 0 ? (
        <p className="muted">{t('meeting.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="figures">
            <thead>
              <tr>
                {section.columns.map((c) => (
                  <th scope="col" key={c.header}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {section.rows.map((row, i) => (
                <tr key={i}>
                  {section.columns.map((c, j) => {
                    const value = c.value(row);
                    return j === 0 ? (
                      <th scope="row" key={c.header}>
                        {value}
                      </th>
                    ) : (
                      <td key={c.header}>{value}</td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="no-print">
        <ExportCsv name={`meeting-${month}-${section.id}`} columns={() => section.columns} collect={() => Promise.resolve({ items: [...section.rows], capped: false })} />
      </div>
    </section>
  );
}

function PackDownloads({ pack }: { pack: MeetingPack }) {
  const { t } = useI18n();
  const labels = useLabels();
  const [state, setState] = useState<{ busy?: boolean; error?: unknown }>({});
  const xlsx = async () => {
    setState({ busy: true });
    try {
      const sections = packSections(pack, t, labels);
      const bytes = await workbookBytes(sections.map((s) => ({ title: s.title, columns: s.columns, rows: s.rows })));
      downloadBlob(`meeting-${pack.month}.xlsx`, new Blob([bytes], { type: XLSX_MIME }));
      setState({});
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <>
      <button type="button" data-testid="meeting-xlsx" disabled={state.busy} onClick={() => void xlsx()}>
        {state.busy ? t('export.working') : t('meeting.xlsx')}
      </button>
      <ErrorBanner error={state.error} />
    </>
  );
}
