/**
 * A supervisor approves a department handler's access request for a number of minutes
 * (POST /cases/{caseNo}/pii-access-requests/{requestId}/approve).
 * Steps:
 * 1. load the case (supervisors reach every case); the request must be one of its live requests (404 naming
 *    `requestId` otherwise: unknown, or an approval that already expired);
 * 2. minutes default to PII_ACCESS_DEFAULT_MINUTES and may not exceed PII_ACCESS_MAX_MINUTES (400 naming
 *    `minutes`); an approval still running is a 409 naming its status (ask again when it has expired);
 * 3. ONE conditional update on the version read: the request becomes approved until now + minutes, with a
 *    `pii-access-approved` event (request, requester, until); a concurrent change (412) re-reads and tries again.
 * From then until `expiresAt`, the requester's reads of the case show the reporter unmasked, each recorded.
 */
import type { Actor } from '../domain/actor';
import { now } from '../domain/clock';
import { PreconditionFailedError, ValidationError } from '../domain/errors';
import { approved, requestToDecide } from '../privacy/access-requests';
import { privacySettings } from '../privacy/settings';
import { getCase } from './get-case';
import type { PiiAccessPorts, PiiAccessResult } from './request-pii-access';

const WRITE_ATTEMPTS = 3;

export async function approvePiiAccess(
  ports: PiiAccessPorts,
  actor: Actor,
  caseNo: string,
  requestId: string,
  input: { minutes?: number },
): Promise<PiiAccessResult> {
  const settings = privacySettings();
  const minutes = input.minutes ?? settings.accessDefaultMinutes;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > settings.accessMaxMinutes)
    throw new ValidationError('The approval is too long', [{ path: 'minutes', message: `must be a whole number from 1 to ${settings.accessMaxMinutes}` }]);

  for (let attempt = 1; ; attempt++) {
    const c = await getCase(ports, actor, caseNo);
    const at = now();
    const { live, request } = requestToDecide(c.piiAccess, { caseNo, requestId }, 'pending', at);

    const grant = approved(request, actor, minutes, at);
    try {
      const updated = await ports.cases.update(caseNo, c.version, {
        set: { piiAccess: live.map((r) => (r.id === requestId ? grant : r)) },
        event: {
          type: 'pii-access-approved',
          by: actor.id,
          at: grant.approvedAt,
          text: `核准查閱 ${minutes} 分鐘 / access approved for ${minutes} minutes`,
          data: { requestId, requester: request.by, minutes, expiresAt: grant.expiresAt! },
        },
      });
      return { caseNo, version: updated.version, request: grant, created: true };
    } catch (e) {
      if (!(e instanceof PreconditionFailedError) || attempt >= WRITE_ATTEMPTS) throw e;
    }
  }
}
