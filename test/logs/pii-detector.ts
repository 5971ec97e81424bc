/**
 * A detector for personal data in log text: Taiwanese phone numbers (mobiles 09xx-xxx-xxx in any spacing, with
 * +886 / 00886, landlines with area codes) and e-mail addresses. Written independently of the logger's own
 * masking (functions/shared/logger.ts), so one cannot hide the other's blind spot.
 *
 * Not personal data, and not flagged: case numbers (20261127-00042), ISO times, epoch numbers, ARNs and account
 * ids, UUIDs, masked values (0912-***-678, w***@example.org, [phone], [email]).
 */
export interface Finding {
  kind: 'phone' | 'email';
  match: string;
  /** The line it was found in, shortened around the match. */
  context: string;
}

const MOBILE = /(?<![\w+.])(?:(?:\+|00)886[\s-]?|0)9\d{2}(?:[\s-]?\d{3}){2}(?![\w])/g;
const LANDLINE = /(?<![\w+.])(?:(?:\+|00)886[\s-]?\(?0?|\(?0)[2-8]\d?\)?[\s-]?\d{3,4}[\s-]?\d{4}(?:\s*(?:#|ext\.?|分機)\s*\d{1,6})?(?![\w])/g;
const EMAIL = /[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

export function findPersonalData(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const [kind, pattern] of [
    ['phone', MOBILE],
    ['phone', LANDLINE],
    ['email', EMAIL],
  ] as const) {
    for (const m of text.matchAll(pattern)) {
      const start = Math.max(0, m.index - 60);
      findings.push({ kind, match: m[0], context: text.slice(start, m.index + m[0].length + 60).replace(/\s+/g, ' ') });
    }
  }
  return findings;
}
