/**
 * "Export CSV" under a list: pages through the list API the screen reads (up to EXPORT_ROW_CAP rows), builds the
 * file in the browser with the screen's columns and hands it to the browser as a download. Says how many rows it
 * wrote, and when the cap cut the list short.
 */
import { useState } from 'react';
import { useI18n } from '../i18n/react';
import { CSV_MIME, toCsv, type CsvColumn } from '../logic/csv';
import { exportFileName, type Collected } from '../logic/export';
import { ErrorBanner } from './ui';

export function ExportCsv<T>({ name, columns, collect }: { name: string; columns: () => ReadonlyArray<CsvColumn<T>>; collect: () => Promise<Collected<T>> }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ busy?: boolean; message?: string; error?: unknown }>({});
  const run = async () => {
    setState({ busy: true });
    try {
      const { items, capped } = await collect();
      downloadBlob(exportFileName(name, Date.now()), new Blob([toCsv(columns(), items)], { type: CSV_MIME }));
      setState({ message: capped ? t('export.capped', { n: items.length }) : t('export.done', { n: items.length }) });
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <div className="export">
      <button type="button" data-testid="export-csv" disabled={state.busy} onClick={() => void run()}>
        {state.busy ? t('export.working') : t('export.csv')}
      </button>{' '}
      {state.message && (
        <span className="muted" role="status" data-testid="export-message">
          {state.message}
        </span>
      )}
      <ErrorBanner error={state.error} />
    </div>
  );
}

/** Hands a file built in the browser to the browser as a download. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the file over; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
