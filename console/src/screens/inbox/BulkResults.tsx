/** A bulk action's answer as the inbox lists it: the totals, then every case with its own outcome. */
import { isMessageKey } from '../../i18n';
import { useI18n } from '../../i18n/react';
import { useLabels } from '../../components/ui';

interface BulkAnswer {
  results: ReadonlyArray<{ caseNo: string; outcome: string; status?: string; error?: string }>;
  counts: Partial<Record<string, number>>;
}

/** `messages`: the key prefix of the action's texts (`<prefix>.summary`, `<prefix>.outcome.<outcome>`). */
export function BulkResults({ result, done, messages, testId }: { result: BulkAnswer; done: string; messages: 'bulk' | 'assign' | 'reassign'; testId: string }) {
  const { t } = useI18n();
  const labels = useLabels();
  const ok = result.counts[done] ?? 0;
  return (
    <div className="banner ok" role="status" data-testid={testId}>
      <p>{t(`${messages}.summary`, { ok, other: result.results.length - ok })}</p>
      <ul>
        {result.results.map((r) => {
          const key = `${messages}.outcome.${r.outcome}`;
          return (
            <li key={r.caseNo} data-case-no={r.caseNo} data-outcome={r.outcome}>
              {r.caseNo}：{isMessageKey(key) ? t(key, { status: r.status ? labels.status(r.status) : '', error: r.error ?? '' }) : r.outcome}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
