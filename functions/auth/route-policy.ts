/**
 * The vocabulary of route policies: scopes, what a route reaches, the role groups. Each row of the route table
 * (functions/api/routes.ts) carries its policy in these terms; functions/auth/policy.ts enforces them.
 */
import { ROLES, type Role } from '../domain/actor';

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
  /** Several cases named in the body: each one outside the caller's reach is reported `not-found`, as a 404. */
  | 'each-case'
  /** No case data (reference data, SOPs, audit of searches). */
  | 'none';

export interface RoutePolicy {
  reach: Reach;
  /** Roles that may call the route. */
  allow: readonly Role[];
  /** Scope an integration client's token must carry; required when `allow` names `integration`. */
  scope?: Scope;
  /** Department staff may call it only as their department's lead (the `lead` group): handing out its cases. */
  staffLead?: true;
}

/** `public`: no sign-in (the JWT authorizer is off). Such routes check their own credentials, if any. */
export type Policy = RoutePolicy | 'public';

export const ALL_STAFF: readonly Role[] = ['agent', 'staff', 'supervisor', 'admin'];
export const DEPARTMENT_WORK: readonly Role[] = ['staff', 'supervisor', 'admin'];
export const DESK_WORK: readonly Role[] = ['agent', 'supervisor', 'admin'];
/** Who writes knowledge-base articles: department staff (their own department's) and admins; supervisors publish. */
export const KB_EDITORS: readonly Role[] = ['staff', 'admin'];

/** The roles a policy admits, in ROLES order. */
export function allowedRoles(policy: Policy): readonly Role[] | 'public' {
  return policy === 'public' ? 'public' : ROLES.filter((r) => policy.allow.includes(r));
}
