/**
 * Assigning a case to a department's staff member: POST /cases/{caseNo}/assign, POST /queues/department/assign
 * (each case's outcome) and the "my cases" page of the department inbox (GET /queues/department?mine=true),
 * through the HTTP handlers (functions/api/handlers/case-actions.ts, queues.ts): the real pipeline (claims to
 * Actor, the route policy with its lead rule, zod bodies, the one error mapper) on dynalite, with the staff
 * directory in the same table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { DynamoUserDirectory } from '../../functions/adapters/user-directory';
import type { ApiHandler } from '../../functions/api/http';
import type { JwtClaims } from '../../functions/api/actor-from-claims';
import type { Case } from '../../functions/domain/case';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { departmentCase } from './support/department-case';
import { apiEvent, call, CLAIMS } from '../api/support/events';

const LEAD: JwtClaims = { sub: 'lead-pwd', 'cognito:groups': '[staff lead]', 'custom:department': 'PWD', client_id: 'console' };
const ANN: JwtClaims = { sub: 'ann-pwd', 'cognito:groups': '[staff]', 'custom:department': 'PWD', client_id: 'console' };

const sfnMock = mockClient(SFNClient);
let local: LocalTable;
let cases: DynamoCaseRepository;
let actions: ApiHandler;
let queues: ApiHandler;
let seq = 0;

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-assign-test' });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.TABLE_NAME = local.tableName;
  process.env.CASE_WORKFLOW_ARN = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:case-lifecycle';
  sfnMock.on(SendTaskSuccessCommand).resolves({});
  cases = new DynamoCaseRepository(local.ddb, local.tableName);
  const users = new DynamoUserDirectory(local.ddb, local.tableName);
  const at = '2026-11-27T00:00:00.000Z';
  await users.record({ id: 'ann-pwd', name: '工務局 承辦人 安', role: 'staff', department: 'PWD', updatedAt: at });
  await users.record({ id: 'bob-pwd', name: '工務局 承辦人 伯', role: 'staff', department: 'PWD', updatedAt: at });
  await users.record({ id: 'eve-epd', name: '環保局 承辦人', role: 'staff', department: 'EPD', updatedAt: at });
  await users.record({ id: 'agent-1', name: '話務員', role: 'agent', updatedAt: at });
  actions = (await import('../../functions/api/handlers/case-actions')).handler;
  queues = (await import('../../functions/api/handlers/queues')).handler;
});
afterAll(async () => {
  sfnMock.restore();
  await local.close();
});

function pwdCase(state: Partial<Case> = {}): Promise<Case> {
  seq += 1;
  return departmentCase(cases, seq, state);
}

const assign = (caseNo: string, body: unknown, claims: JwtClaims = LEAD) => call(actions, apiEvent('assignCase', { pathParameters: { caseNo }, body, claims }));
const mine = async (claims: JwtClaims, query: Record<string, string> = {}) => {
  const res = await call(queues, apiEvent('departmentQueue', { query: { mine: 'true', ...query }, claims }));
  expect(res.statusCode, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: Array<{ caseNo: string }>; cursor?: string; mine?: boolean };
};

describe('assigning a case to a staff member', () => {
  it("the department's lead assigns: the case names the assignee, the timeline says who gave it to whom and why, the assignee's my-cases page lists it", async () => {
    const c = await pwdCase();

    const res = await assign(c.caseNo, { assignee: 'ann-pwd', reason: '轄區內' });

    expect(res).toMatchObject({ statusCode: 200, body: { caseNo: c.caseNo, assignee: 'ann-pwd', status: 'ASSIGNED', version: 2 } });
    expect((await cases.timeline(c.caseNo, {})).items.at(-1)).toMatchObject({ type: 'assigned', by: 'lead-pwd', text: '轄區內', data: { assignee: 'ann-pwd', reason: '轄區內' } });
    expect(await mine(ANN)).toMatchObject({ mine: true, items: [{ caseNo: c.caseNo }] });
    // The workflow is not involved: its wait goes on.
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    expect((await cases.get(c.caseNo))?.pendingTaskToken).toBe(c.pendingTaskToken);
  });

  it('reassigning within the department moves the case from one my-cases page to the other; the same assignee again writes nothing', async () => {
    const c = await pwdCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution', acknowledgedAt: '2026-11-27T02:00:00.000Z' });
    await assign(c.caseNo, { assignee: 'ann-pwd' });

    const moved = await assign(c.caseNo, { assignee: 'bob-pwd' }, CLAIMS.supervisor);
    const again = await assign(c.caseNo, { assignee: 'bob-pwd' }, CLAIMS.supervisor);

    expect(moved).toMatchObject({ statusCode: 200, body: { assignee: 'bob-pwd', version: 3 } });
    expect(again).toMatchObject({ statusCode: 200, body: { version: 3 } });
    expect((await cases.timeline(c.caseNo, {})).items.at(-1)).toMatchObject({ type: 'assigned', by: 'sup-1', data: { assignee: 'bob-pwd', previousAssignee: 'ann-pwd' } });
    expect((await mine(ANN)).items.map((i) => i.caseNo)).not.toContain(c.caseNo);
    expect((await mine({ ...ANN, sub: 'bob-pwd' })).items.map((i) => i.caseNo)).toContain(c.caseNo);
  });

  it('a case leaving the department (resolved, reassigned elsewhere) leaves the my-cases page; the page is a signed cursor walk', async () => {
    const bob = { ...ANN, sub: 'bob-pwd' };
    const before = (await mine(bob)).items.length;
    const done = await pwdCase();
    const away = await pwdCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution' });
    const stays = await pwdCase({ status: 'REOPENED' });
    for (const c of [done, away, stays]) expect((await assign(c.caseNo, { assignee: 'bob-pwd' })).statusCode).toBe(200);

    await cases.update(done.caseNo, 2, { set: { status: 'RESOLVED', resolution: '已填補' }, event: { type: 'resolved', by: 'bob-pwd' } });
    await cases.update(away.caseNo, 2, { set: { department: 'EPD' }, remove: ['assignee', 'assignedAt'], event: { type: 'reassigned', by: 'sup-1' } });

    const listed = (await mine(bob)).items.map((i) => i.caseNo);
    expect(listed).toContain(stays.caseNo);
    expect(listed).not.toContain(done.caseNo);
    expect(listed).not.toContain(away.caseNo);
    expect(listed).toHaveLength(before + 1);

    const first = await mine(bob, { limit: '1' });
    expect(first.items).toHaveLength(1);
    const second = await mine(bob, { limit: '1', cursor: first.cursor! });
    expect(second.items[0]?.caseNo).not.toBe(first.items[0]?.caseNo);
  });

  it('a case the department no longer holds is a 409 naming its status; another department\'s case a 404; nothing is written', async () => {
    const resolved = await pwdCase({ status: 'RESOLVED', waitingFor: 'survey', resolution: '已填補' });
    const epd = await pwdCase({ department: 'EPD' });

    expect(await assign(resolved.caseNo, { assignee: 'ann-pwd' })).toMatchObject({ statusCode: 409, body: { error: { currentStatus: 'RESOLVED' } } });
    expect(await assign(epd.caseNo, { assignee: 'eve-epd' })).toMatchObject({ statusCode: 404 });
    expect((await cases.get(resolved.caseNo))?.version).toBe(1);
    expect((await cases.get(epd.caseNo))?.version).toBe(1);
  });

  it('an assignee who is not staff of the case\'s department is a 400 naming assignee; so is a reason over 500 characters', async () => {
    const c = await pwdCase();

    for (const assignee of ['eve-epd', 'agent-1', 'nobody'])
      expect(await assign(c.caseNo, { assignee }), assignee).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'assignee' }] } } });
    expect(await assign(c.caseNo, {})).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'assignee' }] } } });
    expect(await assign(c.caseNo, { assignee: 'ann-pwd', reason: 'x'.repeat(501) })).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'reason' }] } } });
    expect((await cases.get(c.caseNo))?.version).toBe(1);
  });

  it('department staff who are not its lead, and agents, may not assign (403)', async () => {
    const c = await pwdCase();

    expect((await assign(c.caseNo, { assignee: 'ann-pwd' }, ANN)).statusCode).toBe(403);
    expect((await assign(c.caseNo, { assignee: 'ann-pwd' }, CLAIMS.agent)).statusCode).toBe(403);
    expect((await call(actions, apiEvent('assignCases', { body: { caseNos: [c.caseNo], assignee: 'ann-pwd' }, claims: ANN }))).statusCode).toBe(403);
  });
});

describe('bulk assign from the inbox', () => {
  it("reports each case's outcome in the order asked, and goes on after a refused one", async () => {
    const first = await pwdCase();
    const epd = await pwdCase({ department: 'EPD' });
    const resolved = await pwdCase({ status: 'RESOLVED', waitingFor: 'survey', resolution: '已填補' });
    const last = await pwdCase({ status: 'REOPENED' });
    const caseNos = [first.caseNo, epd.caseNo, resolved.caseNo, '20261127-99999', last.caseNo];

    const res = await call(actions, apiEvent('assignCases', { body: { caseNos, assignee: 'ann-pwd', reason: '本週輪值' }, claims: LEAD }));

    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({
      results: [
        { caseNo: first.caseNo, outcome: 'assigned', status: 'ASSIGNED', version: 2 },
        { caseNo: epd.caseNo, outcome: 'not-found' },
        { caseNo: resolved.caseNo, outcome: 'conflict', status: 'RESOLVED' },
        { caseNo: '20261127-99999', outcome: 'not-found' },
        { caseNo: last.caseNo, outcome: 'assigned', status: 'REOPENED', version: 2 },
      ],
      counts: { assigned: 2, 'not-found': 2, conflict: 1, failed: 0 },
    });
    const listed = (await mine(ANN)).items.map((i) => i.caseNo);
    expect(listed).toEqual(expect.arrayContaining([first.caseNo, last.caseNo]));
    expect((await cases.get(epd.caseNo))?.assignee).toBeUndefined();
  });

  it('an assignee outside a case\'s department fails that case (VALIDATION_FAILED), not the request; 400 naming caseNos or assignee for a bad body', async () => {
    const pwd = await pwdCase();
    const epd = await pwdCase({ department: 'EPD' });

    const res = await call(actions, apiEvent('assignCases', { body: { caseNos: [epd.caseNo, pwd.caseNo], assignee: 'eve-epd' }, claims: CLAIMS.supervisor }));

    expect(res).toMatchObject({ statusCode: 200, body: { results: [{ outcome: 'assigned' }, { outcome: 'failed', error: 'VALIDATION_FAILED' }] } });
    for (const body of [{ caseNos: [pwd.caseNo] }, { caseNos: [], assignee: 'ann-pwd' }, { caseNos: [pwd.caseNo, pwd.caseNo], assignee: 'ann-pwd' }]) {
      const bad = await call(actions, apiEvent('assignCases', { body, claims: LEAD }));
      expect(bad, JSON.stringify(body)).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: expect.stringMatching(/^(caseNos|assignee)/) as unknown }] } } });
    }
  });
});
