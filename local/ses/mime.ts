/**
 * Just enough MIME to read a Raw SendEmail the way a mailbox would show it: the headers (folded lines, RFC 2047
 * encoded words), and the first text/plain and text/html parts, through multipart nesting, base64 and
 * quoted-printable, in their charset. Attachments are not kept: the outbox shows what the citizen reads.
 */

export interface RawMessage {
  /** Lower-cased header name -> decoded value of its first occurrence. */
  headers: Map<string, string>;
  subject?: string;
  text?: string;
  html?: string;
}

interface Part {
  headers: Map<string, string>;
  /** Body bytes as a binary (latin1) string, still transfer-encoded. */
  body: string;
}

export function parseRawMessage(bytes: Buffer): RawMessage {
  const root = splitPart(bytes.toString('latin1'));
  const found: { text?: string; html?: string } = {};
  collectText(root, found);
  const headers = new Map([...root.headers].map(([k, v]) => [k, decodeEncodedWords(v)] as const));
  return { headers, subject: headers.get('subject'), ...found };
}

function splitPart(binary: string): Part {
  const m = /\r?\n\r?\n/.exec(binary);
  const head = m ? binary.slice(0, m.index) : binary;
  const body = m ? binary.slice(m.index + m[0].length) : '';
  const headers = new Map<string, string>();
  // Unfold: a line starting with white space continues the previous header.
  for (const line of head.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Header bytes may be UTF-8 (RFC 6532); the body is decoded later by its own charset.
    if (!headers.has(name)) headers.set(name, Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8'));
  }
  return { headers, body };
}

function contentType(part: Part): { type: string; params: Map<string, string> } {
  const raw = part.headers.get('content-type') ?? 'text/plain';
  const [type = 'text/plain', ...rest] = raw.split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { type: type.trim().toLowerCase(), params };
}

function collectText(part: Part, found: { text?: string; html?: string }): void {
  const { type, params } = contentType(part);
  if (/^\s*attachment/i.test(part.headers.get('content-disposition') ?? '')) return;
  if (type.startsWith('multipart/')) {
    const boundary = params.get('boundary');
    if (!boundary) return;
    for (const child of multipartChildren(part.body, boundary)) collectText(splitPart(child), found);
    return;
  }
  if (type === 'text/plain' && found.text === undefined) found.text = decodeBody(part, params.get('charset'));
  else if (type === 'text/html' && found.html === undefined) found.html = decodeBody(part, params.get('charset'));
}

function multipartChildren(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const children: string[] = [];
  const lines = body.split(/\r?\n/);
  let current: string[] | undefined;
  for (const line of lines) {
    if (line.trimEnd() === `${delimiter}--`) break;
    if (line.trimEnd() === delimiter) {
      if (current) children.push(current.join('\r\n'));
      current = [];
    } else current?.push(line);
  }
  if (current) children.push(current.join('\r\n'));
  return children;
}

function decodeBody(part: Part, charset: string | undefined): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(part.body.replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(part.body);
  else bytes = Buffer.from(part.body, 'latin1');
  return decodeCharset(bytes, charset).replace(/\r\n/g, '\n').replace(/\n$/, '');
}

function decodeQuotedPrintable(binary: string): Buffer {
  const joined = binary.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined[i] === '=' ? joined.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(joined.charCodeAt(i) & 0xff);
  }
  return Buffer.from(out);
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    // A charset Node does not know: UTF-8 is the best guess for a local preview.
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** RFC 2047: `=?UTF-8?B?...?=` and `=?UTF-8?Q?...?=`; white space between adjacent encoded words is dropped. */
export function decodeEncodedWords(value: string): string {
  return value.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, kind: string, data: string) => {
    const bytes = kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQuotedPrintable(data.replace(/_/g, ' '));
    return decodeCharset(bytes, charset);
  });
}
