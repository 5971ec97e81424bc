/**
 * The daily retention job: erase the reporter's personal data of cases closed PII_RETENTION_DAYS ago or more.
 * Steps:
 * 1. the cutoff day = today (Taipei) minus the retention period; the days to work through = after the job's mark
 *    (the last closing day finished) up to the cutoff (privacy/retention.ts: a missed run is caught up);
 * 2. per day, Query the retention index (gsi9 `CLOSED#<day>`; never a Scan) page by page; per case, ONE
 *    erase the case's files first (every version under its prefix: photos show people, plates, homes; a repeat
 *    finds none), then ONE conditional update on the version read: reporter replaced by the erased marker
 *    (`erasedAt`), access requests, the attachment list and a spent task token dropped, a `pii-erased` event naming
 *    how many files went;
 *    the write also takes the case out of the phone and retention indexes. A case changed meanwhile (412) is
 *    re-read and tried again; one already erased is skipped. Files are erased before the record says so: a run
 *    that stops between the two leaves a case not yet marked, which the next run erases again;
 * 3. when a day is done, move the mark to it; when the case budget of a run is spent, stop (the mark stays at the
 *    last finished day, and the next run goes on from there).
 * The case itself (category, place, timeline, statistics) stays.
 */
import { SYSTEM_ACTOR } from '../domain/actor';
import { TERMINAL_STATUSES } from '../domain/case';
import { now } from '../domain/clock';
import { PreconditionFailedError } from '../domain/errors';
import { logger } from '../shared/logger';
import { cutoffDay, daysToErase, erasedReporter } from '../privacy/retention';
import { privacySettings } from '../privacy/settings';
import type { AttachmentStore, CaseRepository } from './ports';

export const RETENTION_JOB = 'pii-retention';

export interface ClosedCaseIndex {
  closedOn(day: string, page: { limit?: number; startKey?: Record<string, string> }): Promise<{ items: Array<{ caseNo: string; closedAt: string }>; startKey?: Record<string, string> }>;
}

export interface JobMarks {
  /** The last day the job finished, if any. */
  get(job: string): Promise<string | undefined>;
  /** Moves the mark forward to `day` (never back). */
  advance(job: string, day: string, at: string): Promise<void>;
}

export interface ErasePorts {
  cases: Pick<CaseRepository, 'get' | 'update'>;
  closed: ClosedCaseIndex;
  marks: JobMarks;
  files: Pick<AttachmentStore, 'eraseCase'>;
}

export interface EraseReport {
  cutoff: string;
  days: string[];
  erased: number;
  /** The last closing day finished by this run (the new mark), if any. */
  doneThrough?: string;
  /** true when the case budget ran out before the cutoff. */
  incomplete: boolean;
}

const DEFAULT_BUDGET = 2000;
const WRITE_ATTEMPTS = 3;

export async function erasePersonalData(ports: ErasePorts, options: { budget?: number } = {}): Promise<EraseReport> {
  const settings = privacySettings();
  const at = now();
  const cutoff = cutoffDay(at, settings.retentionDays);
  const days = daysToErase(await ports.marks.get(RETENTION_JOB), cutoff);
  let budget = options.budget ?? DEFAULT_BUDGET;
  let erased = 0;
  let doneThrough: string | undefined;

  for (const day of days) {
    let startKey: Record<string, string> | undefined;
    do {
      if (budget <= 0) return report(true);
      const page = await ports.closed.closedOn(day, { limit: Math.min(100, budget), startKey });
      for (const { caseNo } of page.items) {
        budget -= 1;
        if (await eraseOne(ports, caseNo, { day, retentionDays: settings.retentionDays })) erased += 1;
      }
      startKey = page.startKey;
    } while (startKey);
    await ports.marks.advance(RETENTION_JOB, day, at.toISOString());
    doneThrough = day;
  }
  return report(false);

  function report(incomplete: boolean): EraseReport {
    const r: EraseReport = { cutoff, days, erased, ...(doneThrough ? { doneThrough } : {}), incomplete };
    logger.info('Retention run', { cutoff, erased, doneThrough, incomplete, dayCount: days.length });
    return r;
  }
}

async function eraseOne(ports: ErasePorts, caseNo: string, facts: { day: string; retentionDays: number }): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const c = await ports.cases.get(caseNo);
    // Gone, already erased, or (against the index) not closed: nothing to do.
    if (!c || c.reporter.erasedAt !== undefined || !TERMINAL_STATUSES.includes(c.status)) return false;
    const files = await ports.files.eraseCase(caseNo);
    const at = now();
    try {
      await ports.cases.update(caseNo, c.version, {
        set: { reporter: erasedReporter(c.reporter, at), piiAccess: [], attachments: [] },
        // The spent task token an ending action left (case-action.ts step 4) goes with the rest.
        remove: ['pendingTaskToken', 'waitingFor'],
        event: {
          type: 'pii-erased',
          by: SYSTEM_ACTOR,
          at: at.toISOString(),
          text: `個資已依保存期限刪除 / personal data erased ${facts.retentionDays} days after closing`,
          data: { closedOn: facts.day, retentionDays: facts.retentionDays, filesErased: files },
        },
      });
      return true;
    } catch (e) {
      if (!(e instanceof PreconditionFailedError) || attempt >= WRITE_ATTEMPTS) throw e;
    }
  }
}
