/**
 * A case's timeline as people read it: who (by name), what (a label for every event type and the fields that
 * changed), in the console's language; views of and requests for the caller's personal data on their own tab.
 */
import { useState } from 'react';
import type { AttachmentView, CaseEvent } from '../../api/types';
import { AttachmentLink } from '../../components/Attachments';
import { isMessageKey } from '../../i18n';
import { useI18n } from '../../i18n/react';
import { formatDateTime } from '../../logic/time';
import { actorIds, eventDetails, eventLabelKey, eventText, splitTimeline, type EventDetail } from '../../logic/timeline';
import { useDisplayName } from '../../components/names';
import { useLabels } from '../../components/ui';

type Tab = 'work' | 'access';

export function Timeline({ events, files = [] }: { events: CaseEvent[]; files?: readonly AttachmentView[] }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('work');
  const { work, access } = splitTimeline(events);
  const nameOf = useDisplayName(actorIds(events));
  const shown = tab === 'work' ? work : access;
  return (
    <section className="panel timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('case.timeline')}</h2>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'work'} className={tab === 'work' ? 'active' : undefined} onClick={() => setTab('work')} data-tab="work">
          {t('timeline.work')}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'access'} className={tab === 'access' ? 'active' : undefined} onClick={() => setTab('access')} data-tab="access">
          {t('timeline.access', { count: access.length })}
        </button>
      </div>
      {tab === 'access' && <p className="muted">{t('timeline.accessIntro')}</p>}
      {shown.length === 0 && <p className="muted">{t(tab === 'work' ? 'case.timelineEmpty' : 'timeline.accessEmpty')}</p>}
      <ol data-testid={tab === 'work' ? 'timeline' : 'access-timeline'}>
        {shown.map((e) => (
          <TimelineEvent key={e.id} event={e} nameOf={nameOf} file={e.type === 'attachment-added' ? files.find((f) => f.id === e.data?.attachmentId) : undefined} />
        ))}
      </ol>
    </section>
  );
}

/** One event as the timeline shows it (also the print view's). */
export function TimelineEvent({ event: e, nameOf, file }: { event: CaseEvent; nameOf: (id: string) => string; file?: AttachmentView }) {
  const { t, lang } = useI18n();
  const labelKey = eventLabelKey(e);
  const text = eventText(e, lang);
  const details = eventDetails(e);
  return (
    <li className={`event event-${e.type}`} data-event-type={e.type}>
      <time dateTime={e.at}>{formatDateTime(e.at)}</time>
      <span className="event-type">{isMessageKey(labelKey) ? t(labelKey) : e.type}</span>
      <span className="muted event-by" data-testid="event-by">
        {nameOf(e.by)}
      </span>
      {text && <p className="pre">{text}</p>}
      {file && (
        <div className="event-attachment">
          <AttachmentLink file={file} />
        </div>
      )}
      {details.length > 0 && (
        <ul className="event-data">
          {details.map((d) => (
            <li key={d.field} data-field={d.field}>
              <span className="muted">{t(`eventField.${d.field}`)}</span> <DetailValue detail={d} nameOf={nameOf} />
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function DetailValue({ detail: { field, value }, nameOf }: { detail: EventDetail; nameOf: (id: string) => string }) {
  const { t } = useI18n();
  const labels = useLabels();
  const known = (key: string, fallback: string): string => (isMessageKey(key) ? t(key) : fallback);
  const text = String(value);
  switch (field) {
    case 'fields':
      return <>{text.split(',').map((f) => known(`correctedField.${f}`, f)).join(t('list.separator'))}</>;
    case 'category':
    case 'fromCategory':
    case 'toCategory':
      return <>{labels.category(text)}</>;
    case 'department':
    case 'from':
    case 'to':
      return <>{labels.department(text)}</>;
    case 'channel':
      return <>{labels.channel(text)}</>;
    case 'priority':
      return <>{known(`priority.${text}`, text)}</>;
    case 'level':
      return <>{known(`escalation.${text}`, text)}</>;
    case 'answer':
      return <>{known(`survey.${text}`, text)}</>;
    case 'kind':
      return <>{known(`attachKind.${text}`, text)}</>;
    case 'requester':
    case 'assignee':
    case 'previousAssignee':
      return <>{nameOf(text)}</>;
    case 'dueAt':
    case 'acknowledgeDueAt':
    case 'resolveDueAt':
    case 'retryAt':
    case 'expiresAt':
      return <time dateTime={text}>{formatDateTime(text)}</time>;
    default:
      return <>{text}</>;
  }
}
