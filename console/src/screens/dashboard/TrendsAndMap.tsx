/**
 * The dashboard's trend lines (cases reported per category and per district, by hour today or by day) and its
 * district map (open cases shaded, open early warnings marked). Both are plain SVG drawn from the API's figures
 * and the city's district boundaries, so they need no tile server; every figure drawn is also in a table beside
 * it for keyboard and screen-reader users.
 */
import type { Dashboard, Warning } from '../../api/types';
import { useI18n } from '../../i18n/react';
import { useLabels } from '../../components/ui';
import { districtShapes } from '../../logic/district-shapes';

/** Lines a chart draws; the rest are in its table. Colour-blind-safe (Okabe–Ito). */
const LINE_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00'];

type Trends = NonNullable<Dashboard['trends']>;

export function TrendChart({ trends, kind }: { trends: Trends; kind: 'categories' | 'districts' }) {
  const { t } = useI18n();
  const labels = useLabels();
  const name = (code: string) => (kind === 'categories' ? labels.category(code) : labels.district(code));
  const title = t(kind === 'categories' ? 'dashboard.trendCategories' : 'dashboard.trendDistricts');
  const shown = trends[kind].slice(0, LINE_COLOURS.length);
  const steps = trends.labels.length;
  // A wide panel: a wide drawing keeps the lines low and the labels small when it is scaled to the panel.
  const [width, height, left, right, bottom, top] = [900, 200, 34, 24, 22, 10];
  const max = Math.max(1, ...shown.flatMap((s) => s.counts));
  const x = (i: number) => left + (steps <= 1 ? 0 : (i * (width - left - right)) / (steps - 1));
  const y = (n: number) => top + (1 - n / max) * (height - top - bottom);
  const tick = (label: string) => (trends.unit === 'hour' ? label : label.slice(5));
  const every = Math.max(1, Math.ceil(steps / 8));
  return (
    <section className="panel wide" data-testid={`trend-${kind}`}>
      <h2>{title}</h2>
      {shown.length === 0 ? (
        <p className="muted">{t('dashboard.noData')}</p>
      ) : (
        <>
          <svg className="trend" role="img" aria-label={title} viewBox={`0 0 ${width} ${height}`} width="100%">
            <line x1={left} x2={width - right} y1={y(0)} y2={y(0)} className="axis" />
            <text x={left - 4} y={y(max)} textAnchor="end" dominantBaseline="middle" className="tick">
              {max}
            </text>
            <text x={left - 4} y={y(0)} textAnchor="end" dominantBaseline="middle" className="tick">
              0
            </text>
            {trends.labels.map((label, i) =>
              i % every === 0 ? (
                <text key={label} x={x(i)} y={height - 6} textAnchor="middle" className="tick">
                  {tick(label)}
                </text>
              ) : null,
            )}
            {shown.map((s, n) => (
              <g key={s.code}>
                <title>{`${name(s.code)}: ${s.total}`}</title>
                <polyline fill="none" stroke={LINE_COLOURS[n]} strokeWidth={2} points={s.counts.map((c, i) => `${x(i)},${y(c)}`).join(' ')} />
              </g>
            ))}
          </svg>
          <ul className="legend">
            {shown.map((s, n) => (
              <li key={s.code}>
                <span className="swatch" style={{ background: LINE_COLOURS[n] }} aria-hidden="true" />
                {name(s.code)} <span className="muted">{s.total}</span>
              </li>
            ))}
          </ul>
          <details>
            <summary>{t('dashboard.trendTable')}</summary>
            <div className="table-scroll">
              <table className="figures">
                <thead>
                  <tr>
                    <th scope="col">{t(kind === 'categories' ? 'dashboard.col.category' : 'dashboard.col.district')}</th>
                    {trends.labels.map((l) => (
                      <th scope="col" key={l}>
                        {tick(l)}
                      </th>
                    ))}
                    <th scope="col">{t('dashboard.trendTotal')}</th>
                  </tr>
                </thead>
                <tbody>
                  {trends[kind].map((s) => (
                    <tr key={s.code} data-code={s.code}>
                      <th scope="row">{name(s.code)}</th>
                      {s.counts.map((c, i) => (
                        <td key={trends.labels[i]}>{c}</td>
                      ))}
                      <td>{s.total}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}

/** Shades from light to dark by open cases: five steps, the darkest for the district with the most. */
const SHADES = ['#eef3f9', '#c6d8ee', '#8db3dc', '#4a7fc1', '#23508f'];

export function DistrictMap({ openByDistrict, warnings }: { openByDistrict: Record<string, number>; warnings: readonly Warning[] }) {
  const { t } = useI18n();
  const labels = useLabels();
  const shapes = districtShapes(460, 360);
  const max = Math.max(1, ...Object.values(openByDistrict));
  const shade = (n: number) => SHADES[n === 0 ? 0 : Math.min(SHADES.length - 1, 1 + Math.floor(((n - 1) / max) * (SHADES.length - 1)))];
  const openWarnings = new Map<string, number>();
  for (const w of warnings) if (w.district && w.status !== 'closed') openWarnings.set(w.district, (openWarnings.get(w.district) ?? 0) + 1);
  return (
    <section className="panel wide" data-testid="district-map">
      <h2>{t('dashboard.districtMap')}</h2>
      <div className="district-map">
        <svg role="img" aria-label={t('dashboard.districtMap')} viewBox="0 0 460 360" width="100%">
          {shapes.map((s) => {
            const open = openByDistrict[s.code] ?? 0;
            const warned = openWarnings.get(s.code) ?? 0;
            return (
              <g key={s.code} data-district={s.code} data-open={open} data-warnings={warned}>
                <title>{`${labels.district(s.code)}: ${t('dashboard.mapOpen', { n: open })}${warned ? `, ${t('dashboard.mapWarnings', { n: warned })}` : ''}`}</title>
                <path d={s.path} fill={shade(open)} fillRule="evenodd" className={warned ? 'district warned' : 'district'} />
                {warned > 0 && (
                  <g transform={`translate(${s.centre[0]} ${s.centre[1]})`} className="warning-pin">
                    <circle r={9} />
                    <text textAnchor="middle" dominantBaseline="central">
                      {warned}
                    </text>
                  </g>
                )}
              </g>
            );
          })}
        </svg>
        <table className="figures">
          <thead>
            <tr>
              <th scope="col">{t('dashboard.col.district')}</th>
              <th scope="col">{t('dashboard.mapOpenHeading')}</th>
              <th scope="col">{t('dashboard.mapWarningsHeading')}</th>
            </tr>
          </thead>
          <tbody>
            {shapes
              .map((s) => ({ code: s.code, open: openByDistrict[s.code] ?? 0, warned: openWarnings.get(s.code) ?? 0 }))
              .sort((a, b) => b.open - a.open || b.warned - a.warned)
              .map((r) => (
                <tr key={r.code}>
                  <th scope="row">{labels.district(r.code)}</th>
                  <td>{r.open}</td>
                  <td>{r.warned}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">{t('map.attribution')}</p>
    </section>
  );
}
