/**
 * The stalled-workflow sweeper (every 5 minutes): no open case may be left without a running workflow.
 * 1. NEW cases whose start failed at intake. POST /cases creates the case and then starts its execution; when
 *    that start fails and the client never retries with its Idempotency-Key, the case would stay NEW with no
 *    execution: no routing, no deadline, nobody told.
 * 2. Cases in any status the workflow still drives (NEW, ASSIGNED, ACKNOWLEDGED, RETURNED, REOPENED, RESOLVED)
 *    whose execution failed, timed out or was aborted (or is missing): restarted at the wait the case is in.
 * Steps:
 * 1. window = cases created between `maxAgeDays` (NEW) or `repairMaxAgeDays` (the others) ago and
 *    `minAgeMinutes` ago; the lower bound leaves an intake or a start that is still running alone;
 * 2. Query the status queue (gsi2 `STATUS#<status>`) page by page over that window, oldest first; never a Scan;
 * 3. NEW without `executionArn`: create-case's `ensureWorkflowStarted` (StartExecution named after the case
 *    number, a start that did happen counts as started, and the conditional write of the ARN). Intake records
 *    no ARN (it follows from the case number), so this is every NEW case still unrouted after the window; a dead
 *    execution found this way is recorded here and restarted under a new name by the next run;
 * 4. any other (and NEW with an ARN): DescribeExecution of the recorded ARN (up to `describeBudget` per run).
 *    RUNNING, SUCCEEDED or PENDING_REDRIVE: nothing to do. FAILED, TIMED_OUT, ABORTED or MISSING: re-read the
 *    case (still open, still that ARN), then StartExecution named `<caseNo>-r<n>` — `n` one more than the dead
 *    execution's — with the step the status says the case is at (`resume`: ASSIGNED/REOPENED AwaitAck with the
 *    acknowledgement wait, ACKNOWLEDGED AwaitResolve with the resolution wait, RETURNED DispatchCase, RESOLVED
 *    TellCitizen; NEW from the start). Two sweepers that saw the same dead execution start the same name: Step
 *    Functions runs one. Then ONE conditional write: the new `executionArn` with event `workflow-restarted`
 *    (the dead execution's status and name, the new name, where it resumed) and a `WorkflowRepairs` metric;
 * 5. a failure on one case is counted and the next case is tried; the run logs counts only (no personal data).
 */
import type { Case, CaseStatus } from '../domain/case';
import { WORKFLOW_ACTOR } from '../domain/actor';
import { now } from '../domain/clock';
import { planWait } from '../domain/escalation';
import { PreconditionFailedError } from '../domain/errors';
import { logger } from '../shared/logger';
import { ensureWorkflowStarted } from './create-case';
import type { BusinessMetrics, CaseRepository, CaseWorkflow, ExecutionStatus, ResumePoint, WorkflowExecutions } from './ports';

export interface NewCaseRef {
  caseNo: string;
  executionArn?: string;
}

export interface StalledCaseFinder {
  /** NEW cases with `from <= createdAt < to` (ISO instants), oldest first. */
  newCasesCreatedBetween(from: string, to: string): AsyncIterable<NewCaseRef>;
  /** Cases of `status` with `from <= createdAt < to`, oldest first. */
  casesCreatedBetween(status: CaseStatus, from: string, to: string): AsyncIterable<NewCaseRef>;
}

/** Statuses the workflow still drives after routing: a dead execution there leaves a case stuck. */
export const SWEPT_STATUSES: readonly CaseStatus[] = ['ASSIGNED', 'ACKNOWLEDGED', 'RETURNED', 'REOPENED', 'RESOLVED'];

export interface RestartPorts {
  stalled: StalledCaseFinder;
  cases: CaseRepository;
  workflow: CaseWorkflow & WorkflowExecutions;
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
  /** How far back open cases are checked for a dead execution (a survey can wait weeks after resolution). */
  repairMaxAgeDays: number;
  /** DescribeExecution calls per run (Step Functions allows a few per second; the rest are checked next run). */
  describeBudget: number;
}

export const RESTART_DEFAULTS: RestartSettings = { minAgeMinutes: 5, maxAgeDays: 7, budget: 200, repairMaxAgeDays: 90, describeBudget: 500 };

export interface RestartReport {
  /** NEW cases in the window. */
  seen: number;
  started: number;
  failed: number;
  /** Cases without an execution left for the next run because the budget was spent. */
  deferred: number;
  /** Open cases whose execution was described (any status but NEW without an execution). */
  checked: number;
  /** Dead executions restarted at the case's wait. */
  repaired: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export async function restartStalledWorkflows(ports: RestartPorts, settings: RestartSettings = RESTART_DEFAULTS): Promise<RestartReport> {
  const at = now().getTime();
  const from = new Date(at - settings.maxAgeDays * DAY_MS).toISOString();
  const to = new Date(at - settings.minAgeMinutes * MINUTE_MS).toISOString();
  const report: RestartReport = { seen: 0, started: 0, failed: 0, deferred: 0, checked: 0, repaired: 0 };

  for await (const ref of ports.stalled.newCasesCreatedBetween(from, to)) {
    report.seen += 1;
    if (ref.executionArn) {
      await repairIfDead(ports, settings, ref, report);
      continue;
    }
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

  const repairFrom = new Date(at - settings.repairMaxAgeDays * DAY_MS).toISOString();
  for (const status of SWEPT_STATUSES)
    for await (const ref of ports.stalled.casesCreatedBetween(status, repairFrom, to)) {
      report.seen += 1;
      await repairIfDead(ports, settings, ref, report);
    }

  logger.info('Stalled case workflows', { ...report });
  return report;
}

const DEAD: ReadonlySet<ExecutionStatus> = new Set(['FAILED', 'TIMED_OUT', 'ABORTED', 'MISSING']);

/** Step 4: one case whose execution may have died. */
async function repairIfDead(ports: RestartPorts, settings: RestartSettings, ref: NewCaseRef, report: RestartReport): Promise<void> {
  if (report.checked >= settings.describeBudget || report.repaired + report.failed >= settings.budget) {
    report.deferred += 1;
    return;
  }
  try {
    report.checked += 1;
    // No ARN recorded on a routed case: its execution still has the case number for a name.
    const dead = await ports.workflow.status(executionNameOf(ref.executionArn) ?? ref.caseNo);
    if (!DEAD.has(dead)) return;
    const c = await ports.cases.get(ref.caseNo);
    if (!c || c.executionArn !== ref.executionArn || !(c.status === 'NEW' || SWEPT_STATUSES.includes(c.status))) return;
    // No ARN recorded (intake records none): the dead execution is the one named after the case, unless none is.
    const current = executionNameOf(c.executionArn) ?? (dead === 'MISSING' ? undefined : c.caseNo);
    const name = nextExecutionName(c.caseNo, current);
    const resume = resumePoint(c);
    const { executionArn } = await ports.workflow.startNamed(name, resumeInput(c, resume));
    await recordRestart(ports.cases, c, executionArn, { dead, from: current, name, resume });
    report.repaired += 1;
    ports.metrics?.count('workflowRepairs', {});
  } catch (e) {
    report.failed += 1;
    logger.warn('Could not restart a dead case workflow', { error: e instanceof Error ? e.name : 'unknown' });
  }
}

/**
 * The name after the dead execution's (none: the case number): `20261127-00042` -> `20261127-00042-r1`, `...-r1`
 * -> `...-r2`. The same dead execution always gives the same name.
 */
export function nextExecutionName(caseNo: string, current: string | undefined): string {
  if (!current) return caseNo;
  const m = /-r(\d+)$/.exec(current);
  return `${caseNo}-r${m ? Number(m[1]) + 1 : 1}`;
}

function executionNameOf(executionArn: string | undefined): string | undefined {
  return executionArn?.split(':').pop();
}

/** The step a case is at, by its status (undefined: from the start, RouteCase). */
export function resumePoint(c: Pick<Case, 'status'>): ResumePoint | undefined {
  switch (c.status) {
    case 'ASSIGNED':
    case 'REOPENED':
      return 'AwaitAck';
    case 'ACKNOWLEDGED':
      return 'AwaitResolve';
    case 'RETURNED':
      return 'DispatchCase';
    case 'RESOLVED':
      return 'TellCitizen';
    default:
      return undefined;
  }
}

/** The execution input that puts a restarted execution where the case is (what the resumed state reads). */
function resumeInput(c: Case, resume: ResumePoint | undefined): Record<string, unknown> {
  const at = now();
  const level = c.escalationLevel;
  switch (resume) {
    case undefined:
      return { caseNo: c.caseNo };
    case 'AwaitAck':
      return { caseNo: c.caseNo, resume, route: { notifyError: null }, wait: planWait('acknowledgement', c.acknowledgeDueAt ?? at, at, 'notified', { level }) };
    case 'AwaitResolve':
      return { caseNo: c.caseNo, resume, wait: planWait('resolution', c.resolveDueAt ?? at, at, 'waiting', { level }) };
    case 'DispatchCase':
      return { caseNo: c.caseNo, resume, signal: { Error: 'Case.Returned', Cause: 'workflow restarted' } };
    case 'TellCitizen':
      return { caseNo: c.caseNo, resume };
  }
}

async function recordRestart(
  cases: CaseRepository,
  c: Case,
  executionArn: string,
  what: { dead: ExecutionStatus; from?: string; name: string; resume?: ResumePoint },
): Promise<void> {
  let current = c;
  for (let attempt = 1; ; attempt++) {
    try {
      await cases.update(current.caseNo, current.version, {
        set: { executionArn },
        event: {
          type: 'workflow-restarted',
          by: WORKFLOW_ACTOR,
          text: `流程已重新啟動（原流程 ${what.dead}）/ Workflow restarted (the previous execution was ${what.dead})`,
          data: { previous: what.from ?? null, previousStatus: what.dead, execution: what.name, resumedAt: what.resume ?? 'RouteCase' },
        },
      });
      return;
    } catch (e) {
      if (!(e instanceof PreconditionFailedError) || attempt >= 5) throw e;
      const reread = await cases.get(current.caseNo);
      // Another sweeper recorded it first: its start was the same execution.
      if (!reread || reread.executionArn === executionArn) return;
      current = reread;
    }
  }
}
