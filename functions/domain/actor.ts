/**
 * Who is acting. Built from the JWT claims of the request (one middleware), or `workflow`/`system` for the
 * state machine and scheduled jobs. Authorization and masking decide on this, never on raw claims.
 */
export const ROLES = ['agent', 'staff', 'supervisor', 'admin', 'integration'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  /** Stable subject id (Cognito `sub`, or the client id for machine callers). Safe to log. */
  id: string;
  role: Role;
  /** Department code for department staff (and integration clients of a department). */
  department?: string;
  /** OAuth scopes of machine callers. */
  scopes?: string[];
  /** A person's display name from the ID token (`name`, else the user name): staff see it on timelines. */
  name?: string;
  /**
   * Department staff who also belong to the `lead` group: the department's supervisor (科長), who hands the
   * department's cases to its staff. Not a role of its own: a lead reaches what any staff of the department does.
   */
  lead?: boolean;
}

/** The Cognito group that makes a department staff member its department's lead. */
export const LEAD_GROUP = 'lead';

export const WORKFLOW_ACTOR = 'workflow';
export const SYSTEM_ACTOR = 'system';
