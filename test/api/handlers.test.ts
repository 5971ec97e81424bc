/**
 * Case API handlers with the AWS SDK mocked (aws-sdk-client-mock): what reaches DynamoDB / Step Functions, and
 * what the caller gets back, for bad input, unknown cases, stale versions, roles and faults.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.TABLE_NAME = 'citydesk-test';
  process.env.CASE_WORKFLOW_ARN = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:case-lifecycle';
});

import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { CaseEntity } from '../../functions/adapters/table';
import { handler as createCase } from '../../functions/api/handlers/create-case';
import { handler as getCase } from '../../functions/api/handlers/get-case';
import { handler as updateCase } from '../../functions/api/handlers/update-case';
import { handler as addNote } from '../../functions/api/handlers/add-note';
import { handler as listCases } from '../../functions/api/handlers/list-cases';
import { handler as reference } from '../../functions/api/handlers/reference';
import { aCase } from '../usecases/support/fakes';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { apiEvent, call, CLAIMS } from './support/events';

const ddbMock = mockClient(DynamoDBDocumentClient);
const sfnMock = mockClient(SFNClient);

beforeEach(() => {
  ddbMock.reset();
  sfnMock.reset();
});
afterAll(() => {
  ddbMock.restore();
  sfnMock.restore();
});

type ErrorBody = { error: { code: string; message: string; fields?: Array<{ path: string; message: string }>; requestId?: string } };

const validCreate = {
  category: 'street-light',
  description: '路燈整晚不亮',
  location: { district: 'zhongli', address: '中央西路二段 50 號', lat: 24.95, lng: 121.22 },
  reporter: { name: '王大明', phone: '0912-345-678', email: 'wang@example.org', anonymous: false, notify: 'sms' },
  channel: 'phone',
  attributes: { lightState: 'dark' },
};

function withCaseInStore(c = aCase()) {
  ddbMock.on(GetCommand, { Key: CaseEntity.key(c.caseNo) }).resolves({ Item: CaseEntity.toItem(c) });
  return c;
}

describe('POST /cases validation', () => {
  const cases: Array<[string, (b: typeof validCreate) => unknown, string]> = [
    ['missing category', ({ category: _c, ...b }) => b, 'category'],
    ['malformed category', (b) => ({ ...b, category: 'Street Light' }), 'category'],
    ['empty description', (b) => ({ ...b, description: '   ' }), 'description'],
    ['description over 4000 characters', (b) => ({ ...b, description: '洞'.repeat(4001) }), 'description'],
    ['missing location', ({ location: _l, ...b }) => b, 'location'],
    ['unknown district', (b) => ({ ...b, location: { ...b.location, district: 'gotham' } }), 'location.district'],
    ['empty address', (b) => ({ ...b, location: { ...b.location, address: '' } }), 'location.address'],
    ['latitude outside Taiwan', (b) => ({ ...b, location: { ...b.location, lat: 48.85 } }), 'location.lat'],
    ['longitude outside Taiwan', (b) => ({ ...b, location: { ...b.location, lng: 2.35 } }), 'location.lng'],
    ['a point in Taiwan outside the city (Taipei 101)', (b) => ({ ...b, location: { ...b.location, lat: 25.0339, lng: 121.5645 } }), 'location.lat'],
    ['a point in the sea off the city', (b) => ({ ...b, location: { ...b.location, lat: 25.2, lng: 121.1 } }), 'location.lat'],
    ['lat without lng', (b) => ({ ...b, location: { district: 'zhongli', address: 'x', lat: 24.9 } }), 'location.lng'],
    ['missing reporter', ({ reporter: _r, ...b }) => b, 'reporter'],
    ['phone that is not Taiwanese', (b) => ({ ...b, reporter: { ...b.reporter, phone: '+1 415 555 0100' } }), 'reporter.phone'],
    ['malformed email', (b) => ({ ...b, reporter: { ...b.reporter, email: 'wang-at-example' } }), 'reporter.email'],
    ['sms without a phone', (b) => ({ ...b, reporter: { name: '王大明', anonymous: false, notify: 'sms' } }), 'reporter.phone'],
    ['sms to a landline', (b) => ({ ...b, reporter: { ...b.reporter, phone: '03-425-1234' } }), 'reporter.phone'],
    ['email without an address', (b) => ({ ...b, reporter: { name: '王大明', anonymous: false, notify: 'email' } }), 'reporter.email'],
    ['anonymous with a name', (b) => ({ ...b, reporter: { anonymous: true, name: '王大明', notify: 'none' } }), 'reporter.name'],
    ['anonymous with a phone', (b) => ({ ...b, reporter: { anonymous: true, phone: '0912345678', notify: 'none' } }), 'reporter.phone'],
    ['unknown notify preference', (b) => ({ ...b, reporter: { ...b.reporter, notify: 'pigeon' } }), 'reporter.notify'],
    ['unknown channel', (b) => ({ ...b, channel: 'fax' }), 'channel'],
    ['unknown priority override', (b) => ({ ...b, priorityOverride: 'asap' }), 'priorityOverride'],
    ['attribute answer of the wrong shape', (b) => ({ ...b, attributes: { lightState: { nested: true } } }), 'attributes.lightState'],
    ['unknown top-level field', (b) => ({ ...b, citizenId: 'A123456789' }), 'citizenId'],
  ];

  it.each(cases)('%s is a 400 naming %s and nothing is written', async (_name, mutate, path) => {
    const res = await call(createCase, apiEvent('createCase', { body: mutate(structuredClone(validCreate)), claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(400);
    const body = res.body as ErrorBody;
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.fields!.map((f) => f.path)).toContain(path);
    expect(ddbMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it('a point outside the city is refused with the reason', async () => {
    const res = await call(createCase, apiEvent('createCase', { body: { ...validCreate, location: { ...validCreate.location, lat: 25.0339, lng: 121.5645 } }, claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(400);
    expect((res.body as ErrorBody).error.fields).toContainEqual({ path: 'location.lat', message: "is outside the city: no district's boundary holds 25.0339, 121.5645" });
  });

  it('a malformed JSON body is a 400 naming body', async () => {
    const res = await call(createCase, apiEvent('createCase', { rawBody: '{"category": "street-light",', claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(400);
    expect((res.body as ErrorBody).error.fields).toEqual([{ path: 'body', message: 'must be valid JSON' }]);
  });

  it('a malformed Idempotency-Key is a 400 naming it', async () => {
    const res = await call(createCase, apiEvent('createCase', { body: validCreate, headers: { 'idempotency-key': 'has spaces in it' }, claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(400);
    expect((res.body as ErrorBody).error.fields![0].path).toBe('Idempotency-Key');
  });

  it('department staff may not log cases: 403', async () => {
    const res = await call(createCase, apiEvent('createCase', { body: validCreate, claims: CLAIMS.staffPwd }));

    expect(res.statusCode).toBe(403);
    expect(ddbMock.calls()).toHaveLength(0);
  });
});

describe('GET /cases/{caseNo}', () => {
  it('an unknown case is a 404', async () => {
    ddbMock.on(GetCommand).resolves({});

    const res = await call(getCase, apiEvent('getCase', { pathParameters: { caseNo: '20261127-00099' } }));

    expect(res.statusCode).toBe(404);
    expect((res.body as ErrorBody).error.code).toBe('NOT_FOUND');
  });

  it('a malformed case number is a 400 naming caseNo', async () => {
    const res = await call(getCase, apiEvent('getCase', { pathParameters: { caseNo: '../etc' } }));

    expect(res.statusCode).toBe(400);
    expect((res.body as ErrorBody).error.fields![0].path).toBe('caseNo');
  });

  it('the agent who logged it sees the reporter unmasked shortly after intake, with the version as ETag', async () => {
    const c = withCaseInStore(aCase({ createdBy: 'agent-1', version: 3, pendingTaskToken: 'secret-token' }));
    const restoreClock = useClock(new ManualClock(new Date(Date.parse(c.createdAt) + 60_000)));

    const res = await call(getCase, apiEvent('getCase', { pathParameters: { caseNo: '20261127-00042' }, claims: CLAIMS.agent })).finally(restoreClock);

    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"3"');
    expect(res.body).toMatchObject({ caseNo: '20261127-00042', reporter: { name: '王大明', phone: '0912345678', masked: false } });
    expect(JSON.stringify(res.body)).not.toContain('secret-token');
  });

  it('another agent sees the reporter masked', async () => {
    withCaseInStore(aCase({ createdBy: 'agent-1' }));

    const res = await call(getCase, apiEvent('getCase', { pathParameters: { caseNo: '20261127-00042' }, claims: CLAIMS.otherAgent }));

    expect(res.body).toMatchObject({ reporter: { name: '王○明', phone: '0912-***-678', email: 'w***@example.org', masked: true } });
  });

  it("another department's case is a 404 for department staff", async () => {
    withCaseInStore(aCase({ department: 'PWD' }));

    const res = await call(getCase, apiEvent('getCase', { pathParameters: { caseNo: '20261127-00042' }, claims: CLAIMS.staffEpd }));

    expect(res.statusCode).toBe(404);
  });

  it('an unexpected fault is a 500 with the request id and nothing of the fault', async () => {
    ddbMock.on(GetCommand).rejects(new Error('connect ECONNREFUSED 10.1.2.3:443 table citydesk-prod'));

    const res = await call(getCase, apiEvent('getCase', { pathParameters: { caseNo: '20261127-00042' }, requestId: 'req-fault' }));

    expect(res.statusCode).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'Internal error', requestId: 'req-fault' } });
    expect(res.headers['x-request-id']).toBe('req-fault');
  });
});

describe('PATCH /cases/{caseNo}', () => {
  it('a stale version is a 412 and nothing is written', async () => {
    withCaseInStore(aCase({ version: 5 }));

    const res = await call(
      updateCase,
      apiEvent('updateCase', { pathParameters: { caseNo: '20261127-00042' }, body: { description: '更新' }, headers: { 'if-match': '"4"' }, claims: CLAIMS.agent }),
    );

    expect(res.statusCode).toBe(412);
    expect(res.body).toMatchObject({ error: { code: 'PRECONDITION_FAILED', currentVersion: 5 } });
    expect(ddbMock.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('without If-Match it is a 428 and nothing is read or written', async () => {
    const res = await call(updateCase, apiEvent('updateCase', { pathParameters: { caseNo: '20261127-00042' }, body: { description: '更新' }, claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(428);
    expect((res.body as ErrorBody).error.code).toBe('PRECONDITION_REQUIRED');
    expect(ddbMock.calls()).toHaveLength(0);
  });

  it('a malformed If-Match is a 400 naming If-Match', async () => {
    const res = await call(
      updateCase,
      apiEvent('updateCase', { pathParameters: { caseNo: '20261127-00042' }, body: { description: '更新' }, headers: { 'if-match': '*' }, claims: CLAIMS.agent }),
    );

    expect(res.statusCode).toBe(400);
    expect((res.body as ErrorBody).error.fields![0].path).toBe('If-Match');
  });

  it.each([
    ['an empty patch', {}, 'body'],
    ['a reporter name', { reporter: { name: '李小華' } }, 'reporter.name'],
    ['the status', { status: 'CLOSED' }, 'status'],
  ])('%s is a 400 naming %s', async (_name, body, path) => {
    const res = await call(updateCase, apiEvent('updateCase', { pathParameters: { caseNo: '20261127-00042' }, body, headers: { 'if-match': '3' }, claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(400);
    expect((res.body as ErrorBody).error.fields!.map((f) => f.path)).toContain(path);
  });

  it('department staff may not correct cases: 403', async () => {
    const res = await call(
      updateCase,
      apiEvent('updateCase', { pathParameters: { caseNo: '20261127-00042' }, body: { description: 'x' }, headers: { 'if-match': '3' }, claims: CLAIMS.staffPwd }),
    );

    expect(res.statusCode).toBe(403);
  });
});

describe('other routes', () => {
  it('a note on an unknown case is a 404', async () => {
    ddbMock.on(GetCommand).resolves({});

    const res = await call(addNote, apiEvent('addCaseNote', { pathParameters: { caseNo: '20261127-00099' }, body: { text: '已聯絡' }, claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(404);
  });

  it('an unknown list filter is a 400 naming it', async () => {
    const res = await call(listCases, apiEvent('listCases', { query: { colour: 'red' } }));

    expect(res.statusCode).toBe(400);
    expect((res.body as ErrorBody).error.fields![0].path).toBe('colour');
  });

  it('departments are listed without their notification endpoints', async () => {
    const res = await call(reference, apiEvent('listDepartments'));

    expect(res.statusCode).toBe(200);
    const { items } = res.body as { items: Array<Record<string, unknown>> };
    expect(items.length).toBeGreaterThan(10);
    expect(items.every((d) => !('subscriptions' in d))).toBe(true);
  });

  it('an unknown SOP category is a 404', async () => {
    const res = await call(reference, apiEvent('getSop', { pathParameters: { category: 'ufo-sighting' } }));

    expect(res.statusCode).toBe(404);
  });
});
