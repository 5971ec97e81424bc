/**
 * Runs executions durably. The position of every execution is a persisted cursor (which state, its input,
 * and what it waits for: a Wait deadline, a task result, a task token, a retry pause), so a restarted process
 * continues each execution from where it was. aws-local-stepfunctions evaluates one state at a time (see
 * step.ts); this engine owns transitions, history, task tokens, timeouts, heartbeats, Retry and Catch, all on
 * the local clock — except while a Task's resource is being called: that call is real work taking real time, so
 * its TimeoutSeconds runs on a real timer, and moving the local clock forward (days, to reach a business
 * deadline) never times out a Lambda that is still running. Once a callback task's resource has returned, the
 * wait for its token is business time again, counted on the local clock from TaskScheduled.
 *
 * Concurrency: each execution has a serial queue. Work on the queue never waits for a task resource; calls to
 * resources run detached and post their result back to the queue, so a resource may call SendTaskSuccess for
 * its own token (even before it returns) without deadlock.
 */
import type { LocalClock } from '../clock';
import { describeResource, toJson, type AslDefinition, type AslState, type Catcher, type Json, type Retrier } from './asl';
import { SfnServiceError, StatesRuntimeError, TaskFailure } from './errors';
import type { Cursor, ExecutionRecord, ExecutionStatus, HistoryEvent, RunCursor, TaskOutcome, WaitCursor } from './model';
import type { TaskResolver } from './resources';
import { MAX_REAL_DELAY_MS, TimerScheduler } from './scheduler';
import {
  applyResultPath,
  evaluatePath,
  nestedStatesOf,
  runState,
  type LibraryEvent,
  type LocalHandler,
  type StepContext,
  type StepFailure,
} from './step';
import type { SfnStore } from './store';
import { mintToken } from './tokens';

/** AWS stops an execution at 25,000 history events; so do we, which also ends runaway loops. */
const MAX_HISTORY_EVENTS = 25_000;

export interface EngineOptions {
  clock: LocalClock;
  resolveTask: TaskResolver;
  store: SfnStore;
  region: string;
  log?: (message: string) => void;
}

interface Runtime {
  definition: AslDefinition;
  input: Json;
}

type ErrorName = string | undefined;

export class ExecutionEngine {
  readonly executions = new Map<string, ExecutionRecord>();
  private readonly runtimes = new Map<string, Runtime>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly aborts = new Map<string, () => void>();
  /** Real-time TimeoutSeconds of resource calls in flight, by execution and attempt. */
  private readonly callTimers = new Map<string, NodeJS.Timeout>();
  private readonly scheduler: TimerScheduler;
  private nestedTimerSeq = 0;
  private closed = false;

  constructor(private readonly options: EngineOptions) {
    this.scheduler = new TimerScheduler(options.clock);
  }

  private now(): number {
    return this.options.clock.nowMs();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Lifecycle

  /** Take over executions loaded from disk and continue the running ones. */
  resume(records: ExecutionRecord[]): void {
    for (const record of records) this.executions.set(record.executionArn, record);
    for (const record of records) {
      if (record.status === 'RUNNING') this.background(record.executionArn, (rec) => this.continueAfterRestart(rec));
    }
  }

  /** Record ExecutionStarted durably, then run the execution in the background. */
  async start(rec: ExecutionRecord): Promise<void> {
    this.executions.set(rec.executionArn, rec);
    const { definition, input } = this.runtime(rec);
    this.emit(rec, 'ExecutionStarted', { input: rec.input, inputDetails: { truncated: false }, roleArn: rec.roleArn });
    if (definition.TimeoutSeconds !== undefined) rec.deadline = rec.startDate + definition.TimeoutSeconds * 1000;
    rec.cursor = { at: 'enter', state: definition.StartAt, input };
    await this.save(rec);
    this.background(rec.executionArn, (r) => this.drive(r));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.scheduler.close();
    for (const abort of this.aborts.values()) abort();
    this.aborts.clear();
    for (const timer of this.callTimers.values()) clearTimeout(timer);
    this.callTimers.clear();
    await Promise.allSettled([...this.queues.values()]);
    await this.options.store.flush();
  }

  // ---------------------------------------------------------------------------------------------------------
  // API operations (called by the service; errors are SfnServiceErrors)

  async sendTaskSuccess(executionArn: string, token: string, output: Json): Promise<void> {
    await this.onQueue(executionArn, async (rec) => {
      const c = this.cursorOfToken(rec, token);
      if (c.phase === 'running') {
        // The resource has not returned yet; the outcome applies once it has (after TaskSubmitted).
        c.early = { ok: true, output };
        return;
      }
      await this.applyTokenOutcome(rec, c, { ok: true, output });
    });
    this.background(executionArn, (rec) => this.drive(rec));
  }

  async sendTaskFailure(executionArn: string, token: string, error?: string, cause?: string): Promise<void> {
    await this.onQueue(executionArn, async (rec) => {
      const c = this.cursorOfToken(rec, token);
      if (c.phase === 'running') {
        c.early = { ok: false, error, cause };
        return;
      }
      await this.applyTokenOutcome(rec, c, { ok: false, error, cause });
    });
    this.background(executionArn, (rec) => this.drive(rec));
  }

  async sendTaskHeartbeat(executionArn: string, token: string): Promise<void> {
    await this.onQueue(executionArn, async (rec) => {
      const c = this.cursorOfToken(rec, token);
      if (c.heartbeatSeconds !== undefined) c.heartbeatAt = this.now() + c.heartbeatSeconds * 1000;
    });
  }

  /** StopExecution: abort a running execution. Returns the stop date. */
  async stop(executionArn: string, error?: string, cause?: string): Promise<number> {
    return this.onQueue(executionArn, async (rec) => {
      if (rec.status !== 'RUNNING') return rec.stopDate ?? this.now();
      const details: Record<string, string> = {};
      if (error !== undefined) details.error = error;
      if (cause !== undefined) details.cause = cause;
      this.emit(rec, 'ExecutionAborted', details);
      rec.error = error;
      rec.cause = cause;
      this.finish(rec, 'ABORTED');
      return rec.stopDate ?? this.now();
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Queue

  /** Run `work` on the execution's queue, then persist and re-arm its timers. Errors go to the caller. */
  private onQueue<T>(executionArn: string, work: (rec: ExecutionRecord) => Promise<T>): Promise<T> {
    const previous = this.queues.get(executionArn) ?? Promise.resolve();
    const result = previous.then(async () => {
      const rec = this.executions.get(executionArn);
      if (!rec) throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
      if (this.closed) throw new Error('the local Step Functions service is closed');
      try {
        return await work(rec);
      } finally {
        if (!this.closed) {
          await this.save(rec);
          this.armTimers(rec);
        }
      }
    });
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(executionArn, tail);
    void tail.then(() => {
      if (this.queues.get(executionArn) === tail) this.queues.delete(executionArn);
    });
    return result;
  }

  /** Queue work nobody waits for (timers, task results). A defect fails the execution rather than hanging it. */
  private background(executionArn: string, work: (rec: ExecutionRecord) => Promise<void>): void {
    this.onQueue(executionArn, async (rec) => {
      try {
        await work(rec);
      } catch (error) {
        if (this.closed) return;
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.options.log?.(`stepfunctions: ${rec.executionArn}: ${message}`);
        if (rec.status === 'RUNNING') this.failExecution(rec, 'States.Runtime', `Local Step Functions engine error: ${message}`);
      }
    }).catch(() => undefined);
  }

  private async save(rec: ExecutionRecord): Promise<void> {
    await this.options.store.saveExecution(rec);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Driving states

  private async continueAfterRestart(rec: ExecutionRecord): Promise<void> {
    const c = rec.cursor;
    if (!c) return this.failExecution(rec, 'States.Runtime', 'execution has no position to resume from');
    if (c.at === 'enter') return this.drive(rec);
    if (c.at !== 'run' || c.phase !== 'running') return; // waits, token waits and retry pauses: timers re-armed after this
    // A call in flight has its timeout in real time (restarted with the call); only the execution's own deadline is overdue here.
    if (rec.deadline !== undefined && rec.deadline <= this.now()) return; // the timer fires as soon as it is armed
    const state = this.stateOf(rec, c.state);
    if (state.Type === 'Task' && c.parameters !== undefined) {
      // Killed while the resource was being called: call it again with the same input and token.
      this.invoke(rec, c, state);
      return;
    }
    await this.beginAttempt(rec, c, state);
    return this.drive(rec);
  }

  /** Enter states until the execution waits for something or ends. */
  private async drive(rec: ExecutionRecord): Promise<void> {
    let steps = 0;
    while (rec.status === 'RUNNING' && rec.cursor?.at === 'enter') {
      if (rec.history.length >= MAX_HISTORY_EVENTS) {
        return this.failExecution(rec, 'States.Runtime', `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`);
      }
      await this.enter(rec, rec.cursor.state, rec.cursor.input);
      if (++steps % 100 === 0) {
        await this.save(rec);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  private async enter(rec: ExecutionRecord, name: string, input: Json): Promise<void> {
    const state = this.stateOf(rec, name);
    const now = this.now();
    this.emit(rec, `${state.Type}StateEntered`, { name, input: JSON.stringify(input), inputDetails: { truncated: false } });
    switch (state.Type) {
      case 'Task':
      case 'Map':
      case 'Parallel': {
        const run: RunCursor = {
          at: 'run',
          state: name,
          input,
          enteredAt: now,
          attempt: 0,
          retries: (state.Retry ?? []).map(() => 0),
          phase: 'running',
        };
        rec.cursor = run;
        return this.beginAttempt(rec, run, state);
      }
      case 'Wait': {
        const until = await this.waitDeadline(rec, name, state, input, now);
        if (typeof until !== 'number') return this.failExecution(rec, until.error, until.cause);
        rec.cursor = { at: 'wait', state: name, input, enteredAt: now, until };
        return;
      }
      default: {
        const outcome = await runState(state, input, this.runtime(rec).input, this.context(rec, name, now, 0));
        if (outcome.ok) return this.exitState(rec, name, state, outcome.output, outcome.next);
        if (state.Type === 'Fail') {
          // A Fail state without Error/Cause fails the execution without them, as on AWS.
          const error = state.Error !== undefined || state.ErrorPath !== undefined ? outcome.error : undefined;
          const cause = state.Cause !== undefined || state.CausePath !== undefined ? outcome.cause : undefined;
          return this.failExecution(rec, error, cause);
        }
        return this.failExecution(rec, outcome.error, outcome.cause);
      }
    }
  }

  private exitState(rec: ExecutionRecord, name: string, state: AslState, output: Json, next: string | undefined): void {
    this.emit(rec, `${state.Type}StateExited`, { name, output: JSON.stringify(output), outputDetails: { truncated: false } });
    if (next !== undefined) rec.cursor = { at: 'enter', state: next, input: output };
    else this.succeedExecution(rec, output);
  }

  private async waitDeadline(
    rec: ExecutionRecord,
    name: string,
    state: AslState,
    input: Json,
    now: number,
  ): Promise<number | { error: string; cause: string }> {
    if (state.Seconds !== undefined) return now + state.Seconds * 1000;
    if (state.Timestamp !== undefined) return Date.parse(state.Timestamp);
    const context = this.context(rec, name, now, 0);
    if (state.SecondsPath !== undefined) {
      const seconds = await evaluatePath(state.SecondsPath, input, this.runtime(rec).input, context, state.InputPath);
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        return { error: 'States.Runtime', cause: `The SecondsPath '${state.SecondsPath}' does not select a non-negative integer` };
      }
      return now + seconds * 1000;
    }
    if (state.TimestampPath !== undefined) {
      const timestamp = await evaluatePath(state.TimestampPath, input, this.runtime(rec).input, context, state.InputPath);
      const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
      if (Number.isNaN(at)) return { error: 'States.Runtime', cause: `The TimestampPath '${state.TimestampPath}' does not select a timestamp` };
      return at;
    }
    return now;
  }

  private async finishWait(rec: ExecutionRecord, c: WaitCursor): Promise<void> {
    const state = this.stateOf(rec, c.state);
    const outcome = await runState(state, c.input, this.runtime(rec).input, this.context(rec, c.state, c.enteredAt, 0));
    if (!outcome.ok) return this.failExecution(rec, outcome.error, outcome.cause);
    this.exitState(rec, c.state, state, outcome.output, outcome.next);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Task, Map and Parallel attempts

  private async beginAttempt(rec: ExecutionRecord, c: RunCursor, state: AslState): Promise<void> {
    c.attempt = ++rec.seq;
    c.phase = 'running';
    for (const key of ['retryAt', 'early', 'token', 'parameters', 'timeoutAt', 'timeoutSeconds', 'heartbeatAt', 'heartbeatSeconds'] as const) delete c[key];
    if (state.Type === 'Task') return this.startTask(rec, c, state);
    return this.startBranches(rec, c, state);
  }

  private async startTask(rec: ExecutionRecord, c: RunCursor, state: AslState): Promise<void> {
    const resource = state.Resource ?? '';
    const info = describeResource(resource);
    if (info.waitForTaskToken) c.token = mintToken(rec.executionArn, c.state, c.attempt);
    const context = this.context(rec, c.state, c.enteredAt, sum(c.retries), c.token);
    const executionInput = this.runtime(rec).input;

    // The library evaluates InputPath and Parameters (with $$.Task.Token) and hands the result to this handler.
    let parameters: Json | undefined;
    const prepared = await runState(state, c.input, executionInput, context, {
      taskHandler: async (effective) => {
        parameters = effective;
        return null;
      },
    });
    if (parameters === undefined) {
      const failure = prepared as StepFailure;
      return this.handleError(rec, c, state, failure.error, failure.cause, failure.fatal);
    }
    c.parameters = parameters;

    const timeoutSeconds = await this.secondsOf(rec, c, state, 'TimeoutSeconds', context, parameters);
    const heartbeatSeconds = await this.secondsOf(rec, c, state, 'HeartbeatSeconds', context, parameters);
    if (typeof timeoutSeconds === 'string' || typeof heartbeatSeconds === 'string') {
      return this.failExecution(rec, 'States.Runtime', [timeoutSeconds, heartbeatSeconds].filter((s) => typeof s === 'string').join('; '));
    }

    if (info.lambdaFunction) {
      this.emit(rec, 'LambdaFunctionScheduled', {
        resource,
        input: JSON.stringify(parameters),
        inputDetails: { truncated: false },
        ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
      });
      this.emit(rec, 'LambdaFunctionStarted');
    } else {
      this.emit(rec, 'TaskScheduled', {
        resourceType: info.resourceType,
        resource: info.resource,
        region: this.options.region,
        parameters: JSON.stringify(parameters),
        ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
        ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
      });
      this.emit(rec, 'TaskStarted', { resourceType: info.resourceType, resource: info.resource });
    }
    const now = this.now();
    if (timeoutSeconds !== undefined) {
      c.timeoutSeconds = timeoutSeconds;
      c.timeoutAt = now + timeoutSeconds * 1000;
    }
    if (heartbeatSeconds !== undefined && info.waitForTaskToken) {
      c.heartbeatSeconds = heartbeatSeconds;
      c.heartbeatAt = now + heartbeatSeconds * 1000;
    }
    // Durable before the resource is called: a restart re-invokes it with the same input.
    await this.save(rec);
    this.invoke(rec, c, state);
  }

  /**
   * TimeoutSeconds/HeartbeatSeconds, or their *Path read from the state input (after InputPath), falling back
   * to the effective input (after Parameters). Returns a message when the path is not a positive integer.
   */
  private async secondsOf(
    rec: ExecutionRecord,
    c: RunCursor,
    state: AslState,
    field: 'TimeoutSeconds' | 'HeartbeatSeconds',
    context: StepContext,
    parameters: Json,
  ): Promise<number | undefined | string> {
    const fixed = state[field];
    if (typeof fixed === 'number') return fixed;
    const path = state[`${field}Path`];
    if (typeof path !== 'string') return undefined;
    const executionInput = this.runtime(rec).input;
    const value =
      (await evaluatePath(path, c.input, executionInput, context, state.InputPath)) ??
      (await evaluatePath(path, parameters, executionInput, context));
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      return `The ${field}Path '${path}' does not select a positive integer`;
    }
    return value;
  }

  /** Call the Task's resource, detached; the result comes back through the execution's queue. */
  private invoke(rec: ExecutionRecord, c: RunCursor, state: AslState): void {
    const { executionArn } = rec;
    const { attempt, token } = c;
    const resource = state.Resource ?? '';
    const input = structuredClone(c.parameters ?? null);
    const timerKey = `${executionArn}#${attempt}`;
    if (c.timeoutSeconds !== undefined) {
      const timer = setTimeout(
        () => {
          this.callTimers.delete(timerKey);
          this.background(executionArn, (r) => this.onCallTimedOut(r, attempt));
        },
        Math.min(c.timeoutSeconds * 1000, MAX_REAL_DELAY_MS),
      );
      timer.unref();
      this.callTimers.set(timerKey, timer);
    }
    void (async (): Promise<{ ok: true; value: Json } | { ok: false; error: unknown }> => {
      try {
        return { ok: true, value: toJson(await this.options.resolveTask(resource, input, { taskToken: token, executionArn, stateName: c.state })) };
      } catch (error) {
        return { ok: false, error };
      }
    })().then((result) => {
      clearTimeout(this.callTimers.get(timerKey));
      this.callTimers.delete(timerKey);
      if (this.closed) return;
      this.background(executionArn, (r) => (result.ok ? this.onTaskReturned(r, attempt, result.value) : this.onTaskErrored(r, attempt, result.error)));
    });
  }

  /** The resource call outlived the Task's TimeoutSeconds in real time. */
  private async onCallTimedOut(rec: ExecutionRecord, attempt: number): Promise<void> {
    const c = this.currentAttempt(rec, attempt);
    if (!c) return;
    return this.timeOutTask(rec, c, this.stateOf(rec, c.state), 'States.Timeout', `Task ${c.state} did not finish within its TimeoutSeconds`);
  }

  private async onTaskReturned(rec: ExecutionRecord, attempt: number, value: Json): Promise<void> {
    const c = this.currentAttempt(rec, attempt);
    if (!c) return;
    const state = this.stateOf(rec, c.state);
    const info = describeResource(state.Resource ?? '');
    if (c.token) {
      this.emit(rec, 'TaskSubmitted', {
        resourceType: info.resourceType,
        resource: info.resource,
        output: JSON.stringify(value),
        outputDetails: { truncated: false },
      });
      c.phase = 'waitingToken';
      const early = c.early;
      delete c.early;
      if (early) await this.applyTokenOutcome(rec, c, early);
      return this.drive(rec);
    }
    if (info.lambdaFunction) {
      this.emit(rec, 'LambdaFunctionSucceeded', { output: JSON.stringify(value), outputDetails: { truncated: false } });
    } else {
      this.emit(rec, 'TaskSucceeded', {
        resourceType: info.resourceType,
        resource: info.resource,
        output: JSON.stringify(value),
        outputDetails: { truncated: false },
      });
    }
    await this.completeTask(rec, c, state, value);
    return this.drive(rec);
  }

  private async onTaskErrored(rec: ExecutionRecord, attempt: number, thrown: unknown): Promise<void> {
    const c = this.currentAttempt(rec, attempt);
    if (!c) return;
    const state = this.stateOf(rec, c.state);
    const info = describeResource(state.Resource ?? '');
    const { error, cause, fatal } = errorOf(thrown);
    if (info.lambdaFunction) this.emit(rec, 'LambdaFunctionFailed', { error, cause });
    else this.emit(rec, 'TaskFailed', { resourceType: info.resourceType, resource: info.resource, error, cause });
    await this.handleError(rec, c, state, error, cause, fatal);
    return this.drive(rec);
  }

  /** SendTaskSuccess/SendTaskFailure for the task this cursor waits on. */
  private async applyTokenOutcome(rec: ExecutionRecord, c: RunCursor, outcome: TaskOutcome): Promise<void> {
    const state = this.stateOf(rec, c.state);
    const info = describeResource(state.Resource ?? '');
    if (outcome.ok) {
      this.emit(rec, 'TaskSucceeded', {
        resourceType: info.resourceType,
        resource: info.resource,
        output: JSON.stringify(outcome.output),
        outputDetails: { truncated: false },
      });
      return this.completeTask(rec, c, state, outcome.output);
    }
    const details: Record<string, string> = { resourceType: info.resourceType, resource: info.resource };
    if (outcome.error !== undefined) details.error = outcome.error;
    if (outcome.cause !== undefined) details.cause = outcome.cause;
    this.emit(rec, 'TaskFailed', details);
    return this.handleError(rec, c, state, outcome.error, outcome.cause, false);
  }

  /** ResultSelector, ResultPath and OutputPath on the task's result, then the next state. */
  private async completeTask(rec: ExecutionRecord, c: RunCursor, state: AslState, result: Json): Promise<void> {
    const context = this.context(rec, c.state, c.enteredAt, sum(c.retries), c.token);
    this.closeToken(rec, c);
    const outcome = await runState(state, c.input, this.runtime(rec).input, context, { taskResult: result });
    if (!outcome.ok) return this.handleError(rec, c, state, outcome.error, outcome.cause, outcome.fatal);
    this.exitState(rec, c.state, state, outcome.output, outcome.next);
  }

  private async timeOutTask(rec: ExecutionRecord, c: RunCursor, state: AslState, error: string, cause: string): Promise<void> {
    const info = describeResource(state.Resource ?? '');
    if (info.lambdaFunction) this.emit(rec, 'LambdaFunctionTimedOut', { error, cause });
    else this.emit(rec, 'TaskTimedOut', { resourceType: info.resourceType, resource: info.resource, error, cause });
    await this.handleError(rec, c, state, error, cause, false);
    return this.drive(rec);
  }

  /** Retry (pause on the local clock), else Catch (to its Next), else fail the execution. */
  private async handleError(rec: ExecutionRecord, c: RunCursor, state: AslState, error: ErrorName, cause: string | undefined, fatal: boolean): Promise<void> {
    this.closeToken(rec, c);
    delete c.timeoutAt;
    delete c.heartbeatAt;
    if (!fatal) {
      const retriers = state.Retry ?? [];
      for (let i = 0; i < retriers.length; i++) {
        if (!matches(retriers[i].ErrorEquals, error)) continue;
        // The first matching retrier decides; once it is exhausted, Catch takes over.
        if (c.retries[i] < (retriers[i].MaxAttempts ?? 3)) {
          c.retryAt = this.now() + retryDelayMs(retriers[i], c.retries[i]);
          c.retries[i]++;
          c.phase = 'retrying';
          return;
        }
        break;
      }
      const catcher = (state.Catch ?? []).find((k: Catcher) => matches(k.ErrorEquals, error));
      if (catcher) {
        const errorOutput: { [key: string]: Json } = {};
        if (error !== undefined) errorOutput.Error = error;
        if (cause !== undefined) errorOutput.Cause = cause;
        let output: Json;
        try {
          output = applyResultPath(catcher.ResultPath, c.input, errorOutput);
        } catch (mismatch) {
          return this.failExecution(rec, 'States.ResultPathMatchFailure', (mismatch as Error).message);
        }
        // As on AWS, a caught error exits the state with the catcher's output before entering its Next.
        this.emit(rec, `${state.Type}StateExited`, { name: c.state, output: JSON.stringify(output), outputDetails: { truncated: false } });
        rec.cursor = { at: 'enter', state: catcher.Next, input: output };
        return;
      }
    }
    this.failExecution(rec, error, cause);
  }

  private async startBranches(rec: ExecutionRecord, c: RunCursor, state: AslState): Promise<void> {
    await this.save(rec);
    const { executionArn } = rec;
    const { attempt } = c;
    const nested = nestedStatesOf(state);
    const seen: { at: number; event: LibraryEvent }[] = [];
    const context = this.context(rec, c.state, c.enteredAt, sum(c.retries));
    void runState(state, c.input, this.runtime(rec).input, context, {
      nestedHandlers: this.nestedHandlers(executionArn, nested),
      nestedRetryIntervals: this.nestedRetryIntervals(nested),
      onEvent: (event) => seen.push({ at: this.now(), event }),
      onAbortable: (abort) => this.aborts.set(executionArn, abort),
    }).then((outcome) => {
      if (this.closed) return;
      this.background(executionArn, async (r) => {
        const current = this.currentAttempt(r, attempt);
        if (!current) return;
        this.aborts.delete(executionArn);
        this.recordBranchEvents(r, state, nested, seen);
        if (outcome.ok) {
          this.emit(r, `${state.Type}StateSucceeded`);
          this.exitState(r, current.state, state, outcome.output, outcome.next);
        } else {
          this.emit(r, `${state.Type}StateFailed`);
          await this.handleError(r, current, state, outcome.error, outcome.cause, outcome.fatal);
        }
        return this.drive(r);
      });
    });
  }

  /** Map/Parallel history: the library's nested events, in AWS's names. */
  private recordBranchEvents(rec: ExecutionRecord, state: AslState, nested: Map<string, AslState>, seen: { at: number; event: LibraryEvent }[]): void {
    const startedAt = seen[0]?.at;
    if (state.Type === 'Map') {
      const length = seen.filter((s) => s.event.type === 'MapIterationStarted').length;
      this.emit(rec, 'MapStateStarted', { length }, startedAt);
    } else {
      this.emit(rec, 'ParallelStateStarted', undefined, startedAt);
    }
    for (const { at, event } of seen) {
      if (['MapIterationStarted', 'MapIterationSucceeded', 'MapIterationFailed'].includes(event.type)) {
        this.emit(rec, event.type, { name: event.parentState?.name ?? '', index: event.index ?? 0 }, at);
        continue;
      }
      const name = event.state?.name;
      const original = name !== undefined ? nested.get(name) : undefined;
      if (!name || !original) continue;
      if (event.type === 'StateEntered') {
        this.emit(rec, `${original.Type}StateEntered`, { name, input: JSON.stringify(event.state?.input ?? null), inputDetails: { truncated: false } }, at);
      } else if (event.type === 'StateExited') {
        this.emit(rec, `${original.Type}StateExited`, { name, output: JSON.stringify(event.state?.output ?? null), outputDetails: { truncated: false } }, at);
      } else if (event.type === 'StateFailed' && original.Type === 'Task') {
        const info = describeResource(original.Resource ?? '');
        this.emit(rec, 'TaskFailed', { resourceType: info.resourceType, resource: info.resource, error: event.Error, cause: typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause ?? '') }, at);
      }
    }
  }

  /** Handlers for Tasks and (rewritten) Waits inside Map/Parallel: resources via the resolver, time via the clock. */
  private nestedHandlers(executionArn: string, nested: Map<string, AslState>): Record<string, LocalHandler> {
    const handlers: Record<string, LocalHandler> = {};
    for (const [name, state] of nested) {
      if (state.Type === 'Wait') {
        handlers[name] = async (input) => {
          const p = (input ?? {}) as { input?: Json; seconds?: number; timestamp?: string };
          const at = p.seconds !== undefined ? this.now() + p.seconds * 1000 : Date.parse(p.timestamp ?? '');
          if (Number.isNaN(at)) throw new StatesRuntimeError(`Wait state ${name}: no valid Seconds or Timestamp`);
          await this.sleepUntil(executionArn, at);
          return p.input ?? null;
        };
      } else if (state.Type === 'Task') {
        const resource = state.Resource ?? '';
        handlers[name] = async (input) => {
          if (describeResource(resource).waitForTaskToken) {
            throw new StatesRuntimeError(`Task ${name}: .waitForTaskToken inside Map/Parallel is not supported by the local Step Functions service`);
          }
          const call = this.options.resolveTask(resource, input, { executionArn, stateName: name }).then(toJson);
          const calls: Promise<Json>[] = [call];
          if (state.TimeoutSeconds !== undefined) {
            calls.push(
              this.sleepUntil(executionArn, this.now() + state.TimeoutSeconds * 1000).then(() => {
                throw new TaskFailure('States.Timeout', `Task ${name} timed out`);
              }),
            );
          }
          try {
            return await Promise.race(calls);
          } catch (error) {
            const { error: errorName, cause, fatal } = errorOf(error);
            if (fatal) throw error;
            throw new TaskFailure(errorName ?? 'Error', cause ?? '');
          }
        };
      }
    }
    return handlers;
  }

  /** The library pauses nested retries in real time; scale its pauses to the local clock (no backoff there). */
  private nestedRetryIntervals(nested: Map<string, AslState>): Record<string, number[]> | undefined {
    const scale = this.options.clock.scale;
    if (scale === 1) return undefined;
    const intervals: Record<string, number[]> = {};
    for (const [name, state] of nested) {
      if (state.Retry) intervals[name] = state.Retry.map((r: Retrier) => (scale === 0 ? 0 : ((r.IntervalSeconds ?? 1) * 1000) / scale));
    }
    return intervals;
  }

  private sleepUntil(executionArn: string, atMs: number): Promise<void> {
    return new Promise((resolve) => this.scheduler.schedule(`${executionArn}#nested#${++this.nestedTimerSeq}`, atMs, resolve));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Timers

  /** One timer per execution, at its earliest deadline; on firing, whatever is due is handled. */
  private armTimers(rec: ExecutionRecord): void {
    const key = rec.executionArn;
    if (rec.status !== 'RUNNING') return this.scheduler.cancel(key);
    const c = rec.cursor;
    const deadlines: (number | undefined)[] = [rec.deadline];
    if (c?.at === 'wait') deadlines.push(c.until);
    if (c?.at === 'run' && c.phase === 'retrying') deadlines.push(c.retryAt);
    if (c?.at === 'run' && c.phase === 'waitingToken') deadlines.push(c.timeoutAt, c.heartbeatAt);
    const due = deadlines.filter((d): d is number => d !== undefined);
    if (due.length === 0) return this.scheduler.cancel(key);
    this.scheduler.schedule(key, Math.min(...due), () => this.background(key, (r) => this.onDeadline(r)));
  }

  private async onDeadline(rec: ExecutionRecord): Promise<void> {
    if (rec.status !== 'RUNNING') return;
    const now = this.now();
    if (rec.deadline !== undefined && rec.deadline <= now) {
      this.emit(rec, 'ExecutionTimedOut', { error: 'States.Timeout', cause: 'The execution ran longer than the state machine TimeoutSeconds' });
      rec.error = 'States.Timeout';
      return this.finish(rec, 'TIMED_OUT');
    }
    const c = rec.cursor;
    if (c?.at === 'wait' && c.until <= now) {
      await this.finishWait(rec, c);
      return this.drive(rec);
    }
    if (c?.at !== 'run') return;
    const state = this.stateOf(rec, c.state);
    if (c.phase === 'retrying') {
      if (c.retryAt !== undefined && c.retryAt <= now) {
        await this.beginAttempt(rec, c, state);
        return this.drive(rec);
      }
      return;
    }
    if (c.timeoutAt !== undefined && c.timeoutAt <= now) {
      return this.timeOutTask(rec, c, state, 'States.Timeout', `Task ${c.state} did not finish within its TimeoutSeconds`);
    }
    if (c.heartbeatAt !== undefined && c.heartbeatAt <= now) {
      return this.timeOutTask(rec, c, state, 'States.HeartbeatTimeout', `Task ${c.state} sent no heartbeat within its HeartbeatSeconds`);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Endings

  private succeedExecution(rec: ExecutionRecord, output: Json): void {
    rec.output = JSON.stringify(output);
    this.emit(rec, 'ExecutionSucceeded', { output: rec.output, outputDetails: { truncated: false } });
    this.finish(rec, 'SUCCEEDED');
  }

  private failExecution(rec: ExecutionRecord, error: ErrorName, cause: string | undefined): void {
    const details: Record<string, string> = {};
    if (error !== undefined) details.error = error;
    if (cause !== undefined) details.cause = cause;
    this.emit(rec, 'ExecutionFailed', details);
    rec.error = error;
    rec.cause = cause;
    this.finish(rec, 'FAILED');
  }

  private finish(rec: ExecutionRecord, status: Exclude<ExecutionStatus, 'RUNNING'>): void {
    if (rec.cursor?.at === 'run') this.closeToken(rec, rec.cursor);
    rec.status = status;
    rec.stopDate = this.now();
    rec.cursor = undefined;
    const abort = this.aborts.get(rec.executionArn);
    this.aborts.delete(rec.executionArn);
    abort?.();
    this.scheduler.cancel(rec.executionArn);
    this.runtimes.delete(rec.executionArn);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Helpers

  private closeToken(rec: ExecutionRecord, c: RunCursor): void {
    if (c.token && !rec.closedTokens.includes(c.token)) rec.closedTokens.push(c.token);
  }

  private cursorOfToken(rec: ExecutionRecord, token: string): RunCursor {
    const c: Cursor | undefined = rec.cursor;
    if (rec.status === 'RUNNING' && c?.at === 'run' && c.token === token && c.phase !== 'retrying' && !rec.closedTokens.includes(token)) return c;
    if (rec.closedTokens.includes(token)) throw new SfnServiceError('TaskTimedOut', 'Task Timed Out: the task for this token has already completed, failed or timed out');
    throw new SfnServiceError('TaskDoesNotExist', 'Task does not exist');
  }

  private currentAttempt(rec: ExecutionRecord, attempt: number): RunCursor | undefined {
    const c = rec.cursor;
    if (rec.status !== 'RUNNING' || c?.at !== 'run' || c.attempt !== attempt || c.phase !== 'running') return undefined;
    return c;
  }

  private runtime(rec: ExecutionRecord): Runtime {
    let runtime = this.runtimes.get(rec.executionArn);
    if (!runtime) {
      runtime = { definition: JSON.parse(rec.definition) as AslDefinition, input: JSON.parse(rec.input) as Json };
      this.runtimes.set(rec.executionArn, runtime);
    }
    return runtime;
  }

  private stateOf(rec: ExecutionRecord, name: string): AslState {
    const state = this.runtime(rec).definition.States[name];
    if (!state) throw new StatesRuntimeError(`State ${name} does not exist in the definition`);
    return state;
  }

  private context(rec: ExecutionRecord, stateName: string, enteredAt: number, retryCount: number, token?: string): StepContext {
    return {
      Execution: {
        Id: rec.executionArn,
        Name: rec.name,
        RoleArn: rec.roleArn,
        StartTime: new Date(rec.startDate).toISOString(),
        RedriveCount: 0,
      },
      StateMachine: { Id: rec.stateMachineArn, Name: rec.stateMachineName },
      State: { Name: stateName, EnteredTime: new Date(enteredAt).toISOString(), RetryCount: retryCount },
      ...(token ? { Task: { Token: token } } : {}),
    };
  }

  private emit(rec: ExecutionRecord, type: string, details?: Record<string, unknown>, at?: number): void {
    const id = rec.history.length + 1;
    const event: HistoryEvent = { id, previousEventId: id - 1, timestamp: at ?? this.now(), type };
    if (details) event[detailsKeyOf(type)] = details;
    rec.history.push(event);
  }
}

/** `TaskStateEntered` -> `stateEnteredEventDetails`, `TaskScheduled` -> `taskScheduledEventDetails`. */
function detailsKeyOf(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
}

/** ErrorEquals matching as on AWS: names, States.ALL, and States.TaskFailed for everything but States.Timeout. */
function matches(errorEquals: string[], error: ErrorName): boolean {
  if (errorEquals.includes('States.ALL')) return true;
  if (error !== undefined && errorEquals.includes(error)) return true;
  return errorEquals.includes('States.TaskFailed') && error !== 'States.Timeout';
}

function retryDelayMs(retrier: Retrier, retriesSoFar: number): number {
  const interval = (retrier.IntervalSeconds ?? 1) * Math.pow(retrier.BackoffRate ?? 2, retriesSoFar);
  const capped = retrier.MaxDelaySeconds !== undefined ? Math.min(interval, retrier.MaxDelaySeconds) : interval;
  const seconds = retrier.JitterStrategy === 'FULL' ? Math.random() * capped : capped;
  return Math.round(seconds * 1000);
}

function errorOf(thrown: unknown): { error: string; cause: string; fatal: boolean } {
  if (thrown instanceof Error) {
    const flags = thrown as Error & { isCatchable?: boolean };
    return { error: thrown.name || 'Error', cause: thrown.message, fatal: flags.isCatchable === false || thrown.name === 'States.Runtime' };
  }
  return { error: 'Error', cause: String(thrown), fatal: false };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
