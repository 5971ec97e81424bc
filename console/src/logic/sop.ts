/** SOP editing: the draft the form holds and the PUT body it becomes (the whole SOP, as a new version). */
import type { SopView } from '../api/types';

export type DeadlineUnit = 'workingHours' | 'workingDays' | 'calendarHours' | 'calendarDays';
export const DEADLINE_UNITS: readonly DeadlineUnit[] = ['workingHours', 'workingDays', 'calendarHours', 'calendarDays'];

export interface DeadlineDraft {
  amount: string;
  unit: DeadlineUnit;
}

export interface SopDraft {
  keywords: string;
  priority: 'normal' | 'urgent';
  defaultDepartment: string;
  overrides: Array<{ district: string; department: string }>;
  acknowledgeWithin: DeadlineDraft;
  resolveWithin: DeadlineDraft;
  urgent: { acknowledgeWithin: DeadlineDraft; resolveWithin: DeadlineDraft } | undefined;
  followUpAfter: DeadlineDraft;
  surveyWindow: DeadlineDraft;
  notifyCitizen: boolean;
  /** Why the SOP changes: required, stored with the new version beside its author. */
  reason: string;
}

const dd = (d: { amount: number; unit: DeadlineUnit }): DeadlineDraft => ({ amount: String(d.amount), unit: d.unit });
/** A number as typed; text that is not one goes as it is, so the API names the field. */
const deadline = (d: DeadlineDraft) => {
  const n = Number(d.amount);
  return { amount: d.amount.trim() !== '' && Number.isFinite(n) ? n : d.amount, unit: d.unit };
};

export function draftFromSop(sop: SopView): SopDraft {
  return {
    keywords: sop.keywords.join(', '),
    priority: sop.priority,
    defaultDepartment: sop.defaultDepartment,
    overrides: Object.entries(sop.districtOverrides).map(([district, department]) => ({ district, department })),
    acknowledgeWithin: dd(sop.acknowledgeWithin),
    resolveWithin: dd(sop.resolveWithin),
    urgent: sop.urgent ? { acknowledgeWithin: dd(sop.urgent.acknowledgeWithin), resolveWithin: dd(sop.urgent.resolveWithin) } : undefined,
    followUpAfter: dd(sop.followUpAfter),
    surveyWindow: dd(sop.surveyWindow),
    notifyCitizen: sop.notifyCitizen,
    reason: '',
  };
}

/** The PUT /sops/{category} body: the SOP as read, with the draft's changes and its reason; version bookkeeping left out. */
export function sopPutBody(sop: SopView, draft: SopDraft): Record<string, unknown> {
  const { version: _v, updatedAt: _a, updatedBy: _b, origin: _o, reason: _r, contentHash: _h, ...rest } = sop;
  const overrides: Record<string, string> = {};
  for (const o of draft.overrides) if (o.district && o.department) overrides[o.district] = o.department;
  const body: Record<string, unknown> = {
    ...rest,
    keywords: draft.keywords
      .split(/[,，、\n]/)
      .map((k) => k.trim())
      .filter(Boolean),
    priority: draft.priority,
    defaultDepartment: draft.defaultDepartment,
    districtOverrides: overrides,
    acknowledgeWithin: deadline(draft.acknowledgeWithin),
    resolveWithin: deadline(draft.resolveWithin),
    followUpAfter: deadline(draft.followUpAfter),
    surveyWindow: deadline(draft.surveyWindow),
    notifyCitizen: draft.notifyCitizen,
    reason: draft.reason.trim(),
  };
  if (draft.urgent) body.urgent = { acknowledgeWithin: deadline(draft.urgent.acknowledgeWithin), resolveWithin: deadline(draft.urgent.resolveWithin) };
  else delete body.urgent;
  return body;
}
