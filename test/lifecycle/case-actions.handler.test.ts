/**
 * POST /cases/{caseNo}/<action> through the HTTP handler (functions/api/handlers/case-actions.ts): the real
 * pipeline (JWT claims to Actor, route roles, zod bodies, the one error mapper), DynamoDB on dynalite, Step
 * Functions mocked at the SDK.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import type { ApiHandler } from '../../functions/api/http';
import type { Case } from '../../functions/domain/case';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { departmentCase } from './support/department-case';
import { apiEvent, call, CLAIMS } from '../api/support/events';

const sfnMock = mockClient(SFNClient);
let local: LocalTable;
let cases: DynamoCaseRepository;
let handler: ApiHandler;
let seq = 0;

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-actions-test' });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.TABLE_NAME = local.tableName;
  process.env.CASE_WORKFLOW_ARN = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:case-lifecycle';
  cases = new DynamoCaseRepository(local.ddb, local.tableName);
  handler = (await import('../../functions/api/handlers/case-actions')).handler;
});
afterAll(async () => {
  sfnMock.restore();
  await local.close();
});
beforeEach(() => {
  sfnMock.reset();
  sfnMock.on(SendTaskSuccessCommand).resolves({});
  sfnMock.on(SendTaskFailureCommand).resolves({});
});

function pwdCase(state: Partial<Case>): Promise<Case> {
  seq += 1;
  return departmentCase(cases, seq, state);
}

describe('case actions over HTTP', () => {
  it('department staff acknowledge their case: 200 with the case and its version, and the task is answered', async () => {
    const c = await pwdCase({});

    const res = await call(handler, apiEvent('acknowledgeCase', { pathParameters: { caseNo: c.caseNo }, claims: CLAIMS.staffPwd }));

    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({ caseNo: c.caseNo, status: 'ACKNOWLEDGED', version: 2 });
    expect(res.body).not.toHaveProperty('pendingTaskToken');
    const [send] = sfnMock.commandCalls(SendTaskSuccessCommand);
    expect(send.args[0].input.taskToken).toBe(c.pendingTaskToken);
    expect(JSON.parse(send.args[0].input.output!)).toMatchObject({ waitingFor: 'resolution', dueAt: '2030-12-02T01:00:00.000Z', event: 'waiting' });
  });

  it("another department's case is a 404, as if it did not exist", async () => {
    const c = await pwdCase({});

    const res = await call(handler, apiEvent('acknowledgeCase', { pathParameters: { caseNo: c.caseNo }, claims: CLAIMS.staffEpd }));

    expect(res.statusCode).toBe(404);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it('an action that does not fit the state is a 409 naming the current status', async () => {
    const c = await pwdCase({});

    const res = await call(handler, apiEvent('resolveCase', { pathParameters: { caseNo: c.caseNo }, body: { resolution: '好了' }, claims: CLAIMS.staffPwd }));

    expect(res.statusCode).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'ILLEGAL_TRANSITION', currentStatus: 'ASSIGNED', requested: 'RESOLVED' } });
  });

  it('a missing resolution, reason or answer is a 400 naming the field', async () => {
    const c = await pwdCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution' });

    const resolve = await call(handler, apiEvent('resolveCase', { pathParameters: { caseNo: c.caseNo }, body: {}, claims: CLAIMS.staffPwd }));
    const ret = await call(handler, apiEvent('returnCase', { pathParameters: { caseNo: c.caseNo }, body: { reason: '  ' }, claims: CLAIMS.staffPwd }));
    const survey = await call(handler, apiEvent('recordSurvey', { pathParameters: { caseNo: c.caseNo }, body: { answer: 'meh' }, claims: CLAIMS.agent }));
    const merge = await call(handler, apiEvent('mergeCase', { pathParameters: { caseNo: c.caseNo }, body: { parentCaseNo: '42' }, claims: CLAIMS.agent }));

    expect(resolve).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'resolution' }] } } });
    expect(ret).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'reason', message: 'must not be empty' }] } } });
    expect(survey).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'answer' }] } } });
    expect(merge).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'parentCaseNo' }] } } });
    expect((await cases.get(c.caseNo))?.version).toBe(1);
  });

  it('roles come from the route table: an agent may not acknowledge, staff may not reassign', async () => {
    const c = await pwdCase({});

    const ack = await call(handler, apiEvent('acknowledgeCase', { pathParameters: { caseNo: c.caseNo }, claims: CLAIMS.agent }));
    const reassign = await call(handler, apiEvent('reassignCase', { pathParameters: { caseNo: c.caseNo }, body: { department: 'EPD' }, claims: CLAIMS.staffPwd }));

    expect(ack.statusCode).toBe(403);
    expect(reassign.statusCode).toBe(403);
  });

  it('a return fails the waiting task with Case.Returned and the reason', async () => {
    const c = await pwdCase({});

    const res = await call(handler, apiEvent('returnCase', { pathParameters: { caseNo: c.caseNo }, body: { reason: '非本局權責' }, claims: CLAIMS.staffPwd }));

    expect(res).toMatchObject({ statusCode: 200, body: { status: 'RETURNED' } });
    expect(sfnMock.commandCalls(SendTaskFailureCommand)[0].args[0].input).toEqual({ taskToken: c.pendingTaskToken, error: 'Case.Returned', cause: '非本局權責' });
  });

  it('a supervisor takes an open case from its department: 400 without a reason, 409 once resolved, else the wait fails with Case.Reassigned', async () => {
    const c = await pwdCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution', acknowledgedAt: '2026-11-27T01:30:00.000Z' });
    const done = await pwdCase({ status: 'RESOLVED', waitingFor: 'survey', resolvedAt: '2026-11-27T01:30:00.000Z', resolution: '已填補' });
    const reassign = (caseNo: string, body: Record<string, string>) => call(handler, apiEvent('reassignCase', { pathParameters: { caseNo }, body, claims: CLAIMS.supervisor }));

    const noReason = await reassign(c.caseNo, { department: 'EPD' });
    const tooLong = await reassign(c.caseNo, { department: 'EPD', reason: '很'.repeat(501) });
    const resolved = await reassign(done.caseNo, { department: 'EPD', reason: '改由環保局處理' });
    const ok = await reassign(c.caseNo, { department: 'EPD', reason: '改由環保局處理' });

    expect(noReason).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'reason' }] } } });
    expect(tooLong).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'reason', message: 'must be at most 500 characters' }] } } });
    expect(resolved).toMatchObject({ statusCode: 409, body: { error: { code: 'ILLEGAL_TRANSITION', currentStatus: 'RESOLVED' } } });
    expect(ok).toMatchObject({ statusCode: 200, body: { status: 'ASSIGNED', department: 'EPD' } });
    expect(sfnMock.commandCalls(SendTaskFailureCommand).map((x) => x.args[0].input)).toEqual([{ taskToken: c.pendingTaskToken, error: 'Case.Reassigned', cause: '改由環保局處理' }]);
  });

  it("bulk acknowledge reports each case's outcome in the order asked, and one case's failure stops none of the others", async () => {
    const first = await pwdCase({});
    const otherDepartment = await pwdCase({ department: 'EPD' });
    const resolved = await pwdCase({ status: 'RESOLVED', waitingFor: 'survey', resolvedAt: '2026-11-27T01:30:00.000Z', resolution: '已填補' });
    const last = await pwdCase({ status: 'REOPENED' });
    const caseNos = [first.caseNo, otherDepartment.caseNo, resolved.caseNo, '20261127-99999', last.caseNo];

    const res = await call(handler, apiEvent('acknowledgeCases', { body: { caseNos, note: '一併簽收' }, claims: CLAIMS.staffPwd }));

    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({
      results: [
        { caseNo: first.caseNo, outcome: 'acknowledged', status: 'ACKNOWLEDGED', version: 2 },
        { caseNo: otherDepartment.caseNo, outcome: 'not-found' },
        { caseNo: resolved.caseNo, outcome: 'conflict', status: 'RESOLVED' },
        { caseNo: '20261127-99999', outcome: 'not-found' },
        { caseNo: last.caseNo, outcome: 'acknowledged', status: 'ACKNOWLEDGED', version: 2 },
      ],
      counts: { acknowledged: 2, 'not-found': 2, conflict: 1, failed: 0 },
    });
    expect(sfnMock.commandCalls(SendTaskSuccessCommand).map((x) => x.args[0].input.taskToken)).toEqual([first.pendingTaskToken, last.pendingTaskToken]);
    expect((await cases.get(otherDepartment.caseNo))?.status).toBe('ASSIGNED');
    expect((await cases.timeline(first.caseNo, {})).items.at(-1)).toMatchObject({ type: 'acknowledged', by: 'staff-pwd', text: '一併簽收' });
  });

  it('a failed answer to the workflow is that case\'s outcome (failed), and the next case is still acknowledged', async () => {
    const stuck = await pwdCase({});
    const next = await pwdCase({});
    sfnMock.on(SendTaskSuccessCommand, { taskToken: stuck.pendingTaskToken }).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    const res = await call(handler, apiEvent('acknowledgeCases', { body: { caseNos: [stuck.caseNo, next.caseNo] }, claims: CLAIMS.staffPwd }));

    expect(res).toMatchObject({ statusCode: 200, body: { counts: { acknowledged: 1, failed: 1 } } });
    expect((res.body as { results: Array<{ outcome: string }> }).results.map((r) => r.outcome)).toEqual(['failed', 'acknowledged']);
  });

  it('bulk acknowledge: 400 naming caseNos when empty, too many, repeated or not case numbers; 403 for an agent', async () => {
    const c = await pwdCase({});
    const ask = (body: unknown, claims: Record<string, string> = CLAIMS.staffPwd) => call(handler, apiEvent('acknowledgeCases', { body, claims }));
    const many = Array.from({ length: 51 }, (_, i) => `20261127-${String(90000 + i).padStart(5, '0')}`);

    for (const body of [{}, { caseNos: [] }, { caseNos: many }, { caseNos: [c.caseNo, c.caseNo] }, { caseNos: ['42'] }])
      expect(await ask(body), JSON.stringify(body).slice(0, 40)).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: expect.stringMatching(/^caseNos/) as unknown }] } } });
    expect((await ask({ caseNos: [c.caseNo] }, CLAIMS.agent)).statusCode).toBe(403);
    expect((await cases.get(c.caseNo))?.version).toBe(1);
  });

  it("bulk reassign sends returned and open cases to one department with one reason, each with its outcome, and goes on past a refused one", async () => {
    const open = await pwdCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution', acknowledgedAt: '2026-11-27T01:30:00.000Z' });
    const returned = await pwdCase({ status: 'RETURNED', department: undefined, waitingFor: 'reassignment' });
    const resolved = await pwdCase({ status: 'RESOLVED', waitingFor: 'survey', resolvedAt: '2026-11-27T01:30:00.000Z', resolution: '已填補' });
    const already = await pwdCase({ department: 'EPD' });
    const caseNos = [open.caseNo, '20261127-99999', resolved.caseNo, already.caseNo, returned.caseNo];

    const res = await call(handler, apiEvent('reassignCases', { body: { caseNos, department: 'EPD', reason: '改由環保局處理' }, claims: CLAIMS.supervisor }));

    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({
      results: [
        { caseNo: open.caseNo, outcome: 'reassigned', status: 'ASSIGNED', version: 2 },
        { caseNo: '20261127-99999', outcome: 'not-found' },
        { caseNo: resolved.caseNo, outcome: 'conflict', status: 'RESOLVED' },
        { caseNo: already.caseNo, outcome: 'failed', error: 'VALIDATION_FAILED' },
        { caseNo: returned.caseNo, outcome: 'reassigned', status: 'ASSIGNED', version: 2 },
      ],
      counts: { reassigned: 2, 'not-found': 1, conflict: 1, failed: 1 },
    });
    expect((await cases.get(open.caseNo))?.department).toBe('EPD');
    expect((await cases.get(returned.caseNo))?.department).toBe('EPD');
    expect((await cases.get(resolved.caseNo))?.version).toBe(1);
    expect(sfnMock.commandCalls(SendTaskFailureCommand).map((x) => x.args[0].input)).toEqual([{ taskToken: open.pendingTaskToken, error: 'Case.Reassigned', cause: '改由環保局處理' }]);
    expect(sfnMock.commandCalls(SendTaskSuccessCommand).map((x) => x.args[0].input.taskToken)).toEqual([returned.pendingTaskToken]);
    expect((await cases.timeline(returned.caseNo, {})).items.at(-1)).toMatchObject({ type: 'reassigned', by: 'sup-1', data: { to: 'EPD', reason: '改由環保局處理' } });
  });

  it('bulk reassign: 400 naming department (nothing touched), reason or caseNos; 403 for department staff', async () => {
    const c = await pwdCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution' });
    const ask = (body: unknown, claims: Record<string, string> = CLAIMS.supervisor) => call(handler, apiEvent('reassignCases', { body, claims }));

    expect(await ask({ caseNos: [c.caseNo], department: 'NOPE', reason: '改派' })).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'department' }] } } });
    expect(await ask({ caseNos: [c.caseNo], department: 'EPD' })).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'reason' }] } } });
    expect(await ask({ caseNos: [c.caseNo], department: 'EPD', reason: '很'.repeat(501) })).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'reason' }] } } });
    expect(await ask({ caseNos: [], department: 'EPD', reason: '改派' })).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'caseNos' }] } } });
    expect((await ask({ caseNos: [c.caseNo], department: 'EPD', reason: '改派' }, CLAIMS.staffPwd)).statusCode).toBe(403);
    expect((await cases.get(c.caseNo))?.version).toBe(1);
    expect(sfnMock.commandCalls(SendTaskFailureCommand)).toHaveLength(0);
  });

  it('when the task is already over the change still stands (200): the workflow picks it up', async () => {
    const c = await pwdCase({});
    sfnMock.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' }));

    const res = await call(handler, apiEvent('acknowledgeCase', { pathParameters: { caseNo: c.caseNo }, body: { note: '已派員' }, claims: CLAIMS.staffPwd }));

    expect(res).toMatchObject({ statusCode: 200, body: { status: 'ACKNOWLEDGED' } });
  });
});

describe('satisfaction callbacks over HTTP', () => {
  const awaitingCallback = (state: Partial<Case> = {}) =>
    pwdCase({ status: 'RESOLVED', waitingFor: 'survey', resolution: '已填補', resolvedAt: '2026-11-28T01:00:00.000Z', waitDueAt: '2030-12-03T09:00:00.000Z', ...state });
  const noAnswer = (c: Pick<Case, 'caseNo'>, version: number, body: unknown = {}, claims: Record<string, string> = CLAIMS.agent) =>
    call(handler, apiEvent('recordNoAnswer', { pathParameters: { caseNo: c.caseNo }, body, claims, headers: { 'if-match': String(version) } }));

  it('a call nobody answered counts an attempt and a time to call again; the workflow keeps waiting', async () => {
    const c = await awaitingCallback();

    const res = await noAnswer(c, c.version, { retryAt: '2030-11-30T02:00:00.000Z' });

    expect(res).toMatchObject({ statusCode: 200, body: { status: 'RESOLVED', callback: { attempts: 1, retryAt: '2030-11-30T02:00:00.000Z' } } });
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    const stored = (await cases.get(c.caseNo))!;
    expect(stored.pendingTaskToken).toBe(c.pendingTaskToken);
  });

  it("the SOP's last attempt (three by default) closes the case as unanswered and answers the workflow", async () => {
    let c = await awaitingCallback();
    for (let i = 0; i < 2; i++) {
      const res = await noAnswer(c, c.version);
      expect(res.statusCode).toBe(200);
      c = (await cases.get(c.caseNo))!;
    }

    const last = await noAnswer(c, c.version);

    expect(last).toMatchObject({ statusCode: 200, body: { status: 'CLOSED', survey: { answer: 'unanswered' }, callback: { attempts: 3 } } });
    expect(sfnMock.commandCalls(SendTaskSuccessCommand).map((call) => JSON.parse(call.args[0].input.output!) as unknown)).toEqual([{ outcome: 'surveyed', answer: 'unanswered' }]);
  });

  it('a double click records one attempt: the second carries a stale version and is a 412', async () => {
    const c = await awaitingCallback();

    const first = await noAnswer(c, c.version);
    const second = await noAnswer(c, c.version);

    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(412);
    expect((await cases.get(c.caseNo))!.callback?.attempts).toBe(1);
  });

  it('a case not waiting for the callback is a 409 with its status; without If-Match a 428; department staff are refused (403)', async () => {
    const open = await pwdCase({});
    const waiting = await awaitingCallback({ department: 'EPD' });

    const wrongState = await noAnswer(open, open.version);
    const noVersion = await call(handler, apiEvent('recordNoAnswer', { pathParameters: { caseNo: waiting.caseNo }, body: {}, claims: CLAIMS.agent }));
    const staffOfOther = await noAnswer(waiting, waiting.version, {}, CLAIMS.staffPwd);
    const past = await noAnswer(waiting, waiting.version, { retryAt: '2020-01-01T00:00:00.000Z' });

    expect(wrongState).toMatchObject({ statusCode: 409, body: { error: { currentStatus: 'ASSIGNED' } } });
    expect(noVersion.statusCode).toBe(428);
    expect(staffOfOther.statusCode).toBe(403);
    expect(past).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'retryAt' }] } } });
  });

  it('an answered call records the 1 to 5 rating with the answer; a rating outside 1 to 5 names the field', async () => {
    const c = await awaitingCallback();

    const bad = await call(handler, apiEvent('recordSurvey', { pathParameters: { caseNo: c.caseNo }, body: { answer: 'satisfied', rating: 6 }, claims: CLAIMS.agent }));
    const res = await call(handler, apiEvent('recordSurvey', { pathParameters: { caseNo: c.caseNo }, body: { answer: 'satisfied', rating: 4, comment: '很快' }, claims: CLAIMS.agent }));

    expect(bad).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'rating' }] } } });
    expect(res).toMatchObject({ statusCode: 200, body: { status: 'CLOSED', survey: { answer: 'satisfied', rating: 4, comment: '很快' } } });
  });
});
