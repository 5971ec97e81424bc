/**
 * One case: every field, the deadlines counting down, the escalation level, the timeline, notes, and exactly the
 * actions this user may take in this state. Every action carries the version read (If-Match), so two people
 * cannot overwrite each other; the page follows the workflow by re-reading the case every few seconds.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import type { CaseEvent, CaseView } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { allowedActions, canAddNote } from '../logic/actions';
import { casePrintHref } from '../logic/navigation';
import { canCorrect } from '../logic/correction';
import { useInterval } from '../components/hooks';
import { ErrorBanner, EscalationBadge, Loading, StatusBadge } from '../components/ui';
import { Actions } from './case/Actions';
import { CaseFields, Deadlines } from './case/CaseFields';
import { CasePlace } from './case/CasePlace';
import { Correction } from './case/Correction';
import { NoteForm } from './case/NoteForm';
import { PiiAccess } from './case/PiiAccess';
import { Timeline } from './case/Timeline';
import { CaseAttachments, useCaseFiles } from '../components/Attachments';

/** Events that record a look at the case, not a change to it. */
const AUDIT_EVENTS: ReadonlySet<string> = new Set(['pii-viewed']);
const changeCount = (events: readonly CaseEvent[]) => events.filter((e) => !AUDIT_EVENTS.has(e.type)).length;

/** While the workflow is expected to move (after opening the case or acting on it), watch its timeline. */
const FOLLOW_EVERY_MS = 3000;
const FOLLOW_FOR_MS = 30_000;

export function CasePage({ caseNo }: { caseNo: string }) {
  const { api, session } = useApp();
  const { t } = useI18n();
  const [c, setCase] = useState<CaseView | undefined>();
  const [events, setEvents] = useState<CaseEvent[]>([]);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string | undefined>();
  const seen = useRef(0);
  const followUntil = useRef(0);
  const { files, reload: reloadFiles } = useCaseFiles(caseNo, c?.attachments?.length ?? 0);

  /** Reads the case and its timeline, then follows the workflow for a while. */
  const load = useCallback(async () => {
    followUntil.current = Date.now() + FOLLOW_FOR_MS;
    try {
      const [next, timeline] = await Promise.all([api.getCase(caseNo), api.timeline(caseNo)]);
      setError(undefined);
      setCase(next);
      setEvents(timeline);
      seen.current = changeCount(timeline);
    } catch (e) {
      setError(e);
    }
  }, [api, caseNo]);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- load sets state only after its first await; the rule counts that as synchronous
    void load();
  }, [load]);

  // Following polls the timeline, which holds no personal data. The case itself is read again only when the
  // timeline shows a change to it: reading a case may be an audited view (`pii-viewed`), and re-reading because
  // of our own audit event would never stop.
  useInterval(() => {
    if (Date.now() > followUntil.current || document.hidden) return;
    api.timeline(caseNo).then(
      (timeline) => {
        setEvents(timeline);
        const changes = changeCount(timeline);
        if (changes === seen.current) return;
        seen.current = changes;
        api.getCase(caseNo).then(setCase, () => undefined);
      },
      () => undefined,
    );
  }, FOLLOW_EVERY_MS);

  if (!c && error instanceof ApiError && (error.status === 404 || error.status === 403 || error.status === 400))
    return (
      <section>
        <h1>{t('case.title', { caseNo })}</h1>
        <p className="banner error" role="alert" data-testid="case-not-found">
          {t('case.notFound', { caseNo })}
        </p>
      </section>
    );
  if (!c)
    return error ? (
      <ErrorBanner error={error} onRetry={() => void load()} />
    ) : (
      <Loading />
    );

  const user = { role: session.user.role, department: session.user.department, lead: session.user.lead };
  const actions = allowedActions(user, c);
  return (
    <section className="case-page">
      <header className="case-head">
        <h1>
          <span className="case-no" data-testid="case-no">
            {c.caseNo}
          </span>{' '}
          <span data-testid="case-status">
            <StatusBadge status={c.status} />
          </span>{' '}
          <EscalationBadge level={c.escalationLevel} />
        </h1>
        <button type="button" className="link" onClick={() => void load()}>
          {t('case.reload')}
        </button>
        <a href={casePrintHref(c.caseNo)} className="print-link" data-testid="print-link">
          {t('print.open')}
        </a>
      </header>
      {error !== undefined && <ErrorBanner error={error} />}
      {done && (
        <p className="banner ok" role="status">
          {done}
        </p>
      )}
      <div className="case-grid">
        <div>
          <CaseFields c={c} />
          <CasePlace c={c} />
          <Timeline events={events} files={files} />
        </div>
        <aside>
          <Deadlines c={c} />
          <section className="panel actions-panel" aria-labelledby="actions-title">
            <h2 id="actions-title">{t('case.actions')}</h2>
            {actions.length === 0 && <p className="muted">{t('case.noActions')}</p>}
            <Actions
              c={c}
              actions={actions}
              onDone={(a) => {
                setDone(t('case.done', { action: t(`action.${a}`) }));
                void load();
              }}
              onStale={() => void load()}
            />
          </section>
          <CaseAttachments
            c={c}
            files={files}
            onChanged={() => {
              reloadFiles();
              void load();
            }}
          />
          {canCorrect(session.user.role, c.status) && (
            <Correction
              c={c}
              onDone={() => {
                setDone(t('case.corrected'));
                void load();
              }}
            />
          )}
          <PiiAccess c={c} events={events} onChanged={() => void load()} />
          {canAddNote(user, c) && <NoteForm caseNo={c.caseNo} onAdded={() => void load()} />}
        </aside>
      </div>
    </section>
  );
}
