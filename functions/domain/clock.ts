/**
 * The one clock. Every read of "now" in the system goes through here, so tests and the local cloud can move
 * time (LOCAL_TIME_SCALE, clock advance) without touching business code.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

let current: Clock = systemClock;

export function now(): Date {
  return current.now();
}

export function nowIso(): string {
  return current.now().toISOString();
}

/** Replace the process clock (local cloud, tests). Returns a function that restores the previous one. */
export function useClock(clock: Clock): () => void {
  const previous = current;
  current = clock;
  return () => {
    current = previous;
  };
}

/** A clock that stands still until moved: for tests. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string = '2026-11-27T01:00:00.000Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
