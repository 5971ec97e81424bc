/**
 * The local HTTP API gateway: what API Gateway (HTTP API, payload format 2.0, JWT authorizer) does in front of
 * the handlers, done in process and from the same route table CDK deploys:
 *   1. CORS preflight answered by the gateway; CORS headers on every response to an allowed origin (the console's
 *      for the case API, any for Open311, which is its own API on AWS);
 *   2. request bodies over 10 MB refused (413);
 *   3. the route found with `findRoute`; an unknown API path is 404 `{"message":"Not Found"}`;
 *   4. the JWT checked as the HTTP API JWT authorizer checks it (401 `{"message":"Unauthorized"}`), except on
 *      `public` routes;
 *   5. a payload v2 event and a Lambda-like context built, the handler module invoked in process;
 *   6. its result turned into the HTTP response as API Gateway turns it (structured or plain result).
 * Besides the API it serves the identity documents (`/.well-known/*`), local-only endpoints (`/_local/*`: loopback
 * Host and JSON bodies only, local/loopback.ts), the
 * OAuth seam (`/oauth2/*`) and the console (`console/dist`, with an SPA fallback that never answers an API path).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { findRoute, isPublic, routeKey, ROUTES, matchPath, type RouteDef } from '../functions/api/routes';
import { now } from '../functions/domain/clock';
import { ValidationError } from '../functions/domain/errors';
import type { JwtVerdict } from './identity';
import { invokeHandler, lambdaContext, LambdaTimeoutError, type LambdaHandler } from './lambda';
import { isLoopbackHostHeader, localDoorRefusal } from './loopback';

/** Seconds a client is asked to wait after a handler ran out of time. */
export const TIMEOUT_RETRY_AFTER_SECONDS = 5;

/** API Gateway's request payload quota for HTTP APIs. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** Mirrors the HttpApi `corsPreflight` of infra/constructs/case-api.ts (not imported: it pulls in aws-cdk-lib). */
export const CORS = {
  allowMethods: ['GET', 'POST', 'PATCH', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match'],
  exposeHeaders: ['etag', 'location'],
  maxAgeSeconds: 0,
} as const;

/**
 * Mirrors the Open311 HttpApi's `corsPreflight` (infra/constructs/case-api.ts): on AWS Open311 is its own API
 * whose CORS allows any origin without credentials; here one gateway serves both, told apart by the path.
 */
export const OPEN311_CORS = {
  pathPrefix: '/open311/',
  allowMethods: ['GET', 'POST', 'OPTIONS'],
  allowHeaders: ['content-type'],
  exposeHeaders: ['retry-after', 'x-request-id'],
  maxAgeSeconds: 86_400,
} as const;

export type ApiEventV2 = APIGatewayProxyEventV2WithJWTAuthorizer;

export interface LocalRequest {
  method: string;
  query: URLSearchParams;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  headers: Record<string, string>;
}
export interface LocalResponse {
  statusCode?: number;
  body?: unknown;
  headers?: Record<string, string>;
}
/** A local-only endpoint under `/_local/`, keyed `METHOD /_local/name`. */
export type LocalEndpoint = (req: LocalRequest) => Promise<LocalResponse> | LocalResponse;

export interface GatewayIdentity {
  jwks(): unknown;
  openIdConfiguration(): unknown;
}

export interface RequestLogLine {
  method: string;
  path: string;
  statusCode: number;
  ms: number;
  routeId?: string;
}

export interface GatewayOptions {
  routes?: readonly RouteDef[];
  /** Imports a handler module (cached): `api/handlers/create-case` -> its `handler`. */
  loadHandler: (handlerModule: string) => Promise<LambdaHandler>;
  /** Function name a handler module runs as (context, logs). */
  functionName: (handlerModule: string) => string;
  authorize: (authorizationHeader: string | undefined) => Promise<JwtVerdict>;
  identity: GatewayIdentity;
  region: string;
  accountId: string;
  apiId: string;
  /** Handler timeout (API functions get 10 s from infra/stage.ts). */
  functionTimeoutMs?: number;
  /** Built console (index.html + assets); absent or missing folder = a short placeholder page at `/`. */
  consoleDir?: string;
  /** Origins CORS allows; default any http://localhost:* or http://127.0.0.1:* origin. */
  corsOrigins?: (origin: string) => boolean;
  localEndpoints?: Record<string, LocalEndpoint>;
  /**
   * Serve the sign-in seam (`/oauth2/*`) only to requests addressed to a loopback name (default true): its token
   * endpoint hands the demo integration client a token for a published secret, which a DNS-rebinding page could
   * read. The local cloud turns it off when bound to a network address on purpose (then the Host is that address).
   */
  oauthLoopbackOnly?: boolean;
  /** OIDC authorize/token endpoints (local/oauth.ts); 501 when not given. */
  oauth?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void>;
  onRequest?: (line: RequestLogLine) => void;
  /** Unexpected failures (handler throws, bad results): printed, never sent to the client. */
  onError?: (message: string, error: unknown) => void;
}

const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

class PayloadTooLargeError extends Error {}

export function createGateway(options: GatewayOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = options.routes ?? ROUTES;
  const apiPrefixes = new Set(routes.map((r) => r.path.split('/').filter(Boolean)[0]));
  const allowOrigin = options.corsOrigins ?? ((o: string) => LOOPBACK_ORIGIN.test(o));
  const consoleDir = options.consoleDir && existsSync(path.join(options.consoleDir, 'index.html')) ? options.consoleDir : undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<{ statusCode: number; routeId?: string }> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const origin = req.headers.origin;
    const open311 = url.pathname.startsWith(OPEN311_CORS.pathPrefix);
    const corsHeaders: Record<string, string> =
      origin && open311
        ? { 'access-control-allow-origin': '*', 'access-control-expose-headers': OPEN311_CORS.exposeHeaders.join(',') }
        : origin && allowOrigin(origin)
          ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': CORS.exposeHeaders.join(','), vary: 'origin' }
          : {};

    // 1. Preflight: API Gateway answers it when CORS is configured, before routes and authorizers.
    if (method === 'OPTIONS' && origin && req.headers['access-control-request-method']) {
      const headers: Record<string, string> = {};
      if (open311) {
        Object.assign(headers, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': OPEN311_CORS.allowMethods.join(','),
          'access-control-allow-headers': OPEN311_CORS.allowHeaders.join(','),
          'access-control-max-age': String(OPEN311_CORS.maxAgeSeconds),
        });
      } else if (allowOrigin(origin)) {
        Object.assign(headers, {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': CORS.allowMethods.join(','),
          'access-control-allow-headers': CORS.allowHeaders.join(','),
          vary: 'origin',
        });
        if (CORS.maxAgeSeconds) headers['access-control-max-age'] = String(CORS.maxAgeSeconds);
      }
      return send(res, 204, headers);
    }

    // 2. Payload limit, before anything reads the body.
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (e) {
      if (e instanceof PayloadTooLargeError) {
        res.setHeader('connection', 'close');
        return sendJson(res, 413, { message: 'Request Entity Too Large' }, corsHeaders);
      }
      throw e;
    }

    const first = url.pathname.split('/').filter(Boolean)[0] ?? '';

    // Identity documents, local-only endpoints, the OAuth seam.
    if (first === '.well-known') {
      if (method === 'GET' && url.pathname === '/.well-known/jwks.json') return sendJson(res, 200, options.identity.jwks(), corsHeaders);
      if (method === 'GET' && url.pathname === '/.well-known/openid-configuration') return sendJson(res, 200, options.identity.openIdConfiguration(), corsHeaders);
      return sendJson(res, 404, { message: 'Not Found' }, corsHeaders);
    }
    if (first === '_local') return handleLocal(method, url, req, body, res, corsHeaders);
    if (first === 'oauth2') {
      if ((options.oauthLoopbackOnly ?? true) && !isLoopbackHostHeader(headerValue(req, 'host')))
        return sendJson(res, 403, { message: 'The local sign-in answers requests addressed to localhost, 127.0.0.1 or [::1] only (Host header)' });
      if (options.oauth) {
        await options.oauth(req, res, body);
        return { statusCode: res.statusCode };
      }
      return sendJson(res, 501, { message: 'The local OAuth 2.0 / OIDC flow is not implemented yet; mint a token with POST /_local/token or npm run token' }, corsHeaders);
    }

    // 3. API routes. Anything under an API prefix is the API's, so the console can never shadow it.
    let found: ReturnType<typeof findRouteIn>;
    try {
      found = findRouteIn(routes, method, url.pathname);
    } catch (e) {
      // A path parameter that is not valid percent-encoding (`/cases/%ZZ`): the client's 400, naming it.
      if (e instanceof ValidationError) return sendJson(res, 400, { message: 'Bad Request', error: { code: e.code, message: e.message, fields: e.fields } }, corsHeaders);
      throw e;
    }
    if (!found) {
      if (consoleDir && !apiPrefixes.has(first) && (method === 'GET' || method === 'HEAD')) return serveConsole(consoleDir, url.pathname, method, res);
      if (!consoleDir && url.pathname === '/' && method === 'GET') return send(res, 200, { 'content-type': 'text/html; charset=utf-8' }, PLACEHOLDER_PAGE);
      return sendJson(res, 404, { message: 'Not Found' }, corsHeaders);
    }
    const { route, pathParameters } = found;

    // 4. JWT authorizer.
    let authorizer: ApiEventV2['requestContext']['authorizer'] | undefined;
    if (!isPublic(route)) {
      const verdict = await options.authorize(headerValue(req, 'authorization'));
      if (!verdict.ok) {
        return sendJson(res, 401, { message: 'Unauthorized' }, { ...corsHeaders, 'www-authenticate': `Bearer scope="" error="invalid_token" error_description="${verdict.description}"` });
      }
      // As documented for payload 2.0: only `jwt` (no principalId), and `scopes` null when the token has none.
      authorizer = { jwt: { claims: stringifyClaims(verdict.claims), scopes: verdict.scopes } };
    }

    // 5. Event, context, invoke.
    const requestId = apiRequestId();
    const event = buildEventV2({ req, url, body, route, pathParameters, authorizer, requestId, apiId: options.apiId, accountId: options.accountId });
    const functionName = options.functionName(route.handler);
    const timeoutMs = options.functionTimeoutMs ?? 10_000;
    let result: unknown;
    try {
      const handler = await options.loadHandler(route.handler);
      const context = lambdaContext({ functionName, region: options.region, accountId: options.accountId, timeoutMs }, randomUUID());
      result = await invokeHandler(handler, event, context, timeoutMs);
    } catch (e) {
      options.onError?.(`${routeKey(route)} (${functionName}) failed`, e);
      const headers = { ...corsHeaders, 'apigw-requestid': requestId };
      // A Lambda timeout is overload, not a fault: 503 with Retry-After, so clients back off and alarms can tell
      // the two apart; any other invocation error is a 500.
      if (e instanceof LambdaTimeoutError) return { ...sendJson(res, 503, { message: 'Service Unavailable' }, { ...headers, 'retry-after': String(TIMEOUT_RETRY_AFTER_SECONDS) }), routeId: route.id };
      return { ...sendJson(res, 500, { message: 'Internal Server Error' }, headers), routeId: route.id };
    }

    // 6. Result -> response.
    const response = toHttpResponse(result);
    if (!response) {
      options.onError?.(`${routeKey(route)} (${functionName}) returned a response API Gateway cannot map`, result);
      return { ...sendJson(res, 500, { message: 'Internal Server Error' }, { ...corsHeaders, 'apigw-requestid': requestId }), routeId: route.id };
    }
    for (const cookie of response.cookies) res.appendHeader('set-cookie', cookie);
    return { ...send(res, response.statusCode, { ...response.headers, ...corsHeaders, 'apigw-requestid': requestId }, method === 'HEAD' ? undefined : response.body), routeId: route.id };
  };

  const handleLocal = async (method: string, url: URL, req: IncomingMessage, body: Buffer, res: ServerResponse, corsHeaders: Record<string, string>) => {
    const endpoint = options.localEndpoints?.[`${method} ${url.pathname.replace(/\/+$/, '')}`];
    if (!endpoint) return sendJson(res, 404, { message: 'Not Found' }, corsHeaders);
    // DNS rebinding and cross-site forms: only requests addressed to loopback, and only JSON bodies (local/loopback.ts).
    const refusal = localDoorRefusal(method, { host: headerValue(req, 'host'), 'content-type': headerValue(req, 'content-type') });
    if (refusal) return sendJson(res, refusal.statusCode, { message: refusal.message });
    let parsed: unknown;
    if (body.length) {
      try {
        parsed = JSON.parse(body.toString('utf8')) as unknown;
      } catch {
        return sendJson(res, 400, { error: { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON', fields: [{ path: 'body', message: 'must be valid JSON' }] } }, corsHeaders);
      }
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const out = await endpoint({ method, query: url.searchParams, body: parsed, headers });
    const statusCode = out.statusCode ?? (out.body === undefined ? 204 : 200);
    if (out.body === undefined) return send(res, statusCode, { ...out.headers, ...corsHeaders });
    return sendJson(res, statusCode, out.body, { ...out.headers, ...corsHeaders });
  };

  return (req, res) => {
    const started = process.hrtime.bigint();
    handle(req, res)
      .catch((e: unknown): { statusCode: number; routeId?: string } => {
        options.onError?.(`${req.method} ${req.url} failed in the gateway`, e);
        if (!res.headersSent) return sendJson(res, 500, { message: 'Internal Server Error' });
        res.destroy();
        return { statusCode: 500 };
      })
      .then((outcome) => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        options.onRequest?.({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0] ?? '/', statusCode: outcome?.statusCode ?? res.statusCode, ms, routeId: outcome?.routeId });
      })
      .catch(() => undefined);
  };
}

function findRouteIn(routes: readonly RouteDef[], method: string, pathname: string): { route: RouteDef; pathParameters: Record<string, string> } | undefined {
  if (routes === ROUTES) return findRoute(method, pathname);
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchPath(route.path, pathname);
    if (params) return { route, pathParameters: params };
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------ request side

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_PAYLOAD_BYTES) {
    req.resume();
    throw new PayloadTooLargeError();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_PAYLOAD_BYTES) {
      req.resume();
      throw new PayloadTooLargeError();
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * Content types API Gateway hands to Lambda as text; everything else (a missing type and, surprisingly,
 * form-encoded bodies included) arrives base64-encoded with `isBase64Encoded: true`, as measured on AWS.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type.startsWith('text/') || type === 'application/json' || type === 'application/xml' || type === 'application/javascript';
}

/** `12/Mar/2020:19:03:58 +0000`, API Gateway's requestContext.time. */
export function apiGatewayTime(at: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(at.getUTCDate())}/${months[at.getUTCMonth()]}/${at.getUTCFullYear()}:${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())} +0000`;
}

/** API Gateway request ids look like `JKJaXmPLvHcESHA=`. */
function apiRequestId(): string {
  return randomBytes(10).toString('base64');
}

/** The HTTP API JWT authorizer hands claims over as strings; arrays become `[a b]`. */
export function stringifyClaims(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(claims)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) out[k] = `[${v.map(String).join(' ')}]`;
    else if (typeof v === 'object') out[k] = JSON.stringify(v);
    else out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

export interface EventInput {
  req: Pick<IncomingMessage, 'method' | 'rawHeaders' | 'httpVersion'> & { socket: { remoteAddress?: string; localPort?: number } };
  url: URL;
  body: Buffer;
  route: Pick<RouteDef, 'method' | 'path'>;
  pathParameters: Record<string, string>;
  authorizer?: ApiEventV2['requestContext']['authorizer'];
  requestId: string;
  apiId: string;
  accountId: string;
}

/** An HTTP API payload format 2.0 event, field by field as API Gateway builds it. */
export function buildEventV2(input: EventInput): ApiEventV2 {
  const { req, url, body, route } = input;
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const value = raw[i + 1];
    // Cookies move to their own field; repeated headers are joined with commas.
    if (name === 'cookie') cookies.push(...value.split(';').map((c) => c.trim()).filter(Boolean));
    else headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

  const rawQueryString = url.search.startsWith('?') ? url.search.slice(1) : '';
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;

  const at = now();
  const domainName = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  const key = routeKey(route);
  const method = (req.method ?? 'GET').toUpperCase();

  const event: ApiEventV2 = {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString,
    headers,
    requestContext: {
      accountId: input.accountId,
      apiId: input.apiId,
      ...(input.authorizer ? { authorizer: input.authorizer } : {}),
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: input.requestId,
      routeKey: key,
      stage: '$default',
      time: apiGatewayTime(at),
      timeEpoch: at.getTime(),
    } as ApiEventV2['requestContext'],
    isBase64Encoded: false,
  };
  if (cookies.length) event.cookies = cookies;
  if (Object.keys(query).length) event.queryStringParameters = query;
  if (Object.keys(input.pathParameters).length) event.pathParameters = input.pathParameters;
  if (body.length) {
    const text = isTextContentType(headers['content-type']);
    event.body = text ? body.toString('utf8') : body.toString('base64');
    event.isBase64Encoded = !text;
  }
  return event;
}

// ----------------------------------------------------------------------------------------- response side

export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body?: Buffer;
}

/**
 * A handler result as API Gateway maps it (payload 2.0): an object with `statusCode` is a structured response
 * (headers, cookies, body, isBase64Encoded); anything else is a 200 JSON body (a string is sent as it is).
 * Returns undefined for results API Gateway would answer with a 500.
 */
export function toHttpResponse(result: unknown): GatewayResponse | undefined {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const r = result as { statusCode: unknown; headers?: Record<string, unknown>; cookies?: unknown; body?: unknown; isBase64Encoded?: unknown };
    if (typeof r.statusCode !== 'number' || !Number.isInteger(r.statusCode) || r.statusCode < 100 || r.statusCode > 599) return undefined;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) if (v !== undefined && v !== null) headers[k.toLowerCase()] = typeof v === 'string' ? v : JSON.stringify(v);
    const cookies = Array.isArray(r.cookies) ? r.cookies.map(String) : [];
    let body: Buffer | undefined;
    if (r.body !== undefined && r.body !== null) {
      const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
    }
    return { statusCode: r.statusCode, headers, cookies, body };
  }
  const text = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(text, 'utf8') };
}

function send(res: ServerResponse, statusCode: number, headers: Record<string, string>, body?: Buffer | string): { statusCode: number } {
  res.statusCode = statusCode;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (body !== undefined) res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
  return { statusCode };
}

function sendJson(res: ServerResponse, statusCode: number, body: unknown, headers: Record<string, string> = {}): { statusCode: number } {
  return send(res, statusCode, { 'content-type': 'application/json', ...headers }, JSON.stringify(body));
}

// ------------------------------------------------------------------------------------------------ console

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** A file under the console folder, or index.html for client-side routes (paths without a file extension). */
function serveConsole(dir: string, pathname: string, method: string, res: ServerResponse): { statusCode: number } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return sendJson(res, 400, { message: 'Bad Request' });
  }
  const root = path.resolve(dir);
  const file = path.resolve(root, `.${decoded}`);
  if (file.startsWith(root + path.sep) && existsSync(file) && statSync(file).isFile()) {
    const ext = path.extname(file).toLowerCase();
    const cache = path.basename(path.dirname(file)) === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache';
    return send(res, 200, { 'content-type': MIME[ext] ?? 'application/octet-stream', 'cache-control': cache }, method === 'HEAD' ? undefined : readFileSync(file));
  }
  // A missing asset is a 404; a client-side route gets the app shell.
  if (path.extname(decoded)) return sendJson(res, 404, { message: 'Not Found' });
  return send(res, 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }, method === 'HEAD' ? undefined : readFileSync(path.join(root, 'index.html')));
}

const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="zh-Hant"><head><meta charset="utf-8"><title>CityDesk 1999 (local)</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>CityDesk 1999 local cloud</h1>
<p>The API is running here. The web console has not been built yet (<code>console/dist</code> is missing).</p>
<ul>
<li><a href="/openapi.json">/openapi.json</a> (the API)</li>
<li><a href="/.well-known/openid-configuration">/.well-known/openid-configuration</a> (local issuer)</li>
<li><a href="/_local/health">/_local/health</a> (local services)</li>
<li><a href="/_local/users">/_local/users</a> (demo users; <code>POST /_local/token {"username": "agent1"}</code> mints a token)</li>
</ul>
</body></html>
`;
