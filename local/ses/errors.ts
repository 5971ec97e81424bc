/**
 * SES v2 errors as its REST-JSON protocol reports them: the HTTP status, the error name in the
 * `x-amzn-ErrorType` header and `{ "message": ... }` as the body. `@aws-sdk/client-sesv2` maps the name back to
 * its exception class (`BadRequestException`, `MessageRejected`, `NotFoundException`, `AlreadyExistsException`).
 */
export class SesError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'SesError';
  }
}

export const badRequest = (message: string) => new SesError('BadRequestException', message, 400);
export const messageRejected = (message: string) => new SesError('MessageRejected', message, 400);
export const notFound = (message: string) => new SesError('NotFoundException', message, 404);
export const alreadyExists = (message: string) => new SesError('AlreadyExistsException', message, 400);
