/**
 * The data folder (`.citydesk/` by default) belongs to one running local cloud at a time: DynamoDB's LevelDB,
 * the Step Functions and SNS stores and the signing key would be corrupted by two writers. A lock file holds
 * the owner's PID; a lock whose process is gone (kill -9, a crash) is taken over, a live one is a clear error.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'citydesk.lock';

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid?: number,
    detail?: string,
  ) {
    super(
      `The data folder ${dataDir} is in use by another CityDesk local cloud${pid ? ` (PID ${pid})` : ''}${detail ? `: ${detail}` : ''}.\n` +
        `Stop that one first (Ctrl-C in its terminal${pid ? `, or kill ${pid}` : ''}), or start this one elsewhere: ` +
        `npm start -- --data-dir <another folder>, or npm start -- --in-memory.`,
    );
    this.name = 'DataDirInUseError';
  }
}

interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
}

/** Folders locked by this process: a second local cloud in the same process (tests) is refused too. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockContent | undefined {
  try {
    const content = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockContent>;
    return typeof content.pid === 'number' ? (content as LockContent) : undefined;
  } catch {
    return undefined;
  }
}

export interface DataDirLock {
  dataDir: string;
  release(): void;
}

/** Creates the folder if needed and takes its lock; throws DataDirInUseError when a live process holds it. */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  if (heldHere.has(dir)) throw new DataDirInUseError(dir, process.pid, 'this process already runs a local cloud on it');

  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readLock(file);
      if (owner && owner.pid !== process.pid && owner.host === hostname() && isAlive(owner.pid)) {
        throw new DataDirInUseError(dir, owner.pid, `running since ${owner.startedAt}`);
      }
      // Stale (its process is gone) or unreadable (a crash mid-write): take it over.
      try {
        unlinkSync(file);
      } catch {
        /* someone else removed it first; try again */
      }
      continue;
    }
    const content: LockContent = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    writeSync(fd, JSON.stringify(content));
    closeSync(fd);
    heldHere.add(dir);
    let released = false;
    return {
      dataDir: dir,
      release() {
        if (released) return;
        released = true;
        heldHere.delete(dir);
        if (readLock(file)?.pid === process.pid) {
          try {
            unlinkSync(file);
          } catch {
            /* already gone */
          }
        }
      },
    };
  }
  throw new DataDirInUseError(dir, readLock(file)?.pid, 'could not take its lock');
}
