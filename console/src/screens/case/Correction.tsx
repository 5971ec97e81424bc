/** Correcting a case's intake fields (category, location, description) with a reason. */
import { useState } from 'react';
import type { CaseView } from '../../api/types';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { correctionBody, correctionDraft, type CorrectionDraft } from '../../logic/correction';
import { ErrorBanner, Field, submitKeys } from '../../components/ui';

export function Correction({ c, onDone }: { c: CaseView; onDone: () => void }) {
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
