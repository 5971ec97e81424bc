/**
 * SNS errors as the query protocol reports them: a code, an HTTP status and whether the sender or the service is
 * at fault. Codes and statuses are the ones `@aws-sdk/client-sns` maps back to its exception classes
 * (`NotFound` 404 -> NotFoundException, `InvalidParameter` 400 -> InvalidParameterException...).
 */
export class SnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = 'SnsError';
  }
}

export const invalidParameter = (message: string) => new SnsError('InvalidParameter', message, 400);
/** `ParameterValueInvalid` is the wire code of InvalidParameterValueException (bad message attributes). */
export const invalidParameterValue = (message: string) => new SnsError('ParameterValueInvalid', message, 400);
export const notFound = (message: string) => new SnsError('NotFound', message, 404);
