/** A note on the case: who may add one is the route's policy (canAddNote). */
import { useState } from 'react';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { ErrorBanner, FieldError } from '../../components/ui';

export function NoteForm({ caseNo, onAdded }: { caseNo: string; onAdded: () => void }) {
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
