/** What the local Step Functions service keeps, in memory and on disk. Times are local-clock epoch ms. */
import type { Json } from './asl';

export type StateMachineType = 'STANDARD' | 'EXPRESS';
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  type: StateMachineType;
  /** The ASL text as given (after the host's substitutions). */
  definition: string;
  roleArn: string;
  creationDate: number;
  updateDate?: number;
  revisionId: string;
  loggingConfiguration?: Json;
  tracingConfiguration?: Json;
}

/** One AWS history event; `timestamp` is epoch ms here and epoch seconds on the wire. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** How a callback task ended when SendTask* arrived before the resource call had returned. */
export type TaskOutcome = { ok: true; output: Json } | { ok: false; error?: string; cause?: string };

/** About to enter `state` (its Entered event is not written yet). */
export interface EnterCursor {
  at: 'enter';
  state: string;
  input: Json;
}

/** In a Wait state until `until`. */
export interface WaitCursor {
  at: 'wait';
  state: string;
  input: Json;
  enteredAt: number;
  until: number;
}

/** In a Task, Map or Parallel state: an attempt running, waiting for its task token, or pausing before a retry. */
export interface RunCursor {
  at: 'run';
  state: string;
  input: Json;
  enteredAt: number;
  /** Attempt id, unique within the execution; late results and timers of older attempts are ignored. */
  attempt: number;
  /** Retries used, per retrier of the state's Retry field. */
  retries: number[];
  phase: 'running' | 'waitingToken' | 'retrying';
  /** The effective input the resource was called with (kept so a restart re-invokes with the same input). */
  parameters?: Json;
  token?: string;
  /** The Task's TimeoutSeconds: a real-time limit while its resource is being called (see engine.ts). */
  timeoutSeconds?: number;
  /** TimeoutSeconds on the local clock from TaskScheduled, once a callback task waits for its token. */
  timeoutAt?: number;
  heartbeatAt?: number;
  heartbeatSeconds?: number;
  retryAt?: number;
  early?: TaskOutcome;
}

export type Cursor = EnterCursor | WaitCursor | RunCursor;

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  type: StateMachineType;
  status: ExecutionStatus;
  /** The input as given to StartExecution (text, compared for idempotent starts). */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  /** Snapshot of the definition the execution started with: updates to the state machine do not affect it. */
  definition: string;
  roleArn: string;
  /** Execution-level TimeoutSeconds deadline. */
  deadline?: number;
  cursor?: Cursor;
  /** Attempt id counter. */
  seq: number;
  /** Tokens that were issued and are closed: SendTask* with them answers TaskTimedOut. */
  closedTokens: string[];
  history: HistoryEvent[];
}
