/**
 * The audit trail of personal data, and the one way a case is shown with its reporter unmasked.
 *
 * Decisions (docs/security.md):
 * - An unmasked view is a `pii-viewed` timeline event (who, when, why) stored as its own item in the case's
 *   partition: one PutItem, no read, no version check, so it is cheap, never conflicts with a change to the case
 *   and does not invalidate the viewer's ETag.
 * - The response waits for that write (a few ms, in parallel with nothing else to do). If it fails, the
 *   response is the MASKED case and the failure is logged as an error: an unmasked view is never unrecorded,
 *   and a failing audit log degrades to "everyone sees masked data", not to a 500 for the hotline.
 * - A phone search is one `AUDIT#<day>` item per search (also when nothing is found: probing is what an auditor
 *   looks for), written BEFORE the results are returned; if it fails, the search fails.
 */
import type { Actor } from '../domain/actor';
import type { Case, CaseEvent } from '../domain/case';
import { now } from '../domain/clock';
import { logger } from '../shared/logger';
import { reporterView, type ReporterView } from './masking';
import { personalDataAccess, UNMASK_REASON_TEXT, type PersonalDataAccess, type UnmaskReason } from './visibility';
import type { PageRequest, Page } from '../usecases/ports';

/** A phone search as the audit log keeps it (no phone number: the keyed hash identifies it for an auditor). */
export interface PhoneSearchAuditRecord {
  id: string;
  at: string;
  by: string;
  role: string;
  reason: string;
  phoneHash: string;
  caseNos: string[];
}

export interface PersonalDataAuditLog {
  /** Appends a `pii-viewed` event to the case's timeline. */
  recordView(caseNo: string, event: CaseEvent): Promise<void>;
  recordPhoneSearch(record: PhoneSearchAuditRecord): Promise<void>;
  /** One Taipei day's phone searches (yyyy-mm-dd), oldest first. */
  phoneSearches(day: string, page: PageRequest): Promise<Page<PhoneSearchAuditRecord>>;
}

/** The `pii-viewed` event of an unmasked view. */
export function viewEvent(actor: Pick<Actor, 'id' | 'role'>, access: Extract<PersonalDataAccess, { unmasked: true }>, at: Date): CaseEvent {
  const iso = at.toISOString();
  return {
    id: `${iso}#view`,
    at: iso,
    type: 'pii-viewed',
    by: actor.id,
    text: UNMASK_REASON_TEXT[access.reason],
    data: { reason: access.reason, role: actor.role, ...(access.requestId ? { requestId: access.requestId } : {}) },
  };
}

export interface ReporterDisclosure {
  reporter: ReporterView;
  /** Present when unmasked: why, and until when (intake window, approval). */
  access?: { reason: UnmaskReason; until?: string };
}

/**
 * The reporter as this actor may see it for this case, recording the view when it is unmasked.
 * Steps: decide (visibility.ts) -> masked: done; unmasked: record `pii-viewed`, then show; recording failed:
 * show masked and log the failure (no personal data in the log, the case number is a log key already).
 */
export async function discloseReporter(audit: Pick<PersonalDataAuditLog, 'recordView'>, c: Case, actor: Actor): Promise<ReporterDisclosure> {
  const at = now();
  const access = personalDataAccess(c, actor, at);
  if (!access.unmasked) return { reporter: reporterView(c.reporter, false) };
  try {
    await audit.recordView(c.caseNo, viewEvent(actor, access, at));
  } catch (e) {
    logger.error('Recording a personal-data view failed; answering masked', { error: e instanceof Error ? e : new Error(String(e)), reason: access.reason });
    return { reporter: reporterView(c.reporter, false) };
  }
  return { reporter: reporterView(c.reporter, true), access: { reason: access.reason, ...(access.until ? { until: access.until } : {}) } };
}
