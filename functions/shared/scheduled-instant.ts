import { now as clockNow } from '../domain/clock';

/**
 * A scheduled job's instant: EventBridge's `time` when the event has one, else the clock; to the minute. A
 * redelivered event gives the same instant, so a job keyed by it does the same work again, not new work.
 */
export function scheduledInstant(event: unknown): Date {
  const time = typeof event === 'object' && event !== null ? (event as { time?: unknown }).time : undefined;
  const at = typeof time === 'string' && !Number.isNaN(Date.parse(time)) ? new Date(time) : clockNow();
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}
