/** The actions this user may take in this state, each a form carrying the version read (If-Match). */
import { useState } from 'react';
import { ApiError } from '../../api/client';
import type { CaseView } from '../../api/types';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { ACTION_FIELDS, actionBody, missingFields, type ActionField, type CaseAction } from '../../logic/actions';
import { ErrorBanner, Field, submitKeys } from '../../components/ui';
import { StaffPicker } from '../../components/StaffPicker';

export function Actions({ c, actions, onDone, onStale }: { c: CaseView; actions: CaseAction[]; onDone: (a: CaseAction) => void; onStale: () => void }) {
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
  assignee: 'action.field.assignee',
  answer: 'action.field.answer',
  rating: 'action.field.rating',
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
      case 'assignee':
        return <StaffPicker department={c.department} value={v} onChange={set} autoFocus />;
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
      case 'rating':
        return (
          <div className="radio-row" role="radiogroup">
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} className="check">
                <input type="radio" name="rating" value={n} checked={v === String(n)} onChange={() => set(String(n))} />
                {'★'.repeat(n)}
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

