/**
 * Open311 errors: the specification's list of `{ code, description }`, with HTTP 404 for what does not exist,
 * 403 for a missing or wrong api_key and 400 for any other request that cannot be served. Domain errors are
 * mapped here; anything unexpected still goes through the API's one error mapper (http-errors.ts), which logs it
 * and hides its details, and is answered 500 so that monitoring sees a fault as a fault.
 */
import { ConflictError, ForbiddenError, IllegalTransitionError, NotFoundError, UnauthorizedError, ValidationError } from '../domain/errors';
import { errorResponse } from '../api/http-errors';
import { listDocument, type ListDocument } from './document';

export interface Open311ErrorItem {
  code: number;
  description: string;
}

/** An error the Open311 layer raises itself, with the specification's status. */
export class Open311Error extends Error {
  readonly errors: Open311ErrorItem[];
  constructor(
    readonly status: 400 | 403 | 404,
    descriptions: string | string[],
  ) {
    const list = Array.isArray(descriptions) ? descriptions : [descriptions];
    super(list.join('; '));
    this.name = 'Open311Error';
    this.errors = list.map((description) => ({ code: status, description }));
  }
}

export const badRequest = (...descriptions: string[]) => new Open311Error(400, descriptions);
export const notFound = (description: string) => new Open311Error(404, description);
export const forbidden = (description: string) => new Open311Error(403, description);

export interface MappedOpen311Error {
  status: number;
  document: ListDocument;
  /** `retry-after` of a 503 (the handler ran out of time) or a 429 (a client over its rate). */
  headers?: Record<string, string>;
}

export function errorDocument(errors: Open311ErrorItem[]): ListDocument {
  return listDocument('errors', 'error', errors.map((e) => ({ code: e.code, description: e.description })));
}

/** Any thrown value as a status and an `errors` document; one entry per field for a validation failure. */
export function open311ErrorOf(err: unknown, requestId: string): MappedOpen311Error {
  const mapped = (status: 400 | 403 | 404, descriptions: string[]) => ({ status, document: errorDocument(descriptions.map((description) => ({ code: status, description }))) });
  if (err instanceof Open311Error) return { status: err.status, document: errorDocument(err.errors) };
  if (err instanceof ValidationError) {
    return mapped(400, err.fields.length ? err.fields.map((f) => `${f.path}: ${f.message}`) : [err.message]);
  }
  if (err instanceof NotFoundError) return mapped(404, [err.message]);
  if (err instanceof ForbiddenError || err instanceof UnauthorizedError) return mapped(403, [err.message]);
  if (err instanceof ConflictError || err instanceof IllegalTransitionError) return mapped(400, [err.message]);
  const fault = errorResponse(err, requestId);
  return {
    status: fault.statusCode,
    document: errorDocument([{ code: fault.statusCode, description: `${fault.body.error.message} (request ${requestId})` }]),
    ...(fault.headers ? { headers: fault.headers } : {}),
  };
}
