/**
 * Workflow waits and the escalation ladder. Pure: no I/O, time comes in as an argument.
 *
 * The case workflow waits three ways (acknowledgement, resolution, reassignment) on a task token whose Task times
 * out at `dueAt`. When it times out the case escalates one level and the workflow waits again until the next
 * escalation deadline: level 1 the department's supervisor, level 2 the 1999 supervisors (RDEC), level 3 the
 * mayor's office, then a reminder at level 3 every period. A reassignment wait is the 1999 desk's own queue, so it
 * starts at level 2. The survey wait does not escalate: it closes the case as unanswered.
 */
import type { Deadline, DepartmentsFile, Sop } from '../config/schema';
import type { EscalationLevel, Priority, WaitingFor } from './case';

/** What the timeline records when a wait starts (the same write stores the task token). */
export type WaitEvent = 'notified' | 'waiting' | 'escalated' | 'follow-up';

/** A wait as the state machine carries it (`$.wait`): the Task's TimeoutSecondsPath reads `seconds`. */
export interface WorkflowWait {
  waitingFor: WaitingFor;
  /** Escalation level in force during this wait (0 = none). */
  level: EscalationLevel;
  /** When the wait times out: the deadline, or the next escalation. ISO instant. */
  dueAt: string;
  /** Seconds from when the wait was planned to `dueAt`; at least 1 (Step Functions needs a positive integer). */
  seconds: number;
  event: WaitEvent;
  /** Level 3 reached before: this is a periodic reminder, not a new level. */
  reminder?: boolean;
  /** Who must act now (escalations). */
  mustAct?: { zh: string; en: string };
  /** The department whose topic heard about the escalation. */
  notifyDepartment?: string;
  /** The deadline whose passing caused this escalation. */
  missedDueAt?: string;
  /**
   * The wait is not due before this instant (the survey's follow-up delay): it starts at once, so `seconds` counts
   * the delay too, and the case shows it only from then (`surveyDue` in case.ts).
   */
  from?: string;
}

/** How long the 1999 desk has to reassign a returned case ("re-assigned the next working day"). */
export const DISPATCH_DEADLINE: Deadline = { amount: 1, unit: 'workingDays' };

/** Seconds from `now` to `dueAt`, rounded up, at least 1: a past deadline times out at once. */
export function secondsUntil(dueAt: string | Date, now: Date): number {
  const ms = new Date(dueAt).getTime() - now.getTime();
  return Math.max(1, Math.ceil(ms / 1000));
}

export function planWait(
  waitingFor: WaitingFor,
  dueAt: string | Date,
  now: Date,
  event: WaitEvent,
  extra: Partial<Pick<WorkflowWait, 'level' | 'reminder' | 'mustAct' | 'notifyDepartment' | 'missedDueAt' | 'from'>> = {},
): WorkflowWait {
  const due = new Date(dueAt).toISOString();
  return { waitingFor, level: extra.level ?? 0, dueAt: due, seconds: secondsUntil(due, now), event, ...withoutUndefined(extra) };
}

/** The level after `level` for this kind of wait, and whether it only repeats level 3 as a reminder. */
export function nextEscalationLevel(waitingFor: WaitingFor, level: EscalationLevel): { level: EscalationLevel; reminder: boolean } {
  if (waitingFor === 'survey') throw new RangeError('A survey wait does not escalate');
  if (level >= 3) return { level: 3, reminder: true };
  if (waitingFor === 'reassignment' && level < 2) return { level: 2, reminder: false };
  return { level: (level + 1) as EscalationLevel, reminder: false };
}

/**
 * The time between escalations: the SOP's own deadline for what is awaited (urgent deadlines for urgent cases),
 * one working day for the 1999 desk's reassignment.
 */
export function escalationPeriod(waitingFor: WaitingFor, sop: Pick<Sop, 'acknowledgeWithin' | 'resolveWithin' | 'urgent'> | undefined, priority: Priority): Deadline {
  if (waitingFor === 'reassignment' || !sop) return DISPATCH_DEADLINE;
  const deadlines = priority === 'urgent' && sop.urgent ? sop.urgent : sop;
  if (waitingFor === 'acknowledgement') return deadlines.acknowledgeWithin;
  if (waitingFor === 'resolution') return deadlines.resolveWithin;
  throw new RangeError('A survey wait does not escalate');
}

export interface EscalationTarget {
  level: 1 | 2 | 3;
  /** Who must act, as messages name them (a role, never a person's private data). */
  role: { zh: string; en: string };
  /** Department whose topic hears about it. */
  notifyDepartment: string;
}

/**
 * Who must act at `level` for a case of `department`: the department's configured contact for that level;
 * level 1 defaults to the department itself, levels 2 and 3 to the configured escalation departments (also when
 * the department has no contact, e.g. a case that never reached one).
 */
export function escalationTarget(level: 1 | 2 | 3, department: string | undefined, departments: DepartmentsFile): EscalationTarget {
  const byCode = new Map(departments.departments.map((d) => [d.code, d]));
  const own = department ? byCode.get(department) : undefined;
  const contact = own?.escalation.find((e) => e.level === level);
  const fallback = level === 1 ? department : level === 2 ? departments.escalationDepartments.level2 : departments.escalationDepartments.level3;
  const notifyDepartment = contact?.notifyDepartment ?? fallback ?? departments.escalationDepartments.level2;
  if (contact) return { level, role: contact.role, notifyDepartment };
  const target = byCode.get(notifyDepartment);
  return { level, role: target ? target.name : { zh: notifyDepartment, en: notifyDepartment }, notifyDepartment };
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
