/**
 * Durable state of the local Step Functions service: one JSON file per state machine and per execution under
 * `<dataDir>/stepfunctions/`, each replaced atomically (write a temp file, then rename), so a process killed
 * at any moment leaves either the previous or the next version of a file, never half of one.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
/** The next write of a file: its snapshot (undefined = delete) and when it is on disk. */
interface Pending {
  text: string | undefined;
  done: Promise<void>;
}

interface FileQueue {
  running: Promise<void> | undefined;
  waiting: Pending | undefined;
}

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
  const files = new Map<string, FileQueue>();
  const madeDirs = new Set<string>();
  let tmpSeq = 0;

  const machineFile = (r: StateMachineRecord): string => join(machinesDir, `${encodeURIComponent(r.name)}.json`);
  const executionFile = (r: ExecutionRecord): string =>
    join(executionsDir, encodeURIComponent(r.stateMachineName), `${encodeURIComponent(r.name)}.json`);

  const replace = async (file: string, text: string | undefined): Promise<void> => {
    if (text === undefined) return rm(file, { force: true });
    const dir = dirname(file);
    if (!madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      madeDirs.add(dir);
    }
    const tmp = `${file}.${process.pid}.${++tmpSeq}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, file);
  };

  /**
   * Writes to one file run one at a time, in call order. A write still waiting for its turn is replaced by a
   * newer one (the latest snapshot wins), so a busy execution does not queue a write per transition.
   */
  const write = (file: string, text: string | undefined): Promise<void> => {
    let queue = files.get(file);
    if (!queue) {
      queue = { running: undefined, waiting: undefined };
      files.set(file, queue);
    }
    if (queue.waiting) {
      queue.waiting.text = text;
      return queue.waiting.done;
    }
    const q = queue;
    let release!: () => void;
    let fail!: (error: unknown) => void;
    const waiting: Pending = { text, done: new Promise<void>((resolve, reject) => ((release = resolve), (fail = reject))) };
    const run = async (): Promise<void> => {
      q.waiting = undefined;
      q.running = waiting.done;
      try {
        await replace(file, waiting.text);
        release();
      } catch (error) {
        fail(error);
      } finally {
        q.running = undefined;
        if (!q.waiting) files.delete(file);
      }
    };
    if (q.running) {
      q.waiting = waiting;
      void q.running.then(run, run);
    } else {
      void run();
    }
    return waiting.done;
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
        throw new Error(`local Step Functions: cannot read ${file}: ${(error as Error).message}`, { cause: error });
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
    saveStateMachine: (record) => write(machineFile(record), JSON.stringify(record)),
    deleteStateMachine: (record) => write(machineFile(record), undefined),
    saveExecution: (record) => write(executionFile(record), JSON.stringify(record)),
    async flush() {
      const pending = [...files.values()].flatMap((q) => [q.running, q.waiting?.done]).filter((p): p is Promise<void> => p !== undefined);
      await Promise.allSettled(pending);
    },
  };
}
