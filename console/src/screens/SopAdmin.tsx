/**
 * SOP administration: read a category's SOP and its versions; supervisors and admins save changes as a new
 * version (If-Match: the version read), which applies to cases logged from then on.
 */
import { useMemo, useState } from 'react';
import { ApiError } from '../api/client';
import type { SopView } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { formatDeadline } from '../logic/intake';
import { canEditSop, sopHref } from '../logic/navigation';
import { DEADLINE_UNITS, draftFromSop, isListType, moveQuestion, newQuestion, QUESTION_TYPES, sopPutBody, type DeadlineDraft, type QuestionDraft, type SopDraft } from '../logic/sop';
import { diffSops, type SopDiffValue, type SopFieldChange } from '../../../functions/domain/sop-diff';
import { formatDateTime } from '../logic/time';
import { useAsync } from '../components/hooks';
import { useDisplayName } from '../components/names';
import { ErrorBanner, Field, FieldError, Loading, submitKeys, useLabels } from '../components/ui';

export function SopAdmin({ category }: { category?: string }) {
  const { reference } = useApp();
  const { t, pick } = useI18n();
  return (
    <section className="sops">
      <h1>{t('sops.title')}</h1>
      <p className="muted">{t('sops.intro')}</p>
      <div className="sop-grid">
        <nav className="panel sop-list" aria-label={t('sops.pickCategory')}>
          <ul className="plain">
            {reference.sops.map((s) => (
              <li key={s.category}>
                <a href={sopHref(s.category)} className={s.category === category ? 'active' : undefined}>
                  {pick(s.name)} <span className="muted">v{s.version}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div>{category ? <SopDetail category={category} /> : <p className="muted">{t('sops.pickCategory')}</p>}</div>
      </div>
    </section>
  );
}

function SopDetail({ category }: { category: string }) {
  const { api, session, reloadReference } = useApp();
  const { t, pick } = useI18n();
  const labels = useLabels();
  const versions = useAsync(() => api.sopVersions(category), [api, category]);
  const [saved, setSaved] = useState<number | undefined>();
  const list = versions.data?.items ?? [];
  const current = list.reduce<SopView | undefined>((a, b) => (!a || b.version > a.version ? b : a), undefined);
  const editable = canEditSop(session.user.role);
  const nameOf = useDisplayName(list.filter((v) => v.origin !== 'config' && v.updatedBy).map((v) => v.updatedBy!));
  const versionAuthor = (v: SopView) => (v.origin === 'config' ? t('sops.seed') : v.updatedBy ? nameOf(v.updatedBy) : '—');

  if (versions.loading && !versions.data) return <Loading />;
  if (versions.error && !versions.data) return <ErrorBanner error={versions.error} onRetry={versions.reload} />;
  if (!current) return null;
  return (
    <div className="sop-detail">
      <h2>
        {pick(current.name)} <code>{current.category}</code> <span className="badge">{t('sops.current', { version: current.version })}</span>
      </h2>
      {current.description && <p>{pick(current.description)}</p>}
      {saved !== undefined && (
        <p className="banner ok" role="status">
          {t('sops.saved', { version: saved })}
        </p>
      )}
      {editable ? (
        <SopEditor
          key={`${current.category}:${current.version}`}
          sop={current}
          onSaved={(v) => {
            setSaved(v.version);
            versions.reload();
            void reloadReference();
          }}
        />
      ) : (
        <>
          <p className="muted">{t('sops.readOnly')}</p>
          {current.guidance && (
            <section className="panel">
              <h3>{t('sops.guidance')}</h3>
              <p className="pre">{pick({ zh: current.guidance.zh, en: current.guidance.en ?? current.guidance.zh })}</p>
            </section>
          )}
          <dl className="panel grid">
            <dt>{t('sops.defaultDepartment')}</dt>
            <dd>{current.defaultDepartment === 'DIST' ? t('sops.districtOfficeToken') : labels.department(current.defaultDepartment)}</dd>
            <dt>{t('sops.acknowledgeWithin')}</dt>
            <dd>{formatDeadline(current.acknowledgeWithin, t)}</dd>
            <dt>{t('sops.resolveWithin')}</dt>
            <dd>{formatDeadline(current.resolveWithin, t)}</dd>
            <dt>{t('sops.followUpAfter')}</dt>
            <dd>{formatDeadline(current.followUpAfter, t)}</dd>
          </dl>
        </>
      )}
      <section className="panel">
        <h3>{t('sops.versions')}</h3>
        <ol className="plain versions" reversed data-testid="sop-versions">
          {[...list]
            .sort((a, b) => b.version - a.version)
            .map((v) => {
              const previous = list.filter((x) => x.version < v.version).reduce<SopView | undefined>((a, b) => (!a || b.version > a.version ? b : a), undefined);
              const changes = previous ? diffSops(previous, v) : [];
              return (
                <li key={v.version} data-version={v.version}>
                  {t('sops.versionLine', { version: v.version, at: v.updatedAt ? formatDateTime(v.updatedAt) : '—', by: versionAuthor(v) })}
                  {v.reason && <span className="muted"> · {v.reason}</span>}
                  {previous ? (
                    <details>
                      <summary>{t('sops.versionChanges', { count: changes.length })}</summary>
                      <SopDiffTable changes={changes} />
                    </details>
                  ) : (
                    <span className="muted"> · {t('sops.firstVersion')}</span>
                  )}
                </li>
              );
            })}
        </ol>
      </section>
    </div>
  );
}

function DeadlineInput({ label, value, path, error, onChange }: { label: string; value: DeadlineDraft; path: string; error: unknown; onChange: (v: DeadlineDraft) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="deadline-input">
      <legend className="field-label">{label}</legend>
      <input value={value.amount} onChange={(e) => onChange({ ...value, amount: e.target.value })} inputMode="decimal" aria-label={`${label} ${t('sops.amount')}`} name={`${path}.amount`} />
      <select value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value as DeadlineDraft['unit'] })} aria-label={`${label} ${t('sops.unit')}`} name={`${path}.unit`}>
        {DEADLINE_UNITS.map((u) => (
          <option key={u} value={u}>
            {t(`unitName.${u}`)}
          </option>
        ))}
      </select>
      <FieldError error={error} path={path} />
    </fieldset>
  );
}

function SopEditor({ sop, onSaved }: { sop: SopView; onSaved: (v: SopView) => void }) {
  const { api, reference } = useApp();
  const { t, pick } = useI18n();
  const [draft, setDraft] = useState<SopDraft>(() => draftFromSop(sop));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof SopDraft>(k: K, v: SopDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const changes = useMemo(() => diffSops(sop, sopPutBody(sop, draft)), [sop, draft]);
  const departments = reference.departments.filter((d) => d.receivesCases !== false && !d.code.startsWith('DIST-'));

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await api.putSop(sop.category, sopPutBody(sop, draft), sop.version));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const deptSelect = (value: string, onChange: (v: string) => void, name: string) => (
    <select value={value} onChange={(e) => onChange(e.target.value)} name={name}>
      <option value="DIST">{t('sops.districtOfficeToken')}</option>
      {departments.map((d) => (
        <option key={d.code} value={d.code}>
          {pick(d.name)}
        </option>
      ))}
    </select>
  );

  return (
    <form
      className="panel sop-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={submitKeys(() => void save())}
    >
      <ErrorBanner
        error={error}
        shownPaths={['guidance', 'attributes', 'keywords', 'priority', 'defaultDepartment', 'districtOverrides', 'acknowledgeWithin', 'resolveWithin', 'urgent', 'followUpAfter', 'surveyWindow', 'notifyCitizen', 'reason']}
      />
      {error instanceof ApiError && error.status === 412 && <p className="banner warn">{t('error.preconditionFailed')}</p>}
      <h3>{t('sops.routing')}</h3>
      <div className="row wrap">
        <Field label={t('sops.defaultDepartment')} error={error} path="defaultDepartment">
          {deptSelect(draft.defaultDepartment, (v) => set('defaultDepartment', v), 'defaultDepartment')}
        </Field>
        <Field label={t('sops.priority')} error={error} path="priority">
          <select value={draft.priority} onChange={(e) => set('priority', e.target.value as SopDraft['priority'])} name="priority">
            <option value="normal">{t('priority.normal')}</option>
            <option value="urgent">{t('priority.urgent')}</option>
          </select>
        </Field>
      </div>
      <fieldset>
        <legend>{t('sops.districtOverrides')}</legend>
        {draft.overrides.map((o, i) => (
          <div className="row" key={i}>
            <select
              value={o.district}
              aria-label={t('intake.district')}
              onChange={(e) => set('overrides', draft.overrides.map((x, j) => (j === i ? { ...x, district: e.target.value } : x)))}
            >
              <option value="">{t('intake.chooseDistrict')}</option>
              {reference.districts.map((d) => (
                <option key={d.code} value={d.code}>
                  {pick(d.name)}
                </option>
              ))}
            </select>
            {deptSelect(o.department, (v) => set('overrides', draft.overrides.map((x, j) => (j === i ? { ...x, department: v } : x))), `override-${i}`)}
            <button type="button" className="link" onClick={() => set('overrides', draft.overrides.filter((_, j) => j !== i))}>
              {t('sops.remove')}
            </button>
            <FieldError error={error} path={`districtOverrides.${o.district}`} />
          </div>
        ))}
        <button type="button" onClick={() => set('overrides', [...draft.overrides, { district: '', department: draft.defaultDepartment }])}>
          {t('sops.addOverride')}
        </button>
      </fieldset>
      <h3>{t('sops.deadlines')}</h3>
      <div className="row wrap">
        <DeadlineInput label={t('sops.acknowledgeWithin')} value={draft.acknowledgeWithin} path="acknowledgeWithin" error={error} onChange={(v) => set('acknowledgeWithin', v)} />
        <DeadlineInput label={t('sops.resolveWithin')} value={draft.resolveWithin} path="resolveWithin" error={error} onChange={(v) => set('resolveWithin', v)} />
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.urgent !== undefined}
          onChange={(e) =>
            set('urgent', e.target.checked ? { acknowledgeWithin: { amount: '1', unit: 'calendarHours' }, resolveWithin: { amount: '24', unit: 'calendarHours' } } : undefined)
          }
        />
        {t('sops.urgent')}
      </label>
      {draft.urgent && (
        <div className="row wrap">
          <DeadlineInput
            label={`${t('sops.urgent')}: ${t('sops.acknowledgeWithin')}`}
            value={draft.urgent.acknowledgeWithin}
            path="urgent.acknowledgeWithin"
            error={error}
            onChange={(v) => set('urgent', { ...draft.urgent!, acknowledgeWithin: v })}
          />
          <DeadlineInput
            label={`${t('sops.urgent')}: ${t('sops.resolveWithin')}`}
            value={draft.urgent.resolveWithin}
            path="urgent.resolveWithin"
            error={error}
            onChange={(v) => set('urgent', { ...draft.urgent!, resolveWithin: v })}
          />
        </div>
      )}
      <h3>{t('sops.followUp')}</h3>
      <div className="row wrap">
        <DeadlineInput label={t('sops.followUpAfter')} value={draft.followUpAfter} path="followUpAfter" error={error} onChange={(v) => set('followUpAfter', v)} />
        <DeadlineInput label={t('sops.surveyWindow')} value={draft.surveyWindow} path="surveyWindow" error={error} onChange={(v) => set('surveyWindow', v)} />
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.notifyCitizen} onChange={(e) => set('notifyCitizen', e.target.checked)} name="notifyCitizen" />
        {t('sops.notifyCitizen')}
      </label>
      <Field label={t('sops.keywords')} error={error} path="keywords">
        <textarea rows={2} value={draft.keywords} onChange={(e) => set('keywords', e.target.value)} name="keywords" />
      </Field>
      <h3>{t('sops.guidance')}</h3>
      <Field label={t('sops.guidanceZh')} error={error} path="guidance.zh">
        <textarea rows={4} value={draft.guidanceZh} onChange={(e) => set('guidanceZh', e.target.value)} name="guidance.zh" maxLength={2000} />
      </Field>
      <Field label={t('sops.guidanceEn')} error={error} path="guidance.en">
        <textarea rows={3} value={draft.guidanceEn} onChange={(e) => set('guidanceEn', e.target.value)} name="guidance.en" maxLength={2000} />
      </Field>
      <QuestionsEditor questions={draft.questions} error={error} onChange={(q) => set('questions', q)} />
      <section className="sop-diff" aria-labelledby="sop-diff-title" data-testid="sop-diff">
        <h3 id="sop-diff-title">{t('sops.diffTitle', { version: sop.version })}</h3>
        {changes.length ? <SopDiffTable changes={changes} /> : <p className="muted">{t('sops.diffNone')}</p>}
      </section>
      <Field label={t('sops.reason')} error={error} path="reason" required>
        <input value={draft.reason} onChange={(e) => set('reason', e.target.value)} name="reason" maxLength={500} required />
      </Field>
      <div className="actions-bar">
        <button type="submit" className="primary" disabled={busy} data-testid="save-sop">
          {busy ? t('sops.saving') : t('sops.save')}
        </button>
      </div>
    </form>
  );
}

/** A field-by-field change list: the field, what it was, what it becomes. */
function SopDiffTable({ changes }: { changes: SopFieldChange[] }) {
  const { t } = useI18n();
  const shown = (v: SopDiffValue | undefined) => (v === undefined ? '—' : String(v));
  return (
    <table className="sop-diff-table">
      <thead>
        <tr>
          <th>{t('sops.diffField')}</th>
          <th>{t('sops.diffBefore')}</th>
          <th>{t('sops.diffAfter')}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.path}>
            <td>
              <code>{c.path}</code>
            </td>
            <td className="pre">{shown(c.before)}</td>
            <td className="pre">{shown(c.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The intake questions: edit the labels, add, move, retire. A saved question keeps its code and type (cases
 * answered it); a question added in this edit may still be removed.
 */
function QuestionsEditor({ questions, error, onChange }: { questions: QuestionDraft[]; error: unknown; onChange: (q: QuestionDraft[]) => void }) {
  const { t } = useI18n();
  const update = (i: number, change: Partial<QuestionDraft>) => onChange(questions.map((q, j) => (j === i ? { ...q, ...change } : q)));
  return (
    <fieldset className="sop-questions">
      <legend>{t('sops.questions')}</legend>
      <p className="muted">{t('sops.questionsHint')}</p>
      {error instanceof ApiError &&
        error.fields
          .filter((f) => f.path === 'attributes')
          .map((f) => (
            <p key={f.message} className="field-error" role="alert" data-field="attributes">
              {f.message}
            </p>
          ))}
      <ol className="plain">
        {questions.map((q, i) => {
          const path = `attributes.${i}`;
          return (
            <li key={q.saved ? q.code : `new-${i}`} className={q.retired ? 'panel muted' : 'panel'} data-testid={`question-${i}`}>
              <div className="row wrap">
                <Field label={t('sops.questionCode')} error={error} path={`${path}.code`}>
                  <input value={q.code} readOnly={q.saved} onChange={(e) => update(i, { code: e.target.value })} name={`${path}.code`} />
                </Field>
                <Field label={t('sops.questionType')} error={error} path={`${path}.datatype`}>
                  <select value={q.datatype} disabled={q.saved} onChange={(e) => update(i, { datatype: e.target.value as QuestionDraft['datatype'] })} name={`${path}.datatype`}>
                    {QUESTION_TYPES.map((d) => (
                      <option key={d} value={d}>
                        {d}
                      </option>
                    ))}
                  </select>
                </Field>
                <label className="check">
                  <input type="checkbox" checked={q.required} onChange={(e) => update(i, { required: e.target.checked })} name={`${path}.required`} />
                  {t('sops.questionRequired')}
                </label>
                {q.retired && <span className="badge">{t('sops.questionRetired')}</span>}
              </div>
              <div className="row wrap">
                <Field label={t('sops.questionLabelZh')} error={error} path={`${path}.description.zh`}>
                  <input value={q.labelZh} onChange={(e) => update(i, { labelZh: e.target.value })} name={`${path}.description.zh`} />
                </Field>
                <Field label={t('sops.questionLabelEn')} error={error} path={`${path}.description.en`}>
                  <input value={q.labelEn} onChange={(e) => update(i, { labelEn: e.target.value })} name={`${path}.description.en`} />
                </Field>
              </div>
              {isListType(q.datatype) && (
                <Field label={t('sops.questionValues')} error={error} path={`${path}.values`}>
                  <textarea rows={3} value={q.values} onChange={(e) => update(i, { values: e.target.value })} name={`${path}.values`} />
                </Field>
              )}
              <div className="row">
                <button type="button" className="link" disabled={i === 0} onClick={() => onChange(moveQuestion(questions, i, -1))}>
                  {t('sops.moveUp')}
                </button>
                <button type="button" className="link" disabled={i === questions.length - 1} onClick={() => onChange(moveQuestion(questions, i, 1))}>
                  {t('sops.moveDown')}
                </button>
                {q.saved ? (
                  <button type="button" className="link" onClick={() => update(i, { retired: !q.retired })}>
                    {q.retired ? t('sops.restore') : t('sops.retire')}
                  </button>
                ) : (
                  <button type="button" className="link" onClick={() => onChange(questions.filter((_, j) => j !== i))}>
                    {t('sops.remove')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => onChange([...questions, newQuestion()])}>
        {t('sops.addQuestion')}
      </button>
    </fieldset>
  );
}
