/**
 * Correcting a case (PATCH /cases/{caseNo} with If-Match): the form starts from the case as read, and only what
 * changed is sent, so a correction never rewrites a field somebody else just changed.
 */
import type { Role } from '../../../functions/domain/actor';
import { OPEN_STATUSES, type CaseStatus } from '../../../functions/domain/case';
import type { CaseView } from '../api/types';

export interface CorrectionDraft {
  category: string;
  description: string;
  district: string;
  address: string;
  priorityOverride: '' | 'normal' | 'urgent';
  notify: 'sms' | 'email' | 'none';
}

export function correctionDraft(c: CaseView): CorrectionDraft {
  return {
    category: c.category,
    description: c.description,
    district: c.location.district,
    address: c.location.address,
    priorityOverride: c.priorityOverride ?? '',
    notify: c.reporter.notify,
  };
}

/** The PATCH body: changed fields only; undefined when nothing changed. */
export function correctionBody(c: CaseView, d: CorrectionDraft): Record<string, unknown> | undefined {
  const body: Record<string, unknown> = {};
  if (d.category !== c.category) body.category = d.category;
  if (d.description.trim() !== c.description) body.description = d.description.trim();
  if (d.district !== c.location.district || d.address.trim() !== c.location.address) {
    body.location = { ...c.location, district: d.district, address: d.address.trim() };
  }
  if (d.priorityOverride && d.priorityOverride !== c.priorityOverride) body.priorityOverride = d.priorityOverride;
  if (d.notify !== c.reporter.notify) body.reporter = { notify: d.notify };
  return Object.keys(body).length ? body : undefined;
}

/** Agents, supervisors and admins correct open cases (the route table's roles for PATCH). */
export function canCorrect(role: Role, status: CaseStatus): boolean {
  return (role === 'agent' || role === 'supervisor' || role === 'admin') && OPEN_STATUSES.includes(status);
}
