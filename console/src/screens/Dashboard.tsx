/**
 * The supervisor dashboard: open cases by status and by department, overdue and escalated cases, the share of
 * deadlines met per department this week and month, where the calls come from, the window's trend lines and a
 * district map of open cases and open early warnings. Bars, lines and the map are plain SVG.
 */
import { useState } from 'react';
import { OPEN_STATUSES } from '../../../functions/domain/case';
import { DASHBOARD_WINDOWS, type Dashboard, type DashboardWindow, type Warning } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { formatDateTime } from '../logic/time';
import { useAsync, useInterval, useNow } from '../components/hooks';
import { Bars, CaseTable, ErrorBanner, Loading, useLabels } from '../components/ui';
import { KnowledgeFigures } from './dashboard/KnowledgeFigures';
import { DistrictMap, TrendChart } from './dashboard/TrendsAndMap';

export function DashboardScreen() {
  const { api } = useApp();
  const { t } = useI18n();
  const [period, setPeriod] = useState<DashboardWindow>('7d');
  const data = useAsync(() => api.dashboard(period), [api, period]);
  // The map marks open warnings; the dashboard still shows everything else when they cannot be read.
  const warnings = useAsync(() => api.warnings().catch(() => []), [api]);
  useInterval(() => {
    data.reload();
    warnings.reload();
  }, 15_000);
  return (
    <section className="dashboard">
      <header className="screen-head">
        <h1>{t('dashboard.title')}</h1>
        {data.data && <span className="muted">{t('dashboard.generatedAt', { at: formatDateTime(data.data.generatedAt) })}</span>}
        <span role="group" aria-label={t('dashboard.window')} className="window-picker">
          {DASHBOARD_WINDOWS.map((w) => (
            <button key={w} type="button" aria-pressed={w === period} className={w === period ? 'active' : undefined} data-window={w} onClick={() => setPeriod(w)}>
              {t(`dashboard.window.${w}`)}
            </button>
          ))}
        </span>
        <button type="button" onClick={data.reload}>
          {t('dashboard.refresh')}
        </button>
      </header>
      <ErrorBanner error={data.error} onRetry={data.reload} />
      {data.loading && !data.data ? <Loading /> : data.data && <DashboardBody d={data.data} warnings={warnings.data ?? []} />}
      <KnowledgeFigures />
    </section>
  );
}

function DashboardBody({ d, warnings }: { d: Dashboard; warnings: readonly Warning[] }) {
  const { t, pick } = useI18n();
  const labels = useLabels();
  const now = useNow(1000);
  const byStatus = OPEN_STATUSES.map((s) => ({ key: s, label: labels.status(s), value: d.openByStatus[s] ?? 0, tone: `tone-${s.toLowerCase()}` }));
  const totalOpen = byStatus.reduce((a, b) => a + b.value, 0);
  const byDept = d.openByDepartment
    .map((x) => ({
      key: x.department,
      label: typeof x.name === 'object' ? pick(x.name) : labels.department(x.department),
      value: Object.values(x.counts).reduce((a, b) => a + b, 0),
    }))
    .filter((x) => x.value > 0)
    .sort((a, b) => b.value - a.value)
    .slice(0, 12);
  const pct = (n: number) => `${Math.round(n)}%`;
  const sla = (period: 'week' | 'month') =>
    d.slaCompliance
      .filter((x) => slaPercent(x[period]) !== undefined)
      .map((x) => ({
        key: x.department,
        label: labels.department(x.department),
        value: slaPercent(x[period]) ?? 0,
        tone: 'tone-sla',
      }));
  return (
    <div className="dash-grid">
      <section className="panel" data-testid="open-by-status">
        <h2>
          {t('dashboard.openByStatus')} <span className="muted">{t('dashboard.total', { n: totalOpen })}</span>
        </h2>
        <Bars data={byStatus} title={t('dashboard.openByStatus')} />
      </section>
      <section className="panel">
        <h2>{t('dashboard.openByDepartment')}</h2>
        {byDept.length ? <Bars data={byDept} title={t('dashboard.openByDepartment')} /> : <p className="muted">{t('dashboard.noData')}</p>}
      </section>
      <section className="panel wide" data-testid="dashboard-overdue">
        <h2>
          {t('dashboard.overdue')} <span className="badge overdue-badge">{d.overdue.length}</span>
        </h2>
        <Capped items={d.overdue} now={now} />
      </section>
      <section className="panel wide" data-testid="dashboard-escalated">
        <h2>
          {t('dashboard.escalated')} <span className="badge escalation">{d.escalated.length}</span>
        </h2>
        <Capped items={d.escalated} now={now} />
      </section>
      {d.byDepartment && d.window && <DepartmentFigures d={d} />}
      {(['week', 'month'] as const).map((p) => {
        const bars = sla(p);
        return (
          <section className="panel" key={p}>
            <h2>
              {t('dashboard.sla')}: {t(p === 'week' ? 'dashboard.week' : 'dashboard.month')}
            </h2>
            {bars.length ? <Bars data={bars} title={t('dashboard.sla')} unit={pct} /> : <p className="muted">{t('dashboard.noData')}</p>}
          </section>
        );
      })}
      <section className="panel">
        <h2>{t('dashboard.topCategories')}</h2>
        {d.topCategories.length ? (
          <Bars data={d.topCategories.map((x) => ({ key: x.category, label: labels.category(x.category), value: x.count, tone: 'tone-category' }))} title={t('dashboard.topCategories')} />
        ) : (
          <p className="muted">{t('dashboard.noData')}</p>
        )}
      </section>
      <section className="panel">
        <h2>{t('dashboard.topDistricts')}</h2>
        {d.topDistricts.length ? (
          <Bars data={d.topDistricts.map((x) => ({ key: x.district, label: labels.district(x.district), value: x.count, tone: 'tone-district' }))} title={t('dashboard.topDistricts')} />
        ) : (
          <p className="muted">{t('dashboard.noData')}</p>
        )}
      </section>
      {d.trends && <TrendChart trends={d.trends} kind="categories" />}
      {d.trends && <TrendChart trends={d.trends} kind="districts" />}
      {d.openByDistrict && <DistrictMap openByDistrict={d.openByDistrict} warnings={warnings} />}
    </div>
  );
}

/** Each department's figures over the chosen window: created, deadlines met, overdue now, reopened, satisfied. */
function DepartmentFigures({ d }: { d: Dashboard }) {
  const { t } = useI18n();
  const labels = useLabels();
  const rate = (r: number | null) => (r === null ? '–' : `${Math.round(r * 100)}%`);
  const rows = (d.byDepartment ?? []).filter((x) => x.created + x.onTime + x.late + x.overdueOpen + x.reopened + x.satisfied + x.unsatisfied > 0);
  return (
    <section className="panel wide" data-testid="dashboard-departments">
      <h2>
        {t('dashboard.byDepartment')} <span className="muted">{d.window!.from === d.window!.to ? d.window!.from : `${d.window!.from} – ${d.window!.to}`}</span>
      </h2>
      {rows.length ? (
        <table className="figures">
          <thead>
            <tr>
              <th scope="col">{t('list.department')}</th>
              <th scope="col">{t('dashboard.col.created')}</th>
              <th scope="col">{t('dashboard.col.compliance')}</th>
              <th scope="col">{t('dashboard.col.overdueOpen')}</th>
              <th scope="col">{t('dashboard.col.reopenRate')}</th>
              <th scope="col">{t('dashboard.col.satisfaction')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr key={x.department} data-department={x.department}>
                <th scope="row">{labels.department(x.department)}</th>
                <td>{x.created}</td>
                <td>
                  {rate(x.compliance)} <span className="muted">({x.onTime}/{x.onTime + x.late})</span>
                </td>
                <td>{x.overdueOpen}</td>
                <td>
                  {rate(x.reopenRate)} <span className="muted">({x.reopened})</span>
                </td>
                <td>
                  {rate(x.satisfactionRate)} <span className="muted">({x.satisfied}/{x.satisfied + x.unsatisfied})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('dashboard.noData')}</p>
      )}
    </section>
  );
}

/** A long list shows its first rows, most pressing first as the API sorts them, and the rest on request. */
function Capped({ items, now }: { items: Dashboard['overdue']; now: number }) {
  const { t } = useI18n();
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, CAPPED_ROWS);
  return (
    <>
      <CaseTable items={shown} now={now} emptyText={t('dashboard.none')} />
      {items.length > CAPPED_ROWS && (
        <button type="button" className="more" onClick={() => setAll(!all)}>
          {all ? t('dashboard.showFewer') : t('dashboard.showAll', { n: items.length })}
        </button>
      )}
    </>
  );
}

const CAPPED_ROWS = 8;

/** Share of deadlines met, in whole percent, from the counts (the rate's scale is not needed); none without data. */
export function slaPercent(f: { onTime: number; late: number }): number | undefined {
  const total = f.onTime + f.late;
  return total > 0 ? Math.round((f.onTime / total) * 100) : undefined;
}
