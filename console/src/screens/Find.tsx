/**
 * Find: a case by its number, cases by the caller's phone (agents and supervisors; audited), and lists by status,
 * district, category, department or logging date. The filter lives in the address, so a list can be shared and
 * the back button works. Overdue cases stand out; more pages come with the cursor.
 */
import { useEffect, useState } from 'react';
import { CASE_NO_PATTERN } from '../../../functions/domain/case-number';
import { CASE_STATUSES } from '../../../functions/domain/case';
import type { CaseSummary } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { canSearchByPhone, caseHref, href } from '../logic/navigation';
import { useNow } from '../components/hooks';
import { CaseTable, ErrorBanner, Field, Loading, MoreButton, useLabels } from '../components/ui';
import { ExportCsv } from '../components/ExportCsv';
import { caseColumns, collectPages, EXPORT_PAGE_SIZE } from '../logic/export';

const FILTERS = ['status', 'district', 'category', 'department', 'createdFrom', 'createdTo'] as const;
type FilterKey = (typeof FILTERS)[number];
const SHOWN_PATHS = [...FILTERS, 'phone', 'reason'];

type Query = { kind: 'filter'; params: URLSearchParams } | { kind: 'phone'; phone: string; reason: string };

export function Find({ params }: { params: URLSearchParams }) {
  const { api, session, reference } = useApp();
  const { t, pick } = useI18n();
  const labels = useLabels();
  const now = useNow(1000);
  const role = session.user.role;
  const [caseNo, setCaseNo] = useState('');
  const [caseNoError, setCaseNoError] = useState<string | undefined>();
  // The phone number and reason stay in this screen's memory: never in the address, never in history.
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');
  const [phoneQuery, setPhoneQuery] = useState<Extract<Query, { kind: 'phone' }> | undefined>();
  const [filter, setFilter] = useState<Record<FilterKey, string>>(() => Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Record<FilterKey, string>);
  const [result, setResult] = useState<{ items: CaseSummary[]; cursor?: string; error?: unknown; loading: boolean } | undefined>();

  const key = params.toString();
  const active = FILTERS.some((k) => params.get(k));
  const query: Query | undefined = phoneQuery ?? (active ? { kind: 'filter', params } : undefined);

  const load = async (q: Query | undefined = query, cursor?: string) => {
    if (!q) return;
    setResult((r) => ({ items: cursor ? (r?.items ?? []) : [], cursor: r?.cursor, loading: true }));
    try {
      const page =
        q.kind === 'phone'
          ? await api.searchByPhone(q.phone, q.reason, cursor)
          : await api.listCases({ ...Object.fromEntries(FILTERS.map((k) => [k, q.params.get(k) ?? undefined])), ...(cursor ? { cursor } : {}) });
      setResult((r) => ({ items: [...(cursor ? (r?.items ?? []) : []), ...page.items], cursor: page.cursor, loading: false }));
    } catch (error) {
      setResult((r) => ({ items: r?.items ?? [], error, loading: false }));
    }
  };

  useEffect(() => {
    setPhoneQuery(undefined);
    if (active) void load({ kind: 'filter', params });
    else setResult(undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` is the whole query; `params` is a new object each render
  }, [key]);

  const go = (next: Record<string, string>) => {
    window.location.hash = href('find', next);
  };

  return (
    <section className="find">
      <h1>{t('find.title')}</h1>
      <div className="find-top">
        <form
          className="panel inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const v = caseNo.trim();
            if (!CASE_NO_PATTERN.test(v)) return setCaseNoError(t('find.invalidCaseNo'));
            setCaseNoError(undefined);
            window.location.hash = caseHref(v);
          }}
        >
          <label className={`field${caseNoError ? ' invalid' : ''}`}>
            <span className="field-label">{t('find.byCaseNo')}</span>
            <input value={caseNo} onChange={(e) => setCaseNo(e.target.value)} placeholder={t('find.caseNoPlaceholder')} inputMode="numeric" name="caseNo" autoFocus />
            {caseNoError && (
              <span className="field-error" role="alert">
                {caseNoError}
              </span>
            )}
          </label>
          <button type="submit">{t('find.open')}</button>
        </form>
        {canSearchByPhone(role) && (
          <form
            className="panel inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!phone.trim()) return;
              const q = { kind: 'phone' as const, phone: phone.trim(), reason: reason.trim() };
              setPhoneQuery(q);
              void load(q);
            }}
          >
            <Field label={t('find.byPhone')} error={phoneQuery ? result?.error : undefined} path="phone" hint={t('find.phoneAudited')}>
              <input value={phone} onChange={(e) => setPhone(e.target.value)} placeholder={t('find.phonePlaceholder')} inputMode="tel" name="phone" autoComplete="off" />
            </Field>
            <Field label={t('find.reason')} error={phoneQuery ? result?.error : undefined} path="reason">
              <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('find.reasonPlaceholder')} name="reason" autoComplete="off" />
            </Field>
            <button type="submit">{t('find.searchPhone')}</button>
          </form>
        )}
      </div>

      <form
        className="panel filters"
        onSubmit={(e) => {
          e.preventDefault();
          go(filter);
        }}
      >
        <h2>{t('find.filters')}</h2>
        <div className="row wrap">
          <Field label={t('find.status')} error={result?.error} path="status">
            <select value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value })} name="status">
              <option value="">{t('find.any')}</option>
              {CASE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('find.district')} error={result?.error} path="district">
            <select value={filter.district} onChange={(e) => setFilter({ ...filter, district: e.target.value })} name="district">
              <option value="">{t('find.any')}</option>
              {reference.districts.map((d) => (
                <option key={d.code} value={d.code}>
                  {pick(d.name)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('find.category')} error={result?.error} path="category">
            <select value={filter.category} onChange={(e) => setFilter({ ...filter, category: e.target.value })} name="category">
              <option value="">{t('find.any')}</option>
              {reference.sops.map((s) => (
                <option key={s.category} value={s.category}>
                  {pick(s.name)}
                </option>
              ))}
            </select>
          </Field>
          {role !== 'staff' && (
            <Field label={t('find.department')} error={result?.error} path="department">
              <select value={filter.department} onChange={(e) => setFilter({ ...filter, department: e.target.value })} name="department">
                <option value="">{t('find.any')}</option>
                {reference.departments.map((d) => (
                  <option key={d.code} value={d.code}>
                    {pick(d.name)}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <Field label={t('find.createdFrom')} error={result?.error} path="createdFrom">
            <input type="date" value={filter.createdFrom} onChange={(e) => setFilter({ ...filter, createdFrom: e.target.value })} name="createdFrom" />
          </Field>
          <Field label={t('find.createdTo')} error={result?.error} path="createdTo">
            <input type="date" value={filter.createdTo} onChange={(e) => setFilter({ ...filter, createdTo: e.target.value })} name="createdTo" />
          </Field>
        </div>
        <button type="submit" className="primary">
          {t('find.search')}
        </button>
      </form>

      {result && (
        <section className="results" aria-live="polite">
          <h2>{t('find.results')}</h2>
          {/* A phone search is an audited, rate-limited look-up per page: it is not paged through for a file. */}
          {query?.kind === 'filter' && (
            <ExportCsv
              name="cases"
              columns={() => caseColumns(t, labels, Date.now())}
              collect={() => collectPages((cursor) => api.listCases({ ...Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? undefined])), limit: EXPORT_PAGE_SIZE, ...(cursor ? { cursor } : {}) }))}
            />
          )}
          <ErrorBanner error={result.error} shownPaths={SHOWN_PATHS} />
          {result.loading && result.items.length === 0 ? <Loading /> : !result.error && <CaseTable items={result.items} now={now} emptyText={t('find.noResults')} />}
          <MoreButton cursor={result.cursor} loading={result.loading} onMore={() => load(query, result.cursor)} />
        </section>
      )}
      {!query && <p className="muted">{t('find.needFilter')}</p>}
    </section>
  );
}
