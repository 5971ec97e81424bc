/**
 * What an actor may see of a case: THE place where visibility and personal-data masking are decided. Every case
 * the API returns goes through `presentCase`; use cases that touch a case on someone's behalf first call
 * `assertCaseVisible`. Identity and privacy (issue 6) refine the rules here — time-limited unmasking, approved
 * access requests, audit events — without touching handlers.
 *
 * Today's rules:
 * - department staff (and department-bound integration clients) see only their department's cases; any other
 *   case is a 404, so case numbers cannot be probed;
 * - reporter name, phone and e-mail are masked (王○明, 0912-***-678, a***@example.org) for everyone except
 *   supervisors, admins and the agent who logged the case;
 * - the workflow's pending task token never leaves the server.
 */
import type { Actor } from '../domain/actor';
import type { Case, Reporter } from '../domain/case';
import { NotFoundError } from '../domain/errors';
import type { CaseView } from './schemas';

/** Throws NotFoundError when the actor may not know the case exists. */
export function assertCaseVisible(c: Pick<Case, 'caseNo' | 'department'>, actor: Actor): void {
  if (!isCaseVisible(c, actor)) throw new NotFoundError(`Case ${c.caseNo} not found`);
}

export function isCaseVisible(c: Pick<Case, 'department'>, actor: Actor): boolean {
  if (actor.role === 'staff' || (actor.role === 'integration' && actor.department)) return c.department !== undefined && c.department === actor.department;
  return true;
}

/** Whether the actor sees the reporter's personal data unmasked. */
export function canSeePersonalData(c: Pick<Case, 'createdBy'>, actor: Actor): boolean {
  if (actor.role === 'supervisor' || actor.role === 'admin') return true;
  return actor.role === 'agent' && c.createdBy === actor.id;
}

/** The case as this actor may see it; a case they may not see is a 404. */
export function presentCase(c: Case, actor: Actor): CaseView {
  assertCaseVisible(c, actor);
  // The task token is a capability to drive the workflow: never in a response.
  const { pendingTaskToken: _token, reporter, ...rest } = c;
  return { ...rest, reporter: presentReporter(reporter, canSeePersonalData(c, actor)) };
}

export function presentReporter(r: Reporter, unmasked: boolean): CaseView['reporter'] {
  const view: CaseView['reporter'] = { anonymous: r.anonymous, notify: r.notify, masked: !unmasked };
  if (r.name !== undefined) view.name = unmasked ? r.name : maskName(r.name);
  if (r.phone !== undefined) view.phone = unmasked ? r.phone : maskPhone(r.phone);
  if (r.email !== undefined) view.email = unmasked ? r.email : maskEmail(r.email);
  return view;
}

/** 王大明 -> 王○明, 王明 -> 王○, 歐陽大明 -> 歐○○明. Counts characters, not UTF-16 units. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '○';
  if (chars.length === 2) return `${chars[0]}○`;
  return chars[0] + '○'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/** 0912345678 -> 0912-***-678; landlines keep the area code: 034251234 -> 03-***-234. Extensions are dropped. */
export function maskPhone(phone: string): string {
  const digits = phone.split('#')[0]!.replace(/\D/g, '');
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
