/**
 * Personal data through the API (real handlers, dynalite, the clock moved by hand): masked by default, every
 * unmasked view on the timeline, access requests and time-limited approvals, phone search audited and
 * role-limited, and no phone number in any index key.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { CaseEntity } from '../../functions/adapters/table';
import type { ApiHandler } from '../../functions/api/http';
import { viewCase } from '../../functions/api/present';
import { ManualClock, useClock } from '../../functions/domain/clock';
import type { Case } from '../../functions/domain/case';
import { apiEvent, call, CLAIMS } from '../api/support/events';
import { aCase } from '../usecases/support/fakes';
import { startDynalite, guardAgainstScan, type LocalTable } from '../support/dynalite';

let local: LocalTable;
let repo: DynamoCaseRepository;
let h: Record<'getCase' | 'timeline' | 'privacy' | 'phoneSearch', ApiHandler>;
const clock = new ManualClock('2026-11-27T01:00:00.000Z');
let restoreClock: () => void;
let seq = 0;

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-privacy-test' });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.TABLE_NAME = local.tableName;
  guardAgainstScan((await import('../../functions/adapters/clients')).ddb());
  repo = new DynamoCaseRepository(local.ddb, local.tableName);
  h = {
    getCase: (await import('../../functions/api/handlers/get-case')).handler,
    timeline: (await import('../../functions/api/handlers/get-timeline')).handler,
    privacy: (await import('../../functions/api/handlers/privacy')).handler,
    phoneSearch: (await import('../../functions/api/handlers/phone-search')).handler,
  };
});
afterAll(async () => local.close());
beforeEach(() => {
  clock.set('2026-11-27T01:00:00.000Z');
  restoreClock = useClock(clock);
});
afterEach(() => restoreClock());

/** A case logged by agent-1 at the clock's now, handled by PWD. */
async function logged(overrides: Partial<Case> = {}): Promise<Case> {
  const iso = clock.now().toISOString();
  const c = aCase({ caseNo: `20261127-${String(++seq).padStart(5, '0')}`, createdAt: iso, updatedAt: iso, version: 1, ...overrides });
  return repo.create(c, { type: 'created', by: c.createdBy, at: iso });
}

const read = (caseNo: string, claims: Record<string, string>) => call(h.getCase, apiEvent('getCase', { pathParameters: { caseNo }, claims }));
async function events(caseNo: string) {
  const res = await call(h.timeline, apiEvent('getCaseTimeline', { pathParameters: { caseNo }, claims: CLAIMS.supervisor }));
  return (res.body as { items: Array<{ type: string; by: string; at: string; text?: string; data?: Record<string, unknown> }> }).items;
}
const views = async (caseNo: string) => (await events(caseNo)).filter((e) => e.type === 'pii-viewed');
type Reporter = { name?: string; phone?: string; masked: boolean };

describe('reading a case', () => {
  it('masked reads leave no trace; each unmasked read is a pii-viewed event saying who and why', async () => {
    const c = await logged();

    const byOtherAgent = await read(c.caseNo, CLAIMS.otherAgent);
    const byStaff = await read(c.caseNo, CLAIMS.staffPwd);
    const byAdmin = await read(c.caseNo, CLAIMS.admin);
    expect(await views(c.caseNo)).toEqual([]);

    clock.advance(5 * 60_000);
    const byLogger = await read(c.caseNo, CLAIMS.agent);
    clock.advance(1000);
    const bySupervisor = await read(c.caseNo, CLAIMS.supervisor);

    for (const res of [byOtherAgent, byStaff, byAdmin]) expect((res.body as { reporter: Reporter }).reporter).toMatchObject({ name: '王○明', phone: '0912-***-678', masked: true });
    for (const res of [byLogger, bySupervisor]) expect((res.body as { reporter: Reporter }).reporter).toMatchObject({ name: '王大明', phone: '0912345678', masked: false });
    expect(await views(c.caseNo)).toEqual([
      expect.objectContaining({ by: 'agent-1', at: '2026-11-27T01:05:00.000Z', data: { reason: 'intake', role: 'agent' } }),
      expect.objectContaining({ by: 'sup-1', at: '2026-11-27T01:05:01.000Z', data: { reason: 'supervisor', role: 'supervisor' } }),
    ]);
  });

  it('an unmasked view does not change the case version, so the reader can still send If-Match', async () => {
    const c = await logged();

    const res = await read(c.caseNo, CLAIMS.supervisor);

    expect(res.headers.etag).toBe('"1"');
    expect((await repo.get(c.caseNo))!.version).toBe(1);
  });

  it('the agent who logged the case sees it masked once the intake window has passed', async () => {
    const c = await logged();
    clock.advance(31 * 60_000);

    const res = await read(c.caseNo, CLAIMS.agent);

    expect((res.body as { reporter: Reporter }).reporter.masked).toBe(true);
    expect(await views(c.caseNo)).toEqual([]);
  });

  it('when the view cannot be recorded, the answer is masked rather than unrecorded', async () => {
    const c = await logged();
    const failing = { recordView: async () => Promise.reject(new Error('ProvisionedThroughputExceededException')) };

    const view = await viewCase(failing, c, { id: 'sup-1', role: 'supervisor' });

    expect(view.reporter).toMatchObject({ name: '王○明', masked: true });
  });
});

describe('asking for access', () => {
  const requestAccess = (caseNo: string, claims: Record<string, string>, body: unknown = { reason: '需聯絡民眾確認坑洞位置' }) =>
    call(h.privacy, apiEvent('requestPiiAccess', { pathParameters: { caseNo }, body, claims }));
  const approve = (caseNo: string, requestId: string, body: unknown, claims: Record<string, string> = CLAIMS.supervisor) =>
    call(h.privacy, apiEvent('approvePiiAccess', { pathParameters: { caseNo, requestId }, body, claims }));

  it('a handler asks, a supervisor approves for 30 minutes, the handler sees the reporter until then', async () => {
    const c = await logged();

    const asked = await requestAccess(c.caseNo, CLAIMS.staffPwd);
    const requestId = (asked.body as { request: { id: string } }).request.id;
    const stillMasked = await read(c.caseNo, CLAIMS.staffPwd);
    clock.advance(10 * 60_000);
    const approved = await approve(c.caseNo, requestId, { minutes: 30 });
    clock.advance(29 * 60_000);
    const during = await read(c.caseNo, CLAIMS.staffPwd);
    clock.advance(60_000);
    const after = await read(c.caseNo, CLAIMS.staffPwd);

    expect(asked.statusCode).toBe(201);
    expect(asked.body).toMatchObject({ caseNo: c.caseNo, created: true, request: { by: 'staff-pwd', department: 'PWD', status: 'pending', reason: '需聯絡民眾確認坑洞位置' } });
    expect((stillMasked.body as { reporter: Reporter }).reporter.masked).toBe(true);
    expect(approved.statusCode).toBe(200);
    expect(approved.body).toMatchObject({ request: { id: requestId, status: 'approved', approvedBy: 'sup-1', expiresAt: '2026-11-27T01:40:00.000Z' } });
    expect((during.body as { reporter: Reporter }).reporter).toMatchObject({ name: '王大明', masked: false });
    expect((after.body as { reporter: Reporter }).reporter.masked).toBe(true);
    const timeline = await events(c.caseNo);
    expect(timeline.filter((e) => e.type.startsWith('pii-'))).toEqual([
      expect.objectContaining({ type: 'pii-access-requested', by: 'staff-pwd', text: '需聯絡民眾確認坑洞位置', data: { requestId, department: 'PWD' } }),
      expect.objectContaining({ type: 'pii-access-approved', by: 'sup-1', data: { requestId, requester: 'staff-pwd', minutes: 30, expiresAt: '2026-11-27T01:40:00.000Z' } }),
      expect.objectContaining({ type: 'pii-viewed', by: 'staff-pwd', at: '2026-11-27T01:39:00.000Z', data: { reason: 'approved-request', role: 'staff', requestId } }),
      // The supervisor reading this timeline saw nothing personal: the timeline itself holds none.
    ]);
  });

  it('asking again while a request is open returns that request, not a second one', async () => {
    const c = await logged();

    const first = await requestAccess(c.caseNo, CLAIMS.staffPwd);
    const second = await requestAccess(c.caseNo, CLAIMS.staffPwd, { reason: '再次申請，請盡快' });

    expect(second.statusCode).toBe(200);
    expect((second.body as { request: { id: string } }).request.id).toBe((first.body as { request: { id: string } }).request.id);
    expect((await events(c.caseNo)).filter((e) => e.type === 'pii-access-requested')).toHaveLength(1);
  });

  it("another department's handler cannot even learn the case exists (404), and nothing is written", async () => {
    const c = await logged();

    const res = await requestAccess(c.caseNo, CLAIMS.staffEpd);

    expect(res.statusCode).toBe(404);
    expect((await repo.get(c.caseNo))!.version).toBe(1);
  });

  it('a request needs a reason, and an approval at most the longest allowed duration', async () => {
    const c = await logged();
    const asked = await requestAccess(c.caseNo, CLAIMS.staffPwd);
    const requestId = (asked.body as { request: { id: string } }).request.id;

    const noReason = await requestAccess(c.caseNo, CLAIMS.staffPwd, {});
    const tooLong = await approve(c.caseNo, requestId, { minutes: 481 });
    const unknown = await approve(c.caseNo, '00000000-0000-4000-8000-000000000000', { minutes: 10 });
    const byStaff = await approve(c.caseNo, requestId, { minutes: 10 }, CLAIMS.staffPwd);

    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toMatchObject({ error: { fields: [{ path: 'reason' }] } });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toMatchObject({ error: { fields: [{ path: 'minutes' }] } });
    expect(unknown.statusCode).toBe(404);
    expect(byStaff.statusCode).toBe(403);
  });

  it('an approval without minutes lasts the default hour; approving it twice is a 409', async () => {
    const c = await logged();
    const requestId = ((await requestAccess(c.caseNo, CLAIMS.staffPwd)).body as { request: { id: string } }).request.id;

    const approved = await approve(c.caseNo, requestId, {});
    const again = await approve(c.caseNo, requestId, { minutes: 5 });

    expect(approved.body).toMatchObject({ request: { expiresAt: '2026-11-27T02:00:00.000Z' } });
    expect(again.statusCode).toBe(409);
  });
});

describe("the supervisors' queue: deny and revoke", () => {
  const requestAccess = async (caseNo: string) =>
    ((await call(h.privacy, apiEvent('requestPiiAccess', { pathParameters: { caseNo }, body: { reason: '需聯絡民眾確認坑洞位置' }, claims: CLAIMS.staffPwd }))).body as { request: { id: string } }).request.id;
  const decide = (id: 'approvePiiAccess' | 'denyPiiAccess' | 'revokePiiAccess', caseNo: string, requestId: string, body: unknown, claims: Record<string, string> = CLAIMS.supervisor) =>
    call(h.privacy, apiEvent(id, { pathParameters: { caseNo, requestId }, body, claims }));
  const queue = async (status: 'pending' | 'approved', claims: Record<string, string> = CLAIMS.supervisor) => {
    const res = await call(h.privacy, apiEvent('listPiiAccessRequests', { query: { status }, claims }));
    return { res, items: res.statusCode === 200 ? (res.body as { items: Array<{ caseNo: string; request: { id: string; status: string } }> }).items : [] };
  };
  const ids = (items: Array<{ request: { id: string } }>) => items.map((i) => i.request.id);

  it('lists pending requests oldest first with one Query; an approval moves to the running list, a denial leaves both', async () => {
    const first = await logged();
    const second = await logged();
    const older = await requestAccess(first.caseNo);
    clock.advance(60_000);
    const newer = await requestAccess(second.caseNo);

    const before = await queue('pending');
    await decide('approvePiiAccess', first.caseNo, older, { minutes: 30 });
    const denied = await decide('denyPiiAccess', second.caseNo, newer, { reason: '理由不足，請補充' });
    const pendingAfter = await queue('pending');
    const running = await queue('approved');

    expect(ids(before.items).filter((id) => id === older || id === newer)).toEqual([older, newer]);
    expect(denied.statusCode).toBe(200);
    expect(denied.body).toMatchObject({ caseNo: second.caseNo, decision: 'denied', request: { id: newer, status: 'pending' } });
    expect(ids(pendingAfter.items)).not.toContain(older);
    expect(ids(pendingAfter.items)).not.toContain(newer);
    expect(running.items).toContainEqual(expect.objectContaining({ caseNo: first.caseNo, request: expect.objectContaining({ id: older, status: 'approved' }) }));
    expect(ids(running.items)).not.toContain(newer);
    expect((await events(second.caseNo)).filter((e) => e.type === 'pii-access-denied')).toEqual([
      expect.objectContaining({ by: 'sup-1', data: { requestId: newer, requester: 'staff-pwd', reason: '理由不足，請補充' } }),
    ]);
  });

  it('a revoked approval stops at once: the next read is masked again, the queue drops it, the timeline says why', async () => {
    const c = await logged();
    const requestId = await requestAccess(c.caseNo);
    await decide('approvePiiAccess', c.caseNo, requestId, { minutes: 60 });
    const during = await read(c.caseNo, CLAIMS.staffPwd);

    clock.advance(60_000);
    const revoked = await decide('revokePiiAccess', c.caseNo, requestId, { reason: '已聯絡完畢，不再需要' });
    const after = await read(c.caseNo, CLAIMS.staffPwd);

    expect((during.body as { reporter: Reporter }).reporter.masked).toBe(false);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.body).toMatchObject({ decision: 'revoked', request: { id: requestId, status: 'approved' } });
    expect((after.body as { reporter: Reporter }).reporter).toMatchObject({ name: '王○明', masked: true });
    expect(ids((await queue('approved')).items)).not.toContain(requestId);
    expect((await events(c.caseNo)).filter((e) => e.type === 'pii-access-revoked')).toEqual([
      expect.objectContaining({ by: 'sup-1', at: '2026-11-27T01:01:00.000Z', data: { requestId, requester: 'staff-pwd', reason: '已聯絡完畢，不再需要' } }),
    ]);
  });

  it('a wrong state is a 409 naming it, a missing reason a 400 naming reason, a decided request a 404; nothing is written', async () => {
    const c = await logged();
    const requestId = await requestAccess(c.caseNo);

    const revokePending = await decide('revokePiiAccess', c.caseNo, requestId, { reason: '已不需要調閱' });
    const noReason = await decide('denyPiiAccess', c.caseNo, requestId, {});
    const shortReason = await decide('denyPiiAccess', c.caseNo, requestId, { reason: 'no' });
    const version = (await repo.get(c.caseNo))!.version;
    await decide('approvePiiAccess', c.caseNo, requestId, {});
    const denyApproved = await decide('denyPiiAccess', c.caseNo, requestId, { reason: '理由不足，請補充' });
    await decide('revokePiiAccess', c.caseNo, requestId, { reason: '已聯絡完畢，不再需要' });
    const revokeAgain = await decide('revokePiiAccess', c.caseNo, requestId, { reason: '已聯絡完畢，不再需要' });

    expect(revokePending.statusCode).toBe(409);
    expect(revokePending.body).toMatchObject({ error: { details: { requestId, status: 'pending' } } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toMatchObject({ error: { fields: [{ path: 'reason' }] } });
    expect(shortReason.statusCode).toBe(400);
    expect(shortReason.body).toMatchObject({ error: { fields: [{ path: 'reason' }] } });
    expect(version).toBe(2);
    expect(denyApproved.statusCode).toBe(409);
    expect(denyApproved.body).toMatchObject({ error: { details: { requestId, status: 'approved' } } });
    expect(revokeAgain.statusCode).toBe(404);
  });

  it('only supervisors decide or read the queue', async () => {
    const c = await logged();
    const requestId = await requestAccess(c.caseNo);

    const denyByStaff = await decide('denyPiiAccess', c.caseNo, requestId, { reason: '理由不足，請補充' }, CLAIMS.staffPwd);
    const revokeByAdmin = await decide('revokePiiAccess', c.caseNo, requestId, { reason: '理由不足，請補充' }, CLAIMS.admin);
    const listByAgent = await queue('pending', CLAIMS.agent);
    const listByStaff = await queue('pending', CLAIMS.staffPwd);

    expect([denyByStaff, revokeByAdmin].map((r) => r.statusCode)).toEqual([403, 403]);
    expect([listByAgent.res.statusCode, listByStaff.res.statusCode]).toEqual([403, 403]);
    expect(ids((await queue('pending')).items)).toContain(requestId);
  });
});

describe('searching by phone', () => {
  const search = (body: unknown, claims: Record<string, string>) => call(h.phoneSearch, apiEvent('searchByPhone', { body, claims }));

  it("finds the caller's cases however the number is written, shows no personal data, and is audited", async () => {
    const first = await logged({ reporter: { name: '陳小華', phone: '0933111222', anonymous: false, notify: 'sms' } });
    const second = await logged({ reporter: { name: '陳小華', phone: '0933111222', anonymous: false, notify: 'none' } });
    await logged({ reporter: { name: '李四', phone: '0933111223', anonymous: false, notify: 'sms' } });

    const res = await search({ phone: '+886 933-111-222', reason: '民眾來電查詢先前案件' }, CLAIMS.agent);
    const audit = await call(h.privacy, apiEvent('listPhoneSearchAudit', { query: { day: '2026-11-27' }, claims: CLAIMS.supervisor }));

    expect(res.statusCode).toBe(200);
    expect((res.body as { items: Array<{ caseNo: string }> }).items.map((c) => c.caseNo)).toEqual([second.caseNo, first.caseNo]);
    expect(JSON.stringify(res.body)).not.toMatch(/0933|陳小華|reporter/);
    const records = (audit.body as { items: Array<Record<string, unknown>> }).items;
    expect(records).toContainEqual(
      expect.objectContaining({ by: 'agent-1', role: 'agent', reason: '民眾來電查詢先前案件', caseNos: [second.caseNo, first.caseNo], phoneHash: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    );
    expect(JSON.stringify(audit.body)).not.toContain('0933111222');
  });

  it('a search that finds nothing is audited too', async () => {
    const res = await search({ phone: '0911000999', reason: '查無此人？確認一下' }, CLAIMS.supervisor);
    const audit = await call(h.privacy, apiEvent('listPhoneSearchAudit', { query: { day: '2026-11-27' }, claims: CLAIMS.admin }));

    expect((res.body as { items: unknown[] }).items).toEqual([]);
    expect((audit.body as { items: Array<{ by: string; caseNos: string[] }> }).items).toContainEqual(expect.objectContaining({ by: 'sup-1', caseNos: [] }));
  });

  it('only agents and supervisors may search; a search needs a phone number and a reason', async () => {
    const asStaff = await search({ phone: '0933111222', reason: '想知道是誰' }, CLAIMS.staffPwd);
    const asAdmin = await search({ phone: '0933111222', reason: '想知道是誰' }, CLAIMS.admin);
    const asClient = await search({ phone: '0933111222', reason: '想知道是誰' }, CLAIMS.integration);
    const notAPhone = await search({ phone: 'call me', reason: '民眾來電查詢' }, CLAIMS.agent);
    const noReason = await search({ phone: '0933111222' }, CLAIMS.agent);

    expect([asStaff.statusCode, asAdmin.statusCode, asClient.statusCode]).toEqual([403, 403, 403]);
    expect(notAPhone.body).toMatchObject({ error: { fields: [{ path: 'phone' }] } });
    expect(noReason.body).toMatchObject({ error: { fields: [{ path: 'reason' }] } });
  });

  it('the table keys hold a keyed hash of the number, never the number', async () => {
    const c = await logged({ reporter: { name: '陳小華', phone: '0933555666', anonymous: false, notify: 'sms' } });

    const item = (await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: CaseEntity.key(c.caseNo) }))).Item!;
    const keys = Object.entries(item).filter(([k]) => /^(pk|sk|gsi\d+(pk|sk))$/.test(k));

    expect(item.gsi8pk).toMatch(/^PHONE#[0-9a-f]{64}$/);
    expect(JSON.stringify(keys)).not.toContain('0933555666');
    const byHash = await local.ddb.send(
      new QueryCommand({ TableName: local.tableName, IndexName: 'gsi8', KeyConditionExpression: 'gsi8pk = :p', ExpressionAttributeValues: { ':p': item.gsi8pk } }),
    );
    // The index holds keys only (its sort key is the case number): no copy of the reporter lives in it.
    expect(byHash.Items!.map((i): unknown => i.gsi8sk)).toEqual([c.caseNo]);
    expect(Object.keys(byHash.Items![0]).sort()).toEqual(['gsi8pk', 'gsi8sk', 'pk', 'sk']);
  });
});

describe('caller history at intake', () => {
  const history = (phone: string, claims: Record<string, string>) => call(h.phoneSearch, apiEvent('callerHistory', { body: { phone }, claims }));
  const search = (body: unknown, claims: Record<string, string>) => call(h.phoneSearch, apiEvent('searchByPhone', { body, claims }));

  it("lists the caller's cases of the last 12 months, newest first, masked, and audits the look-up with the reason intake", async () => {
    clock.set('2025-10-01T01:00:00.000Z');
    const tooOld = await logged({ caseNo: '20251001-00001', reporter: { name: '林一', phone: '0955000111', anonymous: false, notify: 'none' } });
    clock.set('2026-03-02T01:00:00.000Z');
    const spring = await logged({ caseNo: '20260302-00001', reporter: { name: '林一', phone: '0955000111', anonymous: false, notify: 'sms' } });
    clock.set('2026-11-27T01:00:00.000Z');
    const today = await logged({ reporter: { name: '林一', phone: '0955000111', anonymous: false, notify: 'none' } });

    const res = await history('0955-000-111', CLAIMS.agent);
    const audit = await call(h.privacy, apiEvent('listPhoneSearchAudit', { query: { day: '2026-11-27' }, claims: CLAIMS.supervisor }));

    expect(res.statusCode).toBe(200);
    const items = (res.body as { items: Array<{ caseNo: string; category: string; status: string; createdAt: string }> }).items;
    expect(items.map((c) => c.caseNo)).toEqual([today.caseNo, spring.caseNo]);
    expect(items[0]).toMatchObject({ category: today.category, status: today.status, createdAt: today.createdAt });
    expect(items.map((c) => c.caseNo)).not.toContain(tooOld.caseNo);
    expect(JSON.stringify(res.body)).not.toMatch(/0955|林一|reporter/);
    expect((audit.body as { items: Array<Record<string, unknown>> }).items).toContainEqual(
      expect.objectContaining({ by: 'agent-1', role: 'agent', reason: 'intake', caseNos: [today.caseNo, spring.caseNo] }),
    );
  });

  it('is for agents only, and needs a phone number', async () => {
    const asSupervisor = await history('0955000111', CLAIMS.supervisor);
    const asStaff = await history('0955000111', CLAIMS.staffPwd);
    const asClient = await history('0955000111', CLAIMS.integration);
    const notAPhone = await history('call me', CLAIMS.agent);

    expect([asSupervisor.statusCode, asStaff.statusCode, asClient.statusCode]).toEqual([403, 403, 403]);
    expect(notAPhone.statusCode).toBe(400);
    expect(notAPhone.body).toMatchObject({ error: { fields: [{ path: 'phone' }] } });
  });

  it('counts with the phone search against one hourly limit per person: the 61st look-up in an hour is a 429, the next hour is open again', async () => {
    const agent = { ...CLAIMS.agent, sub: 'agent-hourly' };
    clock.set('2026-11-27T03:00:00.000Z');
    for (let i = 0; i < 30; i++) expect((await history('0955000222', agent)).statusCode).toBe(200);
    for (let i = 0; i < 30; i++) expect((await search({ phone: '0955000222', reason: '民眾來電查詢先前案件' }, agent)).statusCode).toBe(200);

    const over = await history('0955000222', agent);
    const otherAgent = await history('0955000222', { ...CLAIMS.agent, sub: 'agent-other' });
    clock.set('2026-11-27T04:00:00.000Z');
    const nextHour = await history('0955000222', agent);

    expect(over.statusCode).toBe(429);
    expect(otherAgent.statusCode).toBe(200);
    expect(nextHour.statusCode).toBe(200);
  });
});
