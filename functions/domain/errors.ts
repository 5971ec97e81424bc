/**
 * Named errors. The domain and use cases throw these; one mapper (functions/api/http-errors.ts) turns them
 * into HTTP responses. Anything else is an unexpected fault and becomes a generic 500.
 */
export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `location.district`. */
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that does not satisfy the contract: 400 with the fields named. */
export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

/** Not found, or not visible to this actor (a probe must not learn that a case exists): 404. */
export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

/** Signed in, but this role may not call this route at all: 403. */
export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
}

/** No or bad credentials: 401. */
export class UnauthorizedError extends DomainError {
  readonly code = 'UNAUTHORIZED';
}

/** The action is not valid in the case's current state: 409 with the current state. */
export class IllegalTransitionError extends DomainError {
  readonly code = 'ILLEGAL_TRANSITION';
  constructor(
    readonly caseNo: string,
    /** A case status (typed as a string so this module, which case.ts imports, needs nothing from case.ts). */
    readonly from: string,
    readonly to: string,
  ) {
    super(`Case ${caseNo} is ${from}; it cannot become ${to}`);
  }
}

/** Any other conflict with current state (duplicate, already merged...): 409. */
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(
    message: string,
    readonly details: Record<string, string | number | boolean | undefined> = {},
  ) {
    super(message);
  }
}

/** The version the caller read is no longer current (If-Match mismatch or lost race): 412, nothing written. */
/**
 * A newer SOP version was stored after the one a write was checked against (case-repository's create with
 * `sopCurrent`): read the current version and check again.
 */
export class SopChangedError extends Error {
  constructor(readonly category: string) {
    super(`The SOP of ${category} changed`);
    this.name = 'SopChangedError';
  }
}

export class PreconditionFailedError extends DomainError {
  readonly code = 'PRECONDITION_FAILED';
  constructor(
    message: string,
    readonly currentVersion?: number,
    /** The request field that carried the stale version (`If-Match`), named in the response's `fields`. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The same Idempotency-Key was used with a different request body: 422. */
export class IdempotencyConflictError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
}

/**
 * A change that takes a rate-limit hit with it (CaseChange.take) found the limit reached: nothing was written.
 * Not a response: the caller writes the change again without the hit, saying what the limit stopped.
 */
export class LimitReachedError extends Error {
  constructor(readonly kind: string) {
    super(`The ${kind} limit is reached`);
    this.name = 'LimitReachedError';
  }
}

/** A caller sent too much too fast: 429. */
export class TooManyRequestsError extends DomainError {
  readonly code = 'TOO_MANY_REQUESTS';
}

/** Configuration that fails validation; stops synth and startup. Names the file, the field and the problem. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: FieldProblem[],
  ) {
    super(`Invalid configuration in ${file}:\n` + problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}
