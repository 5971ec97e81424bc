/**
 * What Publish accepts, validated the way SNS validates it: the message body and its size, MessageStructure=json
 * with its required `default` entry, message attributes, and subscription filter policies.
 */
import { invalidParameter, invalidParameterValue } from './errors';
import type { QueryParams } from './query-protocol';
import type { OutboxMessageAttribute } from './outbox';

/** SNS's limit for a message plus its attributes: 256 KiB. */
export const MAX_PUBLISH_BYTES = 262_144;

export interface MessageAttribute {
  dataType: string;
  stringValue?: string;
  /** Base64, as it travels in the query protocol and in HTTP notifications. */
  binaryValue?: string;
}
export type MessageAttributes = Record<string, MessageAttribute>;

/** A message ready to fan out: its text per protocol is resolved at delivery. */
export interface PublishedMessage {
  messageId: string;
  subject?: string;
  /** Plain message, or the per-protocol entries of a MessageStructure=json message (always with `default`). */
  body: { kind: 'plain'; text: string } | { kind: 'json'; entries: Record<string, string> };
  attributes: MessageAttributes;
}

/** The text a protocol receives: its own key of a json message, else `default`. */
export function messageFor(m: PublishedMessage, protocol: string): string {
  if (m.body.kind === 'plain') return m.body.text;
  return m.body.entries[protocol] ?? m.body.entries.default;
}

export function readMessageAttributes(params: QueryParams, prefix = 'MessageAttributes'): MessageAttributes {
  const out: MessageAttributes = {};
  for (const e of params.members(prefix, 'entry')) {
    const name = e.get('Name');
    if (name === undefined) continue;
    out[name] = { dataType: e.get('Value.DataType') ?? '', stringValue: e.get('Value.StringValue'), binaryValue: e.get('Value.BinaryValue') };
  }
  return out;
}

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]+$/;
/** The AWS-reserved names SNS accepts: SMS and mobile settings such as `AWS.SNS.SMS.SMSType`. */
const RESERVED_SMS_ATTRIBUTE = /^AWS\.(SNS\.SMS|MM\.SMS|SNS\.MOBILE)\.[A-Za-z0-9_.-]+$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

export function validateMessageAttributes(attributes: MessageAttributes): void {
  for (const [name, a] of Object.entries(attributes)) {
    if (name.length === 0 || name.length > 256) throw invalidParameterValue(`Length of message attribute name must be between 1 and 256.`);
    if (!ATTRIBUTE_NAME.test(name))
      throw invalidParameterValue(
        `Invalid non-alphanumeric character was found in the message attribute name ${name}. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
      );
    if (/^(aws\.|amazon\.)/i.test(name) && !RESERVED_SMS_ATTRIBUTE.test(name)) throw invalidParameterValue(`You can't use the reserved prefix AWS. or Amazon. in the message attribute name ${name}.`);
    if (name.includes('..') || name.startsWith('.') || name.endsWith('.'))
      throw invalidParameterValue(`Message attribute name ${name} can't start or end with a period, or have consecutive periods.`);
    const base = a.dataType.split('.')[0];
    if (!['String', 'Number', 'Binary'].includes(base))
      throw invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    if (base === 'Binary') {
      if (!a.binaryValue) throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${a.dataType}'.`);
      continue;
    }
    if (a.stringValue === undefined || a.stringValue === '')
      throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${a.dataType}'.`);
    if (base === 'Number' && !NUMBER.test(a.stringValue)) throw invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    if (a.dataType === 'String.Array') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(a.stringValue);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed)) throw invalidParameterValue(`The message attribute '${name}' with type 'String.Array' must be a JSON array.`);
    }
  }
}

function publishSize(message: string, attributes: MessageAttributes): number {
  let size = Buffer.byteLength(message);
  for (const [name, a] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(a.dataType);
    size += a.binaryValue ? Buffer.from(a.binaryValue, 'base64').length : Buffer.byteLength(a.stringValue ?? '');
  }
  return size;
}

/**
 * Validate and parse the body of one Publish (or one batch entry). Order and wording follow SNS: empty message,
 * attributes, size, then the json structure.
 */
export function parseMessage(input: {
  message: string | undefined;
  subject: string | undefined;
  messageStructure: string | undefined;
  attributes: MessageAttributes;
}): Pick<PublishedMessage, 'subject' | 'body' | 'attributes'> {
  const { message, subject, messageStructure, attributes } = input;
  if (message === undefined) throw invalidParameter('Invalid parameter: Message Reason: no value for required parameter');
  if (message.length === 0) throw invalidParameter('Invalid parameter: Empty message');
  if (subject !== undefined) {
    // Subjects: non-empty, under 100 characters, no line breaks or control characters.
    // eslint-disable-next-line no-control-regex -- SNS rejects a Subject with control characters
  if (subject.length === 0 || subject.length >= 100 || /[\u0000-\u001f\u007f]/.test(subject)) throw invalidParameter('Invalid parameter: Subject');
  }
  validateMessageAttributes(attributes);
  if (publishSize(message, attributes) > MAX_PUBLISH_BYTES) throw invalidParameter('Invalid parameter: Message too long');
  if (messageStructure === undefined || messageStructure === '') return { subject, attributes, body: { kind: 'plain', text: message } };
  if (messageStructure !== 'json') throw invalidParameter('Invalid parameter: MessageStructure');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw invalidParameter('Invalid parameter: Message Structure - JSON message body failed to parse');
  // Keys must have string values; SNS ignores a key whose value is not a string.
  const entries: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') entries[k] = v;
  if (entries.default === undefined) throw invalidParameter('Invalid parameter: Message Structure - No default entry in JSON message body');
  return { subject, attributes, body: { kind: 'json', entries } };
}

/** Attributes as an HTTP notification (and the outbox) shows them: `{ Type, Value }`. */
export function notificationAttributes(attributes: MessageAttributes): Record<string, OutboxMessageAttribute> | undefined {
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  return Object.fromEntries(names.map((n) => [n, { Type: attributes[n].dataType, Value: attributes[n].binaryValue ?? attributes[n].stringValue ?? '' }]));
}

// ---- Subscription filter policies (scope MessageAttributes) ----

type Condition = string | number | { [op: string]: unknown };
export type FilterPolicy = Record<string, Condition[]>;

const NUMERIC_OPS = new Set(['<', '<=', '=', '>', '>=']);

/** Parse and check a FilterPolicy attribute; an empty string removes the policy. */
export function parseFilterPolicy(raw: string): FilterPolicy | undefined {
  if (raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidParameter('Invalid parameter: FilterPolicy: failed to parse JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidParameter('Invalid parameter: FilterPolicy: Filter policy must be a JSON object');
  for (const [key, conditions] of Object.entries(parsed)) {
    if (!Array.isArray(conditions)) throw invalidParameter(`Invalid parameter: FilterPolicy: "${key}" must be an object or an array`);
    for (const c of conditions) {
      if (typeof c === 'string' || typeof c === 'number') continue;
      if (c === null || typeof c !== 'object' || Array.isArray(c)) throw invalidParameter(`Invalid parameter: FilterPolicy: Match value must be String, number, true, false, or null`);
      const [op, ...rest] = Object.keys(c as object);
      if (rest.length > 0 || !['exists', 'prefix', 'suffix', 'anything-but', 'numeric', 'equals-ignore-case'].includes(op))
        throw invalidParameter(`Invalid parameter: FilterPolicy: Unrecognized match type ${op}`);
      if (op === 'numeric') {
        const spec = (c as Record<string, unknown>).numeric;
        if (!Array.isArray(spec) || spec.length === 0 || spec.length % 2 !== 0 || spec.some((v, i) => (i % 2 === 0 ? !NUMERIC_OPS.has(String(v)) : typeof v !== 'number')))
          throw invalidParameter('Invalid parameter: FilterPolicy: Value of numeric must be an array of operator and number pairs');
      }
    }
  }
  return parsed as FilterPolicy;
}

function attributeValues(a: MessageAttribute): (string | number)[] {
  if (a.dataType.startsWith('Binary') || a.stringValue === undefined) return [];
  if (a.dataType === 'String.Array') {
    const parsed = JSON.parse(a.stringValue) as unknown[];
    return parsed.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
  }
  if (a.dataType.startsWith('Number')) return [Number(a.stringValue)];
  return [a.stringValue];
}

function numericMatch(spec: unknown[], n: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const bound = spec[i + 1] as number;
    const ok = { '<': n < bound, '<=': n <= bound, '=': n === bound, '>': n > bound, '>=': n >= bound }[String(spec[i])];
    if (!ok) return false;
  }
  return true;
}

function valueMatches(c: Condition, v: string | number): boolean {
  if (typeof c === 'string' || typeof c === 'number') return c === v;
  const [op] = Object.keys(c);
  const arg = c[op];
  switch (op) {
    case 'prefix':
      return typeof v === 'string' && typeof arg === 'string' && v.startsWith(arg);
    case 'suffix':
      return typeof v === 'string' && typeof arg === 'string' && v.endsWith(arg);
    case 'equals-ignore-case':
      return typeof v === 'string' && typeof arg === 'string' && v.toLowerCase() === arg.toLowerCase();
    case 'numeric':
      return typeof v === 'number' && numericMatch(arg as unknown[], v);
    case 'anything-but': {
      const excluded = Array.isArray(arg) ? arg : [arg];
      return !excluded.some((x) => (typeof x === 'object' && x !== null ? valueMatches(x as Condition, v) : x === v));
    }
    default:
      return false;
  }
}

/** AND across keys, OR across a key's conditions; `exists` tests presence. */
export function matchesFilterPolicy(policy: FilterPolicy, attributes: MessageAttributes): boolean {
  return Object.entries(policy).every(([key, conditions]) => {
    const attribute = attributes[key];
    return conditions.some((c) => {
      if (typeof c === 'object' && 'exists' in c) return (attribute !== undefined) === (c.exists === true);
      return attribute !== undefined && attributeValues(attribute).some((v) => valueMatches(c, v));
    });
  });
}
