/**
 * Runs workflows/case-lifecycle.asl.json with aws-local-stepfunctions, the real workflow steps (functions/workflow/
 * steps.ts, the dispatch table the Lambda handlers use) and the real case repository on dynalite.
 *
 *   const h = await WorkflowHarness.start();
 *   const c = await h.newCase();
 *   const run = await h.run(c.caseNo, { AwaitAck: [h.act.acknowledge], AwaitResolve: [h.act.resolve('修好了')], ... });
 *
 * How the outside world is played:
 * - Lambda tasks (`${...FunctionArn}`) run their step from STEP_RUNNERS, with JSON in and out as Lambda does;
 *   an error keeps its name, as Lambda's errorType;
 * - every publish (a Lambda task's) is recorded in the outbox, which can fail on purpose;
 * - `.waitForTaskToken` Tasks mint a token (the library's `$$` context is fixed per run), run AwaitAction with
 *   it, then play the next scripted step for that state: a case action (the real use case, which answers the
 *   token through TaskTokens) or `'timeout'`, which moves the clock to the wait's deadline and fails the Task
 *   with States.Timeout as Step Functions would. A step that leaves the task unanswered fails the test;
 * - Wait states pass at once; the clock moves to a wait's `from` (the survey's follow-up delay) once its token is
 *   stored, and to the follow-up time when an earlier definition's survey wait starts after its FollowUp Wait.
 * The library arms a real-time timer from TimeoutSecondsPath (evaluated on the effective input, where AWS reads
 * the state input); the harness plays timeouts itself, so TimeoutSecondsPath becomes a large TimeoutSeconds here.
 * test/workflow/asl.test.ts checks the real paths against what the steps produce.
 */
import '../../../local/stepfunctions/polyfill';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { DynamoCaseRepository } from '../../../functions/adapters/case-repository';
import { DynamoCaseStatistics } from '../../../functions/adapters/case-statistics';
import { DynamoSopCatalog } from '../../../functions/adapters/sop-catalog';
import { loadConfig, shippedCalendar } from '../../../functions/config/load';
import type { Actor } from '../../../functions/domain/actor';
import type { Case, CaseEvent } from '../../../functions/domain/case';
import { ManualClock, useClock } from '../../../functions/domain/clock';
import type { WorkflowWait } from '../../../functions/domain/escalation';
import { departmentTopicArn } from '../../../functions/domain/notification-plan';
import type { LifecycleSettings } from '../../../functions/usecases/lifecycle/context';
import { substitutionOf, WORKFLOW_FUNCTIONS, type WorkflowFunctionId } from '../../../functions/workflow/functions';
import { STEP_RUNNERS, type LifecycleDeps } from '../../../functions/workflow/steps';
import { startDynalite, type LocalTable } from '../../support/dynalite';
import { Outbox, TaskTokens } from './fakes';

export const ASL_FILE = path.resolve(import.meta.dirname, '../../../workflows/case-lifecycle.asl.json');
export const REGION = 'ap-northeast-1';
export const ACCOUNT = '123456789012';

export function functionArn(substitution: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:citydesk-test-${substitution}`;
}

export function topicArn(name: string): string {
  return `arn:aws:sns:${REGION}:${ACCOUNT}:citydesk-test-${name}`;
}

/** The ASL text with every `${...}` filled as CDK would (function ARNs from functions.ts). */
export function substitutedAsl(): string {
  const byName = new Map(WORKFLOW_FUNCTIONS.map((f) => [substitutionOf(f), functionArn(substitutionOf(f))]));
  return readFileSync(ASL_FILE, 'utf8').replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    const value = byName.get(name);
    if (!value) throw new Error(`The ASL uses \${${name}}, which functions.ts does not list`);
    return value;
  });
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };
interface TaskStateDef {
  Type: string;
  Resource?: string;
  Parameters?: JsonObject;
  TimeoutSecondsPath?: string;
  TimeoutSeconds?: number;
  ItemProcessor?: { States: Record<string, TaskStateDef> };
  Retry?: unknown[];
}

export type AwaitState = 'AwaitAck' | 'AwaitResolve' | 'AwaitSurvey' | 'AwaitReassign';
/** A scripted answer to a wait: an action run while the token is stored, or letting the deadline pass. */
export type Scripted = 'timeout' | ((wait: WorkflowWait) => Promise<unknown>);
export type Script = Partial<Record<AwaitState, Scripted[]>> & {
  /** The recovery path's wait: a supervisor's decision (or anything else) run while its token is stored. */
  WorkflowFailed?: Array<(input: { step: string; error: string }) => Promise<unknown>>;
};

/** Faults played into Task states by name: the next `times` runs fail with `error` before the step runs. */
export type Faults = Record<string, { times: number; error: string }>;

export interface RunResult {
  output: unknown;
  /** State names in the order entered (Map iterations included). */
  entered: string[];
  /** Billable state transitions: states entered plus retries. */
  transitions: number;
  retries: Array<{ state: string; attempt: number }>;
  /** The waits each Await state started with, in order. */
  waits: Array<{ state: AwaitState; wait: WorkflowWait }>;
}

export const AGENT: Actor = { id: 'agent-7', role: 'agent' };
export const SUPERVISOR: Actor = { id: 'supervisor-3', role: 'supervisor' };
export function staffOf(department: string): Actor {
  return { id: `staff-${department.toLowerCase()}`, role: 'staff', department };
}

export class WorkflowHarness {
  readonly clock = new ManualClock('2026-11-27T01:00:00.000Z'); // Friday 09:00 in Taipei
  readonly outbox = new Outbox();
  readonly tokens = new TaskTokens();
  readonly config = loadConfig();
  readonly cases: DynamoCaseRepository;
  readonly statistics: DynamoCaseStatistics;
  readonly settings: LifecycleSettings;
  readonly deps: LifecycleDeps;
  private readonly restoreClock: () => void;

  /** `table`: the dynalite table, for adapters a test adds (rate counters). */
  private constructor(readonly table: LocalTable) {
    this.restoreClock = useClock(this.clock);
    this.cases = new DynamoCaseRepository(table.ddb, table.tableName);
    const sops = new DynamoSopCatalog(table.ddb, table.tableName, loadConfig().sops.map((s) => s.category));
    this.statistics = new DynamoCaseStatistics(table.ddb, table.tableName);
    this.settings = {
      config: this.config,
      calendar: shippedCalendar(),
      departmentTopicArn: (code) => departmentTopicArn(topicArn('dept-'), this.config.departments, code),
      escalationTopicArn: topicArn('escalation'),
      operationsTopicArn: topicArn('operations'),
      consoleUrl: 'https://console.citydesk.example.org',
    };
    this.deps = { ports: { cases: this.cases, sops, workflow: this.tokens, notifier: this.outbox, statistics: this.statistics }, settings: this.settings };
  }

  static async start(): Promise<WorkflowHarness> {
    return new WorkflowHarness(await startDynalite());
  }

  async close(): Promise<void> {
    this.restoreClock();
    await this.table.close();
  }

  /** Ports for the case actions: the real repository, answers through the same task tokens. */
  get actionPorts(): { cases: DynamoCaseRepository; workflow: TaskTokens; statistics: DynamoCaseStatistics } {
    return { cases: this.cases, workflow: this.tokens, statistics: this.statistics };
  }

  /** A NEW case as POST /cases leaves it: a street light in Zhongli, reporter opted in to SMS. */
  async newCase(overrides: Partial<Case> = {}): Promise<Case> {
    const at = this.clock.now();
    const caseNo = await this.cases.nextCaseNo(at);
    const iso = at.toISOString();
    const c: Case = {
      caseNo,
      status: 'NEW',
      category: 'street-light',
      description: '路燈整晚不亮，路口很暗',
      location: { district: 'zhongli', address: '中正路 100 號前' },
      reporter: { name: '林美華', phone: '0912345678', email: 'meihua@example.org', anonymous: false, notify: 'sms' },
      channel: 'phone',
      priority: 'normal',
      attributes: {},
      escalationLevel: 0,
      createdAt: iso,
      createdBy: AGENT.id,
      updatedAt: iso,
      version: 1,
      ...overrides,
    };
    return this.cases.create(c, { type: 'created', by: AGENT.id, text: '受理' });
  }

  async case(caseNo: string): Promise<Case> {
    const c = await this.cases.get(caseNo);
    if (!c) throw new Error(`No case ${caseNo}`);
    return c;
  }

  async timeline(caseNo: string): Promise<CaseEvent[]> {
    return (await this.cases.timeline(caseNo, { limit: 200 })).items;
  }

  /** The timeline's event types, oldest first. */
  async timelineTypes(caseNo: string): Promise<string[]> {
    return (await this.timeline(caseNo)).map((e) => e.type);
  }

  /** Runs one execution of the case's workflow to its end. */
  /** `definition`: a substituted definition to run instead of the ASL file's (one an execution may have started under). */
  async run(caseNo: string, script: Script, options: { faults?: Faults; input?: Record<string, unknown>; definition?: string } = {}): Promise<RunResult> {
    const faults: Faults = JSON.parse(JSON.stringify(options.faults ?? {})) as Faults;
    const faulty = (name: string, handler: (input: Json) => Promise<Json>) => async (input: Json) => {
      const fault = faults[name];
      if (fault && fault.times > 0) {
        fault.times -= 1;
        throw Object.assign(new Error(`Injected fault in ${name}`), { name: fault.error });
      }
      return handler(input);
    };
    const definition = JSON.parse(options.definition ?? substitutedAsl()) as { States: Record<string, TaskStateDef> };
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    const retryOverrides: Record<string, number> = {};
    const waits: RunResult['waits'] = [];
    const remaining: Script = Object.fromEntries(Object.entries(script).map(([k, v]) => [k, [...(v ?? [])]]));
    const byArn = new Map(WORKFLOW_FUNCTIONS.map((f) => [functionArn(substitutionOf(f)), f.id]));

    const bind = (states: Record<string, TaskStateDef>): void => {
      for (const [name, state] of Object.entries(states)) {
        if (state.ItemProcessor) bind(state.ItemProcessor.States);
        if (state.Type !== 'Task') continue;
        if (state.Retry) retryOverrides[name] = 0;
        if (state.TimeoutSecondsPath) {
          delete state.TimeoutSecondsPath;
          state.TimeoutSeconds = 2_000_000; // < 2^31 ms: the library arms a real timer
        }
        const resource = state.Resource ?? '';
        if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
          const functionName = state.Parameters?.FunctionName as string | undefined;
      const fn = byArn.get(String(functionName));
          if (fn === 'WorkflowFailed') handlers[name] = (input) => this.awaitDecision(input, remaining);
          else if (fn !== 'AwaitAction') throw new Error(`${name}: unexpected function ${String(functionName)}`);
          else handlers[name] = faulty(name, (input) => this.await(name as AwaitState, input, remaining, waits));
        } else {
          const fn = byArn.get(resource);
          if (!fn) throw new Error(`${name}: unknown resource ${resource}`);
          handlers[name] = faulty(name, (input) => this.invoke(fn, input));
        }
      }
    };
    bind(definition.States);

    const machine = new StateMachine(definition as unknown as StateMachineDefinition);
    const execution = machine.run(
      (options.input ?? { caseNo }) as JsonObject,
      {
        overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: { FollowUp: 0 }, retryIntervalOverrides: retryOverrides },
        context: { Task: { Token: 'fixed-by-the-library' } },
      },
    );
    const entered: string[] = [];
    const retries: RunResult['retries'] = [];
    const collecting = (async () => {
      for await (const e of execution.eventLogs) {
        if (e.type === 'StateEntered') entered.push(e.state.name);
        if (e.type === 'StateRetried') retries.push({ state: e.state.name, attempt: e.retry.attempt });
      }
    })();
    const output = await execution.result;
    await collecting;
    for (const [state, left] of Object.entries(remaining))
      if (left?.length) throw new Error(`${state}: ${left.length} scripted step(s) were never used`);
    return { output, entered, transitions: entered.length + retries.length, retries, waits };
  }

  /** A Lambda task: JSON in, JSON out, errors keep their name (Lambda's errorType). */
  private async invoke(fn: WorkflowFunctionId, input: Json): Promise<Json> {
    const result = await STEP_RUNNERS[fn](this.deps, JSON.parse(JSON.stringify(input)));
    return JSON.parse(JSON.stringify(result ?? null)) as Json;
  }

  /** The recovery path: WorkflowFailed records the failure with a token, then the scripted decision answers it. */
  private async awaitDecision(input: Json, remaining: Script): Promise<Json> {
    const payload = (input as JsonObject).Payload as JsonObject;
    const token = this.tokens.mint();
    const answered = this.tokens.open(token);
    await this.invoke('WorkflowFailed', { ...payload, token });
    const failure = { step: JSON.stringify(payload.step).replace(/"/g, ''), error: JSON.stringify(payload.error).replace(/"/g, '') };
    if (this.tokens.isWaiting(token)) {
      const step = remaining.WorkflowFailed?.shift();
      if (!step) throw new Error(`WorkflowFailed: no scripted decision left (step ${failure.step}, error ${failure.error})`);
      await step(failure);
      if (this.tokens.isWaiting(token)) throw new Error('WorkflowFailed: the scripted decision did not answer the task');
    }
    return (await answered) as Json;
  }

  private async await(state: AwaitState, input: Json, remaining: Script, waits: RunResult['waits']): Promise<Json> {
    const payload = (input as JsonObject).Payload as JsonObject;
    const wait = payload.wait as unknown as WorkflowWait;
    if (state === 'AwaitSurvey' && wait.from === undefined) {
      // An earlier definition's FollowUp Wait passed: its survey wait starts `seconds` before its deadline.
      const startsAt = new Date(wait.dueAt).getTime() - wait.seconds * 1000;
      if (startsAt > this.clock.now().getTime()) this.clock.set(new Date(startsAt));
    }
    const token = this.tokens.mint();
    const answered = this.tokens.open(token);
    await this.invoke('AwaitAction', { ...payload, token });
    waits.push({ state, wait });
    // A wait due from later (the survey's follow-up delay) is answered once it is due, as an agent would.
    if (wait.from !== undefined && Date.parse(wait.from) > this.clock.now().getTime()) this.clock.set(wait.from);
    if (this.tokens.isWaiting(token)) {
      const step = remaining[state]?.shift();
      if (!step) throw new Error(`${state}: no scripted step left (waiting for ${wait.waitingFor}, level ${wait.level})`);
      if (step === 'timeout') {
        if (new Date(wait.dueAt).getTime() > this.clock.now().getTime()) this.clock.set(wait.dueAt);
        this.tokens.expire(token);
        throw Object.assign(new Error('Task timed out'), { name: 'States.Timeout' });
      }
      await step(wait);
      if (this.tokens.isWaiting(token)) throw new Error(`${state}: the scripted step did not answer the task`);
    }
    return (await answered) as Json;
  }
}
