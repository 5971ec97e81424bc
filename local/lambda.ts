/**
 * Lambda, in process: handler modules under `functions/` are imported once (a warm container per module, as
 * Lambda keeps one), invoked with a Lambda-like context, and held to their timeout the way Lambda holds them.
 * The gateway and the Step Functions task binding both invoke through here.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

export const LOCAL_ACCOUNT_ID = '000000000000';

/**
 * The function whose invocation is running, across its awaits: what one process cannot otherwise tell apart
 * (bench/lib/caller.ts names each DynamoDB call after the function that made it).
 */
export const currentInvocation = new AsyncLocalStorage<{ functionName: string; awsRequestId: string; startedAt: number }>();

export interface LambdaFunctionConfig {
  functionName: string;
  region: string;
  accountId?: string;
  /** The function's timeout; an invocation still running then fails as Lambda fails it. */
  timeoutMs?: number;
  memoryMb?: number;
}

/** What a handler module exports: `handler(event, context)`, async or with a callback. */
export type LambdaHandler = (event: never, context: Context, callback?: (error?: unknown, result?: unknown) => void) => unknown;

/** Lambda's error for an invocation that outlived its timeout (Step Functions sees this errorType). */
export class LambdaTimeoutError extends Error {
  constructor(functionName: string, timeoutMs: number) {
    super(`${functionName}: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
    this.name = 'Sandbox.Timedout';
  }
}

export function functionArn(fn: Pick<LambdaFunctionConfig, 'functionName' | 'region' | 'accountId'>): string {
  return `arn:aws:lambda:${fn.region}:${fn.accountId ?? LOCAL_ACCOUNT_ID}:function:${fn.functionName}`;
}

/**
 * A context shaped like the Node.js runtime's. Remaining time is wall-clock time: the local clock may run
 * scaled, but a handler's own budget is real seconds, as on AWS.
 */
export function lambdaContext(fn: LambdaFunctionConfig, awsRequestId: string = randomUUID()): Context {
  const timeoutMs = fn.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name} is the legacy callback API; return a value or a promise from the handler`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(fn),
    memoryLimitInMB: String(fn.memoryMb ?? 1024),
    awsRequestId,
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: `${day}/[$LATEST]${randomUUID().replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}

/**
 * Runs a handler as the Node.js runtime does: a returned promise or a callback, whichever comes first. Rejects
 * with LambdaTimeoutError after the timeout; the handler keeps running in the background (one process), but its
 * result is dropped, as Lambda drops it.
 */
export async function invokeHandler<R = unknown>(handler: LambdaHandler, event: unknown, context: Context, timeoutMs: number = context.getRemainingTimeInMillis()): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const run = new Promise<R>((resolve, reject) => {
    const callback = (error?: unknown, result?: unknown) => (error ? reject(asError(error)) : resolve(result as R));
    try {
      const returned = currentInvocation.run({ functionName: context.functionName, awsRequestId: context.awsRequestId, startedAt: Date.now() }, () => handler(event as never, context, callback));
      if (returned && typeof (returned as Promise<unknown>).then === 'function') (returned as Promise<R>).then(resolve, reject);
      // A handler of arity < 3 that returned a plain value answered synchronously.
      else if (handler.length < 3) resolve(returned as R);
    } catch (e) {
      reject(asError(e));
    }
  });
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LambdaTimeoutError(context.functionName, timeoutMs)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Handler modules by their route-table name (`api/handlers/create-case`), imported once each. */
export class HandlerModules {
  private readonly cache = new Map<string, Promise<LambdaHandler>>();

  constructor(private readonly functionsDir: string) {}

  load(handlerModule: string, exportName = 'handler'): Promise<LambdaHandler> {
    const key = `${handlerModule}#${exportName}`;
    let loaded = this.cache.get(key);
    if (!loaded) {
      loaded = this.importHandler(handlerModule, exportName);
      // A failed import (syntax error while someone edits) is retried on the next request, not cached forever.
      loaded.catch(() => this.cache.delete(key));
      this.cache.set(key, loaded);
    }
    return loaded;
  }

  private async importHandler(handlerModule: string, exportName: string): Promise<LambdaHandler> {
    if (!/^[a-z0-9][a-z0-9/_-]*$/i.test(handlerModule) || handlerModule.includes('..')) throw new Error(`Invalid handler module name ${handlerModule}`);
    const file = path.join(this.functionsDir, `${handlerModule}.ts`);
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const handler = mod[exportName];
    if (typeof handler !== 'function') throw new Error(`${path.relative(process.cwd(), file)} does not export a function named ${exportName}`);
    return handler as LambdaHandler;
  }
}

/** `api/handlers/create-case` -> `citydesk-local-create-case`: the function name logs and contexts show. */
export function localFunctionName(stage: string, handlerModule: string): string {
  const last = handlerModule.split('/').pop() ?? handlerModule;
  return `citydesk-${stage}-${last}`.slice(0, 64);
}

/** Lambda's callback may fail with a string (`callback('boom')`); the caller always gets an Error. */
function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(typeof e === 'string' ? e : JSON.stringify(e));
}
