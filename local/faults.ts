/**
 * The local cloud's fault switch for the workflow's Lambda tasks (test and demo only; `POST /_local/faults`, served
 * on loopback like the clock): `{ "task": "EscalateCase", "times": 2, "error": "Lambda.ServiceException" }` makes
 * the next two invocations of that function fail with that error name, before its handler runs, as a throttled or
 * failing Lambda would. `times: 0` clears the switch. Nothing in functions/ knows about it: the switch sits in the
 * local cloud's binding of the ASL's Lambda ARNs to the in-process handlers (local/cloud.ts).
 */
import { WORKFLOW_FUNCTIONS, type WorkflowFunctionId } from '../functions/workflow/functions';

export interface TaskFault {
  task: WorkflowFunctionId;
  /** Invocations still to fail. */
  remaining: number;
  /** The error name the Task fails with (Lambda's errorType). */
  error: string;
  /** Invocations failed so far, with the local clock's time of each. */
  struck: string[];
}

const ERROR_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,99}$/;
/** Not a transient Lambda error: no Retry matches it, so the Task's Catch takes it. */
export const DEFAULT_FAULT = 'Local.InjectedFault';

export class InjectedFault extends Error {
  constructor(name: string, task: string) {
    super(`Fault injected into ${task} by POST /_local/faults`);
    this.name = name;
  }
}

export class TaskFaults {
  private readonly faults = new Map<WorkflowFunctionId, TaskFault>();

  constructor(private readonly now: () => string = () => new Date().toISOString()) {}

  /** Throws the injected error when the task's switch is on. */
  strike(task: WorkflowFunctionId): void {
    const fault = this.faults.get(task);
    if (!fault || fault.remaining <= 0) return;
    fault.remaining -= 1;
    fault.struck.push(this.now());
    throw new InjectedFault(fault.error, task);
  }

  list(): TaskFault[] {
    return [...this.faults.values()].map((f) => ({ ...f, struck: [...f.struck] }));
  }

  /** The body of `POST /_local/faults`: a 400 naming the field, or the switch as set. */
  set(body: unknown): { statusCode?: number; body: unknown } {
    const b = (typeof body === 'object' && body !== null ? body : {}) as { task?: unknown; times?: unknown; error?: unknown };
    const ids = WORKFLOW_FUNCTIONS.map((f) => f.id);
    if (typeof b.task !== 'string' || !ids.includes(b.task as WorkflowFunctionId)) return invalid('task', `must be one of ${ids.join(', ')}`);
    if (typeof b.times !== 'number' || !Number.isInteger(b.times) || b.times < 0 || b.times > 1000) return invalid('times', 'must be a whole number from 0 to 1000');
    if (b.error !== undefined && (typeof b.error !== 'string' || !ERROR_NAME.test(b.error))) return invalid('error', 'must be an error name such as Lambda.ServiceException');
    const task = b.task as WorkflowFunctionId;
    if (b.times === 0) {
      this.faults.delete(task);
      return { body: { task, remaining: 0 } };
    }
    const fault: TaskFault = { task, remaining: b.times, error: typeof b.error === 'string' ? b.error : DEFAULT_FAULT, struck: [] };
    this.faults.set(task, fault);
    return { body: fault };
  }
}

function invalid(field: string, message: string) {
  return { statusCode: 400, body: { error: { code: 'VALIDATION_FAILED', message: `Invalid ${field}`, fields: [{ path: field, message }] } } };
}
