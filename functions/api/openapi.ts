/**
 * The OpenAPI 3.1 document, generated from the route table (paths, methods, roles, summaries) and the zod schemas
 * in schemas.ts (`z.toJSONSchema`; OpenAPI 3.1 speaks JSON Schema 2020-12). Schemas with a `meta({ id })` become
 * `components.schemas` entries; everything else is inlined. A route without registered schemas is still
 * documented, with a generic JSON body, so nothing in the route table is ever missing from the document.
 */
import * as z from 'zod';
import pkg from '../../package.json' with { type: 'json' };
import { isPublic, ROUTES, type RouteDef } from './routes';
import { allowedRoles } from '../auth/route-policy';
import { errorView, ROUTE_SCHEMAS, type RouteSchemas } from './schemas';
import { PRIVACY_ROUTE_SCHEMAS } from '../privacy/schemas';
import { KB_ROUTE_SCHEMAS } from '../kb/api-schemas';

type Json = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers?: Array<{ url: string }>;
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json>; responses: Record<string, Json> };
}

const ERROR_RESPONSES: Record<number, string> = {
  400: 'Invalid input; `fields` names each offending field',
  401: 'Missing or invalid token',
  403: 'This role may not call this route',
  404: 'No such resource, or not visible to the caller',
  409: 'Conflicts with the current state (`currentStatus` for transitions)',
  412: 'The If-Match version is stale (`currentVersion`); nothing was written',
  422: 'The Idempotency-Key was used with a different body',
  428: 'If-Match is required',
  429: 'Too many requests',
  500: 'Unexpected error; quote `requestId`',
};

export function openApiDocument(options: { routes?: readonly RouteDef[]; schemas?: Record<string, RouteSchemas>; serverUrl?: string } = {}): OpenApiDocument {
  const routes = options.routes ?? ROUTES;
  const registry = options.schemas ?? { ...ROUTE_SCHEMAS, ...PRIVACY_ROUTE_SCHEMAS, ...KB_ROUTE_SCHEMAS };
  const components = new Components();
  const paths: OpenApiDocument['paths'] = {};

  for (const route of routes) {
    const s = registry[route.id];
    const roles = allowedRoles(route.policy);
    const operation: Json = {
      operationId: route.id,
      summary: route.summary,
      tags: [route.tag],
      description: roles === 'public' ? 'Public.' : `Roles: ${roles.join(', ')}.`,
      'x-roles': roles,
      security: isPublic(route) ? [] : [{ bearerAuth: [] }],
      parameters: [...pathParameters(route, s, components), ...queryParameters(s, components), ...headerParameters(s)],
    };
    const body = requestBody(route, s, components);
    if (body) operation.requestBody = body;
    operation.responses = responses(route, s, components);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'CityDesk 1999 API',
      version: pkg.version,
      description: "Cases of a city's 1999 citizen hotline: intake, routing to departments, deadlines, escalation and follow-up.",
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito access token (the local issuer mints the same claims)' },
      },
      responses: Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([status, description]) => [
          `Error${status}`,
          { description, content: { 'application/json': { schema: components.ref(errorView, 'output') } } },
        ]),
      ),
    },
  };
}

function pathParameters(route: RouteDef, s: RouteSchemas | undefined, components: Components): Json[] {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const props = s?.path ? objectProperties(components.ref(s.path, 'input'), components) : {};
  return names.map((name) => ({ name, in: 'path', required: true, schema: props[name] ?? { type: 'string' } }));
}

function queryParameters(s: RouteSchemas | undefined, components: Components): Json[] {
  if (!s?.query) return [];
  const json = components.resolve(components.ref(s.query, 'input'));
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(objectProperties(json, components)).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }));
}

function headerParameters(s: RouteSchemas | undefined): Json[] {
  return Object.entries(s?.headers ?? {}).map(([name, h]) => ({ name, in: 'header', required: h.required, description: h.description, schema: { type: 'string' } }));
}

function requestBody(route: RouteDef, s: RouteSchemas | undefined, components: Components): Json | undefined {
  if (s?.body) return { required: true, content: { 'application/json': { schema: components.ref(s.body, 'input') } } };
  if (!s && (route.method === 'POST' || route.method === 'PATCH' || route.method === 'PUT'))
    return { required: false, content: { 'application/json': { schema: { type: 'object' } } } };
  return undefined;
}

function responses(route: RouteDef, s: RouteSchemas | undefined, components: Components): Json {
  const out: Json = {};
  const success = s?.responses ?? { 200: { description: 'OK' } };
  for (const [status, r] of Object.entries(success)) {
    const entry: Json = { description: r.description };
    if (r.schema) entry.content = { 'application/json': { schema: components.ref(r.schema, 'output') } };
    if (r.headers) entry.headers = Object.fromEntries(Object.entries(r.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }]));
    out[status] = entry;
  }
  const errors = [400, 429, 500];
  if (!isPublic(route)) errors.push(401, 403);
  if (route.path.includes('{')) errors.push(404);
  if (route.tag === 'workflow' || route.method === 'PATCH') errors.push(409);
  if (s?.headers?.['If-Match']) errors.push(412, 428);
  if (s?.headers?.['Idempotency-Key']) errors.push(422);
  for (const status of errors.sort()) out[status] = { $ref: `#/components/responses/Error${status}` };
  return out;
}

function objectProperties(json: Json, components: Components): Record<string, Json> {
  return ((components.resolve(json).properties as Record<string, Json> | undefined) ?? {});
}

/** Collects named schemas into components.schemas, with `$ref`s pointing there. */
class Components {
  readonly schemas: Record<string, Json> = {};

  /** The JSON Schema of `schema` as a `$ref` (when it has an id) or inline. */
  ref(schema: z.ZodType, io: 'input' | 'output'): Json {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
    const { $schema: _dialect, $defs, ...root } = json;
    const defs = Object.entries(($defs as Record<string, Json> | undefined) ?? {});
    const same = new Map(defs.map(([name]) => [name, name]));
    const renames = new Map<string, string>();
    for (const [name, def] of defs) {
      // Input and output forms of one schema can differ (defaults, transforms): keep both, apart.
      const existing = this.schemas[name];
      const differs = existing !== undefined && JSON.stringify(existing) !== JSON.stringify(rewriteRefs(def, same));
      renames.set(name, differs ? `${name}${io === 'input' ? 'Input' : 'Output'}` : name);
    }
    for (const [name, def] of defs) this.schemas[renames.get(name)!] = rewriteRefs(def, renames) as Json;
    return rewriteRefs(root, renames) as Json;
  }

  /** Follows a `$ref` into components.schemas (for reading properties). */
  resolve(json: Json): Json {
    const ref = json.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) return this.schemas[ref.slice('#/components/schemas/'.length)] ?? json;
    return json;
  }
}

function rewriteRefs(v: unknown, renames: Map<string, string>): unknown {
  if (Array.isArray(v)) return v.map((x) => rewriteRefs(x, renames));
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Json).map(([k, x]) => {
        if (k === '$ref' && typeof x === 'string' && x.startsWith('#/$defs/')) {
          const name = x.slice('#/$defs/'.length);
          return [k, `#/components/schemas/${renames.get(name) ?? name}`];
        }
        return [k, rewriteRefs(x, renames)];
      }),
    );
  }
  return v;
}
