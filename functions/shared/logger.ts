/**
 * The one logger (Powertools, service `citydesk-1999`). Every log line passes through a redaction step before it
 * is printed, so a reporter's name, phone or e-mail cannot reach CloudWatch even when someone logs a whole case,
 * an event or an error whose message quotes the input:
 * - keys that hold personal data or credentials (`reporter`, `name`, `phone`, `email`, `Authorization`, `Cookie`,
 *   any case, and any key containing phone / email / reporter such as `PhoneNumber`) are dropped wherever they
 *   appear. Log a department's or SOP's name under another key (`departmentName`), not `name`;
 * - Taiwanese phone numbers and e-mail addresses inside any string (messages, error messages, stacks) are masked.
 * Errors keep their class name (as `name`), message and stack, masked the same way.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';

/** Keys whose values never reach the logs, compared lower-case. */
export const REDACTED_KEYS: ReadonlySet<string> = new Set(['reporter', 'name', 'phone', 'email', 'authorization', 'cookie']);
/** Key fragments that mark personal data under other names (`PhoneNumber` of an SNS publish, `reporterEmail`). */
const REDACTED_KEY_PARTS = /phone|e-?mail|reporter/i;

export function isRedactedKey(key: string): boolean {
  return REDACTED_KEYS.has(key.toLowerCase()) || REDACTED_KEY_PARTS.test(key);
}

export const PHONE_MASK = '[phone]';
export const EMAIL_MASK = '[email]';

/**
 * Taiwanese numbers as people write them: mobiles `0912-345-678`, `0912345678`, `+886 912 345 678`; landlines
 * `03-425-1234`, `(03)4251234`, `02-2720-8889`, `+886-3-4251234`. Digit lookarounds keep case numbers
 * (`20261127-00042`), timestamps and ARNs intact.
 */
const TW_PHONE = /(?<![\d+])(?:(?:\+|00)886[\s-]?|0)9\d{2}[\s-]?\d{3}[\s-]?\d{3}(?!\d)|(?<![\d+])(?:(?:\+|00)886[\s-]?\(?|\(?0)[2-8]\d?\)?[\s-]?\d{3,4}[\s-]?\d{4}(?!\d)/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Masks phone numbers and e-mail addresses inside free text. */
export function maskPersonalData(text: string): string {
  return text.replace(EMAIL, EMAIL_MASK).replace(TW_PHONE, PHONE_MASK);
}

const MAX_DEPTH = 12;

/**
 * A redacted copy of anything that may be logged: personal-data keys dropped, strings masked, errors turned into
 * plain objects (through `formatError`) and redacted too. Cycles and very deep values are cut, not followed.
 */
export function redactForLog(value: unknown, formatError: (e: Error) => LogAttributes = defaultFormatError): unknown {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number, isError: boolean): unknown => {
    if (typeof v === 'string') return maskPersonalData(v);
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Date) return v;
    if (seen.has(v)) return '[circular]';
    if (depth > MAX_DEPTH) return '[too deep]';
    seen.add(v);
    if (v instanceof Error) return walk(formatError(v), depth + 1, true);
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1, false));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      // An error's `name` is its class, not a person's name.
      if (isRedactedKey(k) && !(isError && k === 'name')) continue;
      out[k] = walk(x, depth + 1, false);
    }
    return out;
  };
  return walk(value, 0, false);
}

function defaultFormatError(e: Error): LogAttributes {
  return { name: e.name, message: e.message, stack: e.stack };
}

/** Powertools' standard log shape, with every attribute passed through `redactForLog`. */
export class RedactingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const base: LogAttributes = {
      level: attributes.logLevel,
      message: attributes.message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_arn: attributes.lambdaContext?.invokedFunctionArn,
      function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
    };
    const scope = logScopes.getStore();
    if (scope?.context) {
      Object.assign(base, {
        cold_start: scope.context.coldStart,
        function_arn: scope.context.invokedFunctionArn,
        function_memory_size: scope.context.memoryLimitInMB,
        function_name: scope.context.functionName,
        function_request_id: scope.context.awsRequestId,
      });
    }
    // The invocation's own keys first; what this one call passes wins over them.
    const redacted = redactForLog({ ...scope?.keys, ...additional }, (e) => this.formatError(e)) as LogAttributes;
    // Base keys carry no personal data except the message text, which is masked like any string.
    return new LogItem({ attributes: { ...base, message: maskPersonalData(typeof base.message === 'string' ? base.message : base.message === undefined ? '' : JSON.stringify(base.message)) } }).addAttributes(redacted);
  }
}

/**
 * The log keys and Lambda context of one invocation. Lambda runs one invocation per container at a time, but the
 * local cloud runs many at once in one process, and a container with concurrent invocations would too: keys kept
 * on the one shared logger would stamp one request's lines with another's case number, actor and request id.
 */
interface LogScope {
  keys: LogAttributes;
  context?: { coldStart: boolean; invokedFunctionArn: string; memoryLimitInMB: string | number; functionName: string; awsRequestId: string };
}
const logScopes = new AsyncLocalStorage<LogScope>();

/**
 * The Powertools logger, with `appendKeys`, `removeKeys`, `resetKeys` and `addContext` applying to the current
 * invocation's scope (`logScoped`) when there is one, and to the logger itself outside any.
 */
class InvocationScopedLogger extends Logger {
  override appendKeys(attributes: LogAttributes): void {
    const scope = logScopes.getStore();
    if (scope) Object.assign(scope.keys, attributes);
    else super.appendKeys(attributes);
  }

  override removeKeys(keys: string[]): void {
    const scope = logScopes.getStore();
    if (scope) for (const k of keys) delete scope.keys[k];
    else super.removeKeys(keys);
  }

  override resetKeys(): void {
    const scope = logScopes.getStore();
    if (scope) scope.keys = {};
    else super.resetKeys();
  }

  override addContext(context: Context): void {
    const scope = logScopes.getStore();
    if (!scope) return super.addContext(context);
    scope.context = {
      coldStart: this.getColdStart(),
      invokedFunctionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB,
      functionName: context.functionName,
      awsRequestId: context.awsRequestId,
    };
  }
}

export const logger: Logger = new InvocationScopedLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'citydesk-1999',
  logFormatter: new RedactingLogFormatter(),
});

/**
 * A handler whose every invocation logs with keys of its own: what it (and the code it calls) appends with
 * `logger.appendKeys` stays on its lines, whatever else runs at the same time. Wrap the outermost handler.
 */
export function logScoped<A extends unknown[], R>(handler: (...args: A) => R): (...args: A) => R {
  return (...args: A) => logScopes.run({ keys: {} }, () => handler(...args));
}
