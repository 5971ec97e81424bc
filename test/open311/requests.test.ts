import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../functions/domain/case';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { aCase, createdEvent } from '../adapters/case-fixtures';
import { formBody, json, JURISDICTION, startOpen311, xmlItems, type Harness } from './support/harness';

let h: Harness;
let restoreClock: () => void;
const clock = new ManualClock('2026-11-27T01:00:00.000Z');

/** The reporter of the phone cases below: none of it may ever appear in an Open311 answer. */
const REPORTER = { name: '林美玲', phone: '0933222111', email: 'meiling.lin@example.org', anonymous: false, notify: 'sms' as const };

/** Cases over three months: A and B old, C..F in the last 90 days; E is closed; Z is a consultation. */
const seeded: Record<string, Case> = {
  A: aCase({ caseNo: '20260801-00001', createdAt: '2026-08-01T02:00:00.000Z', reporter: REPORTER }),
  B: aCase({ caseNo: '20260901-00001', createdAt: '2026-09-01T02:00:00.000Z', category: 'litter', department: 'EPD', reporter: REPORTER }),
  C: aCase({ caseNo: '20261101-00001', createdAt: '2026-11-01T02:00:00.000Z', reporter: REPORTER, description: '林美玲來電，電話 0933222111，說坑洞很深' }),
  D: aCase({ caseNo: '20261120-00001', createdAt: '2026-11-20T02:00:00.000Z', category: 'litter', department: 'EPD', status: 'ACKNOWLEDGED', reporter: REPORTER }),
  E: aCase({
    caseNo: '20261125-00001',
    createdAt: '2026-11-25T02:00:00.000Z',
    status: 'RESOLVED',
    resolvedAt: '2026-11-26T03:00:00.000Z',
    resolution: '已於 11/26 完成填補，如有問題請洽承辦人 03-425-1234',
    reporter: REPORTER,
  }),
  F: aCase({ caseNo: '20261126-00001', createdAt: '2026-11-26T02:00:00.000Z', category: 'noise', department: 'EPD', reporter: REPORTER }),
  Z: aCase({ caseNo: '20261126-00002', createdAt: '2026-11-26T03:00:00.000Z', category: 'epidemic-info', department: 'HEALTH', reporter: REPORTER }),
};
const names = new Map(Object.entries(seeded).map(([k, c]) => [c.caseNo, k]));
const named = (items: Array<Record<string, unknown>>) => items.map((r) => names.get(String(r.service_request_id)) ?? String(r.service_request_id));

let filed: string;

beforeAll(async () => {
  restoreClock = useClock(clock);
  h = await startOpen311();
  for (const c of Object.values(seeded)) await h.cases.create({ ...c, updatedAt: c.createdAt }, createdEvent);
  clock.set('2026-11-27T01:00:00.000Z');
  const res = await h.send(
    'POST',
    '/open311/v2/requests.json',
    {
      form: formBody([
        ['api_key', h.apiKey],
        ['service_code', 'street-light'],
        ['lat', '24.9653'],
        ['long', '121.2246'],
        ['first_name', '小華'],
        ['last_name', '陳'],
        ['phone', '0987-654-321'],
        ['email', 'hua.chen@example.org'],
        ['description', '路燈不亮，請回電 0987654321 或寄信 hua.chen@example.org'],
        ['media_url', 'https://photos.example.org/light.jpg'],
      ]),
    },
  );
  filed = String(json(res)[0].service_request_id);
});
afterAll(async () => {
  restoreClock();
  await h.close();
});

describe('GET requests', () => {
  it('defaults to the last 90 days, newest first, consultations left out (XML)', async () => {
    const res = await h.send('GET', `/open311/v2/requests.xml?jurisdiction_id=${JURISDICTION}`);

    expect(res.statusCode).toBe(200);
    expect(named(xmlItems(res.body, 'service_requests', 'request'))).toEqual([filed, 'F', 'E', 'D', 'C', 'B']);
  });

  it('answers with the specification fields (JSON): status, notes, agency, notice, times at +08:00, place', async () => {
    const items = json(await h.send('GET', '/open311/v2/requests.json'));
    const e = items.find((r) => r.service_request_id === seeded.E.caseNo)!;
    const mine = items.find((r) => r.service_request_id === filed)!;

    expect(e).toEqual({
      service_request_id: '20261125-00001',
      status: 'closed',
      status_notes: '已於 11/26 完成填補，如有問題請洽承辦人 ***',
      service_name: '道路坑洞、路面不平',
      service_code: 'pothole',
      description: null,
      agency_responsible: '工務局',
      service_notice: '依標準作業程序，本案由工務局於 3 個工作天內處理完成。',
      requested_datetime: '2026-11-25T10:00:00+08:00',
      updated_datetime: '2026-11-26T11:00:00+08:00',
      expected_datetime: '2026-12-02T17:30:00+08:00',
      address: '桃園市中壢區中山路100號',
      address_id: null,
      zipcode: null,
      lat: 24.957,
      long: 121.225,
      media_url: null,
    });
    expect(mine).toMatchObject({ status: 'open', status_notes: '已受理，待分派。', agency_responsible: null, media_url: 'https://photos.example.org/light.jpg', lat: 24.9653, long: 121.2246 });
    expect(mine.description).toBe('路燈不亮，請回電 *** 或寄信 ***@***');
  });

  it('start_date and end_date pick a window of requested_datetime', async () => {
    const res = await h.send('GET', '/open311/v2/requests.json?start_date=2026-08-01T00:00:00%2B08:00&end_date=2026-10-01T00:00:00Z');

    expect(named(json(res))).toEqual(['B', 'A']);
  });

  it('start_date alone more than 90 days back is clamped to the 90 days from it, not refused', async () => {
    const res = await h.send('GET', '/open311/v2/requests.json?start_date=2026-07-31T00:00:00Z');

    expect(res.statusCode, res.body).toBe(200);
    // 2026-07-31 + 90 days = 2026-10-29: A and B inside, C (2026-11-01) after the window.
    expect(named(json(res))).toEqual(['B', 'A']);
  });

  it('start_date alone within 90 days runs to now', async () => {
    expect(named(json(await h.send('GET', '/open311/v2/requests.json?start_date=2026-11-20T00:00:00Z')))).toEqual([filed, 'F', 'E', 'D']);
  });

  it('a window of a few days (read by created day rather than by service) gives the same kind of answer', async () => {
    const res = await h.send('GET', '/open311/v2/requests.json?start_date=2026-11-20T00:00:00Z&end_date=2026-11-26T23:00:00Z&status=open');

    expect(named(json(res))).toEqual(['F', 'D']);
  });

  it('service_code takes a comma list; status open or closed narrows it', async () => {
    expect(named(json(await h.send('GET', '/open311/v2/requests.json?service_code=litter,noise')))).toEqual(['F', 'D', 'B']);
    expect(named(json(await h.send('GET', '/open311/v2/requests.json?service_code=pothole&status=closed')))).toEqual(['E']);
    expect(named(json(await h.send('GET', '/open311/v2/requests.json?status=open&service_code=pothole')))).toEqual(['C']);
    expect(named(json(await h.send('GET', '/open311/v2/requests.json?status=open,closed&service_code=pothole')))).toEqual(['E', 'C']);
    // Repeated arguments arrive comma-joined from API Gateway, the specification's list syntax.
    expect(named(json(await h.send('GET', '/open311/v2/requests.json?service_code=litter&service_code=noise')))).toEqual(['F', 'D', 'B']);
  });

  it('service_request_id overrides every other argument and leaves unknown ids out', async () => {
    const res = await h.send('GET', `/open311/v2/requests.xml?service_request_id=${seeded.A.caseNo},${seeded.E.caseNo},20261127-09999,${seeded.Z.caseNo}&status=open`);

    expect(named(xmlItems(res.body, 'service_requests', 'request'))).toEqual(['A', 'E']);
  });

  it('page and page_size walk the window', async () => {
    const pages = await Promise.all([1, 2, 3, 4].map(async (p) => named(json(await h.send('GET', `/open311/v2/requests.json?page_size=2&page=${p}`)))));

    expect(pages).toEqual([[filed, 'F'], ['E', 'D'], ['C', 'B'], []]);
  });

  it('an empty result is an empty list: <service_requests/> and []', async () => {
    const xml = await h.send('GET', '/open311/v2/requests.xml?service_code=fallen-tree');

    expect(xml.body).toContain('<service_requests/>');
    expect(xmlItems(xml.body, 'service_requests', 'request')).toEqual([]);
    expect(json(await h.send('GET', '/open311/v2/requests.json?service_code=fallen-tree'))).toEqual([]);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['a window over 90 days', 'start_date=2026-08-01T00:00:00Z&end_date=2026-11-27T00:00:00Z', /^start_date: the range may not span more than 90 days$/],
    ['a date without a time zone', 'start_date=2026-11-01T00:00:00', /^start_date: must be a W3C date-time with a time zone/],
    ['a date that is no date', 'end_date=yesterday', /^end_date: must be a W3C date-time/],
    ['a start after the end', 'start_date=2026-11-20T00:00:00Z&end_date=2026-11-01T00:00:00Z', /^start_date: must not be after end_date$/],
    ['an unknown status', 'status=pending', /^status: must be open or closed/],
    ['an unknown service_code', 'service_code=graffiti', /^service_code: graffiti is not a service/],
    ['a page_size over 1000', 'page_size=1001', /^page_size: must be at most 1000$/],
    ['a page that is no number', 'page=first', /^page: must be a whole number/],
    ['a malformed service_request_id', 'service_request_id=abc', /^service_request_id: abc is not a service request id/],
  ];

  it.each(bad)('%s is a 400 in both formats', async (_name, query, description) => {
    const asJson = await h.send('GET', `/open311/v2/requests.json?${query}`);
    const asXml = await h.send('GET', `/open311/v2/requests.xml?${query}`);

    expect(asJson.statusCode).toBe(400);
    expect(json(asJson).map((e) => e.code)).toEqual([400]);
    expect(String(json(asJson)[0].description)).toMatch(description);
    expect(asXml.statusCode).toBe(400);
    expect(String(xmlItems(asXml.body, 'errors', 'error')[0].description)).toMatch(description);
  });
});

describe('GET requests/{service_request_id}', () => {
  it('one request in a one-item list, in XML and JSON', async () => {
    const xml = await h.send('GET', `/open311/v2/requests/${seeded.D.caseNo}.xml`);
    const asJson = await h.send('GET', `/open311/v2/requests/${seeded.D.caseNo}.json`);

    expect(xmlItems(xml.body, 'service_requests', 'request')).toEqual([
      expect.objectContaining({ service_request_id: '20261120-00001', status: 'open', status_notes: '環境保護局已接案處理中。', agency_responsible: '環境保護局', description: '' }),
    ]);
    expect(json(asJson)).toEqual([expect.objectContaining({ service_request_id: '20261120-00001', service_code: 'litter' })]);
  });

  it('an unknown id, a malformed id and a consultation case are 404s', async () => {
    for (const id of ['20261127-09999', 'nope', seeded.Z.caseNo]) {
      const res = await h.send('GET', `/open311/v2/requests/${id}.json`);
      expect(res.statusCode, id).toBe(404);
      expect(json(res)).toEqual([{ code: 404, description: `service_request_id ${id} was not found` }]);
    }
  });
});

describe('GET servicerequestupdates (mySociety extension)', () => {
  it('lists the public changes of a window, oldest first, with the status after each (XML and JSON)', async () => {
    clock.set('2026-11-27T03:00:00.000Z');
    let c = (await h.cases.get(seeded.F.caseNo))!;
    c = await h.cases.update(c.caseNo, c.version, { set: { status: 'ACKNOWLEDGED' }, event: { type: 'acknowledged', by: 'staff-epd' } });
    clock.set('2026-11-27T04:00:00.000Z');
    c = await h.cases.update(c.caseNo, c.version, { event: { type: 'note', by: 'staff-epd', text: '內部：林美玲 0933222111 又來電' } });
    clock.set('2026-11-27T05:00:00.000Z');
    c = await h.cases.update(c.caseNo, c.version, { set: { status: 'RESOLVED', resolvedAt: '2026-11-27T05:00:00.000Z', resolution: '已勸導工地降低噪音' }, event: { type: 'resolved', by: 'staff-epd', text: '已勸導工地降低噪音' } });
    clock.set('2026-11-27T06:00:00.000Z');

    const res = await h.send('GET', '/open311/v2/servicerequestupdates.json?start_date=2026-11-27T02:00:00Z');
    const xml = await h.send('GET', '/open311/v2/servicerequestupdates.xml?start_date=2026-11-27T02:00:00Z');

    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(json(res)).toEqual([
      { update_id: `${c.caseNo}_2`, service_request_id: c.caseNo, status: 'open', external_status_code: 'ACKNOWLEDGED', updated_datetime: '2026-11-27T11:00:00+08:00', description: '權責機關已接案處理中。', media_url: null },
      { update_id: `${c.caseNo}_4`, service_request_id: c.caseNo, status: 'closed', external_status_code: 'RESOLVED', updated_datetime: '2026-11-27T13:00:00+08:00', description: '已勸導工地降低噪音', media_url: null },
    ]);
    expect(xmlItems(xml.body, 'service_request_updates', 'request_update').map((u) => u.update_id)).toEqual([`${c.caseNo}_2`, `${c.caseNo}_4`]);
  });

  it('a survey answer that closes or reopens a case is a public change; an unanswered call is not', async () => {
    clock.set('2026-11-27T07:00:00.000Z');
    const e = (await h.cases.get(seeded.E.caseNo))!;
    await h.cases.update(e.caseNo, e.version, { set: { status: 'CLOSED', closedAt: '2026-11-27T07:00:00.000Z' }, event: { type: 'survey', by: 'agent-1', text: '民眾滿意，結案 / Citizen satisfied; closed', data: { answer: 'satisfied' } } });
    clock.set('2026-11-27T07:05:00.000Z');
    let c = (await h.cases.get(seeded.C.caseNo))!;
    c = await h.cases.update(c.caseNo, c.version, { set: { status: 'RESOLVED', resolvedAt: '2026-11-27T07:05:00.000Z', resolution: '已填補' }, event: { type: 'resolved', by: 'staff-pwd', text: '已填補' } });
    clock.set('2026-11-27T07:10:00.000Z');
    c = await h.cases.update(c.caseNo, c.version, { event: { type: 'survey', by: 'agent-1', text: '回訪無人接聽（第 1 次，共 3 次） / No answer (call 1 of 3)', data: { answer: 'no-answer', attempt: 1 } } });
    clock.set('2026-11-27T07:20:00.000Z');
    await h.cases.update(c.caseNo, c.version, { set: { status: 'REOPENED' }, event: { type: 'survey', by: 'agent-1', text: '民眾不滿意，重新處理 / Citizen not satisfied; reopened', data: { answer: 'unsatisfied' } } });
    clock.set('2026-11-27T08:00:00.000Z');

    const updates = json(await h.send('GET', '/open311/v2/servicerequestupdates.json?start_date=2026-11-27T06:30:00Z'));

    expect(updates.map((u) => [names.get(String(u.service_request_id)), u.status, u.external_status_code, u.description])).toEqual([
      ['E', 'closed', 'CLOSED', '已結案。'],
      ['C', 'closed', 'RESOLVED', '已填補'],
      ['C', 'open', 'REOPENED', '民眾反映尚未改善，已重新處理。'],
    ]);
  });

  it('end_date cuts the window; the default window is the last day', async () => {
    const cut = json(await h.send('GET', '/open311/v2/servicerequestupdates.json?start_date=2026-11-27T02:00:00Z&end_date=2026-11-27T04:30:00Z'));
    const byDefault = json(await h.send('GET', '/open311/v2/servicerequestupdates.json'));

    expect(cut.map((u) => u.external_status_code)).toEqual(['ACKNOWLEDGED']);
    expect(byDefault.map((u) => u.service_request_id)).toEqual(expect.arrayContaining([filed, seeded.F.caseNo]));
    expect(byDefault.every((u) => String(u.updated_datetime) >= '2026-11-26T14:00:00+08:00')).toBe(true);
  });

  it('a start_date more than 7 days back, or a bad date, is a 400', async () => {
    const old = await h.send('GET', '/open311/v2/servicerequestupdates.xml?start_date=2026-11-01T00:00:00Z');
    const bad = await h.send('GET', '/open311/v2/servicerequestupdates.json?start_date=2026-11-27');

    expect(old.statusCode).toBe(400);
    expect(xmlItems(old.body, 'errors', 'error')[0].description).toMatch(/^start_date: may reach back at most 7 days/);
    expect(bad.statusCode).toBe(400);
  });
});

describe('personal data', () => {
  it('never appears in any Open311 answer: reporter names, phones and e-mails, typed in any way', async () => {
    const urls = [
      '/open311/v2/requests.xml',
      '/open311/v2/requests.json',
      '/open311/v2/requests.json?start_date=2026-08-01T00:00:00Z&end_date=2026-10-01T00:00:00Z',
      `/open311/v2/requests.json?service_request_id=${Object.values(seeded).map((c) => c.caseNo).join(',')},${filed}`,
      ...Object.values(seeded)
        .filter((c) => c.category !== 'epidemic-info')
        .flatMap((c) => [`/open311/v2/requests/${c.caseNo}.xml`, `/open311/v2/requests/${c.caseNo}.json`]),
      `/open311/v2/requests/${filed}.json`,
      `/open311/v2/requests/${filed}.xml`,
      '/open311/v2/servicerequestupdates.json?start_date=2026-11-21T00:00:00Z',
      '/open311/v2/servicerequestupdates.xml?start_date=2026-11-21T00:00:00Z',
    ];
    const secrets = ['林美玲', '美玲', '0933222111', '0933-222-111', 'meiling.lin', '陳小華', '小華', '0987654321', '0987-654-321', 'hua.chen', '@example.org', 'agent-1', h.clientId];

    for (const url of urls) {
      const res = await h.send('GET', url);
      expect(res.statusCode, url).toBe(200);
      for (const s of secrets) expect(res.body, `${url} leaks ${s}`).not.toContain(s);
    }
  });
});
