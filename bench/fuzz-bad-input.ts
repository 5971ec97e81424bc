/**
 * `npm run fuzz [-- --per-route-token N --concurrency N]`: a bad-input run against the local cloud, in process.
 *
 * Every route of the route table (functions/api/routes.ts ROUTES, the Open311 routes included) is called with
 * every role's token, no token, and expired, re-signed and unsigned tokens; each call combines one path, query,
 * body and header variant from the lists below: malformed percent-encoding, wrong types, huge and deeply nested
 * bodies, forged and edited cursors, wrong content types, boundary numbers, unicode junk. Nothing it sends is a
 * valid request on purpose, but some are accepted (a junk note is still a note): the run is about the status.
 *
 * Prints the number of answers per status class and every 5xx with its route and request. A bad request must
 * never be a 5xx; exits 1 when one was. Defaults: 32 requests per route and token, 8 in flight (about 12,000
 * requests: 37 routes x 10 tokens x 32).
 */
import { request as httpRequest, Agent } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RouteDef } from '../functions/api/routes';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Handlers log only what goes wrong (an unexpected error is logged with its stack); rejections are the point here.
// Set before the first import of the logger, which reads it once.
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
const { startLocalCloud } = await import('../local/cloud');
const { localCursorSecret } = await import('../local/identity');
const { planList } = await import('../functions/adapters/case-repository');
const { CursorCodec } = await import('../functions/adapters/cursor');
const { AuditEntity } = await import('../functions/adapters/table');
const { ROUTES } = await import('../functions/api/routes');

const { values: args } = parseArgs({
  options: { 'per-route-token': { type: 'string', default: '32' }, concurrency: { type: 'string', default: '8' } },
});
const PER_ROUTE_TOKEN = Number(args['per-route-token']);
const CONCURRENCY = Number(args.concurrency);

interface Probe {
  route: RouteDef;
  token: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What the body is, for the report (bodies can be megabytes). */
  bodyLabel: string;
}

interface Outcome {
  probe: Probe;
  status: number;
  excerpt: string;
}

// ------------------------------------------------------------------------------------------------- variants

const b64 = (s: string) => Buffer.from(s).toString('base64url');

/** Path parameter values: real, missing, malformed encodings, traversal, junk. `{real}` is a real case number. */
const PATH_VALUES = [
  '{real}',
  '20991231-99999',
  '%ZZ',
  '%E0%A4%A',
  '%',
  '%%',
  '%u202E',
  '%00',
  '%C0%AF',
  '..%2F..%2Fetc%2Fpasswd',
  '%F0%9F%92%A5'.repeat(40),
  encodeURIComponent('\u202e\ufeff路燈\u0000'),
  'x'.repeat(2_000),
  '-1',
  '1e309',
  'null',
  '__proto__',
  encodeURIComponent('<script>alert(1)</script>'),
];
/** Open311 names carry their format: some with, some without, some malformed. */
const OPEN311_SUFFIXES = ['.json', '.xml', '', '.json.xml', '.JSON', '%2Ejson'];

const forgedCursor = `${b64(JSON.stringify({ p: 'STATUS#CLOSED', k: { pk: 'CASE#x', sk: 'CASE', gsi2pk: 'STATUS#CLOSED', gsi2sk: '~' } }))}.${b64('0123456789abcdef')}`;
const QUERIES = [
  '',
  'limit=-1',
  'limit=0',
  'limit=99999999999999999999999',
  'limit=1.5',
  'limit=NaN',
  'limit=%ZZ',
  `cursor=${forgedCursor}`,
  'cursor=AAAA.BBBB',
  'cursor=....',
  `cursor=${'A'.repeat(5_000)}`,
  'cursor=%E0%A4%A',
  'status=%F0%9F%92%A5',
  'status=NEW&status=CLOSED&status=',
  'status=ASSIGNED&department=PWD&district=zhongli&category=pothole&createdFrom=2026-13-45&createdTo=yesterday',
  'status=NEW&createdFrom=0000-01-01T00:00:00Z&createdTo=9999-12-31T23:59:59Z',
  'category=pothole&district=zhongli&lat=1e308&lng=-1e308',
  'category=pothole&district=zhongli&lat=NaN&lng=Infinity',
  'day=2026-02-30',
  'day=%00',
  'status=ACKNOWLEDGED&department=%3Cscript%3E',
  'service_code=pothole&start_date=not-a-date&end_date=1970-01-01T00:00:00Z',
  'start_date=0001-01-01T00:00:00Z',
  'page=-5&page_size=1000000',
  'page=99999999999999999999',
  'service_request_id=%ZZ,20261127-00001,,,',
  'jurisdiction_id=%F0%9F%92%A5',
  'status=open,closed,junk',
  'lat=91&long=181&radius=-1',
  '__proto__[x]=1&constructor[prototype][y]=2',
  `q=${'%E8%B7%AF'.repeat(3_000)}`,
  'limit=200&limit=1',
];

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

interface BodyVariant {
  label: string;
  body?: string | Buffer;
  contentType?: string;
  /** Megabytes: sent only with a few tokens, to keep the run's CPU in bounds. */
  heavy?: boolean;
}

const BODIES: BodyVariant[] = [
  { label: 'none' },
  { label: 'empty', body: '', contentType: 'application/json' },
  { label: 'null', body: 'null', contentType: 'application/json' },
  { label: 'array', body: '[]', contentType: 'application/json' },
  { label: 'string', body: '"text"', contentType: 'application/json' },
  { label: 'number', body: '1e309', contentType: 'application/json' },
  { label: 'empty object', body: '{}', contentType: 'application/json' },
  { label: 'truncated JSON', body: '{"category": "pothole", ', contentType: 'application/json' },
  { label: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), contentType: 'application/json' },
  { label: 'wrong types', body: JSON.stringify({ category: 123, description: ['x'], location: 'x', reporter: 1, channel: {}, attributes: 'x', text: 5, reason: null, department: [], answer: Infinity, parentCaseNo: {}, phone: 12345, minutes: '60' }), contentType: 'application/json' },
  { label: 'boundary numbers', body: JSON.stringify({ category: 'pothole', description: 'x', location: { district: 'zhongli', address: 'x', lat: Number.MAX_VALUE, lng: -0 }, minutes: Number.MAX_SAFE_INTEGER + 2, limit: -2147483649, satisfied: 0, score: -1e-320 }), contentType: 'application/json' },
  { label: 'unicode junk', body: JSON.stringify({ category: '\u202e\ufeff', description: '\ud800\udfff\u0000\u200b'.repeat(100), text: '\ud800', reason: '\uffff'.repeat(50), location: { district: '中壢\u0000', address: '\u0301'.repeat(300) } }), contentType: 'application/json' },
  { label: 'lone surrogate escapes', body: '{"text":"\\ud800","description":"\\udfff\\u0000"}', contentType: 'application/json' },
  { label: 'prototype keys', body: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"role":"admin"}},"text":"x"}', contentType: 'application/json' },
  { label: 'deep objects (40)', body: deepObject(40), contentType: 'application/json' },
  { label: 'deep arrays (100k)', body: deepArray(100_000), contentType: 'application/json', heavy: true },
  { label: 'huge string (2 MB)', body: JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }), contentType: 'application/json', heavy: true },
  { label: 'large SOP-shaped (300 KB)', body: JSON.stringify({ category: 'pothole', name: { zh: '坑'.repeat(50_000), en: ' ' }, description: { zh: 'x'.repeat(100_000), en: '   ' } }), contentType: 'application/json', heavy: true },
  { label: 'form-encoded', body: 'service_code=pothole&lat=abc&long=%ZZ&description=%E0%A4%A&api_key=forged&attribute[size][]=a&attribute[size][]=b&email=x', contentType: 'application/x-www-form-urlencoded' },
  { label: 'form junk', body: '&&&==%%%&a[b][c][d]=1&' + 'x='.repeat(1_000), contentType: 'application/x-www-form-urlencoded; charset=utf-8' },
  { label: 'text/plain JSON', body: '{"text":"hi"}', contentType: 'text/plain' },
  { label: 'XML', body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><service_request><description>&a;</description></service_request>', contentType: 'application/xml' },
  { label: 'no content type', body: '{"text":"hi"}' },
  { label: 'UTF-16 JSON', body: Buffer.from('{"text":"hi"}', 'utf16le'), contentType: 'application/json; charset=utf-16' },
  { label: 'multipart', body: '--x\r\nContent-Disposition: form-data; name="text"\r\n\r\nhi\r\n--x--', contentType: 'multipart/form-data; boundary=x' },
];

const HEADER_VARIANTS: Array<Record<string, string>> = [
  {},
  { 'if-match': '"abc"' },
  { 'if-match': '99999999999999999999999' },
  { 'if-match': 'W/"-1"' },
  { 'idempotency-key': 'x'.repeat(300) },
  { 'idempotency-key': '%ZZ\u00e9' },
  { 'if-match': '*', 'idempotency-key': 'k1' },
  { 'x-forwarded-proto': 'javascript', host: 'evil.example' },
];

/**
 * Cursors signed with a key: the table name (what cursors were signed with when no secret was configured, a public
 * value) or the real secret (someone who holds it), with start keys outside their query's partition, range or
 * shape. Each must be a 400, never a DynamoDB ValidationException.
 */
function signedCursorProbes(key: string): Array<{ routeId: string; query?: string; body?: string }> {
  const codec = new CursorCodec(key);
  const enc = (binding: string, position: Record<string, unknown>) => encodeURIComponent(codec.encode(binding, position as never));
  const ranged = { status: 'NEW' as const, createdFrom: '2026-11-20T00:00:00.000Z', createdTo: '2026-11-25T00:00:00.000Z' };
  const rangedQuery = `status=NEW&createdFrom=${ranged.createdFrom}&createdTo=${ranged.createdTo}`;
  const outside = (gsi2sk: string) => ({ p: 'STATUS#NEW', k: { pk: 'CASE#20261101-00001', sk: 'CASE', gsi2pk: 'STATUS#NEW', gsi2sk } });
  const day = '2026-11-27';
  const audit = `audit|${AuditEntity.dayPartition(day)}`;
  return [
    { routeId: 'listCases', query: `${rangedQuery}&cursor=${enc(planList(ranged).binding, outside('2026-01-01T00:00:00.000Z#x'))}` },
    { routeId: 'listCases', query: `${rangedQuery}&cursor=${enc(planList(ranged).binding, outside('9999-01-01#x'))}` },
    { routeId: 'listCases', query: `status=NEW&cursor=${enc(planList({ status: 'NEW' }).binding, { p: 'STATUS#NEW', k: { pk: 1, sk: 'CASE', gsi2pk: 'STATUS#NEW', gsi2sk: 'x' } })}` },
    { routeId: 'listCases', query: `status=NEW&cursor=${enc(planList({ status: 'NEW' }).binding, { p: 'STATUS#NEW', k: { pk: 'CASE#x', sk: 'CASE', gsi2pk: 'STATUS#NEW', gsi2sk: 'x', extra: 'y' } })}` },
    { routeId: 'listPhoneSearchAudit', query: `day=${day}&cursor=${enc(audit, { k: { pk: AuditEntity.dayPartition(day), sk: 12 } })}` },
    { routeId: 'listPhoneSearchAudit', query: `day=${day}&cursor=${enc(audit, { k: { pk: AuditEntity.dayPartition(day) } })}` },
    { routeId: 'listPhoneSearchAudit', query: `day=${day}&cursor=${enc(audit, { k: { pk: AuditEntity.dayPartition(day), sk: 'x', gsi1pk: 'y' } })}` },
    { routeId: 'callbackQueue', query: `cursor=${enc('queue|gsi2|STATUS#RESOLVED|survey', { k: { pk: 'CASE#x', sk: 'CASE', gsi2pk: 'STATUS#RESOLVED', gsi2sk: 7 } })}` },
    { routeId: 'getCaseTimeline', query: `cursor=${enc('timeline|{real}', { offset: -1 })}` },
    { routeId: 'getCaseTimeline', query: `cursor=${enc('timeline|{real}', { offset: 1e308 })}` },
    { routeId: 'searchByPhone', body: JSON.stringify({ phone: '0912-345-678', reason: 'caller asked for the status of a report', cursor: codec.encode('phone|PHONE#x', { k: { pk: 'x' } }) }) },
  ];
}

// ------------------------------------------------------------------------------------------------- tokens

function tamper(token: string): string {
  const [h, p, s] = token.split('.');
  return `${h}.${p}.${s.slice(0, -4)}${s.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
}
function unsigned(token: string): string {
  const [, p] = token.split('.');
  return `${b64(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${p}.`;
}
function elevated(token: string): string {
  const [h, p, s] = token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${h}.${b64(JSON.stringify({ ...claims, 'cognito:groups': ['admin'] }))}.${s}`;
}

// ------------------------------------------------------------------------------------------------- probes

function fill(route: RouteDef, realCaseNo: string, i: number): string {
  let n = i;
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = PATH_VALUES[n++ % PATH_VALUES.length].replace('{real}', name === 'caseNo' ? realCaseNo : 'pothole');
    return route.tag === 'open311' ? `${v}${OPEN311_SUFFIXES[i % OPEN311_SUFFIXES.length]}` : v;
  });
}

function* probes(tokens: Array<[string, string | undefined]>, realCaseNo: string, cursorKeys: string[]): Generator<Probe> {
  for (const key of cursorKeys) {
    for (const c of signedCursorProbes(key)) {
      const route = ROUTES.find((r) => r.id === c.routeId)!;
      for (const [tokenName, token] of tokens) {
        yield {
          route,
          token: tokenName,
          method: route.method,
          path: `${route.path.replace('{caseNo}', realCaseNo)}${c.query ? `?${c.query.replace('{real}', realCaseNo)}` : ''}`,
          headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(c.body ? { 'content-type': 'application/json' } : {}) },
          body: c.body === undefined ? undefined : Buffer.from(c.body),
          bodyLabel: c.body === undefined ? 'none' : 'signed cursor',
        };
      }
    }
  }
  for (const route of ROUTES) {
    for (const [tokenName, token] of tokens) {
      for (let i = 0; i < PER_ROUTE_TOKEN; i++) {
        const withBody = route.method !== 'GET';
        // Heavy bodies only without a token and with the supervisor's: enough to see them refused everywhere.
        const bodies = BODIES.filter((b) => !b.heavy || tokenName === 'none' || tokenName === 'supervisor1');
        const body = withBody ? bodies[(i * 7 + tokenName.length) % bodies.length] : i % 5 === 0 ? bodies[(i * 3) % bodies.length] : BODIES[0];
        const query = QUERIES[(i * 5 + tokenName.length) % QUERIES.length];
        const extra = HEADER_VARIANTS[(i + tokenName.length) % HEADER_VARIANTS.length];
        const headers: Record<string, string> = { ...extra };
        if (token !== undefined) headers.authorization = `Bearer ${token}`;
        if (body.contentType) headers['content-type'] = body.contentType;
        const p = fill(route, realCaseNo, i);
        yield {
          route,
          token: tokenName,
          method: route.method,
          path: query ? `${p}?${query}` : p,
          headers,
          body: body.body === undefined ? undefined : Buffer.isBuffer(body.body) ? body.body : Buffer.from(body.body, 'utf8'),
          bodyLabel: body.label,
        };
      }
    }
  }
}

// ------------------------------------------------------------------------------------------------- sending

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(base: URL, probe: Probe): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: base.hostname, port: base.port, method: probe.method, path: probe.path, headers: { ...probe.headers, ...(probe.body ? { 'content-length': String(probe.body.length) } : {}) }, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ probe, status: res.statusCode ?? 0, excerpt: Buffer.concat(chunks).toString('utf8').slice(0, 300) }));
        res.on('error', (e) => resolve({ probe, status: 0, excerpt: `response error: ${e.message}` }));
      },
    );
    req.on('error', (e) => resolve({ probe, status: 0, excerpt: `request error: ${e.message}` }));
    req.end(probe.body);
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-fuzz-'));
  const cloud = await startLocalCloud({ port: 0, dataDir, quiet: true, handlerLogLevel: 'ERROR', log: () => undefined, logError: () => undefined });
  const started = performance.now();
  try {
    const base = new URL(cloud.urls.api);
    const supervisor = await cloud.token('supervisor1');
    const list = await fetch(new URL('/cases?status=ASSIGNED&limit=1', base), { headers: { authorization: `Bearer ${supervisor}` } });
    const realCaseNo = ((await list.json()) as { items?: Array<{ caseNo: string }> }).items?.[0]?.caseNo ?? '20261127-00001';

    const tokens: Array<[string, string | undefined]> = [['none', undefined]];
    for (const user of ['agent1', 'pwd.staff', 'supervisor1', 'admin', 'integration']) tokens.push([user, await cloud.token(user)]);
    const agentToken = await cloud.token('agent1');
    tokens.push(['expired', await cloud.token('agent1', { expiresInSeconds: -120 })]);
    tokens.push(['re-signed', tamper(agentToken)]);
    tokens.push(['alg none', unsigned(agentToken)]);
    tokens.push(['elevated claims', elevated(agentToken)]);

    // The real key as the local Secrets Manager serves it (kept in the data folder).
    const cursorKeys = [cloud.tableName, localCursorSecret(dataDir)];
    const all = [...probes(tokens, realCaseNo, cursorKeys)];
    const outcomes: Outcome[] = [];
    let next = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < all.length) {
          const probe = all[next++];
          outcomes.push(await send(base, probe));
          if (++done % 2_000 === 0) process.stderr.write(`  ${done} / ${all.length}\n`);
        }
      }),
    );

    const byClass = new Map<string, number>();
    for (const o of outcomes) {
      const cls = o.status === 0 ? 'no answer' : `${Math.floor(o.status / 100)}xx`;
      byClass.set(cls, (byClass.get(cls) ?? 0) + 1);
    }
    const faults = outcomes.filter((o) => o.status >= 500 || o.status === 0);
    console.log(`Bad-input run: ${outcomes.length} requests over ${ROUTES.length} routes x ${tokens.length} tokens, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const cls of ['2xx', '3xx', '4xx', '5xx', 'no answer']) console.log(`  ${cls.padEnd(10)} ${byClass.get(cls) ?? 0}`);
    if (faults.length) {
      console.log(`\n${faults.length} answers were 5xx (or none):`);
      for (const f of faults) {
        const shownPath = f.probe.path.length > 160 ? `${f.probe.path.slice(0, 160)}…` : f.probe.path;
        console.log(`  ${f.status} ${f.probe.route.id}  ${f.probe.method} ${shownPath}  token=${f.probe.token} body=${f.probe.bodyLabel} headers=${JSON.stringify(Object.keys(f.probe.headers).filter((h) => h !== 'authorization'))}`);
        console.log(`      ${f.excerpt.replace(/\s+/g, ' ').slice(0, 200)}`);
      }
    }
    process.exitCode = faults.length ? 1 : 0;
  } finally {
    agent.destroy();
    await cloud.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
