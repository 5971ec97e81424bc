/** The console's queues over DynamoDB: the right cases, in the right order, for the right people. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandler } from '../../functions/api/http';
import { apiEvent, call, CLAIMS } from '../api/support/events';
import { expectNoReporterData, startConsoleApi, type ConsoleApi } from './support/console-api';

let api: ConsoleApi;
let queues: ApiHandler;

type Page = { items: Array<{ caseNo: string; status: string; department?: string }>; cursor?: string };
type DepartmentPage = Page & { department: string; status: string; counts: Record<string, number> };
const numbers = (page: unknown) => (page as Page).items.map((c) => c.caseNo);

beforeAll(async () => {
  api = await startConsoleApi('citydesk-queues-test');
  queues = await api.handler('queues');

  // Callback queue candidates: RESOLVED and waiting for the survey answer, or not yet.
  await api.seed({ caseNo: '20261120-00001', status: 'RESOLVED', waitingFor: 'survey', resolvedAt: '2026-11-21T02:00:00.000Z', createdAt: '2026-11-20T01:00:00.000Z' });
  await api.seed({ caseNo: '20261122-00001', status: 'RESOLVED', waitingFor: 'resolution', resolvedAt: '2026-11-26T02:00:00.000Z', createdAt: '2026-11-22T01:00:00.000Z' });
  await api.seed({ caseNo: '20261123-00001', status: 'RESOLVED', waitingFor: 'survey', department: 'EPD', createdAt: '2026-11-23T01:00:00.000Z' });
  await api.seed({ caseNo: '20261119-00001', status: 'CLOSED', createdAt: '2026-11-19T01:00:00.000Z' });
  // Dispatch queue: returned cases.
  await api.seed({ caseNo: '20261125-00001', status: 'RETURNED', waitingFor: 'reassignment', createdAt: '2026-11-25T01:00:00.000Z' });
  await api.seed({ caseNo: '20261124-00001', status: 'RETURNED', department: 'EPD', createdAt: '2026-11-24T01:00:00.000Z' });
  // Department queues: PWD and EPD work.
  await api.seed({ caseNo: '20261126-00001', status: 'ASSIGNED', acknowledgeDueAt: '2026-11-27T06:00:00.000Z', createdAt: '2026-11-26T01:00:00.000Z' });
  await api.seed({ caseNo: '20261126-00002', status: 'ASSIGNED', acknowledgeDueAt: '2026-11-27T03:00:00.000Z', createdAt: '2026-11-26T02:00:00.000Z' });
  await api.seed({ caseNo: '20261126-00003', status: 'ASSIGNED', acknowledgeDueAt: '2026-11-27T09:00:00.000Z', createdAt: '2026-11-26T03:00:00.000Z' });
  await api.seed({ caseNo: '20261126-00004', status: 'ACKNOWLEDGED', resolveDueAt: '2026-12-01T09:00:00.000Z', createdAt: '2026-11-26T04:00:00.000Z' });
  await api.seed({ caseNo: '20261126-00005', status: 'ASSIGNED', department: 'EPD', acknowledgeDueAt: '2026-11-27T01:00:00.000Z', createdAt: '2026-11-26T05:00:00.000Z' });
});
afterAll(async () => {
  await api.close();
});

describe('GET /queues/callback', () => {
  it('lists resolved cases whose follow-up call is due, oldest first, with the caller\'s phone masked and nothing else of the caller', async () => {
    const res = await call(queues, apiEvent('callbackQueue', { claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(200);
    expect(numbers(res.body)).toEqual(['20261120-00001', '20261123-00001']);
    expect((res.body as Page).cursor).toBeUndefined();
    const items = (res.body as { items: Array<{ callerPhone?: string }> }).items;
    expect(items.map((c) => c.callerPhone)).toEqual(['0912-***-678', '0912-***-678']);
    expectNoReporterData({ ...(res.body as object), items: items.map(({ callerPhone: _masked, ...rest }) => rest) });
  });

  it('shows no phone in any other queue', async () => {
    const dispatch = await call(queues, apiEvent('dispatchQueue', { claims: CLAIMS.supervisor }));
    const department = await call(queues, apiEvent('departmentQueue', { query: { status: 'ASSIGNED' }, claims: CLAIMS.staffPwd }));

    expectNoReporterData(dispatch.body);
    expectNoReporterData(department.body);
  });

  it('pages with a cursor that continues where the page ended', async () => {
    const first = await call(queues, apiEvent('callbackQueue', { query: { limit: '1' }, claims: CLAIMS.supervisor }));
    const second = await call(queues, apiEvent('callbackQueue', { query: { limit: '1', cursor: (first.body as Page).cursor! }, claims: CLAIMS.supervisor }));

    expect(numbers(first.body)).toEqual(['20261120-00001']);
    expect(numbers(second.body)).toEqual(['20261123-00001']);
    expect((second.body as Page).cursor).toBeUndefined();
  });

  it("a cursor from another queue is a 400 naming cursor", async () => {
    const dispatch = await call(queues, apiEvent('dispatchQueue', { query: { limit: '1' }, claims: CLAIMS.supervisor }));

    const res = await call(queues, apiEvent('callbackQueue', { query: { cursor: (dispatch.body as Page).cursor! }, claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ error: { fields: [{ path: 'cursor' }] } });
  });

  it.each([
    ['department staff', CLAIMS.staffPwd],
    ['an admin', CLAIMS.admin],
  ])('%s may not read it (403)', async (_who, claims) => {
    expect((await call(queues, apiEvent('callbackQueue', { claims }))).statusCode).toBe(403);
  });

  it('lists a case whose survey wait started with the follow-up delay only once that delay is over, and no list shows the wait before', async () => {
    // The survey wait starts when the citizen is told; the call is due from `callback.dueFrom`.
    const survey = { status: 'RESOLVED', waitingFor: 'survey', pendingTaskToken: 't', department: 'HEALTH', waitDueAt: '2099-01-08T01:00:00.000Z' } as const;
    await api.seed({ ...survey, caseNo: '20261121-00001', callback: { attempts: 0, dueFrom: '2099-01-01T01:00:00.000Z' }, createdAt: '2026-11-21T01:00:00.000Z' });
    await api.seed({ ...survey, caseNo: '20261121-00002', callback: { attempts: 0, dueFrom: '2026-11-22T01:00:00.000Z' }, createdAt: '2026-11-21T02:00:00.000Z' });

    const callback = await call(queues, apiEvent('callbackQueue', { claims: CLAIMS.agent }));
    const resolved = await call(queues, apiEvent('departmentQueue', { query: { status: 'RESOLVED', department: 'HEALTH' }, claims: CLAIMS.supervisor }));

    expect(numbers(callback.body)).toEqual(['20261120-00001', '20261121-00002', '20261123-00001']);
    const items = (resolved.body as { items: Array<Record<string, unknown>> }).items;
    // Still in the delay: a resolved case waiting for nothing, as before the wait started; due: the callback deadline.
    expect(items.find((c) => c.caseNo === '20261121-00001')).not.toHaveProperty('waitingFor');
    expect(items.find((c) => c.caseNo === '20261121-00001')).not.toHaveProperty('waitDueAt');
    expect(items.find((c) => c.caseNo === '20261121-00001')).not.toHaveProperty('callback');
    expect(items.find((c) => c.caseNo === '20261121-00002')).toMatchObject({ waitingFor: 'survey', waitDueAt: '2099-01-08T01:00:00.000Z' });
    expect(items.find((c) => c.caseNo === '20261121-00002')).not.toHaveProperty('callback');
  });
});

describe('GET /queues/dispatch', () => {
  it('lists returned cases of every department, oldest first', async () => {
    const res = await call(queues, apiEvent('dispatchQueue', { claims: CLAIMS.admin }));

    expect(res.statusCode).toBe(200);
    expect(numbers(res.body)).toEqual(['20261124-00001', '20261125-00001']);
    expectNoReporterData(res.body);
  });

  it.each([
    ['an agent', CLAIMS.agent],
    ['department staff', CLAIMS.staffEpd],
  ])('%s may not read it (403)', async (_who, claims) => {
    expect((await call(queues, apiEvent('dispatchQueue', { claims }))).statusCode).toBe(403);
  });
});

describe('GET /queues/department', () => {
  it("gives department staff their own department's cases by due time, soonest first, with its counts", async () => {
    const res = await call(queues, apiEvent('departmentQueue', { query: { status: 'ASSIGNED' }, claims: CLAIMS.staffPwd }));

    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ department: 'PWD', status: 'ASSIGNED' });
    expect(numbers(res.body)).toEqual(['20261126-00002', '20261126-00001', '20261126-00003']);
    expect((res.body as DepartmentPage).counts).toEqual({ ASSIGNED: 3, ACKNOWLEDGED: 1, REOPENED: 0, RESOLVED: 2 });
    expectNoReporterData(res.body);
  });

  it("carries each case's map point, so the queue can be shown on a map", async () => {
    await api.seed({ caseNo: '20261126-00006', status: 'ASSIGNED', department: 'HEALTH', location: { district: 'taoyuan', address: '中正路 1 號', lat: 24.9937, lng: 121.3009 } });
    await api.seed({ caseNo: '20261126-00007', status: 'ASSIGNED', department: 'HEALTH', location: { district: 'taoyuan', address: '中正路 2 號' } });

    const res = await call(queues, apiEvent('departmentQueue', { query: { department: 'HEALTH' }, claims: CLAIMS.supervisor }));

    const items = (res.body as { items: Array<{ caseNo: string; lat?: number; lng?: number }> }).items;
    expect(items.find((c) => c.caseNo === '20261126-00006')).toMatchObject({ lat: 24.9937, lng: 121.3009 });
    expect(items.find((c) => c.caseNo === '20261126-00007')).not.toHaveProperty('lat');
  });

  it('shows the ASSIGNED queue when no status is asked for', async () => {
    const res = await call(queues, apiEvent('departmentQueue', { claims: CLAIMS.staffEpd }));

    expect(res.body).toMatchObject({ department: 'EPD', status: 'ASSIGNED', counts: { ASSIGNED: 1, ACKNOWLEDGED: 0, REOPENED: 0, RESOLVED: 1 } });
    expect(numbers(res.body)).toEqual(['20261126-00005']);
  });

  it('confines department staff to their department: naming another is a 403', async () => {
    const res = await call(queues, apiEvent('departmentQueue', { query: { status: 'ASSIGNED', department: 'EPD' }, claims: CLAIMS.staffPwd }));

    expect(res.statusCode).toBe(403);
  });

  it('lets a supervisor read any department, which must be named and must exist', async () => {
    const epd = await call(queues, apiEvent('departmentQueue', { query: { status: 'ASSIGNED', department: 'EPD' }, claims: CLAIMS.supervisor }));
    const unnamed = await call(queues, apiEvent('departmentQueue', { query: { status: 'ASSIGNED' }, claims: CLAIMS.supervisor }));
    const unknown = await call(queues, apiEvent('departmentQueue', { query: { status: 'ASSIGNED', department: 'NOPE' }, claims: CLAIMS.supervisor }));

    expect(numbers(epd.body)).toEqual(['20261126-00005']);
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.body).toMatchObject({ error: { fields: [{ path: 'department' }] } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toMatchObject({ error: { fields: [{ path: 'department' }] } });
  });

  it('rejects a status that is not a department queue (400 naming status)', async () => {
    const res = await call(queues, apiEvent('departmentQueue', { query: { status: 'CLOSED' }, claims: CLAIMS.staffPwd }));

    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ error: { fields: [{ path: 'status' }] } });
  });

  it.each([
    ['an agent', CLAIMS.agent],
    ['an admin', CLAIMS.admin],
  ])('%s may not read it (403)', async (_who, claims) => {
    expect((await call(queues, apiEvent('departmentQueue', { query: { department: 'PWD' }, claims }))).statusCode).toBe(403);
  });
});
