/**
 * THE error mapper: every handler's failures become HTTP responses here and nowhere else.
 *
 *   ValidationError, zod errors      400 VALIDATION_FAILED  fields[{ path, message }] (malformed JSON names `body`)
 *   UnauthorizedError                401 UNAUTHORIZED
 *   ForbiddenError                   403 FORBIDDEN
 *   NotFoundError                    404 NOT_FOUND
 *   IllegalTransitionError           409 ILLEGAL_TRANSITION   currentStatus, requested
 *   ConflictError                    409 CONFLICT             details
 *   PreconditionFailedError          412 PRECONDITION_FAILED  currentVersion (fields[{ path }] when it names one)
 *   IdempotencyConflictError         422 IDEMPOTENCY_KEY_REUSED
 *   PayloadTooLargeError             413 PAYLOAD_TOO_LARGE    fields[{ path: 'body' }] (over the route's maxBodyBytes)
 *   PreconditionRequiredError        428 PRECONDITION_REQUIRED (a write that needs If-Match came without it)
 *   TooManyRequestsError             429 TOO_MANY_REQUESTS    Retry-After when the error knows it
 *   HandlerTimeoutError              503 SERVICE_UNAVAILABLE  Retry-After (the handler ran out of time: overload)
 *   anything else                    500 INTERNAL "Internal error" + requestId; the error itself is only logged
 */
import * as z from 'zod';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  IdempotencyConflictError,
  IllegalTransitionError,
  NotFoundError,
  PreconditionFailedError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
  type FieldProblem,
} from '../domain/errors';
import { logger } from '../shared/logger';

/** The one error body shape of the API. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    fields?: FieldProblem[];
    requestId?: string;
    /** 409 on a transition: where the case is now. */
    currentStatus?: string;
    requested?: string;
    /** 412: the version to re-read. */
    currentVersion?: number;
    details?: Record<string, string | number | boolean | undefined>;
  };
}

export interface ErrorResponse {
  statusCode: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

/**
 * A write that must be conditional came without `If-Match`: 428. Lives here because it is about HTTP headers, not
 * the domain.
 */
export class PreconditionRequiredError extends DomainError {
  readonly code = 'PRECONDITION_REQUIRED';
}

/** A request body over the route's limit (routes.ts maxBodyBytes): 413, refused before it is parsed. */
export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  constructor(readonly maxBytes: number) {
    super(`The request body is larger than ${maxBytes} bytes`);
  }
}

/** Seconds a client is asked to wait after the handler ran out of time. */
export const TIMEOUT_RETRY_AFTER_SECONDS = 5;

/**
 * The handler is about to run out of its Lambda time (middy's early timeout, http.ts): overload or a slow
 * dependency, not a bug, so a 503 with Retry-After that clients back off from and alarms tell from a 500.
 */
export class HandlerTimeoutError extends Error {
  constructor() {
    super('The request took too long; try again shortly');
    this.name = 'HandlerTimeoutError';
  }
}

/** zod issues as field problems: `location.district`, one entry per unknown key, the whole body as `body`. */
export function zodFields(error: z.core.$ZodError): FieldProblem[] {
  const fields: FieldProblem[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields.push({ path: base ? `${base}.${key}` : key, message: 'is not an allowed field' });
    } else {
      fields.push({ path: base || 'body', message: issue.message });
    }
  }
  return fields;
}

/** Maps any thrown value to a status and the error body. Unknown errors are logged here, once. */
export function errorResponse(err: unknown, requestId: string): ErrorResponse {
  // z.ZodError, not z.core.$ZodError: reaching into `z.core` at run time bundles every zod locale (~260 KiB).
  if (err instanceof z.ZodError) {
    return { statusCode: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'The request is invalid', fields: zodFields(err) } } };
  }
  if (err instanceof ValidationError) {
    return { statusCode: 400, body: { error: { code: err.code, message: err.message, fields: err.fields } } };
  }
  if (err instanceof UnauthorizedError) return simple(401, err, { 'www-authenticate': 'Bearer' });
  if (err instanceof ForbiddenError) return simple(403, err);
  if (err instanceof NotFoundError) return simple(404, err);
  if (err instanceof IllegalTransitionError) {
    return { statusCode: 409, body: { error: { code: err.code, message: err.message, currentStatus: err.from, requested: err.to } } };
  }
  if (err instanceof ConflictError) {
    return { statusCode: 409, body: { error: { code: err.code, message: err.message, details: err.details } } };
  }
  if (err instanceof PreconditionFailedError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message, currentVersion: err.currentVersion } };
    if (err.field) body.error.fields = [{ path: err.field, message: `is not the current version${err.currentVersion === undefined ? '' : ` (${err.currentVersion})`}` }];
    return { statusCode: 412, body, headers: err.currentVersion === undefined ? undefined : { etag: `"${err.currentVersion}"` } };
  }
  if (err instanceof IdempotencyConflictError) return simple(422, err);
  if (err instanceof PreconditionRequiredError) return simple(428, err);
  if (err instanceof PayloadTooLargeError) {
    return { statusCode: 413, body: { error: { code: err.code, message: err.message, fields: [{ path: 'body', message: `must be at most ${err.maxBytes} bytes` }] } } };
  }
  if (err instanceof TooManyRequestsError) {
    const retryAfter = (err as TooManyRequestsError & { retryAfterSeconds?: number }).retryAfterSeconds;
    return simple(429, err, retryAfter === undefined ? undefined : { 'retry-after': String(retryAfter) });
  }

  if (err instanceof HandlerTimeoutError) {
    logger.warn('Handler ran out of time', { requestId });
    return { statusCode: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: err.message, requestId } }, headers: { 'retry-after': String(TIMEOUT_RETRY_AFTER_SECONDS) } };
  }

  logger.error('Unhandled error', { error: err instanceof Error ? err : new Error(String(err)), requestId });
  return { statusCode: 500, body: { error: { code: 'INTERNAL', message: 'Internal error', requestId } } };
}

function simple(statusCode: number, err: DomainError, headers?: Record<string, string>): ErrorResponse {
  return { statusCode, body: { error: { code: err.code, message: err.message } }, headers };
}
