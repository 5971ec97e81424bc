/**
 * Beside the intake form: the caller's cases of the last 12 months, as soon as the agent has typed a whole phone
 * number. Each look-up is audited by the API with the reason "intake" and counts against the agent's hourly
 * limit, so one number is asked once, after typing has paused.
 */
import { useEffect, useState } from 'react';
import type { CaseSummary } from '../../api/types';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { callerLookupNumber } from '../../logic/intake';
import { caseHref } from '../../logic/navigation';
import { formatDateTime } from '../../logic/time';
import { ErrorBanner, StatusBadge, useLabels } from '../../components/ui';

const TYPING_PAUSE_MS = 600;

export function CallerHistory({ phone }: { phone: string }) {
  const { api, session } = useApp();
  const { t } = useI18n();
  const labels = useLabels();
  const number = session.user.role === 'agent' ? callerLookupNumber(phone) : undefined;
  const [state, setState] = useState<{ items?: CaseSummary[]; error?: unknown; number?: string }>({});

  useEffect(() => {
    if (!number) return;
    let live = true;
    const timer = setTimeout(() => {
      api.callerHistory(number).then(
        (answer) => live && setState({ items: answer.items, number }),
        (error: unknown) => live && setState({ error, number }),
      );
    }, TYPING_PAUSE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, number]);

  if (!number) return null;
  const answered = state.number === number;
  return (
    <section className="panel caller-history" aria-labelledby="caller-history-title" aria-live="polite" data-loaded={answered}>
      <h2 id="caller-history-title">{t('intake.callerHistoryTitle')}</h2>
      <p className="muted">{t('intake.callerHistoryHint')}</p>
      {!answered && <p className="muted">{t('intake.callerHistoryLoading')}</p>}
      {answered && <ErrorBanner error={state.error} />}
      {answered && state.items?.length === 0 && <p className="muted">{t('intake.callerHistoryNone')}</p>}
      {answered && !!state.items?.length && (
        <ul className="dup-list" data-testid="caller-history">
          {state.items.map((c) => (
            <li key={c.caseNo} data-case-no={c.caseNo}>
              <a href={caseHref(c.caseNo)} target="_blank" rel="noreferrer" className="case-no">
                {c.caseNo}
              </a>{' '}
              <StatusBadge status={c.status} /> {labels.category(c.category)}
              <div className="muted">{formatDateTime(c.createdAt)}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
