/**
 * Names each outgoing HTTP request after the in-process Lambda function that made it (local/lambda.ts runs every
 * handler inside `currentInvocation`), in an `x-bench-caller` header (function name, request id, start time) the write-unit tap reads and drops. The SDK
 * takes `http.request` from node:http when its first client sends, so this must run before the local cloud
 * starts. Bench only: nothing in functions/ or local/ sees the header.
 */
import http from 'node:http';
import { currentInvocation } from '../../local/lambda';

let installed = false;

export function nameRequestsByCaller(): void {
  if (installed) return;
  installed = true;
  const original = http.request;
  const patched = function (this: unknown, ...args: Parameters<typeof http.request>) {
    const req = (original as (...a: unknown[]) => http.ClientRequest).apply(this, args);
    const invocation = currentInvocation.getStore();
    if (invocation && !req.headersSent) req.setHeader('x-bench-caller', `${invocation.functionName} ${invocation.awsRequestId} ${invocation.startedAt}`);
    return req;
  } as typeof http.request;
  http.request = patched;
}
