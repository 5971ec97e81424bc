/** Small building blocks shared by the screens. */
import type { KeyboardEvent, ReactNode } from 'react';
import { ApiError } from '../api/client';
import type { CaseSummary } from '../api/types';
import { useApp } from '../context';
import { isMessageKey, type MessageKey } from '../i18n';
import { useI18n } from '../i18n/react';
import { countdown, currentDue, isOverdue } from '../logic/countdown';
import { errorMessage, localizeFieldMessage, unplacedFieldErrors } from '../logic/errors';
import { caseHref } from '../logic/navigation';
import { formatDateTime } from '../logic/time';

/** Names of codes (category, department, district) in the current language. */
export function useLabels() {
  const { reference } = useApp();
  const { pick, t } = useI18n();
  return {
    category: (code: string | undefined) => {
      if (!code) return '';
      const sop = reference.sops.find((s) => s.category === code);
      return sop ? pick(sop.name) : code;
    },
    department: (code: string | undefined) => {
      if (!code) return '';
      const d = reference.departments.find((x) => x.code === code);
      return d ? pick(d.name) : code;
    },
    district: (code: string | undefined) => {
      if (!code) return '';
      const d = reference.districts.find((x) => x.code === code);
      return d ? pick(d.name) : code;
    },
    status: (s: string) => label(t, `status.${s}`, s),
    event: (type: string) => label(t, `event.${type}`, type),
    channel: (c: string) => label(t, `channel.${c}`, c),
  };
}

function label(t: (k: MessageKey) => string, key: string, fallback: string): string {
  return isMessageKey(key) ? t(key) : fallback;
}

export function StatusBadge({ status }: { status: string }) {
  const labels = useLabels();
  return <span className={`badge status-${status.toLowerCase()}`}>{labels.status(status)}</span>;
}

export function EscalationBadge({ level }: { level: number }) {
  const { t } = useI18n();
  if (!level) return null;
  return (
    <span className={`badge escalation escalation-${level}`} title={label(t, `escalation.${level}`, String(level))}>
      {t('escalation.badge', { level })}
    </span>
  );
}

export function Due({ due, now, doneAt }: { due: string | undefined; now: number; doneAt?: string }) {
  const { t } = useI18n();
  const c = countdown(due, now, t, doneAt);
  return (
    <span className={`due due-${c.state}`} title={due ? formatDateTime(due) : undefined}>
      {c.text}
    </span>
  );
}

export function ErrorBanner({ error, shownPaths = [], onRetry }: { error: unknown; shownPaths?: readonly string[]; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const extra = unplacedFieldErrors(error, shownPaths);
  return (
    <div className="banner error" role="alert">
      <p>{errorMessage(error, t)}</p>
      {extra.length > 0 && (
        <ul>
          {extra.map((f) => (
            <li key={f.path}>{t('error.field', { path: f.path, message: localizeFieldMessage(f.message, t) })}</li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** The API's message for one field, shown under it. */
export function FieldError({ error, path }: { error: unknown; path: string }) {
  const { t } = useI18n();
  if (!(error instanceof ApiError)) return null;
  const message = error.fieldMessage(path);
  if (!message) return null;
  return (
    <span className="field-error" role="alert" data-field={path} title={message}>
      {localizeFieldMessage(message, t)}
    </span>
  );
}

export function Field({ label: text, children, error, path, hint, required }: { label: string; children: ReactNode; error?: unknown; path?: string; hint?: string; required?: boolean }) {
  const invalid = path !== undefined && error instanceof ApiError && error.fieldMessage(path) !== undefined;
  return (
    <label className={`field${invalid ? ' invalid' : ''}`}>
      <span className="field-label">
        {text}
        {required && <span className="required" aria-hidden="true"> *</span>}
      </span>
      {children}
      {hint && <span className="hint">{hint}</span>}
      {path !== undefined && <FieldError error={error} path={path} />}
    </label>
  );
}

/** One `<option>` per item (departments, SOP categories...): its code as the value, its name in the console's language. */
export function NamedOptions<T extends { name: { zh: string; en: string } }>({ items, value }: { items: readonly T[]; value: (item: T) => string }) {
  const { pick } = useI18n();
  return (
    <>
      {items.map((item) => (
        <option key={value(item)} value={value(item)}>
          {pick(item.name)}
        </option>
      ))}
    </>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

export interface CaseTableOptions {
  showDepartment?: boolean;
  emptyText?: string;
  /** Rows picked for a bulk action: a checkbox on each row when given. */
  selection?: { selected: ReadonlySet<string>; toggle: (caseNo: string) => void };
}

/**
 * A list of cases: overdue rows stand out, the deadline counts down, the case number opens the case. Below 640 px
 * the same table shows as cards (styles.css): case number, category, place and due time.
 */
export function CaseTable({ items, now, showDepartment = true, emptyText, selection }: { items: readonly CaseSummary[]; now: number } & CaseTableOptions) {
  const { t } = useI18n();
  const labels = useLabels();
  if (!items.length) return <p className="empty">{emptyText ?? t('list.empty')}</p>;
  return (
    <table className="cases">
      <thead>
        <tr>
          {selection && <th scope="col" className="col-select" aria-label={t('bulk.selectColumn')} />}
          <th scope="col">{t('list.caseNo')}</th>
          <th scope="col">{t('list.status')}</th>
          <th scope="col">{t('list.category')}</th>
          <th scope="col">{t('list.district')}</th>
          <th scope="col">{t('list.address')}</th>
          {showDepartment && <th scope="col">{t('list.department')}</th>}
          <th scope="col">{t('list.due')}</th>
          <th scope="col">{t('list.created')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => {
          const overdue = isOverdue(c, now);
          return (
            <tr key={c.caseNo} className={overdue ? 'overdue' : undefined} data-case-no={c.caseNo}>
              {selection && (
                <td className="col-select">
                  <input type="checkbox" checked={selection.selected.has(c.caseNo)} onChange={() => selection.toggle(c.caseNo)} aria-label={t('bulk.select', { caseNo: c.caseNo })} data-testid="select-case" />
                </td>
              )}
              <td className="col-case">
                <a href={caseHref(c.caseNo)} className="case-no">
                  {c.caseNo}
                </a>
                {overdue && <span className="badge overdue-badge">{t('list.overdue')}</span>}
                {c.priority === 'urgent' && <span className="badge urgent">{t('list.urgent')}</span>}
              </td>
              <td className="col-status">
                <StatusBadge status={c.status} /> <EscalationBadge level={c.escalationLevel} />
              </td>
              <td className="col-category">{labels.category(c.category)}</td>
              <td className="col-district">{labels.district(c.district)}</td>
              <td className="address">{c.address}</td>
              {showDepartment && <td className="col-department">{labels.department(c.department)}</td>}
              <td className="col-due">
                <Due due={currentDue(c)} now={now} />
              </td>
              <td className="nowrap col-created">{formatDateTime(c.createdAt)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Horizontal bars in plain SVG: a chart library would weigh more than the whole console. */
export function Bars({ data, title, unit }: { data: ReadonlyArray<{ key: string; label: string; value: number; tone?: string }>; title: string; unit?: (n: number) => string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const rowH = 26;
  const labelW = 150;
  const width = 460;
  const barW = width - labelW - 60;
  return (
    <svg className="bars" role="img" aria-label={title} viewBox={`0 0 ${width} ${Math.max(rowH, data.length * rowH)}`} width="100%">
      {data.map((d, i) => {
        const w = Math.max(d.value > 0 ? 2 : 0, (d.value / max) * barW);
        const y = i * rowH;
        return (
          <g key={d.key} transform={`translate(0 ${y})`}>
            <title>{`${d.label}: ${unit ? unit(d.value) : d.value}`}</title>
            <text x={labelW - 8} y={rowH / 2} dominantBaseline="middle" textAnchor="end" className="bar-label">
              {d.label.length > 12 ? `${d.label.slice(0, 11)}…` : d.label}
            </text>
            <rect x={labelW} y={4} width={w} height={rowH - 8} rx={3} className={`bar ${d.tone ?? ''}`} />
            <text x={labelW + w + 6} y={rowH / 2} dominantBaseline="middle" className="bar-value">
              {unit ? unit(d.value) : d.value}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** "Load more" for cursor pagination. */
export function MoreButton({ cursor, loading, onMore }: { cursor?: string; loading?: boolean; onMore: () => Promise<void> }) {
  const { t } = useI18n();
  if (!cursor) return null;
  return (
    <button type="button" className="more" onClick={() => void onMore()} disabled={loading}>
      {loading ? t('common.loading') : t('find.more')}
    </button>
  );
}

/**
 * A form's key handler: Ctrl/⌘+Enter submits from any field (agents keep their hands on the keyboard while the
 * caller talks), Escape cancels where the form can be closed.
 */
export function submitKeys(submit: () => void, cancel?: () => void): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    } else if (e.key === 'Escape' && cancel) cancel();
  };
}
