/**
 * API Gateway HTTP API (payload v2) events as the JWT authorizer delivers them, for handler tests.
 */
import type { Context } from 'aws-lambda';
import type { ApiEvent, ApiResult } from '../../../functions/api/http';
import { routeById } from '../../../functions/api/http';
import type { JwtClaims } from '../../../functions/api/actor-from-claims';

/** Claims as Cognito puts them into an access token (groups flattened to a string by API Gateway). */
export const CLAIMS = {
  agent: { sub: 'agent-1', 'cognito:groups': '[agent]', client_id: 'console', scope: 'openid' },
  otherAgent: { sub: 'agent-2', 'cognito:groups': '[agent]', client_id: 'console', scope: 'openid' },
  staffPwd: { sub: 'staff-pwd', 'cognito:groups': '[staff]', 'custom:department': 'PWD', client_id: 'console' },
  staffEpd: { sub: 'staff-epd', 'cognito:groups': '[staff]', 'custom:department': 'EPD', client_id: 'console' },
  supervisor: { sub: 'sup-1', 'cognito:groups': '[supervisor]', client_id: 'console' },
  admin: { sub: 'admin-1', 'cognito:groups': '[admin]', client_id: 'console' },
  integration: { sub: 'open311-app', client_id: 'open311-app', scope: 'citydesk/cases.write citydesk/cases.read' },
} satisfies Record<string, JwtClaims>;

export interface EventInput {
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** A raw body string, sent as is (malformed JSON tests). */
  rawBody?: string;
  base64?: boolean;
  headers?: Record<string, string>;
  claims?: JwtClaims | null;
  requestId?: string;
}

let counter = 0;

export function apiEvent(routeId: string, input: EventInput = {}): ApiEvent {
  const route = routeById(routeId);
  const rawPath = route.path.replace(/\{(\w+)\}/g, (_, p: string) => input.pathParameters?.[p] ?? `missing-${p}`);
  const text = input.rawBody ?? (input.body === undefined ? undefined : JSON.stringify(input.body));
  const requestId = input.requestId ?? `req-${++counter}`;
  const claims = input.claims === null ? undefined : (input.claims ?? CLAIMS.supervisor);
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath,
    rawQueryString: new URLSearchParams(input.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...input.headers },
    queryStringParameters: input.query,
    pathParameters: input.pathParameters,
    body: text === undefined ? undefined : input.base64 ? Buffer.from(text, 'utf8').toString('base64') : text,
    isBase64Encoded: Boolean(input.base64),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method: route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'vitest' },
      requestId,
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: '27/Nov/2026:01:00:00 +0000',
      timeEpoch: 0,
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: (claims ?? {}) as Record<string, string>, scopes: [] } },
    },
  };
}

export const lambdaContext = { awsRequestId: 'lambda-req', functionName: 'test', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

export interface Parsed {
  statusCode: number;
  headers: Record<string, string>;
  /** Parsed JSON; use toMatchObject, or cast to the documented shape to read a value. */
  body: unknown;
}

/** Runs a handler and parses its JSON body. */
export async function call(handler: (e: ApiEvent, c: Context) => Promise<ApiResult>, event: ApiEvent): Promise<Parsed> {
  const res = await handler(event, lambdaContext);
  return {
    statusCode: res.statusCode ?? 0,
    headers: (res.headers ?? {}) as Record<string, string>,
    body: res.body ? (JSON.parse(res.body) as unknown) : undefined,
  };
}
