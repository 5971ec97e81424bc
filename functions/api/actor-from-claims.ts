/**
 * JWT claims -> Actor. The HTTP API JWT authorizer (Cognito) and the local issuer hand us the same claim shape:
 * - people: `sub`, `cognito:groups` naming their role (and `lead` for a department's lead), `custom:department` for
 *   department staff;
 * - machine callers (client credentials): `client_id` (Cognito also sets `sub` to it), `scope`, no groups; a client
 *   bound to a department carries the scope `citydesk/dept.<CODE>` (functions/auth/policy.ts).
 * API Gateway flattens array claims to a string such as `[agent supervisor]`, so groups are parsed from either form.
 * Authorization decides on the Actor only; nothing downstream reads raw claims.
 */
import { LEAD_GROUP, ROLES, type Actor, type Role } from '../domain/actor';
import { ForbiddenError, UnauthorizedError } from '../domain/errors';
import { DEPARTMENT_SCOPE_PREFIX } from '../auth/policy';

export type JwtClaims = Record<string, string | number | boolean | string[] | undefined>;

/** When someone belongs to several role groups, the broadest role wins. */
const ROLE_PRECEDENCE: readonly Role[] = ['admin', 'supervisor', 'agent', 'staff'];

export const GROUPS_CLAIM = 'cognito:groups';
export const DEPARTMENT_CLAIM = 'custom:department';
/** A display name longer than this is cut: it is shown in timelines, not trusted for anything. */
const MAX_NAME_LENGTH = 120;

export function actorFromClaims(claims: JwtClaims | undefined): Actor {
  if (!claims) throw new UnauthorizedError('Sign-in required');
  const sub = text(claims.sub);
  const clientId = text(claims.client_id);
  const department = text(claims[DEPARTMENT_CLAIM]);
  const scopes = list(claims.scope);
  const groups = list(claims[GROUPS_CLAIM]);

  const role = ROLE_PRECEDENCE.find((r) => groups.includes(r));
  if (role) {
    if (!sub) throw new UnauthorizedError('Token has no subject');
    if (role === 'staff' && !department) throw new ForbiddenError('Department staff must belong to a department');
    const person = withOptional({ id: sub, role }, department, scopes);
    const name = text(claims.name) ?? text(claims['cognito:username']);
    if (name) person.name = name.slice(0, MAX_NAME_LENGTH);
    // Only a department's staff can lead it; the group means nothing with a broader role.
    if (role === 'staff' && groups.includes(LEAD_GROUP)) person.lead = true;
    return person;
  }
  // A client-credentials token: the subject is the app client itself.
  if (clientId && (!sub || sub === clientId)) {
    const bound = scopes.filter((s) => s.startsWith(DEPARTMENT_SCOPE_PREFIX)).map((s) => s.slice(DEPARTMENT_SCOPE_PREFIX.length));
    if (bound.length > 1) throw new ForbiddenError('A client may be bound to one department only');
    return withOptional({ id: clientId, role: 'integration' }, department ?? bound[0], scopes);
  }
  if (!sub && !clientId) throw new UnauthorizedError('Token has no subject');
  throw new ForbiddenError(`No role assigned; expected one of the groups ${ROLES.filter((r) => r !== 'integration').join(', ')}`);
}

function withOptional(actor: Actor, department: string | undefined, scopes: string[]): Actor {
  if (department) actor.department = department;
  if (scopes.length) actor.scopes = scopes;
  return actor;
}

function text(v: JwtClaims[string]): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** `[a b]`, `a,b`, `a b` or a real array. */
function list(v: JwtClaims[string]): string[] {
  if (Array.isArray(v)) return v.map((x) => x.trim()).filter(Boolean);
  if (typeof v !== 'string') return [];
  return v
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}
