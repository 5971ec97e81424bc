/**
 * The case file for paper: the case's fields and deadlines, then the whole timeline (the work, then who looked at
 * the caller's data), with who printed it and when. No navigation and no actions; the print stylesheet
 * (styles.css, `@media print`) sets A4 and hides the toolbar. Reads what the case page reads, masked as there.
 */
import type { CaseEvent, CaseView } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { caseHref } from '../logic/navigation';
import { formatDateTime } from '../logic/time';
import { actorIds, splitTimeline } from '../logic/timeline';
import { useAsync, useNow } from '../components/hooks';
import { useDisplayName } from '../components/names';
import { ErrorBanner, Loading, StatusBadge } from '../components/ui';
import { CaseFields, Deadlines } from './case/CaseFields';
import { TimelineEvent } from './case/Timeline';

export function CasePrint({ caseNo }: { caseNo: string }) {
  const { api, session } = useApp();
  const { t } = useI18n();
  const now = useNow(60_000);
  const file = useAsync(async (): Promise<{ c: CaseView; events: CaseEvent[] }> => {
    const [c, events] = await Promise.all([api.getCase(caseNo), api.timeline(caseNo)]);
    return { c, events };
  }, [api, caseNo]);
  const events = file.data?.events ?? [];
  const nameOf = useDisplayName(actorIds(events));
  const { work, access } = splitTimeline(events);
  return (
    <article className="print-view" data-testid="print-view">
      <nav className="print-toolbar">
        <a href={caseHref(caseNo)}>{t('print.back')}</a>
        <button type="button" className="primary" onClick={() => window.print()} data-testid="print-button">
          {t('print.print')}
        </button>
      </nav>
      <header className="print-head">
        <h1>{t('print.title', { caseNo })}</h1>
        <p className="muted" data-testid="printed-by">
          {t('print.printed', { at: formatDateTime(now), name: session.user.name })}
        </p>
      </header>
      <ErrorBanner error={file.error} onRetry={file.reload} />
      {!file.data ? (
        !file.error && <Loading />
      ) : (
        <>
          <section className="print-section">
            <h2>
              {t('print.fields')} <StatusBadge status={file.data.c.status} />
            </h2>
            <CaseFields c={file.data.c} />
            <Deadlines c={file.data.c} />
          </section>
          <PrintedEvents title={t('print.work')} events={work} testId="print-timeline" nameOf={nameOf} />
          {access.length > 0 && <PrintedEvents title={t('print.access')} events={access} testId="print-access" nameOf={nameOf} />}
        </>
      )}
    </article>
  );
}

function PrintedEvents({ title, events, testId, nameOf }: { title: string; events: readonly CaseEvent[]; testId: string; nameOf: (id: string) => string }) {
  return (
    <section className="print-section timeline">
      <h2>{title}</h2>
      <ol data-testid={testId}>
        {events.map((e) => (
          <TimelineEvent key={e.id} event={e} nameOf={nameOf} />
        ))}
      </ol>
    </section>
  );
}
