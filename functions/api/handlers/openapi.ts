/** GET /openapi.json — this API as OpenAPI 3.1 (public). Built once per container. */
import { publicHttpHandler } from '../http';
import { openApiDocument, type OpenApiDocument } from '../openapi';

let document: OpenApiDocument | undefined;

export const handler = publicHttpHandler('getOpenApi', () => {
  document ??= openApiDocument();
  return Promise.resolve({ body: document, headers: { 'cache-control': 'public, max-age=300' } });
});
