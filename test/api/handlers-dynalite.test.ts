/**
 * The case API handlers against a real DynamoDB API (dynalite), Step Functions mocked: the production clients
 * from functions/adapters/clients.ts reach dynalite through AWS_ENDPOINT_URL_DYNAMODB, as in the local cloud.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { startDynalite, guardAgainstScan, type LocalTable } from '../support/dynalite';
import type { ApiHandler } from '../../functions/api/http';
import { apiEvent, call, CLAIMS } from './support/events';

const STATE_MACHINE = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:case-lifecycle';
const sfnMock = mockClient(SFNClient);

let local: LocalTable;
let h: Record<'createCase' | 'getCase' | 'updateCase' | 'addNote' | 'timeline' | 'listCases', ApiHandler>;

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-api-test' });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.TABLE_NAME = local.tableName;
  process.env.CASE_WORKFLOW_ARN = STATE_MACHINE;
  guardAgainstScan((await import('../../functions/adapters/clients')).ddb());
  h = {
    createCase: (await import('../../functions/api/handlers/create-case')).handler,
    getCase: (await import('../../functions/api/handlers/get-case')).handler,
    updateCase: (await import('../../functions/api/handlers/update-case')).handler,
    addNote: (await import('../../functions/api/handlers/add-note')).handler,
    timeline: (await import('../../functions/api/handlers/get-timeline')).handler,
    listCases: (await import('../../functions/api/handlers/list-cases')).handler,
  };
});
afterAll(async () => {
  sfnMock.restore();
  await local.close();
});
beforeEach(() => {
  sfnMock.reset();
  sfnMock.on(StartExecutionCommand).callsFake((input: { name: string }) => ({ executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${input.name}`, startDate: new Date(0) }));
});

const pothole = {
  category: 'pothole',
  description: '中山路一段近中正路口有大坑洞，機車差點摔倒',
  location: { district: 'zhongli', address: '中山路一段 100 號前' },
  reporter: { name: '王大明', phone: '0912-345-678', anonymous: false, notify: 'sms' },
  channel: 'phone',
  attributes: { size: 'large', dangerous: 'yes' },
};

type CaseBody = { caseNo: string; version: number; status: string; executionArn?: string; description: string };

describe('case API over DynamoDB', () => {
  it('the same Idempotency-Key and body return the same case (201 then 200); another body is a 422', async () => {
    const headers = { 'idempotency-key': 'call-7f3a' };

    const first = await call(h.createCase, apiEvent('createCase', { body: pothole, headers, claims: CLAIMS.agent }));
    const again = await call(h.createCase, apiEvent('createCase', { body: pothole, headers, claims: CLAIMS.agent }));
    const other = await call(h.createCase, apiEvent('createCase', { body: { ...pothole, description: '另一個坑' }, headers, claims: CLAIMS.agent }));

    expect(first.statusCode).toBe(201);
    expect(first.headers.location).toBe(`/cases/${(first.body as CaseBody).caseNo}`);
    expect(again.statusCode).toBe(200);
    expect((again.body as CaseBody).caseNo).toBe((first.body as CaseBody).caseNo);
    expect(other.statusCode).toBe(422);
    expect(other.body).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    // The replay starts the same execution again (the case records none): one name, so Step Functions runs one.
    const starts = sfnMock.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(starts).toHaveLength(2);
    for (const start of starts) expect(start).toMatchObject({ stateMachineArn: STATE_MACHINE, name: (first.body as CaseBody).caseNo, input: JSON.stringify({ caseNo: (first.body as CaseBody).caseNo }) });
  });

  it('concurrent retries with one key create one case', async () => {
    const headers = { 'idempotency-key': 'call-race' };

    const results = await Promise.all([1, 2, 3].map(() => call(h.createCase, apiEvent('createCase', { body: pothole, headers, claims: CLAIMS.agent }))));

    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(results.map((r) => (r.body as CaseBody).caseNo)).size).toBe(1);
  });

  it('a case is read, corrected with If-Match, noted, and its timeline tells the story', async () => {
    const created = await call(h.createCase, apiEvent('createCase', { body: pothole, claims: CLAIMS.agent }));
    const { caseNo } = created.body as CaseBody;
    const path = { caseNo };

    const read = await call(h.getCase, apiEvent('getCase', { pathParameters: path, claims: CLAIMS.agent }));
    expect(read.body).toMatchObject({ caseNo, status: 'NEW', reporter: { phone: '0912345678' } });
    // The execution ARN names the account, region and state machine: only admins see it.
    expect(read.body).not.toHaveProperty('executionArn');

    const patched = await call(h.updateCase, apiEvent('updateCase', { pathParameters: path, body: { description: '坑洞擴大' }, headers: { 'if-match': read.headers.etag }, claims: CLAIMS.agent }));
    expect(patched.statusCode).toBe(200);
    expect(patched.headers.etag).toBe(`"${(read.body as CaseBody).version + 1}"`);

    const stale = await call(h.updateCase, apiEvent('updateCase', { pathParameters: path, body: { description: '再改' }, headers: { 'if-match': read.headers.etag }, claims: CLAIMS.agent }));
    expect(stale.statusCode).toBe(412);
    const after = await call(h.getCase, apiEvent('getCase', { pathParameters: path, claims: CLAIMS.agent }));
    expect((after.body as CaseBody).description).toBe('坑洞擴大');

    const note = await call(h.addNote, apiEvent('addCaseNote', { pathParameters: path, body: { text: '已回電民眾' }, claims: CLAIMS.supervisor }));
    expect(note.statusCode).toBe(201);

    const timeline = await call(h.timeline, apiEvent('getCaseTimeline', { pathParameters: path, claims: CLAIMS.supervisor }));
    const events = (timeline.body as { items: Array<{ type: string; data?: Record<string, unknown> }> }).items;
    // The agent's two reads within the intake window showed the reporter unmasked: each is a `pii-viewed` event.
    expect(events.map((e) => e.type)).toEqual(['created', 'pii-viewed', 'updated', 'pii-viewed', 'note']);
    expect(events[2].data).toEqual({ fields: 'description' });
  });

  it('new cases are listed in the NEW status queue; staff must name a status for their queue', async () => {
    const list = await call(h.listCases, apiEvent('listCases', { query: { status: 'NEW' }, claims: CLAIMS.supervisor }));
    expect(list.statusCode).toBe(200);
    expect((list.body as { items: unknown[] }).items.length).toBeGreaterThan(0);

    const staff = await call(h.listCases, apiEvent('listCases', { claims: CLAIMS.staffPwd }));
    expect(staff.statusCode).toBe(400);
    expect(staff.body).toMatchObject({ error: { fields: [{ path: 'status' }] } });
  });
});
