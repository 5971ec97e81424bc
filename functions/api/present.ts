/**
 * What an actor may see of a case: every case the API returns goes through here. The rules themselves live in
 * their own modules, so there is one of each:
 * - reach (functions/auth/ownership.ts): department staff and department-bound clients only reach their
 *   department's cases; any other case is a 404, so case numbers cannot be probed. Use cases that touch a case
 *   on someone's behalf first call `assertCaseReachable` (functions/auth/ownership.ts);
 * - personal data (functions/privacy/): reporter name, phone and e-mail are masked (王○明, 0912-***-678,
 *   a***@example.org) in every response by default. Only the read of a case (`viewCase`, GET /cases/{caseNo})
 *   shows them unmasked, to those visibility.ts allows, and records each such view on the timeline;
 * - the workflow's pending task token never leaves the server; its execution ARN is shown to admins only; a
 *   survey wait inside its follow-up delay is not shown (domain `asShownAt`), nor is its `callback.dueFrom`;
 * - machine clients (integration) get free text with contact details masked (privacy/contact-details.ts).
 */
import type { Actor } from '../domain/actor';
import { asShownAt, type Case, type Reporter } from '../domain/case';
import { now } from '../domain/clock';
import { assertCaseReachable } from '../auth/ownership';
import { discloseReporter, type PersonalDataAuditLog } from '../privacy/audit';
import { maskContactDetails } from '../privacy/contact-details';
import { reporterView } from '../privacy/masking';
import type { CaseView } from './schemas';

export { maskEmail, maskName, maskPhone } from '../privacy/masking';

/**
 * The case as this actor may see it in a response to a change (create, correct, actions): personal data masked
 * for everyone, nothing to audit. A case they may not reach is a 404.
 */
export function presentCase(c: Case, actor: Actor): CaseView {
  assertCaseReachable(c, actor);
  return { ...caseFields(c, actor), reporter: reporterView(c.reporter, false) };
}

/**
 * The case as this actor may read it: the reporter unmasked when visibility.ts allows it, and then the view is
 * recorded as a `pii-viewed` timeline event first (privacy/audit.ts: if that fails, the answer is masked).
 */
export async function viewCase(audit: Pick<PersonalDataAuditLog, 'recordView'>, c: Case, actor: Actor): Promise<CaseView> {
  assertCaseReachable(c, actor);
  const { reporter, access } = await discloseReporter(audit, c, actor);
  return { ...caseFields(c, actor), reporter, ...(access ? { personalDataAccess: access } : {}) };
}

export function presentReporter(r: Reporter, unmasked: boolean): CaseView['reporter'] {
  return reporterView(r, unmasked);
}

function caseFields(c: Case, actor: Actor): Omit<CaseView, 'reporter'> {
  // The task token is a capability to drive the workflow: never in a response. Access requests are staff
  // business (who asked, why, until when), not a machine client's.
  // The execution ARN names the account, region and state machine: an operator's detail, for admins only.
  // Inside the survey's follow-up delay the case reads as before its survey wait started (asShownAt).
  const { pendingTaskToken: _token, reporter: _reporter, piiAccess, executionArn, ...rest } = asShownAt(c, now());
  return {
    ...rest,
    ...(piiAccess?.length && actor.role !== 'integration' ? { piiAccess } : {}),
    ...(executionArn && actor.role === 'admin' ? { executionArn } : {}),
    ...(actor.role === 'integration' ? machineFacingText(c) : {}),
  };
}

/**
 * A machine client republishes what it reads: free text a citizen or an agent typed goes out with phone numbers
 * and e-mail addresses masked, as in Open311 (the reporter's own fields are masked separately).
 */
function machineFacingText(c: Case): Pick<Case, 'description' | 'location'> & Partial<Pick<Case, 'resolution'>> {
  return {
    description: maskContactDetails(c.description),
    location: { ...c.location, address: maskContactDetails(c.location.address) },
    ...(c.resolution !== undefined ? { resolution: maskContactDetails(c.resolution) } : {}),
  };
}
