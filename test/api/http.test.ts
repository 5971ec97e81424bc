import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { actorFromClaims } from '../../functions/api/actor-from-claims';
import { httpHandler, jsonDepthExceeds, publicHttpHandler, routeDispatcher } from '../../functions/api/http';
import { DEFAULT_MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../../functions/api/routes';
import { ConflictError, IllegalTransitionError, NotFoundError, PreconditionFailedError } from '../../functions/domain/errors';
import { apiEvent, call, CLAIMS } from './support/events';
import type { Context } from 'aws-lambda';
import { open311Handler } from '../../functions/open311/http';
import { OPEN311_DEFAULTS } from '../../functions/open311/settings';

afterEach(() => vi.restoreAllMocks());

const noteBody = z.strictObject({ text: z.string().min(1, 'must not be empty'), nested: z.object({ n: z.number() }).optional() });

describe('httpHandler', () => {
  it('gives the function the actor, the validated body and lower-cased headers, and answers JSON with x-request-id', async () => {
    const seen: unknown[] = [];
    const handler = httpHandler('addCaseNote', { body: noteBody }, async (req) => {
      seen.push(req.actor, req.body, req.headers['if-match']);
      return { statusCode: 201, body: { ok: true } };
    });

    const res = await call(handler, apiEvent('addCaseNote', { pathParameters: { caseNo: '20261127-00001' }, body: { text: 'hi' }, headers: { 'If-Match': '3' }, claims: CLAIMS.staffPwd, requestId: 'r-1' }));

    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).toBe('r-1');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(seen).toEqual([{ id: 'staff-pwd', role: 'staff', department: 'PWD' }, { text: 'hi' }, '3']);
  });

  it('decodes a base64 body', async () => {
    const handler = httpHandler('addCaseNote', { body: noteBody }, async ({ body }) => ({ body }));

    const res = await call(handler, apiEvent('addCaseNote', { pathParameters: { caseNo: '20261127-00001' }, body: { text: '路燈不亮' }, base64: true }));

    expect(res.body).toEqual({ text: '路燈不亮' });
  });

  it('a malformed JSON body is a 400 naming body', async () => {
    const handler = httpHandler('addCaseNote', { body: noteBody }, async () => ({ body: {} }));

    const res = await call(handler, apiEvent('addCaseNote', { pathParameters: { caseNo: '20261127-00001' }, rawBody: '{"text": ' }));

    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED', fields: [{ path: 'body', message: expect.any(String) }] } });
  });

  it("a body over the route's size limit is a 413 naming body, refused before parsing", async () => {
    const handler = httpHandler('addCaseNote', { body: noteBody }, async () => ({ body: {} }));
    const parse = vi.spyOn(JSON, 'parse');

    const res = await call(handler, apiEvent('addCaseNote', { pathParameters: { caseNo: '20261127-00001' }, rawBody: JSON.stringify({ text: 'x'.repeat(DEFAULT_MAX_BODY_BYTES) }) }));

    expect(res.statusCode).toBe(413);
    expect(res.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', fields: [{ path: 'body', message: expect.stringMatching(/at most \d+ bytes/) }] } });
    expect(parse.mock.calls.filter(([text]) => typeof text === 'string' && text.length > DEFAULT_MAX_BODY_BYTES)).toEqual([]);
  });

  it('the limit is per route: a case body may be larger than a note, base64 counted as decoded bytes', async () => {
    const handler = httpHandler('createCase', { body: z.object({ text: z.string() }) }, async ({ body }) => ({ body: { length: body.text.length } }));
    const text = 'x'.repeat(DEFAULT_MAX_BODY_BYTES + 10);

    expect((await call(handler, apiEvent('createCase', { body: { text } }))).body).toEqual({ length: text.length });
    expect((await call(handler, apiEvent('createCase', { body: { text: text.repeat(5) }, base64: true }))).statusCode).toBe(413);
  });

  it('a body nested deeper than the limit is a 400 naming body, before parsing; strings do not count', async () => {
    const handler = httpHandler('addCaseNote', { body: noteBody }, async () => ({ body: {} }));
    const deep = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);

    const res = await call(handler, apiEvent('addCaseNote', { pathParameters: { caseNo: '20261127-00001' }, rawBody: deep }));

    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ error: { fields: [{ path: 'body', message: expect.stringMatching(/levels deep/) }] } });
    expect(jsonDepthExceeds(JSON.stringify({ text: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["\\' }), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
  });

  it('a missing body is a 400 naming body', async () => {
    const handler = httpHandler('addCaseNote', { body: noteBody }, async () => ({ body: {} }));

    const res = await call(handler, apiEvent('addCaseNote', { pathParameters: { caseNo: '20261127-00001' } }));

    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ error: { fields: [{ path: 'body' }] } });
  });

  it('a schema violation is a 400 naming each field, unknown keys included', async () => {
    const handler = httpHandler('addCaseNote', { body: noteBody }, async () => ({ body: {} }));

    const res = await call(handler, apiEvent('addCaseNote', { pathParameters: { caseNo: '20261127-00001' }, body: { text: '', nested: { n: 'x' }, extra: 1 } }));

    expect(res.statusCode).toBe(400);
    const paths = (res.body as { error: { fields: Array<{ path: string }> } }).error.fields.map((f) => f.path).sort();
    expect(paths).toEqual(['extra', 'nested.n', 'text']);
  });

  it('a role not in the route list is a 403 and the function never runs', async () => {
    const fn = vi.fn(async () => ({ body: {} }));
    const handler = httpHandler('updateCase', fn);

    const res = await call(handler, apiEvent('updateCase', { pathParameters: { caseNo: '20261127-00001' }, body: {}, claims: CLAIMS.staffPwd }));

    expect(res.statusCode).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(fn).not.toHaveBeenCalled();
  });

  it('no claims is a 401', async () => {
    const handler = httpHandler('listCases', async () => ({ body: {} }));

    const res = await call(handler, apiEvent('listCases', { claims: null }));

    expect(res.statusCode).toBe(401);
  });

  it('an unexpected error is a 500 with the request id and nothing of the error', async () => {
    const handler = httpHandler('listCases', async () => {
      throw new TypeError('secret table citydesk-prod exploded at line 42');
    });

    const res = await call(handler, apiEvent('listCases', { requestId: 'r-500' }));

    expect(res.statusCode).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'Internal error', requestId: 'r-500' } });
  });

  it.each([
    [new NotFoundError('Case x not found'), 404, { code: 'NOT_FOUND' }],
    [new IllegalTransitionError('20261127-00001', 'CLOSED', 'ACKNOWLEDGED'), 409, { code: 'ILLEGAL_TRANSITION', currentStatus: 'CLOSED' }],
    [new ConflictError('already merged', { parentCaseNo: 'p' }), 409, { code: 'CONFLICT', details: { parentCaseNo: 'p' } }],
    [new PreconditionFailedError('stale', 7), 412, { code: 'PRECONDITION_FAILED', currentVersion: 7 }],
  ])('maps %s to its status', async (err, status, error) => {
    const handler = httpHandler('listCases', async () => {
      throw err;
    });

    const res = await call(handler, apiEvent('listCases'));

    expect(res.statusCode).toBe(status);
    expect(res.body).toMatchObject({ error });
  });

  it('refuses at cold start to wrap an unknown route id or a public route', () => {
    expect(() => httpHandler('noSuchRoute', async () => ({}))).toThrow(/Unknown route/);
    expect(() => httpHandler('getOpenApi', async () => ({}))).toThrow(/public/);
  });

  it('a public handler runs without claims', async () => {
    const handler = publicHttpHandler('getOpenApi', async () => ({ body: { openapi: '3.1.0' } }));

    const res = await call(handler, apiEvent('getOpenApi', { claims: null }));

    expect(res.statusCode).toBe(200);
  });

  it('a dispatcher sends each route to its own handler', async () => {
    const handler = routeDispatcher({
      listSops: httpHandler('listSops', async () => ({ body: { which: 'list' } })),
      getSop: httpHandler('getSop', async ({ pathParameters }) => ({ body: { which: pathParameters.category } })),
    });

    const res = await call(handler, apiEvent('getSop', { pathParameters: { category: 'pothole' } }));

    expect(res.body).toEqual({ which: 'pothole' });
  });

  it('a raw path with malformed percent-encoding is a 400 naming the parameter, not a 500', async () => {
    const handler = routeDispatcher({
      listSops: httpHandler('listSops', async () => ({ body: { which: 'list' } })),
      getSop: httpHandler('getSop', async ({ pathParameters }) => ({ body: { which: pathParameters.category } })),
    });

    const res = await call(handler, { ...apiEvent('getSop', { pathParameters: { category: '%ZZ' } }), routeKey: '$default' });

    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED', fields: [{ path: 'category', message: expect.stringMatching(/percent-encod/) }] } });
  });
});

describe('actorFromClaims', () => {
  it.each([
    [{ sub: 'u', 'cognito:groups': '[agent]' }, { id: 'u', role: 'agent' }],
    [{ sub: 'u', 'cognito:groups': ['staff'], 'custom:department': 'PWD' }, { id: 'u', role: 'staff', department: 'PWD' }],
    [{ sub: 'u', 'cognito:groups': '[agent supervisor]' }, { id: 'u', role: 'supervisor' }],
    [{ sub: 'u', 'cognito:groups': 'admin,agent' }, { id: 'u', role: 'admin' }],
    [{ sub: 'app', client_id: 'app', scope: 'citydesk/cases.write' }, { id: 'app', role: 'integration', scopes: ['citydesk/cases.write'] }],
  ])('%o becomes %o', (claims, actor) => {
    expect(actorFromClaims(claims)).toEqual(actor);
  });

  it('department staff without a department are forbidden', () => {
    expect(() => actorFromClaims({ sub: 'u', 'cognito:groups': '[staff]' })).toThrow(/department/);
  });

  it('a signed-in user in no role group is forbidden', () => {
    expect(() => actorFromClaims({ sub: 'u', client_id: 'console', 'cognito:groups': '[visitors]' })).toThrow(/No role/);
  });
});

describe('a handler that runs out of time', () => {
  const shortContext = { awsRequestId: 'lambda-req', functionName: 'test', getRemainingTimeInMillis: () => 550 } as unknown as Context;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('answers 503 with Retry-After before Lambda kills it: overload, told apart from a fault', async () => {
    const handler = httpHandler('listSops', async () => {
      await sleep(1_000);
      return { body: {} };
    });

    const res = await handler(apiEvent('listSops'), shortContext);

    expect(res.statusCode).toBe(503);
    expect(Number(res.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(res.body!)).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
  });

  it('an Open311 route answers 503 with Retry-After too, in the requested format', async () => {
    const handler = open311Handler(() => ({ ...OPEN311_DEFAULTS, endpointType: 'test', baseUrl: 'https://open311.example.test/open311/v2' }), {
      open311Request: async () => {
        await sleep(1_000);
        return { document: { kind: 'list', root: 'service_requests', item: 'request', items: [] } as never };
      },
    });
    const event = { ...apiEvent('open311Request', { pathParameters: { request: '20261127-00001.json' }, claims: null }) };

    const res = await handler(event, shortContext);

    expect(res.statusCode).toBe(503);
    expect(Number(res.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(res.headers?.['content-type']).toMatch(/json/);
  });
});
