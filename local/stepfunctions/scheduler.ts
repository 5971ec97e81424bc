/**
 * Timers on the local clock. Deadlines are absolute local times; one real `setTimeout` waits for the earliest,
 * and every clock advance re-arms it, so `advance(ms)` fires whatever became due at once.
 */
import type { LocalClock } from '../clock';

/** Node's setTimeout limit; longer waits are re-armed in steps. */
export const MAX_REAL_DELAY_MS = 2_147_483_647;

export class TimerScheduler {
  private readonly timers = new Map<string, { at: number; fire: () => void }>();
  private handle: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly clock: LocalClock) {
    this.unsubscribe = clock.onChange(() => this.arm());
  }

  /** Set (or replace) the timer `key` to fire at local time `atMs`. */
  schedule(key: string, atMs: number, fire: () => void): void {
    if (this.closed) return;
    this.timers.set(key, { at: atMs, fire });
    this.arm();
  }

  cancel(key: string): void {
    if (this.timers.delete(key)) this.arm();
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    if (this.handle) clearTimeout(this.handle);
    this.timers.clear();
  }

  private arm(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
    if (this.closed) return;
    const now = this.clock.nowMs();
    const due = [...this.timers.entries()].filter(([, timer]) => timer.at <= now);
    for (const [key] of due) this.timers.delete(key);
    let earliest = Number.POSITIVE_INFINITY;
    for (const timer of this.timers.values()) earliest = Math.min(earliest, timer.at);
    if (earliest !== Number.POSITIVE_INFINITY) {
      const delay = this.clock.realMsUntil(earliest);
      if (Number.isFinite(delay)) {
        this.handle = setTimeout(() => this.arm(), Math.min(Math.max(delay, 1), MAX_REAL_DELAY_MS));
        this.handle.unref();
      }
    }
    for (const [, timer] of due) timer.fire();
  }
}
