/**
 * The SNS query protocol: form-encoded (or URL query) parameters in, XML out. Requests flatten structures as
 * `Attributes.entry.1.key`, `MessageAttributes.entry.1.Value.DataType`, `PublishBatchRequestEntries.member.1.Id`;
 * responses wrap the result in `<{Action}Response><{Action}Result>` with `<ResponseMetadata><RequestId>`.
 */
import type { SnsError } from './errors';

export const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** Flat request parameters, as decoded from the form body or the URL query. */
export class QueryParams {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  static fromSearchParams(p: URLSearchParams): QueryParams {
    const m = new Map<string, string>();
    for (const [k, v] of p) m.set(k, v);
    return new QueryParams(m);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The parameters under `prefix.`, with the prefix removed. */
  under(prefix: string): QueryParams {
    const m = new Map<string, string>();
    const p = `${prefix}.`;
    for (const [k, v] of this.values) if (k.startsWith(p)) m.set(k.slice(p.length), v);
    return new QueryParams(m);
  }

  /** Numbered members `prefix.{member|entry}.1`, `.2`... in index order (gaps allowed, as AWS allows). */
  members(prefix: string, kind: 'member' | 'entry' = 'member'): QueryParams[] {
    const base = this.under(`${prefix}.${kind}`);
    const indexes = new Set<number>();
    for (const k of base.values.keys()) {
      const n = Number(k.split('.')[0]);
      if (Number.isInteger(n) && n > 0) indexes.add(n);
    }
    return [...indexes].sort((a, b) => a - b).map((i) => base.under(String(i)));
  }

  /** A string map serialized as `prefix.entry.N.key` / `prefix.entry.N.value`. */
  stringMap(prefix: string): Record<string, string> | undefined {
    const entries = this.members(prefix, 'entry');
    if (entries.length === 0) return undefined;
    const out: Record<string, string> = {};
    for (const e of entries) {
      const key = e.get('key');
      if (key !== undefined) out[key] = e.get('value') ?? '';
    }
    return out;
  }
}

// ---- XML output ----

export type XmlValue = string | number | boolean | undefined | XmlNode | XmlValue[];
/** An element's children in document order; arrays become repeated `<member>` elements. */
export interface XmlNode {
  [name: string]: XmlValue;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function render(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((v) => render('member', v)).join('')}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([k, v]) => render(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A string map as SNS returns it: `<entry><key>..</key><value>..</value></entry>` repeated. */
export function xmlStringMap(name: string, map: Record<string, string>): string {
  const entries = Object.entries(map)
    .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${escapeXml(v)}</value></entry>`)
    .join('');
  return `<${name}>${entries}</${name}>`;
}

/** A raw XML fragment, for results that are not plain nodes (string maps). */
export class RawXml {
  constructor(readonly xml: string) {}
}

export function successXml(action: string, requestId: string, result?: XmlNode | RawXml): string {
  const body = result === undefined ? '' : result instanceof RawXml ? `<${action}Result>${result.xml}</${action}Result>` : render(`${action}Result`, result);
  return (
    `<?xml version="1.0"?>\n<${action}Response xmlns="${SNS_XMLNS}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function errorXml(error: SnsError, requestId: string): string {
  return (
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${SNS_XMLNS}"><Error><Type>${error.type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
