/**
 * Console notifications through the API (real handlers, dynalite): written with the change they tell about
 * (an access request, a return, an escalation, a raised warning), read per role and department inbox newest
 * first with an unread count, and a read marker that never moves back.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { DynamoWarningStore } from '../../functions/adapters/warning-store';
import type { ApiHandler } from '../../functions/api/http';
import { ManualClock, useClock } from '../../functions/domain/clock';
import type { Case } from '../../functions/domain/case';
import { warningId, type EarlyWarning } from '../../functions/domain/early-warning';
import { apiEvent, call, CLAIMS } from './support/events';
import { aCase } from '../usecases/support/fakes';
import { guardAgainstScan, startDynalite, type LocalTable } from '../support/dynalite';

let local: LocalTable;
let repo: DynamoCaseRepository;
let h: Record<'users' | 'privacy', ApiHandler>;
const clock = new ManualClock('2026-11-27T01:00:00.000Z');
let restoreClock: () => void;
let seq = 0;

type Listed = { items: Array<{ id: string; kind: string; caseNo?: string; warningId?: string; department?: string; detail?: string }>; unread: number; cursor?: string; readUpTo?: string };

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-notifications-test' });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.TABLE_NAME = local.tableName;
  guardAgainstScan((await import('../../functions/adapters/clients')).ddb());
  repo = new DynamoCaseRepository(local.ddb, local.tableName);
  h = {
    users: (await import('../../functions/api/handlers/users')).handler,
    privacy: (await import('../../functions/api/handlers/privacy')).handler,
  };
});
afterAll(async () => local.close());
beforeEach(() => {
  restoreClock = useClock(clock);
});
afterEach(() => restoreClock());

async function logged(overrides: Partial<Case> = {}): Promise<Case> {
  clock.advance(1000);
  const iso = clock.now().toISOString();
  const c = aCase({ caseNo: `20261127-${String(++seq).padStart(5, '0')}`, createdAt: iso, updatedAt: iso, version: 1, ...overrides });
  return repo.create(c, { type: 'created', by: c.createdBy, at: iso });
}

async function list(claims: Record<string, string>, query: Record<string, string> = {}): Promise<Listed> {
  const res = await call(h.users, apiEvent('listNotifications', { claims, query }));
  expect(res.statusCode, JSON.stringify(res.body)).toBe(200);
  return res.body as Listed;
}
const markRead = (claims: Record<string, string>, upTo: unknown) => call(h.users, apiEvent('markNotificationsRead', { claims, body: { upTo } }));

describe('notifications', () => {
  it("an access request reaches the supervisors' inbox, not the department's; reading it clears the unread count", async () => {
    const c = await logged();
    clock.advance(1000);
    await call(h.privacy, apiEvent('requestPiiAccess', { pathParameters: { caseNo: c.caseNo }, body: { reason: '需聯絡民眾確認坑洞位置' }, claims: CLAIMS.staffPwd }));

    const supervisor = await list(CLAIMS.supervisor);
    const staff = await list(CLAIMS.staffPwd);
    const marked = await markRead(CLAIMS.supervisor, supervisor.items[0].id);
    const after = await list(CLAIMS.supervisor);

    expect(supervisor.items[0]).toMatchObject({ kind: 'access-requested', caseNo: c.caseNo, department: 'PWD' });
    expect(supervisor.unread).toBeGreaterThanOrEqual(1);
    expect(staff.items.filter((n) => n.caseNo === c.caseNo)).toEqual([]);
    expect(marked.statusCode).toBe(200);
    expect(after.unread).toBe(0);
    expect(after.readUpTo).toBe(supervisor.items[0].id);
  });

  it("an escalation reaches its department's staff and the supervisors; another department sees nothing; newest first", async () => {
    const c = await logged();
    clock.advance(1000);
    await repo.update(c.caseNo, c.version, { set: { escalationLevel: 1 }, event: { type: 'escalated', by: 'workflow', text: '逾期升級第1級', data: { level: 1 } } });
    const later = await logged();
    clock.advance(1000);
    await repo.update(later.caseNo, later.version, { set: { escalationLevel: 2 }, event: { type: 'escalated', by: 'workflow', text: '逾期升級第2級', data: { level: 2 } } });

    const pwd = await list(CLAIMS.staffPwd);
    const epd = await list(CLAIMS.staffEpd);
    const supervisor = await list(CLAIMS.supervisor);

    expect(pwd.items.slice(0, 2)).toEqual([
      expect.objectContaining({ kind: 'escalated', caseNo: later.caseNo, detail: '2' }),
      expect.objectContaining({ kind: 'escalated', caseNo: c.caseNo, detail: '1' }),
    ]);
    expect(pwd.unread).toBe(2);
    expect(epd.items.filter((n) => n.caseNo === c.caseNo || n.caseNo === later.caseNo)).toEqual([]);
    expect(supervisor.items.map((n) => n.caseNo)).toContain(later.caseNo);
  });

  it('a returned case reaches the dispatch desk (supervisors and admins) with the reason; agents have no inbox', async () => {
    const c = await logged();
    clock.advance(1000);
    await repo.update(c.caseNo, c.version, { set: { status: 'RETURNED' }, event: { type: 'returned', by: 'staff-pwd', text: '非本局業務', data: { department: 'PWD', reason: '非本局業務' } } });

    const admin = await list(CLAIMS.admin);
    const supervisor = await list(CLAIMS.supervisor);
    const agent = await list(CLAIMS.agent);

    expect(admin.items[0]).toMatchObject({ kind: 'returned', caseNo: c.caseNo, detail: '非本局業務' });
    expect(supervisor.items[0]).toMatchObject({ kind: 'returned', caseNo: c.caseNo });
    expect(agent).toEqual({ items: [], unread: 0 });
  });

  it('a raised warning reaches the supervisors once, however often it is raised', async () => {
    const store = new DynamoWarningStore(local.ddb, local.tableName);
    clock.advance(1000);
    const at = clock.now().toISOString();
    const w = {
      id: warningId('spike', 'street-light@bade', clock.now()),
      kind: 'spike',
      category: 'street-light',
      district: 'bade',
      seriesKey: 'street-light@bade',
      status: 'open',
      history: [],
      raisedAt: at,
      lastSeenAt: at,
      evidence: { from: at, to: at, count: 8, baseline: 1, pValue: 0.0001, caseNos: [] },
    } as unknown as EarlyWarning;

    const first = await store.raise(w);
    const second = await store.raise(w);
    const supervisor = await list(CLAIMS.supervisor);

    expect([first, second]).toEqual([true, false]);
    expect(supervisor.items.filter((n) => n.warningId === w.id)).toEqual([expect.objectContaining({ kind: 'warning', detail: 'street-light' })]);
  });

  it('pages newest first; the marker never moves back; a marker that is no notification id is a 400 naming upTo', async () => {
    const firstPage = await list(CLAIMS.supervisor, { limit: '2' });
    const secondPage = await list(CLAIMS.supervisor, { limit: '2', cursor: firstPage.cursor! });
    const newest = firstPage.items[0].id;
    await markRead(CLAIMS.supervisor, newest);
    const back = await markRead(CLAIMS.supervisor, secondPage.items[0].id);
    const bad = await markRead(CLAIMS.supervisor, 'everything');

    expect(firstPage.items).toHaveLength(2);
    expect(firstPage.items[1].id > secondPage.items[0].id).toBe(true);
    expect(back.body).toEqual({ readUpTo: newest });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatchObject({ error: { fields: [{ path: 'upTo' }] } });
  });
});
