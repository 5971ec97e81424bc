/**
 * The HTTP pipeline every API handler runs in (HTTP API payload v2, middy):
 *   1. finds the route in the route table by id (a typo fails at cold start, not per request);
 *   2. log keys: route, requestId, actor, and `caseNo` when the path has one (kept for every line of the
 *      invocation and only its lines: `logScoped`, so neither the next request nor a concurrent one carries them);
 *   3. Actor from the JWT claims (actor-from-claims.ts), then the route's policy (functions/auth/policy.ts: role
 *      and, for machine callers, scope; 403 otherwise); machine callers' requests per minute (429 over the limit);
 *   4. body: over the route's size limit a 413, nested deeper than MAX_JSON_DEPTH a 400, both before parsing; then
 *      JSON (base64 too; form-encoded for Open311 clients); malformed JSON is a 400 naming `body`;
 *   5. zod validation of body, query and path parameters with the handler's schemas (400 naming each field); codes and
 *      map points are checked against the reference data `installReferenceData` (composition.ts) installs when
 *      the handler is built and reads when a schema first checks one;
 *   6. your function (the stage's keys loaded first: `loadSecretKeys`, functions/composition.ts); its `{ statusCode?, body?, headers? }` becomes JSON with `x-request-id`;
 *   7. anything thrown goes through the one error mapper (http-errors.ts); running out of time is a 503.
 *
 * Usage:
 *   export const handler = httpHandler('acknowledgeCase', { body: acknowledgeBody }, async ({ actor, body, pathParameters }) => {
 *     const c = await acknowledgeCase(ports, actor, pathParameters.caseNo, body);
 *     return { body: c };            // 200; return { statusCode: 201, body } or { statusCode: 204 } as needed
 *   });
 * Several routes in one module (e.g. case actions): `export const handler = routeDispatcher({ acknowledgeCase: h1, resolveCase: h2 })`.
 * Header helpers: `requireIfMatch(headers)` (428 / 400), `idempotencyKeyOf(headers)`, `etag(version)`.
 * Return cases through `presentCase(c, actor)` (present.ts), never raw. A case number learnt later (POST /cases)
 * goes into the logs with `logger.appendKeys({ caseNo })`.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Actor } from '../domain/actor';
import { ValidationError } from '../domain/errors';
import { authorizeRoute } from '../auth/policy';
import { installReferenceData, loadSecretKeys } from '../composition';
import { clientRateLimit } from '../privacy/client-rate-limit';
import { logger, logScoped } from '../shared/logger';
import { actorFromClaims } from './actor-from-claims';
import { errorResponse, HandlerTimeoutError, PayloadTooLargeError, PreconditionRequiredError, zodFields } from './http-errors';
import { DEFAULT_MAX_BODY_BYTES, findRoute, isPublic, MAX_JSON_DEPTH, routeKey, ROUTES, type RouteDef } from './routes';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;
export type ApiHandler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

/** Schemas a handler wants its input validated with; each is optional. */
/** A route that validates nothing beyond the actor. */
type NoSchemas = Record<never, never>;

export interface RequestSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  path?: z.ZodType;
}

type Out<S, K extends keyof RequestSchemas, Fallback> = S extends { [P in K]: infer T extends z.ZodType } ? z.output<T> : Fallback;

export interface HttpRequest<S extends RequestSchemas = RequestSchemas> {
  actor: Actor;
  body: Out<S, 'body', unknown>;
  query: Out<S, 'query', Record<string, string | undefined>>;
  pathParameters: Out<S, 'path', Record<string, string>>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  requestId: string;
  route: RouteDef;
  event: ApiEvent;
}
export type PublicHttpRequest<S extends RequestSchemas = RequestSchemas> = Omit<HttpRequest<S>, 'actor'>;

export interface HttpResponse {
  /** Default 200, or 204 when there is no body. */
  statusCode?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function routeById(id: string): RouteDef {
  const route = ROUTES.find((r) => r.id === id);
  if (!route) throw new Error(`Unknown route id ${id}; add it to functions/api/routes.ts`);
  return route;
}

/** A handler for a route that requires sign-in: the request carries the Actor and the route's policy is enforced. */
export function httpHandler<S extends RequestSchemas = NoSchemas>(routeId: string, fn: (req: HttpRequest<S>) => Promise<HttpResponse>): ApiHandler;
export function httpHandler<S extends RequestSchemas>(routeId: string, schemas: S, fn: (req: HttpRequest<S>) => Promise<HttpResponse>): ApiHandler;
export function httpHandler<S extends RequestSchemas>(
  routeId: string,
  a: S | ((req: HttpRequest<S>) => Promise<HttpResponse>),
  b?: (req: HttpRequest<S>) => Promise<HttpResponse>,
): ApiHandler {
  const [schemas, fn] = typeof a === 'function' ? [{} as S, a] : [a, b!];
  const route = routeById(routeId);
  if (isPublic(route)) throw new Error(`Route ${routeId} is public; use publicHttpHandler`);
  return pipeline(route, schemas, async (input, event) => {
    const actor = actorFromClaims(event.requestContext?.authorizer?.jwt?.claims);
    logger.appendKeys({ actorId: actor.id, actorRole: actor.role });
    // The one authorization check: the route's policy (its row in routes.ts), enforced by functions/auth/policy.ts.
    authorizeRoute(route.id, actor);
    // Machine callers are limited per client (functions/privacy/rate-limits.ts); people are not.
    if (actor.role === 'integration') await clientRateLimit(actor.id);
    return fn({ ...(await input()), actor } as HttpRequest<S>);
  });
}

/** A handler for a `public` route (no JWT authorizer in front of it): no Actor. */
export function publicHttpHandler<S extends RequestSchemas = NoSchemas>(routeId: string, fn: (req: PublicHttpRequest<S>) => Promise<HttpResponse>): ApiHandler;
export function publicHttpHandler<S extends RequestSchemas>(routeId: string, schemas: S, fn: (req: PublicHttpRequest<S>) => Promise<HttpResponse>): ApiHandler;
export function publicHttpHandler<S extends RequestSchemas>(
  routeId: string,
  a: S | ((req: PublicHttpRequest<S>) => Promise<HttpResponse>),
  b?: (req: PublicHttpRequest<S>) => Promise<HttpResponse>,
): ApiHandler {
  const [schemas, fn] = typeof a === 'function' ? [{} as S, a] : [a, b!];
  const route = routeById(routeId);
  if (!isPublic(route)) throw new Error(`Route ${routeId} requires sign-in; use httpHandler`);
  return pipeline(route, schemas, async (input) => fn((await input()) as PublicHttpRequest<S>));
}

/**
 * One Lambda module serving several routes: picks the handler by the event's `routeKey` (`POST /cases/{caseNo}/resolve`),
 * which API Gateway and the local gateway both set.
 */
export function routeDispatcher(handlers: Record<string, ApiHandler>): ApiHandler {
  const byKey = new Map<string, ApiHandler>();
  for (const [id, h] of Object.entries(handlers)) byKey.set(routeKey(routeById(id)), h);
  return async (event, context) => {
    let h: ApiHandler | undefined;
    try {
      h = byKey.get(event.routeKey) ?? byKey.get(routeKeyFromPath(event));
    } catch (e) {
      // A raw path that does not decode (`/cases/%ZZ/resolve`) is the client's 400, not this module's fault.
      return toResult(errorResponse(e, requestIdOf(event, context)), requestIdOf(event, context));
    }
    if (h) return h(event, context);
    return toResult(errorResponse(new Error(`No handler in this module for ${event.routeKey}`), requestIdOf(event, context)), requestIdOf(event, context));
  };
}

/** Printable ASCII without spaces, as UUIDs and most client libraries produce. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;

/** `If-Match: 3`, `"3"` or `W/"3"` -> 3; NaN when present but not a version. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  return m ? Number(m[1]) : NaN;
}

/** The version a conditional write expects, from `If-Match` (428 when absent, 400 naming `If-Match` when malformed). */
export function requireIfMatch(headers: Record<string, string>, subject = 'case'): number {
  const version = parseIfMatch(headers['if-match']);
  if (version === undefined) throw new PreconditionRequiredError(`This change needs an If-Match header with the ${subject} version you read (its ETag)`);
  if (!Number.isInteger(version)) throw new ValidationError(`If-Match is not a ${subject} version`, [{ path: 'If-Match', message: `must be a ${subject} version such as "3"` }]);
  return version;
}

/** The optional `Idempotency-Key` (400 naming it when malformed). */
export function idempotencyKeyOf(headers: Record<string, string>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key))
    throw new ValidationError('Idempotency-Key is malformed', [{ path: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters without spaces' }]);
  return key;
}

/** `ETag` for a case version, the value clients send back as If-Match. */
export function etag(version: number): string {
  return `"${version}"`;
}

type Input = Omit<HttpRequest, 'actor'>;

function pipeline(route: RouteDef, schemas: RequestSchemas, run: (input: () => Promise<Input>, event: ApiEvent) => Promise<HttpResponse>): ApiHandler {
  // The schemas check codes and map points against the city's reference data: installed before the first request.
  installReferenceData();
  const core = async (event: ApiEvent, context: Context): Promise<ApiResult> => {
    const requestId = requestIdOf(event, context);
    const caseNo = event.pathParameters?.caseNo;
    logger.appendKeys({ route: route.id, requestId, ...(caseNo ? { caseNo } : {}) });
    // The stage's keys: read from Secrets Manager on the cold start, from the cache afterwards.
    await loadSecretKeys();
    const input = async (): Promise<Input> => ({
      body: await validate(schemas.body, parseBody(event, route), 'body'),
      query: await validate(schemas.query, event.queryStringParameters ?? {}, 'query'),
      pathParameters: await validate(schemas.path, event.pathParameters ?? {}, 'path'),
      headers: lowerCaseHeaders(event.headers),
      requestId,
      route,
      event,
    });
    const res = await run(input, event);
    return toResult(res, requestId);
  };
  return logScoped(
    middy<ApiEvent, ApiResult, Error, Context>(core, TIMEOUT_EARLY)
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(errorMapper()),
  );
}

/**
 * Answer before Lambda kills the invocation: a timed-out Lambda reaches the client as a bare 500 (API Gateway's
 * "Internal Server Error"), indistinguishable from a bug. Half a second is enough to map and log the 503.
 */
export const TIMEOUT_EARLY = {
  timeoutEarlyInMillis: 500,
  timeoutEarlyResponse: (): never => {
    throw new HandlerTimeoutError();
  },
};

function errorMapper(): MiddlewareObj<ApiEvent, ApiResult, Error, Context> {
  return {
    onError: (request) => {
      const requestId = requestIdOf(request.event, request.context);
      const mapped = errorResponse(request.error, requestId);
      if (mapped.statusCode < 500) logger.info('Request rejected', { statusCode: mapped.statusCode, code: mapped.body.error.code });
      request.response = toResult(mapped, requestId);
    },
  };
}

function toResult(res: HttpResponse, requestId: string): ApiResult {
  const statusCode = res.statusCode ?? (res.body === undefined ? 204 : 200);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-request-id': requestId,
    ...res.headers,
  };
  return res.body === undefined ? { statusCode, headers } : { statusCode, headers, body: JSON.stringify(res.body) };
}

function requestIdOf(event: ApiEvent | undefined, context: Context | undefined): string {
  return event?.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
}

function routeKeyFromPath(event: ApiEvent): string {
  const method = event.requestContext?.http?.method ?? '';
  const found = findRoute(method, event.rawPath ?? '');
  return found ? routeKey(found.route) : '';
}

const BODYLESS = new Set(['GET', 'DELETE', 'HEAD', 'OPTIONS']);

function parseBody(event: ApiEvent, route: RouteDef): unknown {
  if (BODYLESS.has(route.method) || event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = bodyText(event, route);
  const contentType = lowerCaseHeaders(event.headers)['content-type'] ?? '';
  // GeoReport v2 clients post forms.
  if (contentType.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  if (jsonDepthExceeds(raw, MAX_JSON_DEPTH))
    throw new ValidationError('The request body is nested too deeply', [{ path: 'body', message: `must not nest objects or arrays more than ${MAX_JSON_DEPTH} levels deep` }]);
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ValidationError('The request body is not valid JSON', [{ path: 'body', message: 'must be valid JSON' }]);
  }
}

/** The body as text, refused (413) when over the route's size limit, before anything parses it. */
export function bodyText(event: Pick<ApiEvent, 'body' | 'isBase64Encoded'>, route: Pick<RouteDef, 'maxBodyBytes'>): string {
  return bodyBytes(event, route).toString('utf8');
}

/** The body's bytes (base64 decoded when API Gateway encoded it), refused over the route's limit before decoding. */
export function bodyBytes(event: Pick<ApiEvent, 'body' | 'isBase64Encoded'>, route: Pick<RouteDef, 'maxBodyBytes'>): Buffer {
  const max = route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const body = event.body ?? '';
  // Cheap bounds first: base64 is 4 characters per 3 bytes, and UTF-8 at least one byte per character.
  if ((event.isBase64Encoded ? Math.floor((body.length * 3) / 4) - 2 : body.length) > max) throw new PayloadTooLargeError(max);
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length > max) throw new PayloadTooLargeError(max);
  return bytes;
}

/**
 * Whether JSON text nests objects or arrays deeper than `max`, found in one pass over the characters (strings
 * skipped) without parsing: JSON.parse and the schema walk would spend their time on the depth first.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

async function validate(schema: z.ZodType | undefined, value: unknown, where: 'body' | 'query' | 'path'): Promise<never> {
  if (!schema) return value as never;
  const result = await schema.safeParseAsync(value);
  if (!result.success) {
    const fields = zodFields(result.error);
    throw new ValidationError(`Invalid ${where === 'path' ? 'path parameter' : where}: ${fields.map((f) => f.path).join(', ')}`, fields);
  }
  return result.data as never;
}

function lowerCaseHeaders(headers: ApiEvent['headers'] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}
