/**
 * THE authorization policy: which role may call which route, what an integration client's token must carry, and
 * how far each role reaches into cases. The HTTP pipeline (functions/api/http.ts) enforces it for every signed-in
 * route through `authorizeRoute`. Each route's policy is written once, on its row of the route table
 * (functions/api/routes.ts, in the terms of ./route-policy.ts); the console reads the same rows to offer only what
 * a role may do. docs/security.md shows it as a table.
 *
 * Ownership (who reaches which case) is one rule per role, not per route, so no route can forget it:
 *   agent, supervisor, admin   every case;
 *   staff                      their department's cases only (`custom:department`); a route marked `staffLead` only
 *                              for the department's lead (the `lead` group beside `staff`), who assigns its cases;
 *   integration                a department-bound client its department's cases, any other client every case,
 *                              and only on routes whose scope its token carries.
 * A case outside the caller's reach is a 404 on a direct read (numbers cannot be probed); lists filter to it.
 *
 * Personal data is a separate question, answered by functions/privacy/visibility.ts: reaching a case does not mean
 * seeing its reporter unmasked.
 */
import type { Actor, Role } from '../domain/actor';
import { ForbiddenError } from '../domain/errors';
import { ROUTES } from '../api/routes';
import type { Policy } from './route-policy';

export * from './route-policy';

/** How far a role reaches into cases. */
export type Ownership = 'all' | 'own-department' | 'client';
export const OWNERSHIP: Readonly<Record<Role, Ownership>> = {
  agent: 'all',
  staff: 'own-department',
  supervisor: 'all',
  admin: 'all',
  integration: 'client',
};

/** Route id -> policy, as the route table's rows carry it. */
export const POLICY: Readonly<Record<string, Policy>> = Object.fromEntries(ROUTES.map((r) => [r.id, r.policy]));

export class MissingPolicyError extends Error {
  constructor(readonly routeId: string) {
    super(`Route ${routeId} has no authorization policy; add it to functions/auth/policy.ts`);
    this.name = 'MissingPolicyError';
  }
}

/** The roles that may call a route (none for a public one: nobody signs in there). */
export function rolesOf(routeId: string): readonly Role[] {
  const policy = policyOf(routeId);
  return policy === 'public' ? [] : policy.allow;
}

export function policyOf(routeId: string): Policy {
  const policy = POLICY[routeId];
  if (!policy) throw new MissingPolicyError(routeId);
  return policy;
}

/** Why a call is refused, or undefined when it is allowed. Pure: the matrix test and the docs call it too. */
export function refusal(routeId: string, actor: Pick<Actor, 'role' | 'department' | 'scopes' | 'lead'>): string | undefined {
  const policy = policyOf(routeId);
  if (policy === 'public') return undefined;
  if (!policy.allow.includes(actor.role)) return `Role ${actor.role} may not call ${routeId}`;
  if (actor.role === 'staff' && !actor.department) return 'Department staff must belong to a department';
  if (actor.role === 'staff' && policy.staffLead && !actor.lead) return `${routeId} is for the department's lead (the lead group)`;
  if (actor.role === 'integration' && (!policy.scope || !(actor.scopes ?? []).includes(policy.scope)))
    return `${routeId} needs the scope ${policy.scope ?? '(none granted to clients)'}`;
  return undefined;
}

/** Throws ForbiddenError (403) when the actor may not call the route at all. Ownership is checked per case later. */
export function authorizeRoute(routeId: string, actor: Actor): void {
  const why = refusal(routeId, actor);
  if (why) throw new ForbiddenError(why);
}

