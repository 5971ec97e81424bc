/**
 * Retention: a closed case keeps its record (what, where, who handled it, the timeline) for statistics and
 * complaints, but its reporter's name, phone and e-mail are erased PII_RETENTION_DAYS after it closed
 * (closed = CLOSED, CANCELLED or MERGED). Pure rules; the job is functions/usecases/erase-personal-data.ts.
 *
 * The index (gsi9) holds closed cases by the Taipei day they closed; the job erases day by day up to
 * "today minus the retention period" and remembers the last day it finished, so a missed run is caught up and a
 * day is never skipped. Keying by the closing day (not the due day) means a changed retention period applies to
 * every case not yet erased.
 */
import type { Reporter } from '../domain/case';
import { addDays, taipeiDate } from '../domain/case-number';

/** A first run (no mark yet) looks back this far before the cutoff for cases to erase. */
export const FIRST_RUN_LOOKBACK_DAYS = 366;
/** Days one run works through (an empty day costs one small Query); a longer backlog continues in the next run. */
export const MAX_DAYS_PER_RUN = 400;

const DAY_MS = 86_400_000;

/** What is left of a reporter after erasure: no name, phone or e-mail; nobody to notify. */
export function erasedReporter(r: Reporter, at: Date): Reporter {
  return { anonymous: r.anonymous, notify: 'none', erasedAt: at.toISOString() };
}

/** The last closing day (Taipei, yyyy-mm-dd) whose cases are due: today minus the retention period. */
export function cutoffDay(at: Date, retentionDays: number): string {
  return taipeiDate(new Date(at.getTime() - retentionDays * DAY_MS));
}

/** The closing days this run works through: after the mark (or a lookback) up to the cutoff, at most MAX_DAYS_PER_RUN. */
export function daysToErase(lastDone: string | undefined, cutoff: string): string[] {
  const days: string[] = [];
  for (let d = lastDone ? addDays(lastDone, 1) : addDays(cutoff, -FIRST_RUN_LOOKBACK_DAYS); d <= cutoff && days.length < MAX_DAYS_PER_RUN; d = addDays(d, 1)) days.push(d);
  return days;
}
