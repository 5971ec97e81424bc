/**
 * Which cases an actor reaches (policy.ts, OWNERSHIP): the one implementation of the ownership rule. Direct reads
 * call `assertCaseReachable` (a case outside the reach is a 404, exactly like an unknown number); lists ask
 * `departmentScope` for the department to filter to, and `isCaseReachable` for each item they return.
 */
import type { Actor } from '../domain/actor';
import type { Case } from '../domain/case';
import { NotFoundError } from '../domain/errors';
import { OWNERSHIP } from './policy';

/** The department the actor is confined to, or undefined when it reaches every case. */
export function departmentScope(actor: Pick<Actor, 'role' | 'department'>): string | undefined {
  const ownership = OWNERSHIP[actor.role];
  if (ownership === 'own-department') return actor.department ?? '\u0000no-department';
  if (ownership === 'client') return actor.department;
  return undefined;
}

export function isCaseReachable(c: Pick<Case, 'department'>, actor: Pick<Actor, 'role' | 'department'>): boolean {
  const department = departmentScope(actor);
  return department === undefined || (c.department !== undefined && c.department === department);
}

/** Throws NotFoundError when the actor may not know the case exists. */
export function assertCaseReachable(c: Pick<Case, 'caseNo' | 'department'>, actor: Pick<Actor, 'role' | 'department'>): void {
  if (!isCaseReachable(c, actor)) throw new NotFoundError(`Case ${c.caseNo} not found`);
}
