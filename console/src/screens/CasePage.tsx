/**
 * One case: every field, the deadlines counting down, the escalation level, the timeline, notes, and exactly the
 * actions this user may take in this state. Every action carries the version read (If-Match), so two people
 * cannot overwrite each other; the page follows the workflow by re-reading the case every few seconds.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import type { CaseEvent, CaseView } from '../api/types';
import { useApp } from '../context';
import { isMessageKey } from '../i18n';
import { useI18n } from '../i18n/react';
import { ACTION_FIELDS, actionBody, activeWait, allowedActions, piiAccessRequests, canAddNote, missingFields, type ActionField, type CaseAction } from '../logic/actions';
import { caseHref } from '../logic/navigation';
import { canCorrect, correctionBody, correctionDraft, type CorrectionDraft } from '../logic/correction';
import { formatDateTime } from '../logic/time';
import { useInterval, useNow } from '../components/hooks';
import { Due, ErrorBanner, EscalationBadge, Field, FieldError, Loading, StatusBadge, submitKeys, useLabels } from '../components/ui';

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

  const user = { role: session.user.role, department: session.user.department };
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
          <Timeline events={events} />
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

function CaseFields({ c }: { c: CaseView }) {
  const { t, pick } = useI18n();
  const labels = useLabels();
  const { reference } = useApp();
  const sop = reference.sops.find((s) => s.category === c.category);
  const attrName = (code: string) => {
    const a = sop?.attributes.find((x) => x.code === code);
    return a ? pick(a.description) : code;
  };
  const attrValue = (code: string, v: unknown) => {
    const a = sop?.attributes.find((x) => x.code === code);
    const name = (k: string) => {
      const found = a?.values?.find((x) => x.key === k);
      return found ? pick(found.name) : k;
    };
    if (Array.isArray(v)) return v.map((x) => name(String(x))).join(', ');
    return name(String(v));
  };
  const r = c.reporter;
  return (
    <section className="panel fields" aria-label={t('case.title', { caseNo: c.caseNo })}>
      <dl className="grid">
        <dt>{t('case.category')}</dt>
        <dd>
          {labels.category(c.category)} <code>{c.category}</code>
        </dd>
        <dt>{t('case.department')}</dt>
        <dd data-testid="case-department">{labels.department(c.department) || '—'}</dd>
        <dt>{t('case.priority')}</dt>
        <dd>
          {t(`priority.${c.priority}`)}
          {c.priorityOverride && ` (${t(`priority.${c.priorityOverride}`)})`}
        </dd>
        <dt>{t('case.channel')}</dt>
        <dd>{labels.channel(c.channel)}</dd>
        <dt>{t('case.location')}</dt>
        <dd>
          {labels.district(c.location.district)} {c.location.address}
          {c.location.lat !== undefined && c.location.lng !== undefined && (
            <span className="muted">
              {' '}
              ({c.location.lat}, {c.location.lng})
            </span>
          )}
        </dd>
        <dt>{t('case.description')}</dt>
        <dd className="pre">{c.description}</dd>
        <dt>{t('case.reporter')}</dt>
        <dd>
          {r.anonymous ? (
            t('case.anonymous')
          ) : (
            <>
              {[r.name, r.phone, r.email].filter(Boolean).join(' · ') || '—'}
              {r.masked && <span className="badge muted-badge">{t('case.masked')}</span>}
              {c.personalDataAccess && (
                <span className="badge pii-why" data-testid="pii-why">
                  {t('piiWhy.title', { reason: t(`piiWhy.${c.personalDataAccess.reason}`) })}
                  {c.personalDataAccess.until && t('piiWhy.until', { until: formatDateTime(c.personalDataAccess.until) })}
                </span>
              )}
            </>
          )}{' '}
          <span className="muted">
            ({t('case.notify')}: {t(`notify.${r.notify}`)})
          </span>
        </dd>
        {Object.keys(c.attributes).length > 0 && (
          <>
            <dt>{t('case.attributes')}</dt>
            <dd>
              <ul className="plain">
                {Object.entries(c.attributes).map(([k, v]) => (
                  <li key={k}>
                    {attrName(k)}: {attrValue(k, v)}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {c.resolution && (
          <>
            <dt>{t('case.resolution')}</dt>
            <dd className="pre">{c.resolution}</dd>
          </>
        )}
        {c.survey && (
          <>
            <dt>{t('case.survey')}</dt>
            <dd>
              {t(`survey.${c.survey.answer}`)} {c.survey.comment && `— ${c.survey.comment}`} <span className="muted">{formatDateTime(c.survey.at)}</span>
            </dd>
          </>
        )}
        {c.parentCaseNo && (
          <>
            <dt>{t('case.parent')}</dt>
            <dd>
              <a href={caseHref(c.parentCaseNo)}>{c.parentCaseNo}</a>
            </dd>
          </>
        )}
        {c.duplicates && c.duplicates.length > 0 && (
          <>
            <dt>{t('case.duplicates')}</dt>
            <dd>
              {c.duplicates.map((d) => (
                <a key={d} href={caseHref(d)} className="dup-link">
                  {d}
                </a>
              ))}
            </dd>
          </>
        )}
        <dt>{t('case.created')}</dt>
        <dd>{formatDateTime(c.createdAt)}</dd>
        <dt>{t('case.updated')}</dt>
        <dd>
          {formatDateTime(c.updatedAt)}{' '}
          <span className="muted">
            {t('case.version')} {c.version}
            {c.sopVersion !== undefined && ` · ${t('case.sopVersion')} v${c.sopVersion}`}
          </span>
        </dd>
      </dl>
    </section>
  );
}

function Deadlines({ c }: { c: CaseView }) {
  const { t } = useI18n();
  const now = useNow(1000);
  const stopped = c.status === 'CANCELLED' || c.status === 'MERGED';
  const wait = activeWait(c);
  return (
    <section className="panel deadlines" aria-labelledby="deadlines-title">
      <h2 id="deadlines-title">{t('case.deadlines')}</h2>
      <dl>
        <dt>{t('case.acknowledgeDue')}</dt>
        <dd>
          <span className="when">{formatDateTime(c.acknowledgeDueAt) || '—'}</span>
          {!stopped && <Due due={c.acknowledgeDueAt} now={now} doneAt={c.acknowledgedAt ?? (c.status === 'RESOLVED' || c.status === 'CLOSED' ? c.resolvedAt : undefined)} />}
        </dd>
        <dt>{t('case.resolveDue')}</dt>
        <dd data-testid="resolve-due">
          <span className="when">{formatDateTime(c.resolveDueAt) || '—'}</span>
          {!stopped && <Due due={c.resolveDueAt} now={now} doneAt={c.status === 'REOPENED' ? undefined : c.resolvedAt} />}
        </dd>
        {c.acknowledgedAt && (
          <>
            <dt>{t('case.acknowledgedAt')}</dt>
            <dd>{formatDateTime(c.acknowledgedAt)}</dd>
          </>
        )}
        {c.resolvedAt && (
          <>
            <dt>{t('case.resolvedAt')}</dt>
            <dd>{formatDateTime(c.resolvedAt)}</dd>
          </>
        )}
        {c.closedAt && (
          <>
            <dt>{t('case.closedAt')}</dt>
            <dd>{formatDateTime(c.closedAt)}</dd>
          </>
        )}
        <dt>{t('case.escalation')}</dt>
        <dd data-testid="escalation-level" className={c.escalationLevel ? 'escalated' : undefined}>
          {t(`escalation.${c.escalationLevel as 0 | 1 | 2 | 3}`)}
        </dd>
        {wait && (
          <>
            <dt>{t('case.waitingFor')}</dt>
            <dd>{t(`waiting.${wait}`)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function Timeline({ events }: { events: CaseEvent[] }) {
  const { t } = useI18n();
  const labels = useLabels();
  const { session } = useApp();
  return (
    <section className="panel timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('case.timeline')}</h2>
      {events.length === 0 && <p className="muted">{t('case.timelineEmpty')}</p>}
      <ol data-testid="timeline">
        {events.map((e) => (
          <li key={e.id} className={`event event-${e.type}`} data-event-type={e.type}>
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            <span className="event-type">{labels.event(e.type)}</span>
            <span className="muted event-by">{e.by === session.user.sub ? session.user.name : e.by}</span>
            {e.text && <p className="pre">{e.text}</p>}
            {e.data && !e.text && <EventData data={e.data} />}
          </li>
        ))}
      </ol>
    </section>
  );
}

function EventData({ data }: { data: NonNullable<CaseEvent['data']> }) {
  const { t } = useI18n();
  const labels = useLabels();
  const show = (k: string, v: string | number | boolean | null): string => {
    if (v === null) return '—';
    if ((k === 'from' || k === 'to' || k === 'status') && typeof v === 'string') return labels.status(v);
    if ((k === 'department' || k === 'fromDepartment' || k === 'toDepartment') && typeof v === 'string') return labels.department(v);
    if (k === 'level' && typeof v === 'number') {
      const key = `escalation.${v}`;
      return isMessageKey(key) ? t(key) : String(v);
    }
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return formatDateTime(v);
    return String(v);
  };
  const entries = Object.entries(data).filter(([k]) => k !== 'taskToken');
  if (!entries.length) return null;
  return (
    <ul className="event-data">
      {entries.map(([k, v]) => (
        <li key={k}>
          <span className="muted">{k}</span> {show(k, v)}
        </li>
      ))}
    </ul>
  );
}

function Actions({ c, actions, onDone, onStale }: { c: CaseView; actions: CaseAction[]; onDone: (a: CaseAction) => void; onStale: () => void }) {
  const { t } = useI18n();
  const [chosen, setOpen] = useState<CaseAction | undefined>();
  // A form whose action the case no longer offers (someone else acted) closes.
  const open = chosen && actions.includes(chosen) ? chosen : undefined;
  return (
    <>
      <div className="action-buttons">
        {actions.map((a) => (
          <button key={a} type="button" className={open === a ? 'active' : a === 'cancel' ? 'danger' : undefined} onClick={() => setOpen(open === a ? undefined : a)} data-action={a} aria-expanded={open === a}>
            {t(`action.${a}`)}
          </button>
        ))}
      </div>
      {open && (
        <ActionForm
          key={open}
          c={c}
          action={open}
          onCancel={() => setOpen(undefined)}
          onDone={() => {
            setOpen(undefined);
            onDone(open);
          }}
          onStale={onStale}
        />
      )}
    </>
  );
}

const FIELD_LABELS: Record<ActionField, `action.field.${ActionField}`> = {
  note: 'action.field.note',
  resolution: 'action.field.resolution',
  reason: 'action.field.reason',
  department: 'action.field.department',
  answer: 'action.field.answer',
  comment: 'action.field.comment',
  parentCaseNo: 'action.field.parentCaseNo',
};

function ActionForm({ c, action, onCancel, onDone, onStale }: { c: CaseView; action: CaseAction; onCancel: () => void; onDone: () => void; onStale: () => void }) {
  const { api, reference } = useApp();
  const { t, pick } = useI18n();
  const [values, setValues] = useState<Partial<Record<ActionField, string>>>({});
  const [error, setError] = useState<unknown>();
  const [missing, setMissing] = useState<ActionField[]>([]);
  const [busy, setBusy] = useState(false);
  const fields = ACTION_FIELDS[action];

  const submit = async () => {
    const m = missingFields(action, values);
    setMissing(m);
    if (m.length) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.act(c.caseNo, action, actionBody(action, values), c.version);
      onDone();
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && e.status === 412) onStale();
    } finally {
      setBusy(false);
    }
  };

  const input = (field: ActionField) => {
    const set = (v: string) => setValues((x) => ({ ...x, [field]: v }));
    const v = values[field] ?? '';
    switch (field) {
      case 'department':
        return (
          <select value={v} onChange={(e) => set(e.target.value)} name={field} autoFocus>
            <option value="">{t('action.chooseDepartment')}</option>
            {reference.departments
              .filter((d) => d.receivesCases !== false && d.code !== c.department)
              .map((d) => (
                <option key={d.code} value={d.code}>
                  {pick(d.name)}
                </option>
              ))}
          </select>
        );
      case 'answer':
        return (
          <div className="radio-row" role="radiogroup">
            {(['satisfied', 'unsatisfied'] as const).map((a, i) => (
              <label key={a} className="check">
                <input type="radio" name="answer" value={a} checked={v === a} onChange={() => set(a)} autoFocus={i === 0} />
                {t(`survey.${a}`)}
              </label>
            ))}
          </div>
        );
      case 'parentCaseNo':
        return <input value={v} onChange={(e) => set(e.target.value)} name={field} inputMode="numeric" placeholder={t('find.caseNoPlaceholder')} autoFocus />;
      default:
        return <textarea rows={3} value={v} onChange={(e) => set(e.target.value)} name={field} autoFocus={fields[0]?.field === field} />;
    }
  };

  return (
    <form
      className="action-form"
      data-action-form={action}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={submitKeys(() => void submit(), () => onCancel())}
    >
      {error !== undefined && <ErrorBanner error={error} shownPaths={fields.map((f) => f.field)} />}
      {fields.map(({ field, required }) => (
        <Field key={field} label={t(FIELD_LABELS[field])} error={error} path={field} required={required}>
          {input(field)}
          {missing.includes(field) && (
            <span className="field-error" role="alert">
              {t('intake.required')}
            </span>
          )}
        </Field>
      ))}
      <div className="actions-bar">
        <button type="submit" className={action === 'cancel' ? 'danger' : 'primary'} disabled={busy} data-testid="confirm-action">
          {t('action.submit', { action: t(`action.${action}`) })}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function NoteForm({ caseNo, onAdded }: { caseNo: string; onAdded: () => void }) {
  const { api } = useApp();
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="panel note-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim()) return;
        setBusy(true);
        setError(undefined);
        api.addNote(caseNo, text).then(
          () => {
            setText('');
            setBusy(false);
            onAdded();
          },
          (err: unknown) => {
            setError(err);
            setBusy(false);
          },
        );
      }}
    >
      <h2>{t('case.addNote')}</h2>
      <ErrorBanner error={error} shownPaths={['text']} />
      <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('case.notePlaceholder')} aria-label={t('case.addNote')} name="note" />
      <FieldError error={error} path="text" />
      <button type="submit" disabled={busy || !text.trim()}>
        {t('case.saveNote')}
      </button>
    </form>
  );
}

/**
 * The reporter's personal data: department staff see it masked and may ask, with a reason, to see it; a supervisor
 * approves pending requests here. Both steps are on the timeline.
 */
function PiiAccess({ c, events, onChanged }: { c: CaseView; events: CaseEvent[]; onChanged: () => void }) {
  const { api, session } = useApp();
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
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

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      setReason('');
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

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
function Correction({ c, onDone }: { c: CaseView; onDone: () => void }) {
  const { api, reference } = useApp();
  const { t, pick } = useI18n();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<CorrectionDraft>(() => correctionDraft(c));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof CorrectionDraft>(k: K, v: CorrectionDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const categoryLocked = c.status === 'RESOLVED';

  if (!open)
    return (
      <section className="panel">
        <button
          type="button"
          onClick={() => {
            setDraft(correctionDraft(c));
            setError(undefined);
            setOpen(true);
          }}
          data-action="correct"
        >
          {t('case.correct')}
        </button>
      </section>
    );

  const save = async () => {
    const body = correctionBody(c, draft);
    if (!body) {
      setOpen(false);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.correct(c.caseNo, body, c.version);
      setOpen(false);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="panel correction"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={submitKeys(() => void save(), () => setOpen(false))}
    >
      <h2>{t('case.correct')}</h2>
      <ErrorBanner error={error} shownPaths={['category', 'description', 'location', 'priorityOverride', 'reporter']} />
      <Field label={t('case.category')} error={error} path="category">
        <select value={draft.category} onChange={(e) => set('category', e.target.value)} disabled={categoryLocked} name="category">
          {reference.sops.map((s) => (
            <option key={s.category} value={s.category}>
              {pick(s.name)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('case.description')} error={error} path="description">
        <textarea rows={3} value={draft.description} onChange={(e) => set('description', e.target.value)} name="description" />
      </Field>
      <Field label={t('intake.district')} error={error} path="location.district">
        <select value={draft.district} onChange={(e) => set('district', e.target.value)} name="district">
          {reference.districts.map((d) => (
            <option key={d.code} value={d.code}>
              {pick(d.name)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('intake.address')} error={error} path="location.address">
        <input value={draft.address} onChange={(e) => set('address', e.target.value)} name="address" />
      </Field>
      <Field label={t('intake.priority')} error={error} path="priorityOverride">
        <select value={draft.priorityOverride} onChange={(e) => set('priorityOverride', e.target.value as CorrectionDraft['priorityOverride'])} name="priority">
          <option value="">{t('intake.priorityDefault', { priority: t(`priority.${c.priority}`) })}</option>
          <option value="normal">{t('priority.normal')}</option>
          <option value="urgent">{t('priority.urgent')}</option>
        </select>
      </Field>
      <Field label={t('intake.notify')} error={error} path="reporter.notify">
        <select value={draft.notify} onChange={(e) => set('notify', e.target.value as CorrectionDraft['notify'])} name="notify">
          {(['sms', 'email', 'none'] as const).map((n) => (
            <option key={n} value={n}>
              {t(`notify.${n}`)}
            </option>
          ))}
        </select>
      </Field>
      <div className="actions-bar">
        <button type="submit" className="primary" disabled={busy}>
          {t('common.save')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
