/**
 * The local cloud's one clock. It runs `scale` times faster than real time (LOCAL_TIME_SCALE: 3600 = an hour
 * per second, 0 = stopped until advanced) and can be moved forward with `advance(ms)`. The host installs it
 * process-wide with `useClock()` from functions/domain/clock, so handlers, the SLA calendar and the Step
 * Functions timers all read the same "now".
 *
 * With `persist`, the mapping from real to local time is kept in a file: after a restart the clock continues,
 * and the real time that passed while the process was down counts (scaled), so absolute deadlines stay absolute.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../functions/domain/clock';

export interface LocalClockOptions {
  /** Local milliseconds per real millisecond: 1 = real time, 3600 = an hour per second, 0 = stopped. */
  scale?: number;
  /** Where local time starts relative to real time, in ms. Ignored when a persisted clock file exists. */
  offsetMs?: number;
  /** A JSON file that keeps the clock across restarts (e.g. `<dataDir>/clock.json`). */
  persist?: string;
  /** Real time source; tests only. */
  realNow?: () => number;
}

export interface LocalClock extends Clock {
  readonly scale: number;
  /** Local time in epoch milliseconds. */
  nowMs(): number;
  /** Move local time forward (never backward). Persisted, and timers are re-armed through `onChange`. */
  advance(ms: number): void;
  /** Real milliseconds until the local clock reads `atMs`: 0 if already past, Infinity if the clock is stopped. */
  realMsUntil(atMs: number): number;
  /** Called after every `advance`. Returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
}

interface PersistedClock {
  scale: number;
  anchorRealMs: number;
  anchorLocalMs: number;
}

/** Parse LOCAL_TIME_SCALE: a non-negative number, default 1. Throws with the variable name on nonsense. */
export function parseTimeScale(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 1;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale < 0) {
    throw new Error(`LOCAL_TIME_SCALE must be a non-negative number (1 = real time, 3600 = an hour per second), got "${value}"`);
  }
  return scale;
}

export function createLocalClock(options: LocalClockOptions = {}): LocalClock {
  const realNow = options.realNow ?? (() => Date.now());
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale) || scale < 0) throw new Error(`clock scale must be a non-negative number, got ${scale}`);

  const startReal = realNow();
  let anchorRealMs = startReal;
  let anchorLocalMs = startReal + (options.offsetMs ?? 0);
  const saved = options.persist ? readPersisted(options.persist) : undefined;
  if (saved) {
    // Continue the saved clock: time that passed while down counts at the scale it ran with.
    anchorLocalMs = saved.anchorLocalMs + (startReal - saved.anchorRealMs) * saved.scale;
    anchorRealMs = startReal;
  }
  const listeners = new Set<() => void>();

  const nowMs = (): number => Math.floor(anchorLocalMs + (realNow() - anchorRealMs) * scale);
  const save = (): void => {
    if (!options.persist) return;
    writePersisted(options.persist, { scale, anchorRealMs, anchorLocalMs });
  };
  save();

  return {
    scale,
    nowMs,
    now: () => new Date(nowMs()),
    advance(ms: number): void {
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`the clock only moves forward: advance(${ms})`);
      anchorLocalMs += ms;
      save();
      for (const listener of [...listeners]) listener();
    },
    realMsUntil(atMs: number): number {
      const localMs = atMs - nowMs();
      if (localMs <= 0) return 0;
      if (scale === 0) return Number.POSITIVE_INFINITY;
      return Math.ceil(localMs / scale);
    },
    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function readPersisted(file: string): PersistedClock | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const data = JSON.parse(text) as Partial<PersistedClock>;
  if (typeof data.scale !== 'number' || typeof data.anchorRealMs !== 'number' || typeof data.anchorLocalMs !== 'number') {
    throw new Error(`clock file ${file} is not a local clock (scale, anchorRealMs, anchorLocalMs)`);
  }
  return data as PersistedClock;
}

function writePersisted(file: string, data: PersistedClock): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, file);
}
