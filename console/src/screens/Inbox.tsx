/**
 * The department inbox: the user's department's cases by due time, one tab per state with its count, and first
 * for department staff "my cases" (the cases assigned to them, in every state), where staff with cases assigned
 * start. Staff see their own department;
 * supervisors pick one. The department's lead and supervisors pick rows and assign them to a staff member.
 * Refreshes itself so a new case shows up without a reload.
 */
import { useMemo, useState } from 'react';
import { INBOX_STATUSES, type InboxStatus } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import { canPickInboxDepartment, href } from '../logic/navigation';
import { useAsync, useInterval, useNow } from '../components/hooks';
import { CaseTable, ErrorBanner, Field, Loading, MoreButton, useLabels } from '../components/ui';
import { CityMap, type MapPoint } from '../components/CityMap';
import { ExportCsv } from '../components/ExportCsv';
import { BulkAcknowledge } from './inbox/BulkAcknowledge';
import { BulkAssign } from './inbox/BulkAssign';
import { BulkReassign } from './inbox/BulkReassign';
import { caseColumns, collectPages, EXPORT_PAGE_SIZE } from '../logic/export';
import { caseHref } from '../logic/navigation';
import type { CaseSummary } from '../api/types';

export function Inbox({ params }: { params: URLSearchParams }) {
  const { api, session, reference } = useApp();
  const { t, pick } = useI18n();
  const labels = useLabels();
  const now = useNow(1000);
  const status = (INBOX_STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as InboxStatus) : 'ASSIGNED';
  const picker = canPickInboxDepartment(session.user.role);
  // Only department staff are ever assigned cases; the lead, supervisors and admins hand them out.
  const hasMine = session.user.role === 'staff';
  // Opened without a tab (the menu, the start screen), staff who have cases assigned start on them; a link naming a
  // tab keeps it. One row of "mine" tells.
  const tabNamed = params.has('status') || params.has('mine');
  const mineFirst = useAsync(() => (hasMine && !tabNamed ? api.departmentQueue('ASSIGNED', undefined, undefined, 1, true) : Promise.resolve(undefined)), [api, hasMine, tabNamed]);
  const deciding = hasMine && !tabNamed && mineFirst.loading;
  const mine = hasMine && (params.get('mine') === '1' || (!tabNamed && (mineFirst.data?.items.length ?? 0) > 0));
  const canAssign = session.user.lead === true || session.user.role === 'supervisor' || session.user.role === 'admin';
  const receiving = reference.departments.filter((d) => d.receivesCases !== false);
  // A supervisor of a department that receives no cases (RDEC) starts on the first one that does.
  const ownReceives = receiving.some((d) => d.code === session.user.department);
  const department = picker ? (params.get('department') ?? (ownReceives ? session.user.department : receiving[0]?.code) ?? '') : session.user.department;
  // Further pages belong to one queue (state and department); the first page refreshes by itself.
  const queueId = `${mine ? 'mine' : status}|${department}`;
  // Picked rows belong to one queue too; acknowledging applies to the states a department acknowledges from.
  const [picked, setPicked] = useState<{ queueId: string; caseNos: ReadonlySet<string> }>({ queueId, caseNos: new Set() });
  const selected = picked.queueId === queueId ? picked.caseNos : new Set<string>();
  const acknowledging = !mine && (status === 'ASSIGNED' || status === 'REOPENED');
  const assigning = !mine && canAssign;
  // Supervisors take picked cases from the department (every inbox state is one a department holds a case in).
  const reassigning = !mine && (session.user.role === 'supervisor' || session.user.role === 'admin');
  const selection = acknowledging || assigning || reassigning
    ? {
        selected,
        toggle: (caseNo: string) => {
          const next = new Set(selected);
          if (!next.delete(caseNo)) next.add(caseNo);
          setPicked({ queueId, caseNos: next });
        },
      }
    : undefined;
  const [pages, setMore] = useState<{ queueId: string; items: CaseSummary[]; cursor?: string; loading?: boolean }>({ queueId, items: [] });
  const more = pages.queueId === queueId ? pages : { queueId, items: [] };

  const queue = useAsync(() => api.departmentQueue(status, picker ? department || undefined : undefined, undefined, undefined, mine), [api, status, department, picker, mine]);
  useInterval(() => queue.reload(), 5000);

  const go = (next: { status?: string; department?: string; mine?: string }) => {
    window.location.hash = href('inbox', { status, ...(picker ? { department } : {}), ...(mine ? { mine: '1' } : {}), ...next });
  };
  const cursor = more.cursor ?? (more.items.length ? undefined : queue.data?.cursor);
  const items = useMemo(() => [...(queue.data?.items ?? []), ...more.items], [queue.data, more.items]);
  const points = useMemo(
    () => items.flatMap((c): MapPoint[] => (c.lat !== undefined && c.lng !== undefined ? [{ lat: c.lat, lng: c.lng, label: `${c.caseNo} ${labels.category(c.category)}`, href: caseHref(c.caseNo) }] : [])),
    [items, labels],
  );

  return (
    <section className="inbox">
      <h1>{department ? t('inbox.titleFor', { department: labels.department(department) }) : t('inbox.title')}</h1>
      {picker && (
        <div className="narrow">
          <Field label={t('inbox.department')} error={queue.error} path="department">
            <select value={department} onChange={(e) => go({ department: e.target.value })} name="department">
              {receiving.map((d) => (
                <option key={d.code} value={d.code}>
                  {pick(d.name)}
                </option>
              ))}
            </select>
          </Field>
        </div>
      )}
      <div className="tabs" role="tablist">
        {hasMine && (
          <button type="button" role="tab" aria-selected={mine} className={mine ? 'active' : undefined} onClick={() => go({ mine: '1' })} data-status="mine">
            {t('inbox.mine')}
          </button>
        )}
        {INBOX_STATUSES.map((s) => (
          <button key={s} type="button" role="tab" aria-selected={!mine && s === status} className={!mine && s === status ? 'active' : undefined} onClick={() => go({ status: s, mine: undefined })} data-status={s}>
            {t(`status.${s}`)} <span className="count" data-testid={`count-${s}`}>{queue.data?.counts[s] ?? '·'}</span>
          </button>
        ))}
        {queue.data?.counts.RESOLVED !== undefined && <span className="muted tab-note">{t('inbox.resolvedCount', { n: queue.data.counts.RESOLVED })}</span>}
      </div>
      <p className="muted">{t(mine ? 'inbox.mineNote' : 'inbox.byDue')}</p>
      <ExportCsv
        name={`inbox-${department || 'own'}-${mine ? 'mine' : status.toLowerCase()}`}
        columns={() => caseColumns(t, labels, Date.now(), { department: false })}
        collect={() => collectPages((cursor) => api.departmentQueue(status, picker ? department || undefined : undefined, cursor, EXPORT_PAGE_SIZE, mine))}
      />
      <ErrorBanner error={queue.error} shownPaths={['department']} />
      <div className="queue-with-map">
        <div>
          {assigning && (
            <BulkAssign
              department={picker ? department || undefined : undefined}
              selected={selected}
              onDone={() => {
                setPicked({ queueId, caseNos: new Set() });
                queue.reload();
              }}
            />
          )}
          {reassigning && (
            <BulkReassign
              from={department || undefined}
              selected={selected}
              onDone={() => {
                setPicked({ queueId, caseNos: new Set() });
                queue.reload();
              }}
            />
          )}
          {acknowledging && (
            <BulkAcknowledge
              selected={selected}
              onDone={() => {
                setPicked({ queueId, caseNos: new Set() });
                queue.reload();
              }}
            />
          )}
          {deciding || (queue.loading && !queue.data) ? <Loading /> : queue.data && <CaseTable items={items} now={now} showDepartment={false} selection={selection} />}
          <MoreButton
        cursor={cursor}
        loading={more.loading}
        onMore={async () => {
          if (!cursor) return;
          setMore({ ...more, loading: true });
          try {
            const page = await api.departmentQueue(status, picker ? department || undefined : undefined, cursor, undefined, mine);
            setMore((m) => (m.queueId === queueId ? { queueId, items: [...m.items, ...page.items], cursor: page.cursor, loading: false } : m));
          } catch {
            setMore((m) => (m.queueId === queueId ? { ...m, loading: false } : m));
          }
        }}
          />
        </div>
        <aside className="queue-map">
          <CityMap points={points} label={t('inbox.mapLabel')} fit="always" />
          {items.length > points.length && <p className="muted">{t('inbox.mapUnplaced', { n: items.length - points.length })}</p>}
        </aside>
      </div>
    </section>
  );
}
