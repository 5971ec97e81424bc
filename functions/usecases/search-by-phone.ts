/**
 * Find a caller's earlier cases by phone number (agents and supervisors; POST /cases/phone-search), show an agent
 * the caller's recent cases while logging a call (POST /cases/caller-history), and read the audit of such look-ups
 * (supervisors, admins; GET /privacy/phone-searches).
 *
 * searchByPhone steps:
 * 0. the person's look-ups this hour are counted (PHONE_LOOKUPS_PER_HOUR, with the caller history): over is a 429;
 * 1. the number, already normalised by the request schema (`0912-345-678` -> `0912345678`), is turned into its
 *    keyed hash (functions/privacy/phone-hash.ts; no key configured is a ConfigError, a 500, never "no cases");
 * 2. one Query on the phone index (gsi8) for that hash: case summaries, newest first, no personal data;
 * 3. one audit record (who, role, why, the hash, the case numbers found), written BEFORE anything is returned:
 *    if the audit cannot be written the search fails;
 * 4. return the page.
 * The POST body keeps the number out of URLs, and so out of access logs, proxies and browser history.
 *
 * callerHistory steps (the same look-up, for the call in progress):
 * 1. counted like a search (step 0 above);
 * 2. one Query on the phone index, newest first, one page of CALLER_HISTORY_LIMIT;
 * 3. only the cases logged in the last CALLER_HISTORY_MONTHS months are kept;
 * 4. audited as a search with the reason "intake", written before anything is returned.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor';
import { now } from '../domain/clock';
import { taipeiDate } from '../domain/case-number';
import { isCaseReachable } from '../auth/ownership';
import type { PersonalDataAuditLog, PhoneSearchAuditRecord } from '../privacy/audit';
import { hashPhone, requirePhoneHashKey } from '../privacy/phone-hash';
import { enforcePhoneLookupRate, type RateCounters } from '../privacy/rate-limits';
import type { CaseSummary, Page, PageRequest } from './ports';

/** The phone index (DynamoCaseRepository implements it). */
export interface PhoneIndex {
  casesByPhoneHash(phoneHash: string, page: PageRequest): Promise<Page<CaseSummary>>;
}

export interface PhoneSearchPorts {
  phones: PhoneIndex;
  audit: Pick<PersonalDataAuditLog, 'recordPhoneSearch'>;
  caps: RateCounters;
}

export interface PhoneSearchInput extends PageRequest {
  /** Normalised digits (the request schema's `twPhone`). */
  phone: string;
  reason: string;
}

export async function searchByPhone(ports: PhoneSearchPorts, actor: Actor, input: PhoneSearchInput): Promise<Page<CaseSummary>> {
  await enforcePhoneLookupRate(ports.caps, actor);
  const phoneHash = hashPhone(input.phone, requirePhoneHashKey());
  const page = await ports.phones.casesByPhoneHash(phoneHash, { limit: input.limit, cursor: input.cursor });
  // The policy admits only roles that reach every case; the filter keeps that true if the policy ever widens.
  const items = page.items.filter((c) => isCaseReachable(c, actor));
  await audit(ports, actor, phoneHash, input.reason, items);
  return { ...page, items };
}

/** The reason the audit records for a caller-history look-up: the agent types none, the call is the reason. */
export const INTAKE_REASON = 'intake';
/** How far back the intake panel looks, and how many cases it lists. */
export const CALLER_HISTORY_MONTHS = 12;
export const CALLER_HISTORY_LIMIT = 25;

export async function callerHistory(ports: PhoneSearchPorts, actor: Actor, input: { phone: string }): Promise<{ items: CaseSummary[]; since: string }> {
  await enforcePhoneLookupRate(ports.caps, actor);
  const phoneHash = hashPhone(input.phone, requirePhoneHashKey());
  const sinceDate = now();
  sinceDate.setUTCMonth(sinceDate.getUTCMonth() - CALLER_HISTORY_MONTHS);
  const since = sinceDate.toISOString();
  const page = await ports.phones.casesByPhoneHash(phoneHash, { limit: CALLER_HISTORY_LIMIT });
  const items = page.items.filter((c) => isCaseReachable(c, actor) && c.createdAt >= since);
  await audit(ports, actor, phoneHash, INTAKE_REASON, items);
  return { items, since };
}

/** One audit record per look-up (who, role, why, the hash, what was found), before anything is returned. */
async function audit(ports: Pick<PhoneSearchPorts, 'audit'>, actor: Actor, phoneHash: string, reason: string, found: readonly CaseSummary[]): Promise<void> {
  const record: PhoneSearchAuditRecord = {
    id: randomUUID(),
    at: now().toISOString(),
    by: actor.id,
    role: actor.role,
    reason,
    phoneHash,
    caseNos: found.map((c) => c.caseNo),
  };
  await ports.audit.recordPhoneSearch(record);
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
