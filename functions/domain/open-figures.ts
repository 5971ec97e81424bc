/**
 * The open-case figures the dashboard shows, kept as counters instead of counted by reading every open case.
 *
 * A case contributes to counters while it is open: its status, its department × status, its category, its
 * district, its escalation level × department, and its next deadline's day × department. A resolved case still
 * counts in its department's RESOLVED queue (the department inbox's tab) until it closes, and nowhere else. Every write of a case
 * moves the counters by the difference between what the case contributed before and after (`openFiguresDelta`),
 * in the same transaction as the case itself, so the figures are exactly the open cases' whatever the order or
 * number of writers. Pure: the adapter decides where the counters live.
 */
import { isOpen, nextDueAt, type Case } from './case';

/** What a case contributes from: the attributes its open figures depend on. */
export type FigureCase = Pick<Case, 'caseNo' | 'status' | 'category' | 'escalationLevel' | 'acknowledgeDueAt' | 'resolveDueAt'> & {
  department?: string;
  location: Pick<Case['location'], 'district'>;
};

/** The department a figure stands under when the case has none yet (a NEW case, before routing). */
export const NO_DEPARTMENT = '-';

/**
 * A counter's name. The parts are codes (statuses, departments, categories, districts): none holds `#`.
 * - `S#<status>`: open cases in a status;
 * - `D#<department>#<status>`: open cases a department holds in a status (departments' cases only);
 * - `C#<category>`, `X#<district>`: open cases of a category, in a district;
 * - `E#<level>#<department>`: open cases escalated to a level.
 */
export const FigureName = {
  status: (status: string) => `S#${status}`,
  departmentStatus: (department: string, status: string) => `D#${department}#${status}`,
  category: (category: string) => `C#${category}`,
  district: (district: string) => `X#${district}`,
  escalated: (level: number, department: string) => `E#${level}#${department}`,
};

/**
 * The department a counter stands under (`D#<department>#<status>`, `E#<level>#<department>`), or none (status,
 * category, district): the adapter keeps a department's counters apart, so a write moves small items only.
 */
export function figureDepartment(name: string): string | undefined {
  const parts = name.split('#');
  if (parts[0] === 'D') return parts[1];
  if (parts[0] === 'E') return parts[2];
  return undefined;
}

/** The counters an open case adds one to; a resolved case its department's RESOLVED queue only; others none. */
export function openCounters(c: FigureCase | undefined): string[] {
  if (c?.status === 'RESOLVED' && c.department) return [FigureName.departmentStatus(c.department, c.status)];
  if (!c || !isOpen(c.status)) return [];
  const department = c.department ?? NO_DEPARTMENT;
  const names = [FigureName.status(c.status), FigureName.category(c.category)];
  if (c.department) names.push(FigureName.departmentStatus(c.department, c.status));
  if (c.location.district) names.push(FigureName.district(c.location.district));
  if (c.escalationLevel > 0) names.push(FigureName.escalated(c.escalationLevel, department));
  return names;
}

/** The deadline an open case counts under: its UTC day (yyyy-mm-dd) and department; none without a deadline. */
export function dueCounter(c: FigureCase | undefined): { day: string; department: string } | undefined {
  if (!c || !isOpen(c.status)) return undefined;
  const due = nextDueAt(c);
  return due ? { day: due.slice(0, 10), department: c.department ?? NO_DEPARTMENT } : undefined;
}

export interface OpenFiguresDelta {
  /** Counter name → change (never 0). */
  counters: Record<string, number>;
  /** Due day → department → change (never 0). */
  due: Record<string, Record<string, number>>;
}

/** What a write moves the counters by: after's contributions minus before's. Nothing when neither changed. */
export function openFiguresDelta(before: FigureCase | undefined, after: FigureCase | undefined): OpenFiguresDelta {
  const counters: Record<string, number> = {};
  for (const n of openCounters(before)) counters[n] = (counters[n] ?? 0) - 1;
  for (const n of openCounters(after)) counters[n] = (counters[n] ?? 0) + 1;
  const due: Record<string, Record<string, number>> = {};
  const move = (d: { day: string; department: string } | undefined, by: number) => {
    if (!d) return;
    const day = (due[d.day] ??= {});
    day[d.department] = (day[d.department] ?? 0) + by;
  };
  move(dueCounter(before), -1);
  move(dueCounter(after), +1);
  const dueChanges: Record<string, Record<string, number>> = {};
  for (const [day, by] of Object.entries(due)) {
    const changed = withoutZeros(by);
    if (Object.keys(changed).length > 0) dueChanges[day] = changed;
  }
  return { counters: withoutZeros(counters), due: dueChanges };
}

export function isEmptyDelta(d: OpenFiguresDelta): boolean {
  return Object.keys(d.counters).length === 0 && Object.keys(d.due).length === 0;
}

/** The figures of a set of cases from scratch: what the counters must equal (the rebuild, and tests). */
export function figuresOf(cases: Iterable<FigureCase>): OpenFiguresDelta {
  const total: OpenFiguresDelta = { counters: {}, due: {} };
  for (const c of cases) {
    const d = openFiguresDelta(undefined, c);
    for (const [n, v] of Object.entries(d.counters)) total.counters[n] = (total.counters[n] ?? 0) + v;
    for (const [day, by] of Object.entries(d.due)) for (const [dept, v] of Object.entries(by)) (total.due[day] ??= {})[dept] = (total.due[day][dept] ?? 0) + v;
  }
  return total;
}

function withoutZeros(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, v]) => v !== 0));
}
