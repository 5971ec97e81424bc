/**
 * Find a caller's earlier cases by phone number (agents and supervisors; POST /cases/phone-search), and read the
 * audit of such searches (supervisors, admins; GET /privacy/phone-searches).
 *
 * searchByPhone steps:
 * 1. the number, already normalised by the request schema (`0912-345-678` -> `0912345678`), is turned into its
 *    keyed hash (functions/privacy/phone-hash.ts; no key configured is a ConfigError, a 500, never "no cases");
 * 2. one Query on the phone index (gsi8) for that hash: case summaries, newest first, no personal data;
 * 3. one audit record (who, role, why, the hash, the case numbers found), written BEFORE anything is returned:
 *    if the audit cannot be written the search fails;
 * 4. return the page.
 * The POST body keeps the number out of URLs, and so out of access logs, proxies and browser history.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor';
import { now } from '../domain/clock';
import { taipeiDate } from '../domain/case-number';
import { isCaseReachable } from '../auth/ownership';
import type { PersonalDataAuditLog, PhoneSearchAuditRecord } from '../privacy/audit';
import { hashPhone, requirePhoneHashKey } from '../privacy/phone-hash';
import type { CaseSummary, Page, PageRequest } from './ports';

/** The phone index (DynamoCaseRepository implements it). */
export interface PhoneIndex {
  casesByPhoneHash(phoneHash: string, page: PageRequest): Promise<Page<CaseSummary>>;
}

export interface PhoneSearchPorts {
  phones: PhoneIndex;
  audit: Pick<PersonalDataAuditLog, 'recordPhoneSearch'>;
}

export interface PhoneSearchInput extends PageRequest {
  /** Normalised digits (the request schema's `twPhone`). */
  phone: string;
  reason: string;
}

export async function searchByPhone(ports: PhoneSearchPorts, actor: Actor, input: PhoneSearchInput): Promise<Page<CaseSummary>> {
  const phoneHash = hashPhone(input.phone, requirePhoneHashKey());
  const page = await ports.phones.casesByPhoneHash(phoneHash, { limit: input.limit, cursor: input.cursor });
  // The policy admits only roles that reach every case; the filter keeps that true if the policy ever widens.
  const items = page.items.filter((c) => isCaseReachable(c, actor));
  const record: PhoneSearchAuditRecord = {
    id: randomUUID(),
    at: now().toISOString(),
    by: actor.id,
    role: actor.role,
    reason: input.reason,
    phoneHash,
    caseNos: items.map((c) => c.caseNo),
  };
  await ports.audit.recordPhoneSearch(record);
  return { ...page, items };
}

export interface PhoneSearchAuditPorts {
  audit: Pick<PersonalDataAuditLog, 'phoneSearches'>;
}

/**
 * One Taipei day's phone searches, oldest first (default: today).
 * Steps: the day (yyyy-mm-dd, Taipei) -> one Query on its `AUDIT#<day>` partition, a page at a time.
 */
export async function phoneSearchAudit(ports: PhoneSearchAuditPorts, query: PageRequest & { day?: string }): Promise<Page<PhoneSearchAuditRecord> & { day: string }> {
  const day = query.day ?? taipeiDate(now());
  return { ...(await ports.audit.phoneSearches(day, { limit: query.limit, cursor: query.cursor })), day };
}
