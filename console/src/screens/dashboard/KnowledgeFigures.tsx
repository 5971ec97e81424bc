/**
 * The knowledge base on the dashboard and in the meeting pack: a month's first-contact resolution (inquiries closed on the call out of
 * all inquiries), the articles most read to callers, the latest questions no article answered, and the calls per
 * surge topic.
 */
import type { KbFigures } from '../../api/types';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { useAsync } from '../../components/hooks';
import { Bars, ErrorBanner } from '../../components/ui';

/** This month's figures on the dashboard; a given month's in the meeting pack. */
export function KnowledgeFigures({ month }: { month?: string } = {}) {
  const { api } = useApp();
  const { t } = useI18n();
  const data = useAsync(() => api.kbFigures(month), [api, month]);
  const f: KbFigures | undefined = data.data;
  return (
    <section className="panel kb-figures" data-testid="kb-figures">
      <h2>
        {t('kbFigures.title')} {f && <span className="muted">{f.month}</span>}
      </h2>
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {f && (
        <>
          <p className="big-figure" data-testid="fcr">
            {f.firstContactResolution === null ? '—' : `${Math.round(f.firstContactResolution * 100)}%`}{' '}
            <span className="muted">{t('kbFigures.fcr', { closed: f.closedOnCall, all: f.inquiries })}</span>
          </p>
          <h3>{t('kbFigures.topArticles')}</h3>
          {f.topArticles.length ? (
            <Bars data={f.topArticles.map((a) => ({ key: a.articleId, label: a.title ?? a.articleId, value: a.calls }))} title={t('kbFigures.topArticles')} />
          ) : (
            <p className="muted">{t('dashboard.noData')}</p>
          )}
          <h3>{t('kbFigures.noArticle', { n: f.noArticle })}</h3>
          <ul className="kb-questions">
            {f.questionsWithoutArticle.map((q) => (
              <li key={q.caseNo}>
                {q.question} <span className="muted">({q.department})</span>
              </li>
            ))}
          </ul>
          {f.callsPerSurgeTopic.length > 0 && (
            <>
              <h3>{t('kbFigures.surgeTopics')}</h3>
              <Bars data={f.callsPerSurgeTopic.map((s) => ({ key: s.topic, label: s.topic, value: s.calls }))} title={t('kbFigures.surgeTopics')} />
            </>
          )}
        </>
      )}
    </section>
  );
}
