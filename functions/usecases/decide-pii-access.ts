/**
 * A supervisor's other decisions on personal-data access, besides approving (approve-pii-access.ts):
 * - deny a pending request, with a reason (POST /cases/{caseNo}/pii-access-requests/{requestId}/deny);
 * - revoke a running approval, with a reason (POST .../revoke): the requester's next read is masked again;
 * - list the live requests in one status, the supervisors' queue (GET /privacy/access-requests).
 * Steps of a deny or a revoke:
 * 1. load the case (supervisors reach every case); the request must be one of its live requests (404 naming
 *    `requestId` otherwise: unknown, decided already, or an approval that expired);
 * 2. a request in the other state is a 409 naming its status (deny a pending one, revoke an approved one);
 * 3. ONE conditional update on the version read: the request leaves `piiAccess` (the queue item with it, in the
 *    same transaction), with a `pii-access-denied` or `pii-access-revoked` event naming the request, the requester
 *    and the reason; a concurrent change (412) re-reads and tries again.
 */
import type { Actor } from '../domain/actor';
import type { CaseEventType, PiiAccessRequest } from '../domain/case';
import { now } from '../domain/clock';
import { PreconditionFailedError } from '../domain/errors';
import { requestToDecide } from '../privacy/access-requests';
import { getCase } from './get-case';
import type { Page, PageRequest, PiiAccessQueue } from './ports';
import type { PiiAccessPorts } from './request-pii-access';

const WRITE_ATTEMPTS = 3;

export interface PiiAccessDecision {
  caseNo: string;
  version: number;
  request: PiiAccessRequest;
  decision: 'denied' | 'revoked';
}

const RULES = {
  denied: { from: 'pending', event: 'pii-access-denied', text: '拒絕查閱 / access denied' },
  revoked: { from: 'approved', event: 'pii-access-revoked', text: '撤銷查閱 / access revoked' },
} as const satisfies Record<PiiAccessDecision['decision'], { from: PiiAccessRequest['status']; event: CaseEventType; text: string }>;

export const denyPiiAccess = (ports: PiiAccessPorts, actor: Actor, caseNo: string, requestId: string, input: { reason: string }) =>
  endRequest(ports, actor, caseNo, requestId, input.reason, 'denied');

export const revokePiiAccess = (ports: PiiAccessPorts, actor: Actor, caseNo: string, requestId: string, input: { reason: string }) =>
  endRequest(ports, actor, caseNo, requestId, input.reason, 'revoked');

async function endRequest(ports: PiiAccessPorts, actor: Actor, caseNo: string, requestId: string, reason: string, decision: PiiAccessDecision['decision']): Promise<PiiAccessDecision> {
  const rule = RULES[decision];
  for (let attempt = 1; ; attempt++) {
    const c = await getCase(ports, actor, caseNo);
    const at = now();
    const { live, request } = requestToDecide(c.piiAccess, { caseNo, requestId }, rule.from, at);
    try {
      const updated = await ports.cases.update(caseNo, c.version, {
        set: { piiAccess: live.filter((r) => r.id !== requestId) },
        event: { type: rule.event, by: actor.id, at: at.toISOString(), text: `${rule.text}: ${reason}`, data: { requestId, requester: request.by, reason } },
      });
      return { caseNo, version: updated.version, request, decision };
    } catch (e) {
      if (!(e instanceof PreconditionFailedError) || attempt >= WRITE_ATTEMPTS) throw e;
    }
  }
}

/** The supervisors' queue: live requests in one status, a page at a time. */
export function listPiiAccessRequests(ports: { accessQueue: PiiAccessQueue }, query: PageRequest & { status?: 'pending' | 'approved' }): Promise<Page<{ caseNo: string; request: PiiAccessRequest }>> {
  return ports.accessQueue.accessRequests(query.status ?? 'pending', { ...(query.limit ? { limit: query.limit } : {}), ...(query.cursor ? { cursor: query.cursor } : {}) });
}
