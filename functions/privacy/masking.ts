/**
 * How personal data looks when it is masked: enough to recognise a caller on the phone ("王先生, number ending
 * 678?"), not enough to contact or identify them.
 */
import type { Reporter } from '../domain/case';

/** 王大明 -> 王○明, 王明 -> 王○, 歐陽大明 -> 歐○○明. Counts characters, not UTF-16 units. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '○';
  if (chars.length === 2) return `${chars[0]}○`;
  return chars[0] + '○'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/** 0912345678 -> 0912-***-678; landlines keep the area code: 034251234 -> 03-***-234. Extensions are dropped. */
export function maskPhone(phone: string): string {
  const digits = phone.split('#')[0].replace(/\D/g, '');
  if (digits.length < 6) return '***';
  if (digits.startsWith('09')) return `${digits.slice(0, 4)}-***-${digits.slice(-3)}`;
  return `${digits.slice(0, 2)}-***-${digits.slice(-3)}`;
}

/** wang.da-ming@example.org -> w***@example.org */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

export interface ReporterView {
  name?: string;
  phone?: string;
  email?: string;
  anonymous: boolean;
  notify: Reporter['notify'];
  /** true when name, phone and email are shown masked. */
  masked: boolean;
  /** When the retention job erased the reporter's personal data (nothing is left to show). */
  erasedAt?: string;
}

export function reporterView(r: Reporter, unmasked: boolean): ReporterView {
  const view: ReporterView = { anonymous: r.anonymous, notify: r.notify, masked: !unmasked };
  if (r.name !== undefined) view.name = unmasked ? r.name : maskName(r.name);
  if (r.phone !== undefined) view.phone = unmasked ? r.phone : maskPhone(r.phone);
  if (r.email !== undefined) view.email = unmasked ? r.email : maskEmail(r.email);
  if (r.erasedAt !== undefined) view.erasedAt = r.erasedAt;
  return view;
}

/** Whether there is anything personal left to show (not anonymous-without-contact, not erased). */
export function holdsPersonalData(r: Reporter): boolean {
  return r.name !== undefined || r.phone !== undefined || r.email !== undefined;
}
