/** The case's own fields and its deadlines counting down. */
import type { CaseView } from '../../api/types';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { activeWait } from '../../logic/actions';
import { caseHref } from '../../logic/navigation';
import { formatDateTime } from '../../logic/time';
import { useNow } from '../../components/hooks';
import { Due, useLabels } from '../../components/ui';

export function CaseFields({ c }: { c: CaseView }) {
  const { t, pick } = useI18n();
  const labels = useLabels();
  const { reference } = useApp();
  const sop = reference.sops.find((s) => s.category === c.category);
  const attrName = (code: string) => {
    const a = sop?.attributes.find((x) => x.code === code);
    return a ? pick(a.description) : code;
  };
  const attrValue = (code: string, v: unknown) => {
    const a = sop?.attributes.find((x) => x.code === code);
    const name = (k: string) => {
      const found = a?.values?.find((x) => x.key === k);
      return found ? pick(found.name) : k;
    };
    if (Array.isArray(v)) return v.map((x) => name(String(x))).join(', ');
    return name(String(v));
  };
  const r = c.reporter;
  return (
    <section className="panel fields" aria-label={t('case.title', { caseNo: c.caseNo })}>
      <dl className="grid">
        <dt>{t('case.category')}</dt>
        <dd>
          {labels.category(c.category)} <code>{c.category}</code>
        </dd>
        <dt>{t('case.department')}</dt>
        <dd data-testid="case-department">{labels.department(c.department) || '—'}</dd>
        <dt>{t('case.priority')}</dt>
        <dd>
          {t(`priority.${c.priority}`)}
          {c.priorityOverride && ` (${t(`priority.${c.priorityOverride}`)})`}
        </dd>
        <dt>{t('case.channel')}</dt>
        <dd>{labels.channel(c.channel)}</dd>
        <dt>{t('case.location')}</dt>
        <dd>
          {labels.district(c.location.district)} {c.location.address}
          {c.location.lat !== undefined && c.location.lng !== undefined && (
            <span className="muted">
              {' '}
              ({c.location.lat}, {c.location.lng})
            </span>
          )}
        </dd>
        <dt>{t('case.description')}</dt>
        <dd className="pre">{c.description}</dd>
        <dt>{t('case.reporter')}</dt>
        <dd>
          {r.anonymous ? (
            t('case.anonymous')
          ) : (
            <>
              {[r.name, r.phone, r.email].filter(Boolean).join(' · ') || '—'}
              {r.masked && <span className="badge muted-badge">{t('case.masked')}</span>}
              {c.personalDataAccess && (
                <span className="badge pii-why" data-testid="pii-why">
                  {t('piiWhy.title', { reason: t(`piiWhy.${c.personalDataAccess.reason}`) })}
                  {c.personalDataAccess.until && t('piiWhy.until', { until: formatDateTime(c.personalDataAccess.until) })}
                </span>
              )}
            </>
          )}{' '}
          <span className="muted">
            ({t('case.notify')}: {t(`notify.${r.notify}`)})
          </span>
        </dd>
        {Object.keys(c.attributes).length > 0 && (
          <>
            <dt>{t('case.attributes')}</dt>
            <dd>
              <ul className="plain">
                {Object.entries(c.attributes).map(([k, v]) => (
                  <li key={k}>
                    {attrName(k)}: {attrValue(k, v)}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {c.resolution && (
          <>
            <dt>{t('case.resolution')}</dt>
            <dd className="pre">{c.resolution}</dd>
          </>
        )}
        {c.survey && (
          <>
            <dt>{t('case.survey')}</dt>
            <dd>
              {t(`survey.${c.survey.answer}`)} {c.survey.comment && `— ${c.survey.comment}`} <span className="muted">{formatDateTime(c.survey.at)}</span>
            </dd>
          </>
        )}
        {c.parentCaseNo && (
          <>
            <dt>{t('case.parent')}</dt>
            <dd>
              <a href={caseHref(c.parentCaseNo)}>{c.parentCaseNo}</a>
            </dd>
          </>
        )}
        {c.duplicates && c.duplicates.length > 0 && (
          <>
            <dt>{t('case.duplicates')}</dt>
            <dd>
              {c.duplicates.map((d) => (
                <a key={d} href={caseHref(d)} className="dup-link">
                  {d}
                </a>
              ))}
            </dd>
          </>
        )}
        <dt>{t('case.created')}</dt>
        <dd>{formatDateTime(c.createdAt)}</dd>
        <dt>{t('case.updated')}</dt>
        <dd>
          {formatDateTime(c.updatedAt)}{' '}
          <span className="muted">
            {t('case.version')} {c.version}
            {c.sopVersion !== undefined && ` · ${t('case.sopVersion')} v${c.sopVersion}`}
          </span>
        </dd>
      </dl>
    </section>
  );
}

export function Deadlines({ c }: { c: CaseView }) {
  const { t } = useI18n();
  const now = useNow(1000);
  const stopped = c.status === 'CANCELLED' || c.status === 'MERGED';
  const wait = activeWait(c);
  return (
    <section className="panel deadlines" aria-labelledby="deadlines-title">
      <h2 id="deadlines-title">{t('case.deadlines')}</h2>
      <dl>
        <dt>{t('case.acknowledgeDue')}</dt>
        <dd>
          <span className="when">{formatDateTime(c.acknowledgeDueAt) || '—'}</span>
          {!stopped && <Due due={c.acknowledgeDueAt} now={now} doneAt={c.acknowledgedAt ?? (c.status === 'RESOLVED' || c.status === 'CLOSED' ? c.resolvedAt : undefined)} />}
        </dd>
        <dt>{t('case.resolveDue')}</dt>
        <dd data-testid="resolve-due">
          <span className="when">{formatDateTime(c.resolveDueAt) || '—'}</span>
          {!stopped && <Due due={c.resolveDueAt} now={now} doneAt={c.status === 'REOPENED' ? undefined : c.resolvedAt} />}
        </dd>
        {c.acknowledgedAt && (
          <>
            <dt>{t('case.acknowledgedAt')}</dt>
            <dd>{formatDateTime(c.acknowledgedAt)}</dd>
          </>
        )}
        {c.resolvedAt && (
          <>
            <dt>{t('case.resolvedAt')}</dt>
            <dd>{formatDateTime(c.resolvedAt)}</dd>
          </>
        )}
        {c.closedAt && (
          <>
            <dt>{t('case.closedAt')}</dt>
            <dd>{formatDateTime(c.closedAt)}</dd>
          </>
        )}
        <dt>{t('case.escalation')}</dt>
        <dd data-testid="escalation-level" className={c.escalationLevel ? 'escalated' : undefined}>
          {t(`escalation.${c.escalationLevel as 0 | 1 | 2 | 3}`)}
        </dd>
        {wait && (
          <>
            <dt>{t('case.waitingFor')}</dt>
            <dd>{t(`waiting.${wait}`)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
