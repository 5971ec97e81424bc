/**
 * A department handler asks to see a case's reporter (POST /cases/{caseNo}/pii-access-requests).
 * Steps:
 * 1. load the case as the actor may reach it (another department's case is a 404);
 * 2. nothing to see (anonymous without contact, or erased by the retention job) is a 409;
 * 3. an approval the requester still holds, or a pending request of theirs, is returned as it is (no second
 *    request: asking twice is not a reason to approve twice);
 * 4. ONE conditional update on the version read: the live requests plus the new one (`piiAccess`, expired
 *    approvals dropped, at most MAX_OPEN_REQUESTS), with a `pii-access-requested` event naming the request and
 *    the reason; a concurrent change (412) re-reads and tries again.
 */
import type { Actor } from '../domain/actor';
import type { PiiAccessRequest } from '../domain/case';
import { now } from '../domain/clock';
import { ConflictError, PreconditionFailedError } from '../domain/errors';
import { liveRequests, MAX_OPEN_REQUESTS, newRequest, pendingRequestOf } from '../privacy/access-requests';
import { holdsPersonalData } from '../privacy/masking';
import { activeGrant } from '../privacy/visibility';
import { getCase } from './get-case';
import type { CaseRepository } from './ports';

export interface PiiAccessPorts {
  cases: CaseRepository;
}

export interface PiiAccessResult {
  caseNo: string;
  /** The case version after the write (unchanged when nothing was written). */
  version: number;
  request: PiiAccessRequest;
  /** false when an existing pending request or live approval was returned. */
  created: boolean;
}

const WRITE_ATTEMPTS = 3;

export async function requestPiiAccess(ports: PiiAccessPorts, actor: Actor, caseNo: string, input: { reason: string }): Promise<PiiAccessResult> {
  for (let attempt = 1; ; attempt++) {
    const c = await getCase(ports, actor, caseNo);
    if (c.reporter.erasedAt !== undefined) throw new ConflictError(`The reporter of case ${caseNo} was erased under the retention rule`, { caseNo, erasedAt: c.reporter.erasedAt });
    if (!holdsPersonalData(c.reporter)) throw new ConflictError(`Case ${caseNo} holds no personal data of its reporter`, { caseNo });
    const at = now();
    const existing = activeGrant(c.piiAccess, actor.id, at) ?? pendingRequestOf(c.piiAccess, actor.id);
    if (existing) return { caseNo, version: c.version, request: existing, created: false };

    const live = liveRequests(c.piiAccess, at);
    if (live.length >= MAX_OPEN_REQUESTS) throw new ConflictError(`Case ${caseNo} has ${live.length} open access requests; a supervisor must decide them first`, { caseNo });
    const request = newRequest(actor, input.reason, at);
    try {
      const updated = await ports.cases.update(caseNo, c.version, {
        set: { piiAccess: [...live, request] },
        event: {
          type: 'pii-access-requested',
          by: actor.id,
          at: request.requestedAt,
          text: input.reason,
          data: { requestId: request.id, ...(actor.department ? { department: actor.department } : {}) },
        },
      });
      return { caseNo, version: updated.version, request, created: true };
    } catch (e) {
      if (!(e instanceof PreconditionFailedError) || attempt >= WRITE_ATTEMPTS) throw e;
    }
  }
}
