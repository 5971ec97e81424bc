/**
 * The intake's duplicate check and "attach to this case instead" over DynamoDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandler } from '../../functions/api/http';
import { distanceMeters } from '../../functions/usecases/find-duplicates';
import { apiEvent, call, CLAIMS } from '../api/support/events';
import { allStrings, expectNoReporterData, startConsoleApi, type ConsoleApi } from './support/console-api';

let api: ConsoleApi;
let duplicates: ApiHandler;
let reports: ApiHandler;
let timeline: ApiHandler;

/** 中壢火車站 and points around it. */
const STATION = { lat: 24.9537, lng: 121.2257 };
const near = (metersNorth: number) => ({ lat: STATION.lat + metersNorth / 111_195, lng: STATION.lng });

type Items = { items: Array<{ caseNo: string; distanceMeters?: number }> };
const numbers = (body: unknown) => (body as Items).items.map((c) => c.caseNo);

beforeAll(async () => {
  api = await startConsoleApi('citydesk-intake-test');
  duplicates = await api.handler('duplicates');
  reports = await api.handler('case-reports');
  timeline = await api.handler('get-timeline');

  const zhongli = (address: string, point?: { lat: number; lng: number }) => ({ district: 'zhongli', address, ...point });
  await api.seed({ caseNo: '20261101-00001', category: 'street-light', location: zhongli('中和路 1 號', near(900)), createdAt: '2026-11-01T01:00:00.000Z' });
  await api.seed({ caseNo: '20261110-00001', category: 'street-light', location: zhongli('中和路 2 號', near(40)), createdAt: '2026-11-10T01:00:00.000Z' });
  await api.seed({ caseNo: '20261120-00001', category: 'street-light', status: 'NEW', department: undefined, location: zhongli('中正路 3 號'), createdAt: '2026-11-20T01:00:00.000Z' });
  await api.seed({ caseNo: '20261125-00001', category: 'street-light', status: 'REOPENED', location: zhongli('新生路 4 號', near(300)), createdAt: '2026-11-25T01:00:00.000Z' });
  // Not candidates: closed, resolved, another category, another district.
  await api.seed({ caseNo: '20261126-00001', category: 'street-light', status: 'CLOSED', location: zhongli('中和路 5 號', near(10)), createdAt: '2026-11-26T01:00:00.000Z' });
  await api.seed({ caseNo: '20261126-00002', category: 'street-light', status: 'RESOLVED', location: zhongli('中和路 6 號', near(5)), createdAt: '2026-11-26T02:00:00.000Z' });
  await api.seed({ caseNo: '20261126-00003', category: 'pothole', location: zhongli('中和路 7 號', near(1)), createdAt: '2026-11-26T03:00:00.000Z' });
  await api.seed({ caseNo: '20261126-00004', category: 'street-light', location: { district: 'pingzhen', address: '環南路 8 號', ...near(2) }, createdAt: '2026-11-26T04:00:00.000Z' });
});
afterAll(async () => {
  await api.close();
});

describe('GET /cases/duplicates', () => {
  it('lists the open cases of the category in the district, newest first', async () => {
    const res = await call(duplicates, apiEvent('findDuplicateCases', { query: { category: 'street-light', district: 'zhongli' }, claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(200);
    expect(numbers(res.body)).toEqual(['20261125-00001', '20261120-00001', '20261110-00001', '20261101-00001']);
    expectNoReporterData(res.body);
  });

  it('with a map point: nearest first with the distance, cases without a point last', async () => {
    const res = await call(duplicates, apiEvent('findDuplicateCases', { query: { category: 'street-light', district: 'zhongli', lat: String(STATION.lat), lng: String(STATION.lng) }, claims: CLAIMS.supervisor }));

    const items = (res.body as Items).items;
    expect(items.map((c) => c.caseNo)).toEqual(['20261110-00001', '20261125-00001', '20261101-00001', '20261120-00001']);
    expect(items.map((c) => c.distanceMeters)).toEqual([40, 300, 900, undefined]);
    expect(items[0]).toMatchObject(near(40));
  });

  it('shows at most 10, the nearest', async () => {
    for (let i = 1; i <= 11; i++)
      await api.seed({ caseNo: `20261127-${String(i).padStart(5, '0')}`, category: 'noise', location: { district: 'bade', address: `介壽路 ${i} 號`, ...near(i * 100) } });

    const res = await call(duplicates, apiEvent('findDuplicateCases', { query: { category: 'noise', district: 'bade', lat: String(STATION.lat), lng: String(STATION.lng) }, claims: CLAIMS.agent }));

    expect(numbers(res.body)).toEqual(Array.from({ length: 10 }, (_, i) => `20261127-${String(i + 1).padStart(5, '0')}`));
  });

  it.each([
    [{ category: 'unicorns', district: 'zhongli' }, 'category'],
    [{ category: 'street-light', district: 'atlantis' }, 'district'],
    [{ category: 'street-light' }, 'district'],
    [{ category: 'street-light', district: 'zhongli', lat: '24.95' }, 'lng'],
    [{ category: 'street-light', district: 'zhongli', lat: '51.5', lng: '0.12' }, 'lat'],
  ])('bad input is a 400 naming the field: %o', async (query, field) => {
    const res = await call(duplicates, apiEvent('findDuplicateCases', { query, claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(400);
    expect((res.body as { error: { fields: Array<{ path: string }> } }).error.fields.map((f) => f.path)).toContain(field);
  });

  it.each([
    ['department staff', CLAIMS.staffPwd],
    ['an admin', CLAIMS.admin],
  ])('%s may not call it (403)', async (_who, claims) => {
    expect((await call(duplicates, apiEvent('findDuplicateCases', { query: { category: 'street-light', district: 'zhongli' }, claims }))).statusCode).toBe(403);
  });

  it('measures great-circle distance: one degree of latitude is about 111 km', () => {
    expect(Math.round(distanceMeters({ lat: 24, lng: 121 }, { lat: 25, lng: 121 }) / 1000)).toBe(111);
    expect(distanceMeters(STATION, STATION)).toBe(0);
  });
});

const anotherCaller = {
  description: '中和路路燈整排不亮，晚上很暗',
  reporter: { name: '陳美麗', phone: '0933-222-111', anonymous: false, notify: 'sms' },
  channel: 'phone',
  attributes: { lightState: 'dark' },
};

describe('POST /cases/{caseNo}/reports', () => {
  it('records another report on the open case as a note and gives back the number to read out', async () => {
    const res = await call(reports, apiEvent('addCaseReport', { pathParameters: { caseNo: '20261110-00001' }, body: anotherCaller, claims: CLAIMS.agent }));
    const events = await call(timeline, apiEvent('getCaseTimeline', { pathParameters: { caseNo: '20261110-00001' }, claims: CLAIMS.supervisor }));

    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({ caseNo: '20261110-00001', status: 'ASSIGNED', version: 2, note: { type: 'note', by: 'agent-1' } });
    expect(res.headers.etag).toBe('"2"');
    const note = (events.body as { items: Array<{ type: string; text?: string; data?: Record<string, unknown> }> }).items.at(-1)!;
    expect(note).toMatchObject({ type: 'note', data: { report: 'another', channel: 'phone', anonymous: false, 'attributes.lightState': 'dark' } });
    expect(note.text).toContain('Another report');
    expect(note.text).toContain(anotherCaller.description);
  });

  it("keeps the second caller's personal data out of the response and the timeline", async () => {
    const res = await call(reports, apiEvent('addCaseReport', { pathParameters: { caseNo: '20261101-00001' }, body: anotherCaller, claims: CLAIMS.supervisor }));
    const events = await call(timeline, apiEvent('getCaseTimeline', { pathParameters: { caseNo: '20261101-00001' }, claims: CLAIMS.supervisor }));

    expect(res.statusCode).toBe(201);
    for (const body of [res.body, events.body]) {
      const text = allStrings(body).join(' ');
      expect(text).not.toContain('陳美麗');
      expect(text).not.toContain('0933');
    }
    expectNoReporterData(res.body);
  });

  it('a case that is no longer open is a 409 naming its status, and nothing is written', async () => {
    const res = await call(reports, apiEvent('addCaseReport', { pathParameters: { caseNo: '20261126-00001' }, body: anotherCaller, claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'CONFLICT', details: { status: 'CLOSED' } } });
    expect((await api.repo.get('20261126-00001'))!.version).toBe(1);
  });

  it('answers that do not fit the SOP are a 400 naming the attribute, and nothing is written', async () => {
    const res = await call(reports, apiEvent('addCaseReport', { pathParameters: { caseNo: '20261125-00001' }, body: { ...anotherCaller, attributes: { lightState: 'purple' } }, claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ error: { fields: [{ path: 'attributes.lightState' }] } });
    expect((await api.repo.get('20261125-00001'))!.version).toBe(1);
  });

  it('validates the body like an intake: a missing description and an sms without a phone are named', async () => {
    const res = await call(reports, apiEvent('addCaseReport', { pathParameters: { caseNo: '20261125-00001' }, body: { reporter: { anonymous: false, notify: 'sms' }, channel: 'phone' }, claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(400);
    expect((res.body as { error: { fields: Array<{ path: string }> } }).error.fields.map((f) => f.path)).toEqual(expect.arrayContaining(['description', 'reporter.phone']));
  });

  it('an unknown case is a 404', async () => {
    const res = await call(reports, apiEvent('addCaseReport', { pathParameters: { caseNo: '20260101-09999' }, body: anotherCaller, claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(404);
  });

  it.each([
    ['department staff', CLAIMS.staffPwd],
    ['an integration client', CLAIMS.integration],
  ])('%s may not attach reports (403), and nothing is written', async (_who, claims) => {
    const res = await call(reports, apiEvent('addCaseReport', { pathParameters: { caseNo: '20261125-00001' }, body: anotherCaller, claims }));

    expect(res.statusCode).toBe(403);
    expect((await api.repo.get('20261125-00001'))!.version).toBe(1);
  });
});
