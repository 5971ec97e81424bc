/**
 * Who sees the reporter's personal data unmasked, and why: THE rule (docs/security.md). Everyone else sees it
 * masked (masking.ts). Each unmasked view is recorded on the case's timeline as `pii-viewed` with the reason
 * (audit.ts), so the reasons below are also what an auditor reads.
 *
 *   supervisor       always (they approve access and handle complaints about cases);
 *   agent            the one who logged the case, for PII_AGENT_UNMASK_MINUTES after intake (finishing the call,
 *                    correcting a typo); any agent while the case waits for the satisfaction call-back
 *                    (RESOLVED, waiting for the survey, the follow-up delay over): calling the citizen is the job
 *                    then;
 *   staff            with an access request a supervisor approved, until it expires;
 *   admin            never: running the platform needs no citizen's details;
 *   integration      never.
 * Nobody sees erased data: there is none left.
 */
import type { Actor } from '../domain/actor';
import { surveyDue, type Case, type PiiAccessRequest } from '../domain/case';
import { holdsPersonalData } from './masking';
import { privacySettings, type PrivacySettings } from './settings';

export type UnmaskReason = 'supervisor' | 'intake' | 'follow-up-call' | 'approved-request';

export type PersonalDataAccess =
  | { unmasked: false }
  | { unmasked: true; reason: UnmaskReason; requestId?: string; until?: string };

/** Timeline wording of each reason (zh-TW / en). */
export const UNMASK_REASON_TEXT: Readonly<Record<UnmaskReason, string>> = {
  supervisor: '督導檢視 / supervisor review',
  intake: '受理人員於受理後檢視 / the agent who logged the case, shortly after intake',
  'follow-up-call': '滿意度回訪 / satisfaction call-back',
  'approved-request': '經督導核准之查閱申請 / approved access request',
};

type CaseFacts = Pick<Case, 'createdBy' | 'createdAt' | 'status' | 'waitingFor' | 'callback' | 'reporter' | 'piiAccess'>;

export function personalDataAccess(c: CaseFacts, actor: Pick<Actor, 'id' | 'role'>, at: Date, settings: PrivacySettings = privacySettings()): PersonalDataAccess {
  if (c.reporter.erasedAt !== undefined || !holdsPersonalData(c.reporter)) return { unmasked: false };
  switch (actor.role) {
    case 'supervisor':
      return { unmasked: true, reason: 'supervisor' };
    case 'agent': {
      const intakeEnds = Date.parse(c.createdAt) + settings.agentUnmaskMinutes * 60_000;
      if (c.createdBy === actor.id && at.getTime() < intakeEnds) return { unmasked: true, reason: 'intake', until: new Date(intakeEnds).toISOString() };
      if (surveyDue(c, at)) return { unmasked: true, reason: 'follow-up-call' };
      return { unmasked: false };
    }
    case 'staff': {
      const grant = activeGrant(c.piiAccess, actor.id, at);
      return grant ? { unmasked: true, reason: 'approved-request', requestId: grant.id, until: grant.expiresAt } : { unmasked: false };
    }
    default:
      return { unmasked: false };
  }
}

/** The requester's approved, unexpired request, if any. */
export function activeGrant(requests: readonly PiiAccessRequest[] | undefined, actorId: string, at: Date): PiiAccessRequest | undefined {
  return (requests ?? []).find((r) => r.by === actorId && r.status === 'approved' && r.expiresAt !== undefined && Date.parse(r.expiresAt) > at.getTime());
}
