import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config/load';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { findRoute } from '../../functions/api/routes';
import { formBody, gatewayEvent, json, JURISDICTION, OPEN311_BASE_URL, parseXml, startOpen311, xmlItems, type Harness } from './support/harness';

let h: Harness;
let restoreClock: () => void;
const clock = new ManualClock('2026-11-27T01:00:00.000Z');

beforeAll(async () => {
  restoreClock = useClock(clock);
  h = await startOpen311();
});
afterAll(async () => {
  restoreClock();
  await h.close();
});
beforeEach(() => clock.set('2026-11-27T01:00:00.000Z'));

/** The pothole report of the specification's example request, moved to Zhongli. */
function potholeForm(extra: Array<[string, string]> = [], apiKey = h.apiKey): string {
  return formBody([
    ['api_key', apiKey],
    ['jurisdiction_id', JURISDICTION],
    ['service_code', 'pothole'],
    ['lat', '24.9653'],
    ['long', '121.2246'],
    ['address_string', '桃園市中壢區中山路100號'],
    ['email', 'wang.daming@example.org'],
    ['device_id', 'tt222111'],
    ['account_id', '123456'],
    ['first_name', '大明'],
    ['last_name', '王'],
    ['phone', '0912-345-678'],
    ['description', '中山路上有大坑洞，機車差點摔倒'],
    ['media_url', 'https://photos.example.org/pothole/1.jpg'],
    ['attribute[size]', 'large'],
    ['attribute[dangerous]', 'yes'],
    ...extra,
  ]);
}

async function file(form = potholeForm(), format: 'xml' | 'json' = 'json'): Promise<string> {
  const res = await h.send('POST', `/open311/v2/requests.${format}`, { form });
  expect(res.statusCode, res.body).toBe(200);
  return format === 'json' ? String(json(res)[0].service_request_id) : String(xmlItems(res.body, 'service_requests', 'request')[0].service_request_id);
}

describe('the routes', () => {
  it('the route table sends every Open311 URL to its route, the format still in the last segment', () => {
    expect(findRoute('GET', '/open311/v2/discovery.json')).toMatchObject({ route: { id: 'open311Document' }, pathParameters: { document: 'discovery.json' } });
    expect(findRoute('GET', '/open311/v2/services/pothole.xml')).toMatchObject({ route: { id: 'open311ServiceDefinition' }, pathParameters: { service: 'pothole.xml' } });
    expect(findRoute('GET', '/open311/v2/requests/20261127-00001.json')).toMatchObject({ route: { id: 'open311Request' } });
    expect(findRoute('GET', '/open311/v2/tokens/abc.xml')).toMatchObject({ route: { id: 'open311Token' } });
    expect(findRoute('POST', '/open311/v2/requests.xml')).toMatchObject({ route: { id: 'open311CreateRequest', policy: 'public' } });
  });

  it('a resource without .xml or .json is a 404 in XML, the format every client reads', async () => {
    const res = await h.send('GET', '/open311/v2/services');

    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(xmlItems(res.body, 'errors', 'error')[0]).toMatchObject({ code: '404' });
  });

  it('an unknown document is a 404 in the requested format', async () => {
    const res = await h.send('GET', '/open311/v2/nothing.json');

    expect(res.statusCode).toBe(404);
    expect(json(res)).toEqual([{ code: 404, description: expect.stringContaining('nothing') }]);
  });
});

describe('GET discovery', () => {
  it('XML: the endpoint, its formats and how to get a key', async () => {
    const res = await h.send('GET', '/open311/v2/discovery.xml');

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const d = parseXml(res.body).discovery as Record<string, unknown>;
    expect(d).toMatchObject({ changeset: expect.any(String), contact: expect.stringContaining('1999'), key_service: expect.stringContaining('api_key') });
    const endpoint = (d.endpoints as { endpoint: Array<Record<string, unknown>> }).endpoint[0];
    expect(endpoint).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: OPEN311_BASE_URL, type: 'test' });
    expect((endpoint.formats as { format: string[] }).format).toEqual(['text/xml', 'application/json']);
  });

  it('names the configured base URL, never the Host a request came with (the answer is cached publicly)', async () => {
    const forged = gatewayEvent('GET', '/open311/v2/discovery.json');
    forged.headers = { ...forged.headers, host: 'evil.example', 'x-forwarded-proto': 'http' };
    forged.requestContext = { ...forged.requestContext, domainName: 'evil.example' };

    const res = await h.handle(forged);

    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.body).not.toContain('evil.example');
    expect(json<{ endpoints: Array<{ url: string }> }>(res).endpoints[0].url).toBe(OPEN311_BASE_URL);
  });

  it('JSON: the same document as an object, wrappers as arrays', async () => {
    const res = await h.send('GET', '/open311/v2/discovery.json');

    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json<Record<string, unknown>>(res)).toMatchObject({
      endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', formats: ['text/xml', 'application/json'] }],
    });
  });
});

describe('GET services', () => {
  const consultations = loadConfig().sops.filter((s) => s.caseType === 'consultation').map((s) => s.category);
  const services = loadConfig().sops.filter((s) => s.caseType !== 'consultation').map((s) => s.category);

  it('XML: every SOP category but consultations, with the specification fields', async () => {
    const res = await h.send('GET', `/open311/v2/services.xml?jurisdiction_id=${JURISDICTION}`);

    const items = xmlItems(res.body, 'services', 'service');
    expect(items.map((s) => s.service_code)).toEqual(services);
    expect(consultations.length).toBeGreaterThan(0);
    expect(items.find((s) => s.service_code === 'pothole')).toEqual({
      service_code: 'pothole',
      service_name: '道路坑洞、路面不平',
      description: expect.any(String),
      metadata: 'true',
      type: 'realtime',
      keywords: expect.stringContaining('pothole'),
      group: '道路與路燈',
    });
  });

  it('JSON: a top-level array; metadata is false for a service without questions', async () => {
    const res = await h.send('GET', '/open311/v2/services.json');

    const items = json(res);
    expect(Array.isArray(items)).toBe(true);
    expect(items).toHaveLength(services.length);
    for (const s of items) expect(s.metadata).toBe(loadConfig().sops.find((x) => x.category === s.service_code)!.attributes.length > 0);
  });
});

describe('GET services/{service_code}', () => {
  it('XML: the SOP questions as attributes, ordered from 1, lists with their values', async () => {
    const res = await h.send('GET', '/open311/v2/services/pothole.xml');

    const def = parseXml(res.body).service_definition as { service_code: string; attributes: { attribute: Array<Record<string, unknown>> } };
    expect(def.service_code).toBe('pothole');
    const [size, dangerous] = def.attributes.attribute;
    expect(size).toMatchObject({ variable: 'true', code: 'size', datatype: 'singlevaluelist', required: 'true', order: '1', datatype_description: expect.any(String) });
    expect((size.values as { value: Array<{ key: string; name: string }> }).value.map((v) => v.key)).toEqual(['small', 'medium', 'large']);
    expect(dangerous).toMatchObject({ code: 'dangerous', order: '2' });
  });

  it('JSON: an object with an attributes array; a string question has no values', async () => {
    const res = await h.send('GET', '/open311/v2/services/street-light.json');

    const def = json<{ service_code: string; attributes: Array<Record<string, unknown>> }>(res);
    expect(def.service_code).toBe('street-light');
    expect(def.attributes[0]).toMatchObject({ code: 'poleNumber', datatype: 'string', required: false, order: 1 });
    expect(def.attributes[0]).not.toHaveProperty('values');
    expect(def.attributes[1]).toMatchObject({ code: 'lightState', values: [{ key: 'dark', name: expect.any(String) }, { key: 'flickering' }, { key: 'on-by-day' }] });
  });

  it('an unknown service_code, or a consultation category, is a 404 listing the error', async () => {
    const unknown = await h.send('GET', '/open311/v2/services/graffiti.json');
    const consultation = await h.send('GET', '/open311/v2/services/epidemic-info.xml');

    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toEqual([{ code: 404, description: 'service_code graffiti was not found' }]);
    expect(consultation.statusCode).toBe(404);
    expect(xmlItems(consultation.body, 'errors', 'error')).toEqual([{ code: '404', description: 'service_code epidemic-info was not found' }]);
  });
});

describe('POST requests', () => {
  it('the specification example (raw form, XML answer) files a case on channel open311 and starts its workflow', async () => {
    const raw =
      `api_key=${h.apiKey}&jurisdiction_id=${JURISDICTION}&service_code=pothole&lat=24.9653&long=121.2246&address_string=1234+5th+street` +
      '&email=smit333%40sfgov.edu&device_id=tt222111&account_id=123456&first_name=john&last_name=smith&phone=0912345678' +
      '&description=A+large+sinkhole+is+destroying+the+street&media_url=http%3A%2F%2Ffarm3.static.flickr.com%2F2002%2F2212426634_5ed477a060.jpg' +
      '&attribute[size]=large&attribute[dangerous]=yes';

    const res = await h.send('POST', '/open311/v2/requests.xml', { form: raw });

    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<account_id/>');
    const [answer] = xmlItems(res.body, 'service_requests', 'request');
    expect(answer).toEqual({ service_request_id: expect.stringMatching(/^20261127-\d{5}$/), service_notice: '依標準作業程序，本案由工務局於 3 個工作天內處理完成。', account_id: '' });
    expect(answer).not.toHaveProperty('token');
    const c = (await h.cases.get(String(answer.service_request_id)))!;
    expect(c).toMatchObject({
      status: 'NEW',
      channel: 'open311',
      category: 'pothole',
      createdBy: h.clientId,
      location: { district: 'zhongli', address: '1234 5th street', lat: 24.9653, lng: 121.2246 },
      attributes: { size: 'large', dangerous: 'yes' },
      reporter: { name: 'john smith', email: 'smit333@sfgov.edu', phone: '0912345678', anonymous: false, notify: 'email' },
      mediaUrl: 'http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg',
    });
    expect(h.workflow.start).toHaveBeenCalledWith(c.caseNo);
  });

  it('JSON: a top-level array with service_request_id, the SOP promise as service_notice and a null account_id', async () => {
    const res = await h.send('POST', '/open311/v2/requests.json', { form: potholeForm() });

    expect(json(res)).toEqual([{ service_request_id: expect.stringMatching(/^20261127-\d{5}$/), service_notice: expect.stringContaining('工務局'), account_id: null }]);
  });

  it('a Chinese name is family name first; a district named in the address wins over the nearest centre', async () => {
    const id = await file(potholeForm([['address_string', '平鎮區環南路二段1號']]));

    expect((await h.cases.get(id))!).toMatchObject({ reporter: { name: '王大明' }, location: { district: 'pingzhen', address: '平鎮區環南路二段1號' } });
  });

  it('address_id names a district; lat/long alone find the nearest district', async () => {
    const byId = await file(formBody([['api_key', h.apiKey], ['service_code', 'litter'], ['address_id', 'bade/42']]));
    const byPoint = await file(formBody([['api_key', h.apiKey], ['service_code', 'litter'], ['lat', '25.06'], ['long', '121.28']]));

    expect((await h.cases.get(byId))!.location).toMatchObject({ district: 'bade', address: expect.stringContaining('bade/42') });
    expect((await h.cases.get(byPoint))!.location).toMatchObject({ district: 'luzhu', lat: 25.06, lng: 121.28 });
    expect((await h.cases.get(byPoint))!).toMatchObject({ description: '環境髒亂、垃圾', reporter: { anonymous: true, notify: 'none' } });
  });

  it('phone is free text: a foreign number is kept as given, a full-width Taiwanese one normalised', async () => {
    const foreign = await file(potholeForm([['phone', '+44 1632 960123']]));
    const fullWidth = await file(potholeForm([['phone', '０９１２－３４５－６７８']]));

    expect((await h.cases.get(foreign))!.reporter).toMatchObject({ phone: '+44 1632 960123', anonymous: false, notify: 'email' });
    expect((await h.cases.get(fullWidth))!.reporter).toMatchObject({ phone: '0912345678' });
  });

  it('an address that names no district is accepted unplaced: the workflow hands it to the dispatch desk', async () => {
    const res = await h.send('POST', '/open311/v2/requests.json', { form: potholeForm().replace(/lat=[^&]*&long=[^&]*&/, '').replace(/address_string=[^&]*/, `address_string=${encodeURIComponent('中山路100號')}`) });

    expect(res.statusCode, res.body).toBe(200);
    const [answer] = json(res);
    expect(answer.service_notice).toBe('依標準作業程序，本案由權責機關於 3 個工作天內處理完成。');
    const c = (await h.cases.get(String(answer.service_request_id)))!;
    expect(c.location).toEqual({ district: 'unplaced', address: '中山路100號' });
    expect(h.workflow.start).toHaveBeenCalledWith(c.caseNo);
  });

  it('attribute[code][] answers a multi-value question with every value', async () => {
    const litter = (await h.sops.current('litter'))!;
    await h.sops.saveNewVersion(
      { ...litter, attributes: [...litter.attributes, { code: 'hazards', datatype: 'multivaluelist', required: true, description: { zh: '危害', en: 'Hazards' }, values: [{ key: 'smell', name: { zh: '異味', en: 'Smell' } }, { key: 'pests', name: { zh: '病媒', en: 'Pests' } }] }] },
      litter.version,
      { by: 'sup-1', reason: 'asks about hazards' },
    );
    const definition = json<{ attributes: Array<Record<string, unknown>> }>(await h.send('GET', '/open311/v2/services/litter.json'));
    expect(definition.attributes.map((a) => a.code)).toEqual(['wasteType', 'hazards']);

    const raw = `api_key=${h.apiKey}&service_code=litter&address_string=${encodeURIComponent('大溪區中央路1號')}&attribute[hazards][]=smell&attribute[hazards][]=pests&attribute[unasked]=ignored`;
    const id = await file(raw);

    expect((await h.cases.get(id))!.attributes).toEqual({ hazards: ['smell', 'pests'] });
    const missing = await h.send('POST', '/open311/v2/requests.json', { form: `api_key=${h.apiKey}&service_code=litter&address_string=${encodeURIComponent('大溪區中央路1號')}` });
    expect(missing.statusCode).toBe(400);
    expect(json(missing)).toEqual([{ code: 400, description: 'attribute[hazards]: is required' }]);
  });
});

describe('POST requests: each bad input gets the specification error', () => {
  const cases: Array<[string, () => string, number, RegExp]> = [
    ['a missing api_key', () => potholeForm().replace(/api_key=[^&]+&/, ''), 403, /api_key is required/],
    ['an unknown api_key', () => potholeForm([], 'c311_not-an-issued-key-000000000000'), 403, /Invalid api_key/],
    ['a missing service_code', () => potholeForm().replace('service_code=pothole&', ''), 400, /^service_code: is required/],
    ['an unknown service_code', () => potholeForm().replace('service_code=pothole', 'service_code=graffiti'), 404, /service_code graffiti was not found/],
    ['an unknown jurisdiction_id in the body', () => potholeForm().replace(`jurisdiction_id=${JURISDICTION}`, 'jurisdiction_id=sfgov.org'), 404, /jurisdiction_id sfgov.org was not found/],
    ['no location', () => formBody([['api_key', h.apiKey], ['service_code', 'pothole'], ['attribute[size]', 'large'], ['attribute[dangerous]', 'no']]), 400, /^location: send lat and long, address_string or address_id$/],
    ['lat without long', () => formBody([['api_key', h.apiKey], ['service_code', 'litter'], ['lat', '24.96']]), 400, /^long: lat and long must be sent together$/],
    ['a point outside the city', () => formBody([['api_key', h.apiKey], ['service_code', 'litter'], ['lat', '25.04'], ['long', '121.56']]), 400, /^lat\/long: .* not within 桃園市/],
    ['a description over 4000 characters', () => potholeForm([['description', '坑'.repeat(4001)]]), 400, /^description: must be at most 4000 characters$/],
    ['a missing required attribute', () => potholeForm().replace('&attribute%5Bdangerous%5D=yes', ''), 400, /^attribute\[dangerous\]: is required$/],
    ['an answer not in the list', () => potholeForm([['attribute[size]', 'huge']]), 400, /^attribute\[size\]: "huge" is not one of/],
    ['two answers to a one-answer question', () => potholeForm().replace('attribute%5Bsize%5D=large', 'attribute%5Bsize%5D%5B%5D=large&attribute%5Bsize%5D%5B%5D=small'), 400, /^attribute\[size\]: takes one value; got 2$/],
    ['a phone of more than one line', () => potholeForm([['phone', '+44 1632\n960123']]), 400, /^phone: must be one line of at most 40 characters$/],
    ['a phone over 40 characters', () => potholeForm([['phone', '+44 1632 960123 '.repeat(3)]]), 400, /^phone: must be one line of at most 40 characters$/],
    ['a malformed e-mail', () => potholeForm([['email', 'not-an-address']]), 400, /^email: must be an e-mail address$/],
    ['a media_url that is not http(s)', () => potholeForm([['media_url', 'javascript:alert(1)']]), 400, /^media_url: must be an http or https URL/],
  ];

  it.each(cases)('%s', async (_name, form, status, description) => {
    const before = h.workflow.start.mock.calls.length;
    const [asJson, asXml] = [await h.send('POST', '/open311/v2/requests.json', { form: form() }), await h.send('POST', '/open311/v2/requests.xml', { form: form() })];

    expect(asJson.statusCode).toBe(status);
    expect(json(asJson).some((e) => e.code === status && description.test(String(e.description))), asJson.body).toBe(true);
    expect(asXml.statusCode).toBe(status);
    expect(xmlItems(asXml.body, 'errors', 'error').some((e) => e.code === String(status) && description.test(String(e.description)))).toBe(true);
    expect(h.workflow.start.mock.calls.length).toBe(before);
  });

  it('several problems are listed together, one error each', async () => {
    const res = await h.send('POST', '/open311/v2/requests.json', { form: formBody([['api_key', h.apiKey], ['service_code', 'pothole'], ['address_string', '中壢區'], ['phone', '1'.repeat(41)]]) });

    expect(res.statusCode).toBe(400);
    expect(json(res).map((e) => String(e.description).split(':')[0])).toEqual(['attribute[size]', 'attribute[dangerous]', 'phone']);
  });

  it('a JSON body is refused: the specification posts forms', async () => {
    const res = await h.send('POST', '/open311/v2/requests.json', { form: JSON.stringify({ api_key: h.apiKey }), contentType: 'application/json' });

    expect(res.statusCode).toBe(400);
    expect(json(res)[0].description).toMatch(/application\/x-www-form-urlencoded/);
  });

  it('only requests accepts a POST', async () => {
    const res = await h.send('POST', '/open311/v2/services.json', { form: potholeForm() });

    expect(res.statusCode).toBe(404);
  });
});

describe('the per-client rate limit', () => {
  it('a client over its requests a minute gets a 429 with Retry-After, the seconds until its window ends', async () => {
    clock.set('2026-11-27T01:00:45.000Z');
    h.caps.take.mockResolvedValueOnce(false);

    const res = await h.send('POST', '/open311/v2/requests.json', { form: potholeForm() });

    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('15');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(json(res)).toEqual([{ code: 429, description: expect.stringContaining('at most') }]);
  });
});

describe('jurisdiction_id', () => {
  it('may be left out or match; any other jurisdiction is a 404 on every resource', async () => {
    expect((await h.send('GET', '/open311/v2/services.json')).statusCode).toBe(200);
    expect((await h.send('GET', `/open311/v2/services.json?jurisdiction_id=${JURISDICTION.toUpperCase()}`)).statusCode).toBe(200);
    for (const path of ['discovery.xml', 'services.json', 'services/pothole.json', 'requests.xml', 'servicerequestupdates.json', 'requests/20261127-00001.json']) {
      const res = await h.send('GET', `/open311/v2/${path}?jurisdiction_id=sfgov.org`);
      expect(res.statusCode, path).toBe(404);
    }
  });
});

describe('GET tokens/{token}', () => {
  it('requests are created in real time, so any token is a 404 that says so', async () => {
    const res = await h.send('GET', '/open311/v2/tokens/12345.json');

    expect(res.statusCode).toBe(404);
    expect(json(res)[0].description).toMatch(/never a token/);
    expect((await h.send('GET', '/open311/v2/tokens/12345.xml')).statusCode).toBe(404);
  });
});
