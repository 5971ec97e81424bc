/**
 * The Open311 reads: discovery, services, service definitions, requests, one request, tokens and the mySociety
 * servicerequestupdates extension. Each takes its ports and returns a document; the handler picks the format.
 */
import { isCaseNo } from '../domain/case-number';
import { now } from '../domain/clock';
import type { DepartmentDirectory, SopCatalog } from '../usecases/ports';
import { listDocument, objectDocument, type ListDocument, type ObjectDocument } from './document';
import { badRequest, notFound } from './errors';
import { catalogue, requestOf, serviceDefinitionOf, serviceOf, STATUSES_BY_OPEN311, updatesOf, type Catalogue, type Open311Status } from './mapping';
import type { Open311RequestReader } from './ports';
import type { Open311Settings } from './settings';

export interface Open311ReadPorts {
  sops: SopCatalog;
  departments: DepartmentDirectory;
  requests: Open311RequestReader;
  settings: Open311Settings;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The specification's limits for GET requests: a 90-day window and 1000 requests. */
export const MAX_WINDOW_DAYS = 90;
export const MAX_REQUESTS = 1000;
/** How far back page/page_size may reach; deeper pages would read too much: narrow the dates instead. */
export const MAX_OFFSET = 10_000;
export const MAX_REQUEST_IDS = 200;
/** servicerequestupdates: how far back start_date may go (older history: GET requests), and the default span. */
export const MAX_UPDATES_LOOKBACK_DAYS = 7;
export const DEFAULT_UPDATES_SPAN_MS = DAY_MS;

async function loadCatalogue(ports: Pick<Open311ReadPorts, 'sops' | 'departments'>): Promise<Catalogue> {
  const [sops, departments] = await Promise.all([ports.sops.list(), ports.departments.list()]);
  return catalogue(sops, departments);
}

export async function discovery(ports: Open311ReadPorts, endpointUrl: string): Promise<ObjectDocument> {
  const sops = await ports.sops.list();
  const changeset = sops.reduce((latest, s) => (s.updatedAt && s.updatedAt > latest ? s.updatedAt : latest), ports.settings.changeset);
  return objectDocument('discovery', {
    changeset,
    contact: ports.settings.contact,
    key_service: ports.settings.keyService,
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: endpointUrl,
        changeset,
        type: ports.settings.endpointType,
        formats: ['text/xml', 'application/json'],
      },
    ],
  });
}

export async function services(ports: Open311ReadPorts): Promise<ListDocument> {
  const cat = await loadCatalogue(ports);
  return listDocument('services', 'service', [...cat.services.values()].map(serviceOf));
}

export async function serviceDefinition(ports: Open311ReadPorts, serviceCode: string): Promise<ObjectDocument> {
  const sop = await ports.sops.current(serviceCode);
  if (!sop || sop.caseType === 'consultation') throw notFound(`service_code ${serviceCode} was not found`);
  return objectDocument('service_definition', serviceDefinitionOf(sop));
}

export async function request(ports: Open311ReadPorts, serviceRequestId: string): Promise<ListDocument> {
  const cat = await loadCatalogue(ports);
  const c = isCaseNo(serviceRequestId) ? await ports.requests.get(serviceRequestId) : undefined;
  if (!c || !cat.services.has(c.category)) throw notFound(`service_request_id ${serviceRequestId} was not found`);
  return listDocument('service_requests', 'request', [requestOf(c, cat)]);
}

/** Requests are created in real time (services are `realtime`), so no token is ever issued. */
export function token(_ports: Open311ReadPorts, tokenId: string): Promise<ListDocument> {
  return Promise.reject(notFound(`token ${tokenId} was not found: this endpoint answers POST requests with a service_request_id, never a token`));
}

export interface RequestsQuery {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
  page?: string;
  page_size?: string;
}

/**
 * GET requests. Steps:
 * 1. service_request_id (a comma list) overrides every other argument: read those cases;
 * 2. otherwise the window: end_date defaults to now, start_date to 90 days before end_date; start_date alone
 *    runs to now but at most 90 days on (clamped, as the specification bounds the range); both dates more than
 *    90 days apart is a 400; service_code (a comma list of services) and status (open, closed) narrow it;
 * 3. page / page_size (the common extension; page_size at most 1000, the default) pick the slice, newest first.
 */
export async function requests(ports: Open311ReadPorts, q: RequestsQuery): Promise<ListDocument> {
  const cat = await loadCatalogue(ports);
  const doc = (items: Parameters<typeof requestOf>[0][]) => listDocument('service_requests', 'request', items.map((c) => requestOf(c, cat)));

  const ids = commaList(q.service_request_id);
  if (ids.length) {
    if (ids.length > MAX_REQUEST_IDS) throw badRequest(`service_request_id: at most ${MAX_REQUEST_IDS} ids at once`);
    const bad = ids.filter((id) => !isCaseNo(id));
    if (bad.length) throw badRequest(`service_request_id: ${bad.join(', ')} is not a service request id such as 20261127-00042`);
    return doc((await ports.requests.getMany(ids)).filter((c) => cat.services.has(c.category)));
  }

  const problems: string[] = [];
  const codes = commaList(q.service_code);
  const unknown = codes.filter((c) => !cat.services.has(c));
  if (unknown.length) problems.push(`service_code: ${unknown.join(', ')} is not a service (GET services)`);
  const statuses = commaList(q.status).map((s) => s.toLowerCase());
  const badStatus = statuses.filter((s) => s !== 'open' && s !== 'closed');
  if (badStatus.length) problems.push(`status: must be open or closed, not ${badStatus.join(', ')}`);
  const page = positiveInt(q.page, 'page', problems) ?? 1;
  const pageSize = positiveInt(q.page_size, 'page_size', problems) ?? MAX_REQUESTS;
  if (pageSize > MAX_REQUESTS) problems.push(`page_size: must be at most ${MAX_REQUESTS}`);
  const window = dateWindow(q.start_date, q.end_date, problems, { defaultSpanMs: MAX_WINDOW_DAYS * DAY_MS, maxSpanDays: MAX_WINDOW_DAYS });
  if (problems.length) throw badRequest(...problems);
  const offset = (page - 1) * pageSize;
  if (offset >= MAX_OFFSET) throw badRequest(`page: pages start at most ${MAX_OFFSET} requests in; narrow start_date and end_date instead`);

  const wanted = [...new Set(statuses)] as Open311Status[];
  const categories = codes.length ? [...new Set(codes)] : [...cat.services.keys()];
  // The cheaper index: one category partition per service (read side by side), or one created-day partition
  // per day of the window (read one after the other). A dozen services beat a 90-day window.
  const days = Math.ceil((Date.parse(window!.to) - Date.parse(window!.from)) / DAY_MS) + 1;
  const items = await ports.requests.list({
    categories,
    byCategory: categories.length <= days,
    ...(wanted.length === 1 ? { statuses: STATUSES_BY_OPEN311[wanted[0]] } : {}),
    from: window!.from,
    to: window!.to,
    offset,
    limit: pageSize,
  });
  return doc(items);
}

export interface UpdatesQuery {
  start_date?: string;
  end_date?: string;
}

/**
 * mySociety's GET servicerequestupdates. Steps:
 * 1. the window: end_date defaults to now, start_date to a day before it; start_date may reach back at most 7
 *    days (for older history, GET requests);
 * 2. read every Open311 case changed since start_date (gsi6: every change's event item is indexed by when it was
 *    written, so none is missed), and keep the public events of its timeline inside the window;
 * 3. oldest first, at most 1000: a client polls again from the last updated_datetime it saw.
 */
export async function updates(ports: Open311ReadPorts, q: UpdatesQuery): Promise<ListDocument> {
  const problems: string[] = [];
  const window = dateWindow(q.start_date, q.end_date, problems, { defaultSpanMs: DEFAULT_UPDATES_SPAN_MS });
  if (window && Date.parse(window.from) < now().getTime() - MAX_UPDATES_LOOKBACK_DAYS * DAY_MS)
    problems.push(`start_date: may reach back at most ${MAX_UPDATES_LOOKBACK_DAYS} days; use GET requests for older history`);
  if (problems.length) throw badRequest(...problems);
  const cat = await loadCatalogue(ports);
  const until = new Date(Math.max(now().getTime(), Date.parse(window!.to))).toISOString();
  const changed = await ports.requests.changedSince(window!.from, until);
  const all = changed.filter((c) => cat.services.has(c.category)).flatMap((c) => updatesOf(c, cat, window!.from, window!.to));
  all.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return listDocument('service_request_updates', 'request_update', all.slice(0, MAX_REQUESTS).map((u) => u.fields));
}

// ------------------------------------------------------------------------------------------------ arguments

export function commaList(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function positiveInt(v: string | undefined, name: string, problems: string[]): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1) {
    problems.push(`${name}: must be a whole number from 1`);
    return undefined;
  }
  return Number(v);
}

/** W3C date-time with a time zone (`2010-01-01T00:00:00Z`), as the specification requires. */
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseW3c(name: string, v: string | undefined, problems: string[]): string | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const s = v.trim();
  const t = Date.parse(s);
  if (!W3C_DATETIME.test(s) || Number.isNaN(t)) {
    problems.push(`${name}: must be a W3C date-time with a time zone, e.g. 2026-11-27T00:00:00+08:00 or 2026-11-26T16:00:00Z`);
    return undefined;
  }
  return new Date(t).toISOString();
}

function dateWindow(
  start: string | undefined,
  end: string | undefined,
  problems: string[],
  options: { defaultSpanMs: number; maxSpanDays?: number },
): { from: string; to: string } | undefined {
  const before = problems.length;
  const s = parseW3c('start_date', start, problems);
  const e = parseW3c('end_date', end, problems);
  if (problems.length > before) return undefined;
  // start_date alone: the window runs from it to now, but no further than the longest window allowed (the
  // specification bounds the range, and a client asking "since August" gets August's first 90 days, not a 400).
  const latest = s && options.maxSpanDays !== undefined ? Date.parse(s) + options.maxSpanDays * DAY_MS : Number.POSITIVE_INFINITY;
  const to = e ?? (s ? new Date(Math.min(Math.max(now().getTime(), Date.parse(s)), latest)).toISOString() : now().toISOString());
  const from = s ?? new Date(Date.parse(to) - options.defaultSpanMs).toISOString();
  if (from > to) {
    problems.push('start_date: must not be after end_date');
    return undefined;
  }
  if (options.maxSpanDays !== undefined && Date.parse(to) - Date.parse(from) > options.maxSpanDays * DAY_MS) {
    problems.push(`start_date: the range may not span more than ${options.maxSpanDays} days`);
    return undefined;
  }
  return { from, to };
}
