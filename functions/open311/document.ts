/**
 * Open311 documents and their two wire formats. The XML is the specification's own (schemaless, no namespace,
 * UTF-8 declaration); the JSON follows the Spark convention the specification names: a list document is a
 * top-level array of its items, an object document (discovery, service definition) an object, and a wrapper
 * element around repeated children (`<values><value>`) is a JSON array.
 *
 * Values: `undefined` leaves a field out; `null` writes an empty element in XML (`<account_id/>`) and `null` in
 * JSON, as the specification's examples do.
 */

export type Open311Format = 'xml' | 'json';

export const CONTENT_TYPES: Readonly<Record<Open311Format, string>> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export type Field = string | number | boolean | null | undefined | Field[] | FieldObject;
export interface FieldObject {
  [name: string]: Field;
}

/** `<services><service>…</service></services>` / `[ {…} ]` */
export interface ListDocument {
  kind: 'list';
  root: string;
  item: string;
  items: FieldObject[];
}

/** `<service_definition>…</service_definition>` / `{ … }` */
export interface ObjectDocument {
  kind: 'object';
  root: string;
  body: FieldObject;
}

export type Open311Document = ListDocument | ObjectDocument;

/** The element name of one child of a repeated wrapper, as the specification spells them. */
const ITEM_NAMES: Readonly<Record<string, string>> = {
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

export function listDocument(root: string, item: string, items: FieldObject[]): ListDocument {
  return { kind: 'list', root, item, items };
}

export function objectDocument(root: string, body: FieldObject): ObjectDocument {
  return { kind: 'object', root, body };
}

export function render(doc: Open311Document, format: Open311Format): string {
  return format === 'json' ? renderJson(doc) : renderXml(doc);
}

export function renderJson(doc: Open311Document): string {
  return JSON.stringify(doc.kind === 'list' ? doc.items.map(stripUndefined) : stripUndefined(doc.body));
}

export function renderXml(doc: Open311Document): string {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>'];
  if (doc.kind === 'list') {
    if (doc.items.length === 0) lines.push(`<${doc.root}/>`);
    else {
      lines.push(`<${doc.root}>`);
      for (const item of doc.items) element(lines, doc.item, item, 1);
      lines.push(`</${doc.root}>`);
    }
  } else element(lines, doc.root, doc.body, 0);
  return lines.join('\n') + '\n';
}

function element(lines: string[], name: string, value: Field, depth: number): void {
  const pad = '  '.repeat(depth);
  if (value === undefined) return;
  if (value === null || value === '') {
    lines.push(`${pad}<${name}/>`);
    return;
  }
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name];
    if (!item) throw new Error(`No element name for the items of <${name}>`);
    if (value.length === 0) {
      lines.push(`${pad}<${name}/>`);
      return;
    }
    lines.push(`${pad}<${name}>`);
    for (const v of value) element(lines, item, v, depth + 1);
    lines.push(`${pad}</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    lines.push(`${pad}<${name}>`);
    for (const [k, v] of Object.entries(value)) element(lines, k, v, depth + 1);
    lines.push(`${pad}</${name}>`);
    return;
  }
  lines.push(`${pad}<${name}>${escapeXml(String(value))}</${name}>`);
}

/** Escapes markup and drops the characters XML 1.0 cannot carry at all (control characters but tab, CR, LF). */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- XML 1.0 allows only these characters; the rest must go
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function stripUndefined(value: FieldObject): FieldObject {
  return JSON.parse(JSON.stringify(value)) as FieldObject;
}

/** `requests.json` -> requests / json. Undefined when the extension is missing or not a format we speak. */
export function splitFormat(file: string): { name: string; format: Open311Format } | undefined {
  const m = /^(.+)\.(xml|json)$/.exec(file);
  return m ? { name: m[1], format: m[2] as Open311Format } : undefined;
}
