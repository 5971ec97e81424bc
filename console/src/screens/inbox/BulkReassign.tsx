/**
 * Reassigning several cases (a supervisor, from the dispatch queue or a department's inbox) to one department with
 * one reason: the picked rows go in one request, and every case's outcome is listed (reassigned, not found, not in
 * a state to reassign, failed: try again), never only a total. A missing reason is said before anything is sent.
 */
import { useState } from 'react';
import type { BulkReassignResult } from '../../api/types';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { ErrorBanner } from '../../components/ui';
import { BulkResults } from './BulkResults';

export function BulkReassign({ from, selected, onDone }: { from?: string; selected: ReadonlySet<string>; onDone: () => void }) {
  const { api, reference } = useApp();
  const { t, pick } = useI18n();
  const [department, setDepartment] = useState('');
  const [reason, setReason] = useState('');
  const [state, setState] = useState<{ busy?: boolean; result?: BulkReassignResult; error?: unknown; missingReason?: boolean }>({});
  const run = async () => {
    if (!reason.trim()) return setState({ missingReason: true });
    setState({ busy: true });
    try {
      setState({ result: await api.reassignCases([...selected], department, reason.trim()) });
      onDone();
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <div className="bulk bulk-reassign">
      <label>
        {t('reassign.department')}{' '}
        <select name="reassignDepartment" value={department} onChange={(e) => setDepartment(e.target.value)}>
          <option value="">{t('action.chooseDepartment')}</option>
          {reference.departments
            .filter((d) => d.receivesCases !== false && d.code !== from)
            .map((d) => (
              <option key={d.code} value={d.code}>
                {pick(d.name)}
              </option>
            ))}
        </select>
      </label>{' '}
      <label>
        {t('reassign.reason')} <input name="reassignReason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </label>{' '}
      <button type="button" disabled={!selected.size || !department || state.busy} onClick={() => void run()} data-testid="bulk-reassign">
        {t('reassign.bulk', { n: selected.size })}
      </button>
      {state.missingReason && (
        <span className="field-error" role="alert">
          {t('reassign.reasonRequired')}
        </span>
      )}
      <ErrorBanner error={state.error} />
      {state.result && <BulkResults result={state.result} done="reassigned" messages="reassign" testId="bulk-reassign-results" />}
    </div>
  );
}
