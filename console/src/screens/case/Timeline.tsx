/** What happened to the case, newest first, with the fields each event changed. */
import type { CaseEvent } from '../../api/types';
import { useApp } from '../../context';
import { isMessageKey } from '../../i18n';
import { useI18n } from '../../i18n/react';
import { formatDateTime } from '../../logic/time';
import { useLabels } from '../../components/ui';

export function Timeline({ events }: { events: CaseEvent[] }) {
  const { t } = useI18n();
  const labels = useLabels();
  const { session } = useApp();
  return (
    <section className="panel timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('case.timeline')}</h2>
      {events.length === 0 && <p className="muted">{t('case.timelineEmpty')}</p>}
      <ol data-testid="timeline">
        {events.map((e) => (
          <li key={e.id} className={`event event-${e.type}`} data-event-type={e.type}>
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            <span className="event-type">{labels.event(e.type)}</span>
            <span className="muted event-by">{e.by === session.user.sub ? session.user.name : e.by}</span>
            {e.text && <p className="pre">{e.text}</p>}
            {e.data && !e.text && <EventData data={e.data} />}
          </li>
        ))}
      </ol>
    </section>
  );
}

function EventData({ data }: { data: NonNullable<CaseEvent['data']> }) {
  const { t } = useI18n();
  const labels = useLabels();
  const show = (k: string, v: string | number | boolean | null): string => {
    if (v === null) return '—';
    if ((k === 'from' || k === 'to' || k === 'status') && typeof v === 'string') return labels.status(v);
    if ((k === 'department' || k === 'fromDepartment' || k === 'toDepartment') && typeof v === 'string') return labels.department(v);
    if (k === 'level' && typeof v === 'number') {
      const key = `escalation.${v}`;
      return isMessageKey(key) ? t(key) : String(v);
    }
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return formatDateTime(v);
    return String(v);
  };
  const entries = Object.entries(data).filter(([k]) => k !== 'taskToken');
  if (!entries.length) return null;
  return (
    <ul className="event-data">
      {entries.map(([k, v]) => (
        <li key={k}>
          <span className="muted">{k}</span> {show(k, v)}
        </li>
      ))}
    </ul>
  );
}
