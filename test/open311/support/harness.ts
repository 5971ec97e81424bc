/**
 * An Open311 endpoint over dynalite, with a fake case workflow, driven with API Gateway v2 events built exactly
 * as the gateway builds them from a URL (the route found through the route table, as the local gateway does).
 */
import { vi, type Mock } from 'vitest';
import type { Context } from 'aws-lambda';
import { XMLParser } from 'fast-xml-parser';
import { DynamoApiKeyStore, issueApiKey } from '../../../functions/adapters/api-key-store';
import { DynamoCaseRepository } from '../../../functions/adapters/case-repository';
import { CursorCodec } from '../../../functions/adapters/cursor';
import { ConfigDepartmentDirectory } from '../../../functions/adapters/department-directory';
import { DynamoIdempotencyStore } from '../../../functions/adapters/idempotency-store';
import { DynamoOpen311RequestReader } from '../../../functions/adapters/open311-request-store';
import { DynamoSopCatalog } from '../../../functions/adapters/sop-catalog';
import type { ApiEvent, ApiHandler } from '../../../functions/api/http';
import { findRoute, routeKey } from '../../../functions/api/routes';
import { open311CreateHandler, open311ReadHandler } from '../../../functions/open311/handlers';
import { loadConfig, shippedDistrictBoundaries } from '../../../functions/config/load';
import { placesOf } from '../../../functions/open311/locate';
import { OPEN311_DEFAULTS, type Open311Settings } from '../../../functions/open311/settings';
import type { RateCounters } from '../../../functions/privacy/rate-limits';
import type { AttachmentStore, CaseWorkflow } from '../../../functions/usecases/ports';
import { startDynalite, type LocalTable } from '../../support/dynalite';

export interface Harness {
  local: LocalTable;
  cases: DynamoCaseRepository;
  sops: DynamoSopCatalog;
  workflow: Omit<CaseWorkflow, 'start'> & { start: Mock<CaseWorkflow['start']> };
  apiKey: string;
  clientId: string;
  /** The per-client rate counters: every hit allowed unless a test says otherwise. */
  caps: { take: Mock<RateCounters['take']> };
  send(method: 'GET' | 'POST', url: string, options?: { form?: string; contentType?: string }): Promise<Reply>;
  /** Hands an event built by the test (gatewayEvent, then changed) to the handler its method picks. */
  handle(event: ApiEvent): Promise<Reply>;
  close(): Promise<void>;
}

export interface Reply {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export const JURISDICTION = 'taoyuan.gov.tw';
/** The configured endpoint URL; requests arrive for another host (api.example.test), as a client may send any. */
export const OPEN311_BASE_URL = 'https://open311.example.test/open311/v2';

/** `files`: where multipart `media` parts are stored (none: such a request is refused, as without a bucket). */
export async function startOpen311(options: { files?: AttachmentStore } = {}): Promise<Harness> {
  const local = await startDynalite();
  const cases = new DynamoCaseRepository(local.ddb, local.tableName, new CursorCodec('open311-test'));
  const sops = new DynamoSopCatalog(local.ddb, local.tableName, loadConfig().sops.map((s) => s.category));
  const apiKeys = new DynamoApiKeyStore(local.ddb, local.tableName);
  const workflow = {
    start: vi.fn(async (caseNo: string) => ({ executionArn: `arn:aws:states:ap-northeast-1:123456789012:execution:case-lifecycle:${caseNo}` })),
    sendSuccess: vi.fn(async () => undefined),
    sendFailure: vi.fn(async () => undefined),
  };
  const settings: Open311Settings = { ...OPEN311_DEFAULTS, jurisdictionId: JURISDICTION, endpointType: 'test', baseUrl: OPEN311_BASE_URL };
  const read = open311ReadHandler({ sops, departments: new ConfigDepartmentDirectory(loadConfig().departments.departments), requests: new DynamoOpen311RequestReader(local.ddb, local.tableName), settings });
  const caps = { take: vi.fn<RateCounters['take']>(async () => true) };
  const create = open311CreateHandler({ cases, idempotency: new DynamoIdempotencyStore(local.ddb, local.tableName), sops, workflow, apiKeys, caps, departments: new ConfigDepartmentDirectory(loadConfig().departments.departments), places: placesOf(loadConfig(), shippedDistrictBoundaries()), ...(options.files ? { files: options.files } : {}) }, settings);
  const issued = await issueApiKey(apiKeys, 'Test citizen app');
  const handle = async (event: ApiEvent): Promise<Reply> => {
    const handler: ApiHandler = event.requestContext.http.method === 'POST' ? create : read;
    const res = await handler(event, { awsRequestId: 'lambda-req', functionName: 'open311', getRemainingTimeInMillis: () => 30_000 } as unknown as Context);
    return { statusCode: res.statusCode ?? 0, headers: (res.headers ?? {}) as Record<string, string>, body: res.body ?? '' };
  };

  return {
    local,
    cases,
    sops,
    workflow,
    caps,
    apiKey: issued.key,
    clientId: issued.clientId,
    send: (method, url, options = {}) => handle(gatewayEvent(method, url, options.form, options.contentType)),
    handle,
    close: () => local.close(),
  };
}

let counter = 0;

/** What API Gateway hands the function for `METHOD url`: comma-joined repeated query arguments included. */
export function gatewayEvent(method: string, url: string, form?: string, contentType = 'application/x-www-form-urlencoded; charset=utf-8'): ApiEvent {
  const u = new URL(url, 'https://api.example.test');
  const found = findRoute(method, u.pathname);
  if (!found) throw new Error(`No route for ${method} ${u.pathname}`);
  const query: Record<string, string> = {};
  for (const [k, v] of u.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  return {
    version: '2.0',
    routeKey: routeKey(found.route),
    rawPath: u.pathname,
    rawQueryString: u.search.slice(1),
    headers: { host: 'api.example.test', 'x-forwarded-proto': 'https', ...(form !== undefined ? { 'content-type': contentType } : {}) },
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    pathParameters: found.pathParameters,
    body: form,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method, path: u.pathname, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'open311-test' },
      requestId: `o311-${++counter}`,
      routeKey: routeKey(found.route),
      stage: '$default',
      time: '27/Nov/2026:01:00:00 +0000',
      timeEpoch: 0,
    },
  } as unknown as ApiEvent;
}

/** Elements that repeat in Open311 XML: always parsed as arrays, so one item reads like many. */
const REPEATED = new Set(['service', 'request', 'error', 'attribute', 'value', 'endpoint', 'format', 'request_update']);
const parser = new XMLParser({ parseTagValue: false, isArray: (name) => REPEATED.has(name), ignoreDeclaration: false });

/** Parses Open311 XML for real (fast-xml-parser), declaration included. */
export function parseXml(xml: string): Record<string, unknown> {
  return parser.parse(xml) as Record<string, unknown>;
}

/** The items of a list document: `<services><service>…` -> [{…}], an empty root -> []. */
export function xmlItems(xml: string, root: string, item: string): Array<Record<string, unknown>> {
  const doc = parseXml(xml)[root];
  if (doc === '' || doc === undefined) return [];
  return ((doc as Record<string, unknown>)[item] ?? []) as Array<Record<string, unknown>>;
}

export function json<T = Array<Record<string, unknown>>>(reply: Reply): T {
  return JSON.parse(reply.body) as T;
}

/** A form body as Open311 clients send it (`attribute[code][]` repeated for lists). */
export function formBody(fields: Array<[string, string]>): string {
  return new URLSearchParams(fields).toString();
}
