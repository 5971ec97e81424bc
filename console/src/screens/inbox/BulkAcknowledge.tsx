/**
 * Acknowledging several cases of the inbox at once: the picked rows go in one request, and every case's outcome is
 * listed (acknowledged, not found, not in a state to acknowledge, failed: try again), never only a total.
 */
import { useState } from 'react';
import type { BulkAcknowledgeResult } from '../../api/types';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { ErrorBanner } from '../../components/ui';
import { BulkResults } from './BulkResults';

export function BulkAcknowledge({ selected, onDone }: { selected: ReadonlySet<string>; onDone: () => void }) {
  const { api } = useApp();
  const { t } = useI18n();
  const [state, setState] = useState<{ busy?: boolean; result?: BulkAcknowledgeResult; error?: unknown }>({});
  const run = async () => {
    setState({ busy: true });
    try {
      setState({ result: await api.acknowledgeCases([...selected]) });
      onDone();
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <div className="bulk">
      <button type="button" className="primary" disabled={!selected.size || state.busy} onClick={() => void run()} data-testid="bulk-acknowledge">
        {t('bulk.acknowledge', { n: selected.size })}
      </button>
      <ErrorBanner error={state.error} />
      {state.result && <BulkResults result={state.result} done="acknowledged" messages="bulk" testId="bulk-results" />}
    </div>
  );
}
