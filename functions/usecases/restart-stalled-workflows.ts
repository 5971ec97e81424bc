/**
 * The stalled-workflow job (every 5 minutes): start the workflow of NEW cases whose start failed at intake.
 * POST /cases creates the case and then starts its execution; when that start fails and the client never retries
 * with its Idempotency-Key, the case would stay NEW with no execution: no routing, no deadline, nobody told.
 * Steps:
 * 1. window = cases created between `maxAgeDays` ago and `minAgeMinutes` ago (Taipei-independent ISO instants).
 *    The lower age bound leaves an intake that is still running alone; the upper one bounds each run's Query;
 * 2. Query the status queue (gsi2 `STATUS#NEW`) over that window, oldest first; never a Scan;
 * 3. per case without `executionArn` (up to `budget` per run): re-read it and call create-case's
 *    `ensureWorkflowStarted`: StartExecution named after the case number (a start that did happen counts as
 *    started) and the same conditional write of the ARN. A case whose Route step already ran is not NEW any more
 *    and is not in the Query; one that has an ARN is skipped;
 * 4. a failure on one case is counted and the next case is tried; the run logs counts only (no personal data);
 *    each workflow started counts once in `WorkflowRepairs`.
 */
import { now } from '../domain/clock';
import { logger } from '../shared/logger';
import { ensureWorkflowStarted } from './create-case';
import type { BusinessMetrics, CaseRepository, CaseWorkflow } from './ports';

export interface NewCaseRef {
  caseNo: string;
  executionArn?: string;
}

export interface StalledCaseFinder {
  /** NEW cases with `from <= createdAt < to` (ISO instants), oldest first. */
  newCasesCreatedBetween(from: string, to: string): AsyncIterable<NewCaseRef>;
}

export interface RestartPorts {
  stalled: StalledCaseFinder;
  cases: CaseRepository;
  workflow: CaseWorkflow;
  /** Counts `WorkflowRepairs`. Optional: tests that count nothing leave it out. */
  metrics?: BusinessMetrics;
}

export interface RestartSettings {
  /** A case younger than this may still be in its intake request. */
  minAgeMinutes: number;
  /** Older NEW cases are left to dispatch (they are visible in the NEW queue). */
  maxAgeDays: number;
  /** Starts per run, so a run stays inside its Lambda timeout; the rest are found 5 minutes later. */
  budget: number;
}

export const RESTART_DEFAULTS: RestartSettings = { minAgeMinutes: 5, maxAgeDays: 7, budget: 200 };

export interface RestartReport {
  /** NEW cases in the window. */
  seen: number;
  started: number;
  failed: number;
  /** Cases without an execution left for the next run because the budget was spent. */
  deferred: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export async function restartStalledWorkflows(ports: RestartPorts, settings: RestartSettings = RESTART_DEFAULTS): Promise<RestartReport> {
  const at = now().getTime();
  const from = new Date(at - settings.maxAgeDays * DAY_MS).toISOString();
  const to = new Date(at - settings.minAgeMinutes * MINUTE_MS).toISOString();
  const report: RestartReport = { seen: 0, started: 0, failed: 0, deferred: 0 };

  for await (const ref of ports.stalled.newCasesCreatedBetween(from, to)) {
    report.seen += 1;
    if (ref.executionArn) continue;
    if (report.started + report.failed >= settings.budget) {
      report.deferred += 1;
      continue;
    }
    try {
      const c = await ports.cases.get(ref.caseNo);
      // Gone, or routed since the Query read the index: nothing to restart.
      if (!c || c.status !== 'NEW' || c.executionArn) continue;
      await ensureWorkflowStarted(ports, c);
      report.started += 1;
      ports.metrics?.count('workflowRepairs', {});
    } catch (e) {
      report.failed += 1;
      logger.warn('Could not start a stalled case workflow', { error: e instanceof Error ? e.name : 'unknown' });
    }
  }

  logger.info('Stalled case workflows', { ...report });
  return report;
}
