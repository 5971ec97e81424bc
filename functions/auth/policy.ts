/**
 * THE authorization policy: which role may call which route, what an integration client's token must carry, and
 * how far each role reaches into cases. The HTTP pipeline (functions/api/http.ts) enforces it for every signed-in
 * route through `authorizeRoute`; the route table's `roles` must say the same thing (test/auth/policy-matrix.test.ts
 * fails otherwise, and fails for a route that has no entry here). docs/security.md shows it as a table.
 *
 * Ownership (who reaches which case) is one rule per role, not per route, so no route can forget it:
 *   agent, supervisor, admin   every case;
 *   staff                      their department's cases only (`custom:department`);
 *   integration                a department-bound client its department's cases, any other client every case,
 *                              and only on routes whose scope its token carries.
 * A case outside the caller's reach is a 404 on a direct read (numbers cannot be probed); lists filter to it.
 *
 * Personal data is a separate question, answered by functions/privacy/visibility.ts: reaching a case does not mean
 * seeing its reporter unmasked.
 */
import type { Actor, Role } from '../domain/actor';
import { ROLES } from '../domain/actor';
import { ForbiddenError } from '../domain/errors';

/** The resource server of the API (Cognito: identifier `citydesk`); scopes are `citydesk/<name>`. */
export const RESOURCE_SERVER = 'citydesk';
export const SCOPES = {
  casesRead: `${RESOURCE_SERVER}/cases.read`,
  casesWrite: `${RESOURCE_SERVER}/cases.write`,
} as const;
export type Scope = (typeof SCOPES)[keyof typeof SCOPES];
/**
 * A client-credentials client bound to one department carries `citydesk/dept.<CODE>` (Cognito puts no custom
 * attributes into such tokens): actor-from-claims.ts turns it into the Actor's department.
 */
export const DEPARTMENT_SCOPE_PREFIX = `${RESOURCE_SERVER}/dept.`;
export function departmentScopeName(department: string): string {
  return `${DEPARTMENT_SCOPE_PREFIX}${department}`;
}
/** What each scope lets a machine caller do (resource server descriptions, docs). */
export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  [SCOPES.casesRead]: 'Read cases (masked reporter) and reference data',
  [SCOPES.casesWrite]: 'File cases',
};

/** What a route touches, which decides how ownership applies to it. */
export type Reach =
  /** One case named by `{caseNo}`: a case outside the caller's reach is a 404. */
  | 'case'
  /** Lists or counts of cases: the use case filters to the caller's reach (or the route is for all-case roles only). */
  | 'cases'
  /** No case data (reference data, SOPs, audit of searches). */
  | 'none';

export interface RoutePolicy {
  reach: Reach;
  /** Roles that may call the route. */
  allow: readonly Role[];
  /** Scope an integration client's token must carry; required when `allow` names `integration`. */
  scope?: Scope;
}

/** `public`: no sign-in (the JWT authorizer is off). Such routes check their own credentials, if any. */
export type Policy = RoutePolicy | 'public';

/** How far a role reaches into cases. */
export type Ownership = 'all' | 'own-department' | 'client';
export const OWNERSHIP: Readonly<Record<Role, Ownership>> = {
  agent: 'all',
  staff: 'own-department',
  supervisor: 'all',
  admin: 'all',
  integration: 'client',
};

const ALL_STAFF: readonly Role[] = ['agent', 'staff', 'supervisor', 'admin'];
const DEPARTMENT_WORK: readonly Role[] = ['staff', 'supervisor', 'admin'];
const DESK_WORK: readonly Role[] = ['agent', 'supervisor', 'admin'];

/** Route id -> policy. Every route of functions/api/routes.ts has exactly one entry. */
export const POLICY: Readonly<Record<string, Policy>> = {
  // cases
  createCase: { reach: 'none', allow: ['agent', 'supervisor', 'admin', 'integration'], scope: SCOPES.casesWrite },
  listCases: { reach: 'cases', allow: ALL_STAFF },
  getCase: { reach: 'case', allow: [...ALL_STAFF, 'integration'], scope: SCOPES.casesRead },
  updateCase: { reach: 'case', allow: DESK_WORK },
  getCaseTimeline: { reach: 'case', allow: ALL_STAFF },
  addCaseNote: { reach: 'case', allow: ALL_STAFF },

  // case actions: the department works a case, the desk closes it
  acknowledgeCase: { reach: 'case', allow: DEPARTMENT_WORK },
  reportProgress: { reach: 'case', allow: DEPARTMENT_WORK },
  resolveCase: { reach: 'case', allow: DEPARTMENT_WORK },
  returnCase: { reach: 'case', allow: DEPARTMENT_WORK },
  reassignCase: { reach: 'case', allow: ['supervisor', 'admin'] },
  recordSurvey: { reach: 'case', allow: DESK_WORK },
  cancelCase: { reach: 'case', allow: DESK_WORK },
  mergeCase: { reach: 'case', allow: DESK_WORK },

  // reference data
  listSops: { reach: 'none', allow: [...ALL_STAFF, 'integration'], scope: SCOPES.casesRead },
  getSop: { reach: 'none', allow: [...ALL_STAFF, 'integration'], scope: SCOPES.casesRead },
  listDepartments: { reach: 'none', allow: [...ALL_STAFF, 'integration'], scope: SCOPES.casesRead },
  getOpenApi: 'public',

  // console screens
  findDuplicateCases: { reach: 'cases', allow: ['agent', 'supervisor'] },
  addCaseReport: { reach: 'case', allow: ['agent', 'supervisor'] },
  callbackQueue: { reach: 'cases', allow: ['agent', 'supervisor'] },
  dispatchQueue: { reach: 'cases', allow: ['supervisor', 'admin'] },
  departmentQueue: { reach: 'cases', allow: ['staff', 'supervisor'] },
  getDashboard: { reach: 'cases', allow: ['supervisor', 'admin'] },
  listSopVersions: { reach: 'none', allow: ALL_STAFF },
  editSop: { reach: 'none', allow: ['supervisor', 'admin'] },

  // personal data: staff ask, their supervisor approves, the desk searches by phone
  requestPiiAccess: { reach: 'case', allow: ['staff'] },
  approvePiiAccess: { reach: 'case', allow: ['supervisor'] },
  searchByPhone: { reach: 'cases', allow: ['agent', 'supervisor'] },
  listPhoneSearchAudit: { reach: 'none', allow: ['supervisor', 'admin'] },

  // Open311 GeoReport v2: open data, and writes checked against an api_key by the handler.
  open311Document: 'public',
  open311ServiceDefinition: 'public',
  open311Request: 'public',
  open311Token: 'public',
  open311CreateRequest: 'public',
};

export class MissingPolicyError extends Error {
  constructor(readonly routeId: string) {
    super(`Route ${routeId} has no authorization policy; add it to functions/auth/policy.ts`);
    this.name = 'MissingPolicyError';
  }
}

export function policyOf(routeId: string): Policy {
  const policy = POLICY[routeId];
  if (!policy) throw new MissingPolicyError(routeId);
  return policy;
}

/** Why a call is refused, or undefined when it is allowed. Pure: the matrix test and the docs call it too. */
export function refusal(routeId: string, actor: Pick<Actor, 'role' | 'department' | 'scopes'>): string | undefined {
  const policy = policyOf(routeId);
  if (policy === 'public') return undefined;
  if (!policy.allow.includes(actor.role)) return `Role ${actor.role} may not call ${routeId}`;
  if (actor.role === 'staff' && !actor.department) return 'Department staff must belong to a department';
  if (actor.role === 'integration' && (!policy.scope || !(actor.scopes ?? []).includes(policy.scope)))
    return `${routeId} needs the scope ${policy.scope ?? '(none granted to clients)'}`;
  return undefined;
}

/** Throws ForbiddenError (403) when the actor may not call the route at all. Ownership is checked per case later. */
export function authorizeRoute(routeId: string, actor: Actor): void {
  const why = refusal(routeId, actor);
  if (why) throw new ForbiddenError(why);
}

/** The roles a policy admits, in ROLES order (the route table must list the same). */
export function allowedRoles(policy: Policy): readonly Role[] | 'public' {
  return policy === 'public' ? 'public' : ROLES.filter((r) => policy.allow.includes(r));
}
