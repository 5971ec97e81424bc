/**
 * The local cloud's EventBridge: runs the scheduled jobs of functions/privacy/jobs.ts (SCHEDULED_JOBS, the list
 * CDK builds its rules from) on the local clock, so `--time-scale` and `POST /_local/clock` drive them as they
 * drive the workflow's timers. Cron fields are EventBridge's minute and hour (UTC); the forms the list uses are
 * understood: `*`, a number, `a/b` and `*` + `/b` (every b from a), `a-b` and comma lists.
 *
 * One run of a job at a time; missed firings are not replayed (EventBridge does not replay them either): after a
 * run the next firing is the next one after the clock's now. At a high time scale a 5-minute job would fire
 * many times a real second, so a job waits at least `minRealGapMs` of real time between two runs.
 */
import type { LocalClock } from './clock';

export interface CronFields {
  minute: string;
  hour: string;
}

export interface ScheduledRun {
  id: string;
  cron: CronFields;
}

export interface LocalSchedulerOptions<J extends ScheduledRun> {
  jobs: readonly J[];
  clock: LocalClock;
  /** Runs one job; a rejection is logged and the job stays scheduled. */
  run: (job: J) => Promise<unknown>;
  /** Real milliseconds between the end of a run and the start of the next one of the same job (default 1,000). */
  minRealGapMs?: number;
  log?: (line: string) => void;
}

export interface LocalScheduler {
  /** Completed runs per job id (failed ones included). */
  runs(): Record<string, number>;
  close(): Promise<void>;
}

const MINUTE_MS = 60_000;
/** setTimeout's largest delay; a longer wait is re-armed when it ends. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The values (0..max) a cron field matches. Throws on a form EventBridge would reject. */
export function cronValues(field: string, max: number): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`cron field "${field}" is not understood`);
    const from = m[1] === '*' ? 0 : Number(m[1]);
    const to = m[2] !== undefined ? Number(m[2]) : m[1] === '*' || m[3] !== undefined ? max : from;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (from > max || to > max || step < 1) throw new Error(`cron field "${field}" is out of range 0..${max}`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** The first whole UTC minute strictly after `afterMs` that the cron matches. */
export function nextCronTime(cron: CronFields, afterMs: number): number {
  const minutes = cronValues(cron.minute, 59);
  const hours = cronValues(cron.hour, 23);
  let t = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  // Every hour and minute of a day is tried at most once: a day and a minute bound the search.
  for (let i = 0; i <= 24 * 60; i += 1, t += MINUTE_MS) {
    const d = new Date(t);
    if (hours.has(d.getUTCHours()) && minutes.has(d.getUTCMinutes())) return t;
  }
  throw new Error(`cron ${cron.minute} ${cron.hour} never fires`);
}

export function startLocalScheduler<J extends ScheduledRun>(options: LocalSchedulerOptions<J>): LocalScheduler {
  const { clock } = options;
  const gap = options.minRealGapMs ?? 1_000;
  const log = options.log ?? (() => undefined);
  const counts: Record<string, number> = {};
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  const lastEnd = new Map<string, number>();
  const dueAt = new Map<string, number>();
  let closed = false;

  const arm = (job: J): void => {
    clearTimeout(timers.get(job.id));
    timers.delete(job.id);
    if (closed || running.has(job.id)) return;
    let due = dueAt.get(job.id);
    if (due === undefined) {
      due = nextCronTime(job.cron, clock.nowMs());
      dueAt.set(job.id, due);
    }
    const sinceLast = Date.now() - (lastEnd.get(job.id) ?? Number.NEGATIVE_INFINITY);
    const wait = Math.max(clock.realMsUntil(due), gap - sinceLast);
    // A stopped clock fires nothing until it is advanced (onChange re-arms).
    if (!Number.isFinite(wait)) return;
    const timer = setTimeout(() => fire(job), Math.min(wait, MAX_TIMER_MS));
    timer.unref();
    timers.set(job.id, timer);
  };

  const fire = (job: J): void => {
    timers.delete(job.id);
    const due = dueAt.get(job.id);
    if (closed || due === undefined || clock.nowMs() < due) return arm(job);
    dueAt.delete(job.id);
    const run = (async () => {
      try {
        await options.run(job);
      } catch (e) {
        log(`Scheduled job ${job.id} failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        counts[job.id] = (counts[job.id] ?? 0) + 1;
        lastEnd.set(job.id, Date.now());
        running.delete(job.id);
        arm(job);
      }
    })();
    running.set(job.id, run);
  };

  for (const job of options.jobs) {
    nextCronTime(job.cron, clock.nowMs()); // a cron the list cannot fire stops the start, naming it
    arm(job);
  }
  const unsubscribe = clock.onChange(() => options.jobs.forEach(arm));

  return {
    runs: () => ({ ...counts }),
    async close() {
      closed = true;
      unsubscribe();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running.values()]);
    },
  };
}
