/**
 * E-mail addresses as SES takes them: `local@domain`, optionally with a display name (`1999 <1999@citydesk.local>`,
 * `"Taoyuan, 1999" <1999@citydesk.local>`), and lists of them as in To/Cc headers.
 */

export interface Mailbox {
  /** The bare address (`local@domain`), as given. */
  address: string;
  /** The domain, lower-cased: identities are matched on it. */
  domain: string;
  /** The text as given, display name included. */
  text: string;
}

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isDomain(text: string): boolean {
  return DOMAIN.test(text);
}

/** The mailbox in `text`, or undefined when it is not an address SES would accept. */
export function parseMailbox(text: string): Mailbox | undefined {
  const trimmed = text.trim();
  const angle = /<([^<>]*)>\s*$/.exec(trimmed);
  const address = (angle ? angle[1] : trimmed).trim();
  const at = address.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  if (!isDomain(domain)) return undefined;
  return { address, domain: domain.toLowerCase(), text: trimmed };
}

/** Splits a header's address list on the commas that are outside quotes and angle brackets. */
export function splitAddressList(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angled = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angled = true;
    else if (ch === '>' && !quoted) angled = false;
    if (ch === ',' && !quoted && !angled) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}
