/**
 * Durable state of the local Step Functions service: one JSON file per state machine and per execution under
 * `<dataDir>/stepfunctions/`, each replaced atomically (write a temp file, then rename), so a process killed
 * at any moment leaves either the previous or the next version of a file, never half of one.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionRecord, StateMachineRecord } from './model';

export interface SfnStore {
  loadStateMachines(): Promise<StateMachineRecord[]>;
  loadExecutions(): Promise<ExecutionRecord[]>;
  saveStateMachine(record: StateMachineRecord): Promise<void>;
  deleteStateMachine(record: StateMachineRecord): Promise<void>;
  saveExecution(record: ExecutionRecord): Promise<void>;
  /** Wait for every write in flight. */
  flush(): Promise<void>;
}

/** Keeps nothing: for throwaway runs (`--in-memory`). */
export function createMemoryStore(): SfnStore {
  return {
    loadStateMachines: async () => [],
    loadExecutions: async () => [],
    saveStateMachine: async () => undefined,
    deleteStateMachine: async () => undefined,
    saveExecution: async () => undefined,
    flush: async () => undefined,
  };
}

export function createFileStore(root: string): SfnStore {
  const machinesDir = join(root, 'state-machines');
  const executionsDir = join(root, 'executions');
  const queues = new Map<string, Promise<void>>();
  let tmpSeq = 0;

  const machineFile = (r: StateMachineRecord): string => join(machinesDir, `${encodeURIComponent(r.name)}.json`);
  const executionFile = (r: ExecutionRecord): string =>
    join(executionsDir, encodeURIComponent(r.stateMachineName), `${encodeURIComponent(r.name)}.json`);

  /** Writes to one file run in call order; the snapshot is taken at call time. */
  const enqueue = (file: string, write: () => Promise<void>): Promise<void> => {
    const previous = queues.get(file) ?? Promise.resolve();
    const next = previous.then(write, write);
    queues.set(file, next);
    void next.finally(() => {
      if (queues.get(file) === next) queues.delete(file);
    });
    return next;
  };

  const writeAtomically = (file: string, data: unknown): Promise<void> => {
    const text = JSON.stringify(data);
    return enqueue(file, async () => {
      const dir = join(file, '..');
      await mkdir(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.${++tmpSeq}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, file);
    });
  };

  const readJsonFiles = async <T>(dir: string): Promise<T[]> => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    const records: T[] = [];
    for (const name of names) {
      const file = join(dir, name);
      // A temp file is a write the process was killed in the middle of; the previous version is still in place.
      if (name.endsWith('.tmp')) {
        await rm(file, { force: true });
        continue;
      }
      if (!name.endsWith('.json')) continue;
      try {
        records.push(JSON.parse(await readFile(file, 'utf8')) as T);
      } catch (error) {
        throw new Error(`local Step Functions: cannot read ${file}: ${(error as Error).message}`);
      }
    }
    return records;
  };

  return {
    loadStateMachines: () => readJsonFiles<StateMachineRecord>(machinesDir),
    async loadExecutions() {
      let machines: string[];
      try {
        machines = await readdir(executionsDir);
      } catch {
        return [];
      }
      const all: ExecutionRecord[] = [];
      for (const machine of machines) all.push(...(await readJsonFiles<ExecutionRecord>(join(executionsDir, machine))));
      return all;
    },
    saveStateMachine: (record) => writeAtomically(machineFile(record), record),
    deleteStateMachine: (record) => enqueue(machineFile(record), () => rm(machineFile(record), { force: true })),
    saveExecution: (record) => writeAtomically(executionFile(record), record),
    async flush() {
      await Promise.allSettled([...queues.values()]);
    },
  };
}
