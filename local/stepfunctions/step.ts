/**
 * Runs ONE state with aws-local-stepfunctions, so the engine can own everything that must survive a restart
 * (timers, task tokens, retries, catchers) while the library does the ASL semantics it is good at: InputPath,
 * Parameters with intrinsic functions and `$$` context, ResultSelector, ResultPath, OutputPath, Choice rules,
 * Fail paths, and whole Map/Parallel states.
 *
 * The trick: a tiny state machine `input-loader -> the state -> placeholder Succeed states named after its
 * successors`. The run's input is the execution input (so `$$.Execution.Input` is right), the loader swaps in
 * the state's input, and the event log tells which successor was entered. Retry, Catch and timeouts are
 * stripped here and applied by the engine on its own clock.
 */
import './polyfill';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { isJsonObject, successorsOf, type AslDefinition, type AslState, type Json } from './asl';

const LOADER = '\u0001input';
const STATE = '\u0001state';
const PATH_PROBE = '\u0001probe';
/** The library arms its own real-time timer per Task (default 60 s); this keeps it out of the way (< 2^31 ms). */
const NO_LIBRARY_TIMEOUT_SECONDS = 2_000_000;
/** Resource given to nested Wait states rewritten as Tasks, so they wait on the local clock. */
export const NESTED_WAIT_RESOURCE = 'arn:aws:states:::local:wait';

/** The Context Object (`$$`) for one state, as AWS builds it. */
export interface StepContext {
  Execution: { Id: string; Name: string; RoleArn: string; StartTime: string; RedriveCount: number };
  StateMachine: { Id: string; Name: string };
  State: { Name: string; EnteredTime: string; RetryCount: number };
  Task?: { Token: string };
}

export interface StepFailure {
  ok: false;
  error: string;
  cause: string;
  /** States.Runtime and friends: no Retry or Catch may handle it. */
  fatal: boolean;
  aborted?: boolean;
}

export type StepOutcome = { ok: true; output: Json; next: string | undefined } | StepFailure;

/** The subset of the library's event log the engine reads (its type is not exported). */
export interface LibraryEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  parentState?: { name: string; type: string };
  index?: number;
  Error?: string;
  Cause?: unknown;
}

export type LocalHandler = (input: Json) => Promise<Json>;

export interface RunStateOptions {
  /** For a Task state: the value its resource produced. The resource is not invoked here. */
  taskResult?: Json;
  /** For a Task state: called with the effective input (after InputPath and Parameters) instead of `taskResult`. */
  taskHandler?: LocalHandler;
  /** Handlers for Task states nested in Map/Parallel, by state name. */
  nestedHandlers?: Record<string, LocalHandler>;
  /** Real-time retry pauses for nested states (the library sleeps them itself), by state name, per retrier. */
  nestedRetryIntervals?: Record<string, number[]>;
  onEvent?: (event: LibraryEvent) => void;
  onAbortable?: (abort: () => void) => void;
}

/** Evaluate `state` on `stateInput`: its output and the successor it chose (undefined when it ends the execution). */
export async function runState(
  state: AslState,
  stateInput: Json,
  executionInput: Json,
  context: StepContext,
  options: RunStateOptions = {},
): Promise<StepOutcome> {
  const successors = successorsOf(state).filter((name) => name !== STATE && name !== LOADER);
  const definition: AslDefinition = {
    StartAt: LOADER,
    States: {
      [LOADER]: loaderState(stateInput, STATE),
      [STATE]: prepareState(state, context.Execution.StartTime),
      ...Object.fromEntries(successors.map((name) => [name, { Type: 'Succeed' }])),
    },
  };
  const taskHandler: LocalHandler = options.taskHandler ?? (async () => options.taskResult ?? null);
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
  const execution = machine.run(executionInput, {
    context: context as unknown as Record<string, unknown>,
    overrides: {
      taskResourceLocalHandlers: { ...options.nestedHandlers, [STATE]: taskHandler },
      waitTimeOverrides: { [STATE]: 0 },
      retryIntervalOverrides: options.nestedRetryIntervals,
    },
  });
  options.onAbortable?.(execution.abort);

  const events: LibraryEvent[] = [];
  const logs = execution.eventLogs as AsyncGenerator<LibraryEvent>;
  const drained = (async () => {
    for await (const event of logs) {
      events.push(event);
      options.onEvent?.(event);
    }
  })();
  try {
    await execution.result;
  } catch (error) {
    await drained;
    return failureOf(error);
  }
  await drained;

  const exited = events.findIndex((e) => e.type === 'StateExited' && e.state?.name === STATE && e.index === undefined);
  if (exited < 0) return { ok: false, error: 'States.Runtime', cause: 'the state did not complete', fatal: true };
  const output = (events[exited].state?.output ?? null) as Json;
  const entered = events
    .slice(exited + 1)
    .find((e) => e.type === 'StateEntered' && e.index === undefined && e.state !== undefined && successors.includes(e.state.name));
  return { ok: true, output, next: entered?.state?.name };
}

/**
 * Evaluate a reference path (SecondsPath, TimeoutSecondsPath...) with the library's JSONPath, on the state
 * input after `inputPath`. Returns undefined when the path selects nothing.
 */
export async function evaluatePath(
  path: string,
  stateInput: Json,
  executionInput: Json,
  context: StepContext,
  inputPath?: string | null,
): Promise<Json | undefined> {
  const probe: AslState = { Type: 'Pass', Parameters: { 'value.$': path }, End: true };
  if (inputPath !== undefined) probe.InputPath = inputPath;
  const outcome = await runState(probe, stateInput, executionInput, { ...context, State: { ...context.State, Name: PATH_PROBE } });
  if (!outcome.ok || !isJsonObject(outcome.output)) return undefined;
  return outcome.output.value;
}

/**
 * ResultPath for a Catch: put `{ Error, Cause }` into the raw state input. Null keeps the input; `$` (or no
 * ResultPath) replaces it. Throws States.ResultPathMatchFailure when the input cannot hold the path.
 */
export function applyResultPath(resultPath: string | null | undefined, rawInput: Json, result: Json): Json {
  if (resultPath === undefined || resultPath === '$') return result;
  if (resultPath === null) return rawInput;
  const segments = parseReferencePath(resultPath);
  const set = (target: Json, at: number): Json => {
    if (at === segments.length) return result;
    const key = segments[at];
    if (typeof key === 'number') {
      if (!Array.isArray(target)) throw resultPathMismatch(resultPath);
      const copy = [...target];
      copy[key] = set(copy[key] ?? null, at + 1);
      return copy;
    }
    const base = isJsonObject(target) ? target : at === 0 ? undefined : {};
    if (base === undefined) throw resultPathMismatch(resultPath);
    return { ...base, [key]: set(base[key] ?? null, at + 1) };
  };
  return set(rawInput, 0);
}

function resultPathMismatch(path: string): Error {
  const error = new Error(`Unable to apply ResultPath ${path} to the state input`);
  error.name = 'States.ResultPathMatchFailure';
  return error;
}

function parseReferencePath(path: string): (string | number)[] {
  if (!path.startsWith('$')) throw resultPathMismatch(path);
  const segments: (string | number)[] = [];
  const pattern = /\.([^.[\]]+)|\['([^']*)'\]|\["([^"]*)"\]|\[(\d+)\]/g;
  let consumed = 1;
  for (let match = pattern.exec(path); match; match = pattern.exec(path)) {
    if (match.index !== consumed) throw resultPathMismatch(path);
    consumed = match.index + match[0].length;
    segments.push(match[4] !== undefined ? Number(match[4]) : (match[1] ?? match[2] ?? match[3]));
  }
  if (consumed !== path.length) throw resultPathMismatch(path);
  return segments;
}

/**
 * The states nested in a Map/Parallel state (at any depth), by name: the engine binds their Task handlers,
 * nested Wait timers and retry pauses from this.
 */
export function nestedStatesOf(state: AslState): Map<string, AslState> {
  const found = new Map<string, AslState>();
  const visit = (definition: AslDefinition | undefined): void => {
    if (!definition) return;
    for (const [name, nested] of Object.entries(definition.States)) {
      found.set(name, nested);
      visit(nested.ItemProcessor ?? nested.Iterator);
      for (const branch of nested.Branches ?? []) visit(branch);
    }
  };
  visit(state.ItemProcessor ?? state.Iterator);
  for (const branch of state.Branches ?? []) visit(branch);
  return found;
}

function loaderState(input: Json, next: string): AslState {
  // A Pass state's Result is used only when truthy; Parameters passes a primitive (or null) through unchanged.
  return input ? { Type: 'Pass', Result: input, Next: next } : { Type: 'Pass', Parameters: input, Next: next };
}

/** The state as the library should run it: no Retry/Catch/timeouts of its own (the engine applies those). */
function prepareState(state: AslState, startTime: string): AslState {
  const prepared = cleanState(state, startTime);
  delete prepared.Retry;
  delete prepared.Catch;
  for (const nested of ['ItemProcessor', 'Iterator'] as const) {
    if (prepared[nested]) prepared[nested] = prepareNested(prepared[nested], startTime);
  }
  if (prepared.Branches) prepared.Branches = prepared.Branches.map((branch) => prepareNested(branch, startTime));
  return prepared;
}

/** Nested states keep Retry/Catch (the library applies them inside the branch); Waits become clock-driven Tasks. */
function prepareNested(definition: AslDefinition, startTime: string): AslDefinition {
  const States: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    let prepared = cleanState(state, startTime);
    if (prepared.Type === 'Wait') prepared = waitAsTask(prepared);
    for (const nested of ['ItemProcessor', 'Iterator'] as const) {
      if (prepared[nested]) prepared[nested] = prepareNested(prepared[nested], startTime);
    }
    if (prepared.Branches) prepared.Branches = prepared.Branches.map((branch) => prepareNested(branch, startTime));
    States[name] = prepared;
  }
  return { ...definition, States };
}

function cleanState(state: AslState, startTime: string): AslState {
  const prepared = structuredClone(state);
  delete prepared.HeartbeatSeconds;
  delete prepared.HeartbeatSecondsPath;
  delete prepared.TimeoutSecondsPath;
  if (prepared.Type === 'Task') prepared.TimeoutSeconds = NO_LIBRARY_TIMEOUT_SECONDS;
  // The library writes ResultPath "$" into a key named "$"; leaving it out means the same thing.
  if (prepared.ResultPath === '$') delete prepared.ResultPath;
  for (const field of ['Parameters', 'ResultSelector', 'ItemSelector'] as const) {
    if (prepared[field] !== undefined) prepared[field] = pinStartTime(prepared[field], startTime);
  }
  return prepared;
}

/** The library stamps `$$.Execution.StartTime` with the time of each run; pin direct references to the real start. */
function pinStartTime(template: Json, startTime: string): Json {
  if (Array.isArray(template)) return template.map((item) => pinStartTime(item, startTime));
  if (!isJsonObject(template)) return template;
  const result: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && value === '$$.Execution.StartTime') result[key.slice(0, -2)] = startTime;
    else result[key] = pinStartTime(value, startTime);
  }
  return result;
}

function waitAsTask(wait: AslState): AslState {
  const parameters: { [key: string]: Json } = { 'input.$': '$' };
  if (wait.Seconds !== undefined) parameters.seconds = wait.Seconds;
  else if (wait.SecondsPath !== undefined) parameters['seconds.$'] = wait.SecondsPath;
  else if (wait.Timestamp !== undefined) parameters.timestamp = wait.Timestamp;
  else if (wait.TimestampPath !== undefined) parameters['timestamp.$'] = wait.TimestampPath;
  const task: AslState = { Type: 'Task', Resource: NESTED_WAIT_RESOURCE, Parameters: parameters, TimeoutSeconds: NO_LIBRARY_TIMEOUT_SECONDS };
  if (wait.InputPath !== undefined) task.InputPath = wait.InputPath;
  if (wait.OutputPath !== undefined) task.OutputPath = wait.OutputPath;
  if (wait.Next !== undefined) task.Next = wait.Next;
  if (wait.End !== undefined) task.End = wait.End;
  return task;
}

function failureOf(error: unknown): StepFailure {
  if (error instanceof Error && error.name === 'ExecutionAbortedError') {
    return { ok: false, error: 'States.Aborted', cause: 'aborted', fatal: true, aborted: true };
  }
  // ExecutionError wraps what the state threw in `cause`.
  const inner = error instanceof Error && error.name === 'ExecutionError' && error.cause instanceof Error ? error.cause : error;
  if (!(inner instanceof Error)) return { ok: false, error: 'States.Runtime', cause: String(inner), fatal: true };
  const flags = inner as Error & { isCatchable?: boolean; isTaskFailure?: boolean };
  // Errors the library raises carry isCatchable; ours carry isTaskFailure. Anything else is a defect: States.Runtime.
  if (flags.isCatchable === undefined && !flags.isTaskFailure) {
    return { ok: false, error: 'States.Runtime', cause: `${inner.name}: ${inner.message}`, fatal: true };
  }
  return { ok: false, error: inner.name, cause: inner.message, fatal: flags.isCatchable === false };
}
