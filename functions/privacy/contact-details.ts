/**
 * Contact details inside free text that leaves the building: Open311's open data (address, description,
 * resolution, updates) and what machine clients read. A citizen types a phone number or an e-mail address any way
 * they like, so:
 * 1. the text is normalised (Unicode NFKC): full-width digits and `＠` become ASCII, so one rule covers both;
 * 2. phone numbers are found by libphonenumber-js's text search (Taiwan as the default country, any country with
 *    a `+`), plus runs of digits split by single spaces, dots or dashes (`0 9 1 2 3 4 5 6 7 8`, `TEL0912345678`)
 *    that the library confirms once joined (a valid Taiwanese number, or a possible one after a `+`), so case
 *    numbers and dates stay;
 * 3. e-mail addresses are found with `@` and its usual disguises: `(at)`, `[at]`, `{at}`, ` at `, `小老鼠`, and
 *    `(dot)`, `[dot]`, ` dot ` for the dots.
 * The result is the text as typed with each finding replaced by a mask.
 */
import { findPhoneNumbersInText, isPossiblePhoneNumber, isValidPhoneNumber } from 'libphonenumber-js/max';

export const PHONE_MASK_TEXT = '***';
export const EMAIL_MASK_TEXT = '***@***';

const LOCAL_PART = String.raw`[\p{L}\p{N}._%+\-]+`;
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?`;
const AT = String.raw`(?:\s*@\s*|\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+|\s*小老鼠\s*)`;
const DOT = String.raw`(?:\.|\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)`;
const EMAIL = new RegExp(`${LOCAL_PART}${AT}${LABEL}(?:${DOT}${LABEL})+`, 'giu');

/** Digits split by at most one separator each (space, dot, dash, brackets): candidates checked by the library. */
const DIGIT_RUN = /(?<!\d)\+?\(?\d(?:[\s.\-()]?\d){6,15}(?!\d)/g;

interface Span {
  start: number;
  end: number;
  mask: string;
}

export function maskContactDetails(text: string): string {
  const { normal, origin } = normalised(text);
  const spans: Span[] = [];
  for (const m of normal.matchAll(EMAIL)) {
    // "meet at the station" has no dotted domain; a match needs one, and at least one real letter before it.
    spans.push({ start: m.index, end: m.index + m[0].length, mask: EMAIL_MASK_TEXT });
  }
  const free = (start: number, end: number) => !spans.some((s) => start < s.end && end > s.start);
  for (const found of findPhoneNumbersInText(normal, { defaultCountry: 'TW' })) {
    if (free(found.startsAt, found.endsAt)) spans.push({ start: found.startsAt, end: found.endsAt, mask: PHONE_MASK_TEXT });
  }
  for (const m of normal.matchAll(DIGIT_RUN)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!free(start, end)) continue;
    const digits = m[0].replace(/[^\d+]/g, '');
    if (isPhoneNumber(digits)) spans.push({ start, end, mask: PHONE_MASK_TEXT });
  }
  spans.sort((a, b) => a.start - b.start);
  // Masks go into the text as it was typed: full-width punctuation elsewhere stays as the citizen wrote it.
  let out = '';
  let at = 0;
  for (const s of spans) {
    const start = origin[s.start];
    const end = origin[s.end];
    if (start < at) continue;
    out += text.slice(at, start) + s.mask;
    at = end;
  }
  return out + text.slice(at);
}

/**
 * NFKC, one code point at a time, with the offset in `text` where each UTF-16 unit of the result came from
 * (`origin[normal.length]` is `text.length`), so findings in the normalised text map back to the typed text.
 */
function normalised(text: string): { normal: string; origin: number[] } {
  let normal = '';
  const origin: number[] = [];
  let at = 0;
  for (const ch of text) {
    const n = ch.normalize('NFKC');
    for (let i = 0; i < n.length; i++) origin.push(at);
    normal += n;
    at += ch.length;
  }
  origin.push(at);
  return { normal, origin };
}

function isPhoneNumber(digits: string): boolean {
  try {
    // With a country code, a number of a possible length for that country is enough (fictional and newly opened
    // ranges fail the stricter validity check); without one, it must be a valid Taiwanese number.
    return digits.startsWith('+') ? isPossiblePhoneNumber(digits) : isValidPhoneNumber(digits, 'TW');
  } catch {
    return false;
  }
}
