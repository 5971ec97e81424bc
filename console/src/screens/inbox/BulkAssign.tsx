/**
 * Assigning several cases of the inbox to one of the department's staff (the department's lead, a supervisor):
 * the picked rows go in one request, and every case's outcome is listed (assigned, not found, not in a state to
 * assign, failed: try again), never only a total. The staff list is the department's, from the staff directory.
 */
import { useState } from 'react';
import type { BulkAssignResult } from '../../api/types';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { StaffPicker } from '../../components/StaffPicker';
import { ErrorBanner } from '../../components/ui';
import { BulkResults } from './BulkResults';

export function BulkAssign({ department, selected, onDone }: { department?: string; selected: ReadonlySet<string>; onDone: () => void }) {
  const { api } = useApp();
  const { t } = useI18n();
  const [assignee, setAssignee] = useState('');
  const [reason, setReason] = useState('');
  const [state, setState] = useState<{ busy?: boolean; result?: BulkAssignResult; error?: unknown }>({});
  const run = async () => {
    setState({ busy: true });
    try {
      setState({ result: await api.assignCases([...selected], assignee, reason.trim() || undefined) });
      onDone();
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <div className="bulk bulk-assign">
      <label>
        {t('assign.assignee')}{' '}
        <StaffPicker department={department} value={assignee} onChange={setAssignee} />
      </label>{' '}
      <label>
        {t('assign.reason')} <input name="assignReason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </label>{' '}
      <button type="button" disabled={!selected.size || !assignee || state.busy} onClick={() => void run()} data-testid="bulk-assign">
        {t('assign.bulk', { n: selected.size })}
      </button>
      <ErrorBanner error={state.error} />
      {state.result && <BulkResults result={state.result} done="assigned" messages="assign" testId="bulk-assign-results" />}
    </div>
  );
}
