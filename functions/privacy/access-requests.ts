/**
 * Access requests to a reporter's personal data, as kept on the case (`piiAccess`): pure rules, no I/O.
 * - a department handler asks, with a reason; one open (pending) request per person and case;
 * - a supervisor approves for a number of minutes (at most PII_ACCESS_MAX_MINUTES); the approval ends by itself;
 * - the list keeps only what still matters (pending, or approved and not expired), at most MAX_OPEN_REQUESTS:
 *   history is the timeline (`pii-access-requested`, `pii-access-approved`, `pii-viewed`).
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor';
import type { PiiAccessRequest } from '../domain/case';
import { ConflictError, NotFoundError } from '../domain/errors';

export const MAX_OPEN_REQUESTS = 20;
export const REASON_MIN = 5;
export const REASON_MAX = 500;

/** Drops approvals that expired: they no longer grant anything. */
export function liveRequests(requests: readonly PiiAccessRequest[] | undefined, at: Date): PiiAccessRequest[] {
  return (requests ?? []).filter((r) => r.status === 'pending' || (r.expiresAt !== undefined && Date.parse(r.expiresAt) > at.getTime()));
}

/**
 * The live request a supervisor decides, with the live list it sits in: unknown, decided or expired is a 404;
 * a request in the other state (approving or denying an approval, revoking a pending one) a 409 naming its status.
 */
export function requestToDecide(
  requests: readonly PiiAccessRequest[] | undefined,
  ref: { caseNo: string; requestId: string },
  status: PiiAccessRequest['status'],
  at: Date,
): { live: PiiAccessRequest[]; request: PiiAccessRequest } {
  const live = liveRequests(requests, at);
  const request = live.find((r) => r.id === ref.requestId);
  if (!request) throw new NotFoundError(`No open access request ${ref.requestId} on case ${ref.caseNo}`);
  if (request.status !== status) {
    const until = request.expiresAt ? ` until ${request.expiresAt}` : '';
    throw new ConflictError(`Request ${ref.requestId} is ${request.status}${until}`, { requestId: ref.requestId, status: request.status, ...(request.expiresAt ? { expiresAt: request.expiresAt } : {}) });
  }
  return { live, request };
}

export function pendingRequestOf(requests: readonly PiiAccessRequest[] | undefined, actorId: string): PiiAccessRequest | undefined {
  return (requests ?? []).find((r) => r.by === actorId && r.status === 'pending');
}

export function newRequest(actor: Pick<Actor, 'id' | 'department'>, reason: string, at: Date): PiiAccessRequest {
  return {
    id: randomUUID(),
    by: actor.id,
    ...(actor.department ? { department: actor.department } : {}),
    reason,
    requestedAt: at.toISOString(),
    status: 'pending',
  };
}

export function approved(request: PiiAccessRequest, supervisor: Pick<Actor, 'id'>, minutes: number, at: Date): PiiAccessRequest {
  return {
    ...request,
    status: 'approved',
    approvedBy: supervisor.id,
    approvedAt: at.toISOString(),
    expiresAt: new Date(at.getTime() + minutes * 60_000).toISOString(),
  };
}
