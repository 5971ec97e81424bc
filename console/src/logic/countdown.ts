/**
 * Deadlines as people need them on a shift: how long is left, or how long overdue, in the two largest units, with
 * seconds only in the last hour (that is where a live countdown matters). Pure: the caller passes "now".
 */
import { nextDueAt, type CaseStatus } from '../../../functions/domain/case';
import type { MessageKey, Params } from '../i18n';

export type DueState = 'none' | 'ok' | 'soon' | 'overdue' | 'met';

/** Under this much time left, a deadline is "soon" (amber). */
export const SOON_MS = 60 * 60 * 1000;

export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export function durationParts(ms: number): DurationParts {
  const total = Math.floor(Math.abs(ms) / 1000);
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

type T = (key: MessageKey, params?: Params) => string;

/** `2 天 3 小時`, `45 分 10 秒`, `3h 5m`: the two largest non-zero units; seconds only under an hour. */
export function formatDuration(ms: number, t: T): string {
  const p = durationParts(ms);
  const units: Array<[number, MessageKey]> = [
    [p.days, 'countdown.days'],
    [p.hours, 'countdown.hours'],
    [p.minutes, 'countdown.minutes'],
  ];
  if (p.days === 0 && p.hours === 0) units.push([p.seconds, 'countdown.seconds']);
  const first = units.findIndex(([n]) => n > 0);
  if (first === -1) return t('countdown.seconds', { n: 0 });
  return units
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, key]) => t(key, { n }))
    .join(' ');
}

export interface Countdown {
  state: DueState;
  /** Signed: positive = time left, negative = overdue. Absent without a deadline. */
  msLeft?: number;
  text: string;
}

/**
 * The countdown to a deadline. `doneAt` (acknowledgedAt, resolvedAt) ends it: the deadline was met, or met late.
 */
export function countdown(dueIso: string | undefined, nowMs: number, t: T, doneAt?: string): Countdown {
  if (!dueIso) return { state: 'none', text: t('countdown.none') };
  const due = Date.parse(dueIso);
  if (Number.isNaN(due)) return { state: 'none', text: t('countdown.none') };
  if (doneAt) {
    const done = Date.parse(doneAt);
    return { state: 'met', text: done <= due ? t('case.met') : t('case.metLate') };
  }
  const msLeft = due - nowMs;
  if (msLeft <= 0) return { state: 'overdue', msLeft, text: t('countdown.overdue', { time: formatDuration(msLeft, t) }) };
  return { state: msLeft < SOON_MS ? 'soon' : 'ok', msLeft, text: t('countdown.left', { time: formatDuration(msLeft, t) }) };
}

type Deadlines = { status: CaseStatus; acknowledgeDueAt?: string; resolveDueAt?: string; waitingFor?: string; waitDueAt?: string };

/**
 * The deadline that matters now: the domain's own rule (acknowledge first, then resolve); a resolved case waiting
 * for the satisfaction call has the callback deadline of that wait.
 */
export function currentDue(c: Deadlines): string | undefined {
  if (c.status === 'RESOLVED' && c.waitingFor === 'survey') return c.waitDueAt;
  return nextDueAt(c);
}

export function isOverdue(c: Deadlines, nowMs: number): boolean {
  const due = currentDue(c);
  return due !== undefined && Date.parse(due) <= nowMs;
}
