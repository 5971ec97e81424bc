import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/api/openapi';
import { isPublic, ROUTES } from '../../functions/api/routes';
import { allowedRoles } from '../../functions/auth/route-policy';
import { ROUTE_SCHEMAS } from '../../functions/api/schemas';
import { handler } from '../../functions/api/handlers/openapi';
import { apiEvent, call } from './support/events';

const doc = openApiDocument();

function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => refs(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push(x);
      else refs(x, out);
    }
  }
  return out;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with a JWT bearer scheme and the one error schema', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.components.schemas.Error).toBeDefined();
  });

  it.each(ROUTES.map((r) => [r.id, r] as const))('documents route %s with its method, path, roles and security', (_id, route) => {
    const op = doc.paths[route.path]?.[route.method.toLowerCase()];

    expect(op).toMatchObject({ operationId: route.id, 'x-roles': allowedRoles(route.policy) });
    expect(op.security).toEqual(isPublic(route) ? [] : [{ bearerAuth: [] }]);
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    expect((op.parameters as Array<{ name: string; in: string }>).filter((p) => p.in === 'path').map((p) => p.name)).toEqual(pathParams);
  });

  it('every $ref points at a component that exists', () => {
    const missing = refs(doc).filter((r) => {
      const [, , kind, name] = r.split('/');
      return !(doc.components as Record<string, Record<string, unknown>>)[kind]?.[name];
    });

    expect(missing).toEqual([]);
  });

  it('has a schema entry for each of the case API routes', () => {
    for (const id of ['createCase', 'listCases', 'getCase', 'updateCase', 'getCaseTimeline', 'addCaseNote', 'listSops', 'getSop', 'listDepartments']) {
      expect(ROUTE_SCHEMAS[id], id).toBeDefined();
    }
  });

  it('documents the create body from the zod schema, limits included', () => {
    const create = doc.components.schemas.CreateCase as { properties: Record<string, { maxLength?: number }>; required: string[] };

    expect(create.properties.description.maxLength).toBe(4000);
    expect(create.required).toEqual(expect.arrayContaining(['category', 'description', 'location', 'reporter', 'channel']));
  });

  it('documents list filters as query parameters', () => {
    const params = (doc.paths['/cases'].get.parameters as Array<{ name: string }>).map((p) => p.name);

    expect(params).toEqual(expect.arrayContaining(['status', 'department', 'district', 'category', 'createdFrom', 'createdTo', 'limit', 'cursor']));
  });

  it('is served publicly at GET /openapi.json', async () => {
    const res = await call(handler, apiEvent('getOpenApi', { claims: null }));

    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ openapi: '3.1.0' });
  });
});
