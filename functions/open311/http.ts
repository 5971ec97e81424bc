/**
 * The HTTP pipeline of the Open311 routes. Like api/http.ts (middy, the redacting logger, one error mapping)
 * but the Open311 wire rules: the format is the path's `.xml` / `.json` extension, answers and errors are XML or
 * JSON documents in that format, POST bodies are application/x-www-form-urlencoded (or multipart/form-data with a
 * `media` file part, FixMyStreet's upload), and there is no JWT: reads
 * are public open data, writes check the api_key in the use case.
 *
 * API Gateway HTTP API path parameters cannot carry a suffix inside a segment, so routes take the whole last
 * segment (`{document}` = `requests.json`, `{service}` = `pothole.xml`) and the extension is split here.
 * Repeated query arguments arrive comma-joined (payload v2), which is also the specification's list syntax.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type { ApiEvent, ApiHandler, ApiResult } from '../api/http';
import { bodyBytes, bodyText, routeById, TIMEOUT_EARLY } from '../api/http';
import { findRoute, isPublic, routeKey, type RouteDef } from '../api/routes';
import { loadSecretKeys } from '../composition';
import { logger, logScoped } from '../shared/logger';
import { CONTENT_TYPES, render, splitFormat, type Open311Document, type Open311Format } from './document';
import { badRequest, notFound, open311ErrorOf } from './errors';
import type { Open311Settings } from './settings';

export interface Open311Request {
  /** The resource named by the last path segment, without its extension: `requests`, `pothole`, `20261127-00042`. */
  name: string;
  format: Open311Format;
  query: Record<string, string | undefined>;
  /** The form of a POST (empty for GET). */
  form: URLSearchParams;
  /** The file of a multipart POST's `media` part, as sent (checked by the use case). */
  media?: ReceivedFile;
  /** The configured base URL (OPEN311_BASE_URL), never the request's Host: answers are cached publicly. */
  endpointUrl: string;
  route: RouteDef;
  event: ApiEvent;
}

export interface ReceivedFile {
  bytes: Uint8Array;
  /** The part's own Content-Type (never the file name's extension). */
  contentType: string;
}

export interface Open311Response {
  statusCode?: number;
  document: Open311Document;
}

export type Open311RouteFn = (req: Open311Request) => Promise<Open311Response>;

/** The path parameter holding `<name>.<format>` for each kind of route. */
const FILE_PARAMETERS = ['document', 'service', 'request', 'token'] as const;

export function open311Handler(settings: () => Open311Settings, routes: Record<string, Open311RouteFn>): ApiHandler {
  const byKey = new Map<string, { route: RouteDef; fn: Open311RouteFn }>();
  for (const [id, fn] of Object.entries(routes)) {
    const route = routeById(id);
    if (!isPublic(route) || route.tag !== 'open311') throw new Error(`Route ${id} is not a public Open311 route`);
    byKey.set(routeKey(route), { route, fn });
  }

  const core = async (event: ApiEvent, context: Context): Promise<ApiResult> => {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
    // XML is the format every Open311 client reads; it answers whatever arrives without a usable extension.
    let format: Open311Format = 'xml';
    try {
      const found = byKey.get(event.routeKey) ?? byKey.get(routeKeyFromPath(event));
      if (!found) throw notFound(`No Open311 resource at ${event.rawPath}`);
      logger.appendKeys({ route: found.route.id, requestId });
      await loadSecretKeys();
      const file = FILE_PARAMETERS.map((p) => event.pathParameters?.[p]).find((v) => v !== undefined) ?? '';
      const split = splitFormat(file);
      if (!split) throw notFound(`${file || event.rawPath}: add .xml or .json to the resource`);
      format = split.format;
      const { form, media } = await formOf(event, found.route);
      const query = event.queryStringParameters ?? {};
      checkJurisdiction(settings(), query.jurisdiction_id, form.get('jurisdiction_id') ?? undefined);
      const res = await found.fn({ name: split.name, format, query, form, ...(media ? { media } : {}), endpointUrl: settings().baseUrl, route: found.route, event });
      // Open data changes slowly; a short shared cache spares the table. Updates are polled: never cached.
      const cacheable = found.route.method === 'GET' && res.document.root !== 'service_request_updates';
      return result(res.statusCode ?? 200, res.document, format, requestId, cacheable);
    } catch (e) {
      return failure(e, format, requestId);
    }
  };
  return logScoped(
    middy<ApiEvent, ApiResult, Error, Context>(core, TIMEOUT_EARLY)
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(timeoutMapper()),
  );
}

function timeoutMapper(): MiddlewareObj<ApiEvent, ApiResult, Error, Context> {
  return {
    // Only what escapes `core` arrives here: middy's early timeout (a 503 with Retry-After, as in the case API).
    onError: (request) => {
      const requestId = request.event.requestContext?.requestId ?? request.context?.awsRequestId ?? 'unknown';
      const format = splitFormat(request.event.rawPath?.split('/').pop() ?? '')?.format ?? 'xml';
      request.response = failure(request.error, format, requestId);
    },
  };
}

function failure(e: unknown, format: Open311Format, requestId: string): ApiResult {
  const mapped = open311ErrorOf(e, requestId);
  if (mapped.status < 500) logger.info('Open311 request rejected', { statusCode: mapped.status });
  const res = result(mapped.status, mapped.document, format, requestId, false);
  return mapped.headers ? { ...res, headers: { ...res.headers, ...mapped.headers } } : res;
}

/** One jurisdiction is served: jurisdiction_id may be left out, and any other value is a 404 (query or body). */
export function checkJurisdiction(settings: Open311Settings, ...given: Array<string | undefined>): void {
  for (const id of given) {
    if (id === undefined || id.trim() === '') continue;
    if (id.trim().toLowerCase() !== settings.jurisdictionId.toLowerCase())
      throw notFound(`jurisdiction_id ${id} was not found; this endpoint serves ${settings.jurisdictionId}`);
  }
}

async function formOf(event: ApiEvent, route: RouteDef): Promise<{ form: URLSearchParams; media?: ReceivedFile }> {
  if (route.method !== 'POST') return { form: new URLSearchParams() };
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? '']));
  const contentType = headers['content-type'] ?? '';
  const type = contentType.toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) return { form: new URLSearchParams(bodyText(event, route)) };
  if (type.startsWith('multipart/form-data')) return multipartForm(bodyBytes(event, route), contentType);
  throw badRequest('Content-Type: a service request is posted as application/x-www-form-urlencoded; charset=utf-8, or as multipart/form-data with a media file part');
}

/** The text fields of a multipart form as the urlencoded form would carry them, and its one `media` file. */
async function multipartForm(body: Uint8Array, contentType: string): Promise<{ form: URLSearchParams; media?: ReceivedFile }> {
  let parsed: FormData;
  try {
    parsed = await new Request('https://open311.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData();
  } catch {
    throw badRequest('multipart/form-data: the body is not a well-formed form with its boundary');
  }
  const form = new URLSearchParams();
  let media: ReceivedFile | undefined;
  for (const [name, value] of parsed.entries()) {
    if (typeof value === 'string') form.append(name, value);
    else if (name !== 'media') throw badRequest(`${name}: only the media part may be a file`);
    else if (media) throw badRequest('media: one file per service request');
    else media = { bytes: new Uint8Array(await value.arrayBuffer()), contentType: value.type || 'application/octet-stream' };
  }
  return media ? { form, media } : { form };
}

function routeKeyFromPath(event: ApiEvent): string {
  const found = findRoute(event.requestContext?.http?.method ?? '', event.rawPath ?? '');
  return found ? routeKey(found.route) : '';
}

function result(statusCode: number, document: Open311Document, format: Open311Format, requestId: string, cacheable: boolean): ApiResult {
  return {
    statusCode,
    headers: {
      'content-type': CONTENT_TYPES[format],
      'cache-control': cacheable && statusCode === 200 ? 'public, max-age=60' : 'no-store',
      'x-request-id': requestId,
    },
    body: render(document, format),
  };
}
