/**
 * How each recipient group is e-mailed about what its console inbox already lists (escalations, early warnings,
 * access requests, returned cases): at once, one e-mail per event through the topics' e-mail subscriptions, or as
 * one daily digest. A recipient group is a department's configured e-mail subscribers; the supervisors are the
 * escalation departments (the 1999 supervisors at level 2, the mayor's office at level 3), the staff every other
 * department. Chosen per stage (CDK context `citydesk:emailDelivery`, infra/stage.ts), per role with an override
 * per department. Pure: the notification plan, the CDK construct, the local SNS and the digest job read it.
 *
 * What stays immediate whatever the choice: a new case's dispatch notice (the department's work arrives by it),
 * a failed workflow waiting for a supervisor's decision, and every webhook and SMS subscriber (machines and
 * phones are not the inboxes a digest relieves).
 */
import type { DepartmentsFile } from '../config/schema';
import { ConfigError, type FieldProblem } from './errors';
import type { Inbox } from './notifications';

export const DELIVERY_MODES = ['immediate', 'digest'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export interface EmailDelivery {
  /** The escalation departments' subscribers (level 2 and level 3). */
  supervisors: DeliveryMode;
  /** Every other department's subscribers, for escalations of their cases. */
  staff: DeliveryMode;
  /** Department code -> its own choice, over its role's. */
  departments: Record<string, DeliveryMode>;
}

/**
 * The documented default: the supervisors, who hear every escalation of every department (a demo run e-mailed
 * them well over a hundred times), read one digest a day; a department hears of its own escalations at once.
 */
export const DEFAULT_EMAIL_DELIVERY: EmailDelivery = { supervisors: 'digest', staff: 'immediate', departments: {} };

/** Everything immediate: every event e-mailed as it happens (the behaviour before digests existed). */
export const IMMEDIATE_EMAIL_DELIVERY: EmailDelivery = { supervisors: 'immediate', staff: 'immediate', departments: {} };

/** SNS message attribute naming what a topic message is; digest subscriptions filter on it. */
export const NOTICE_ATTRIBUTE = 'notice';
export const NOTICES = { dispatch: 'dispatch', escalation: 'escalation', workflowFailed: 'workflow-failed', warning: 'warning', digest: 'digest' } as const;
/** Message attribute of a digest: the group (department code) whose subscribers get it. */
export const DIGEST_GROUP_ATTRIBUTE = 'group';

const isMode = (v: unknown): v is DeliveryMode => typeof v === 'string' && (DELIVERY_MODES as readonly string[]).includes(v);

/**
 * Reads a stage's choice: `{ supervisors?, staff?, departments?: { CODE: mode } }`, each mode `immediate` or
 * `digest`; what is left out keeps the default. With `departments`, an override must name a configured department.
 * Throws a ConfigError naming every bad field.
 */
export function parseEmailDelivery(raw: unknown, source: string, departments?: DepartmentsFile): EmailDelivery {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_EMAIL_DELIVERY;
  const problems: FieldProblem[] = [];
  const modeProblem = (path: string, v: unknown) => problems.push({ path, message: `must be "immediate" or "digest" (got ${JSON.stringify(v)})` });
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(source, [{ path: '', message: 'must be an object such as {"supervisors":"digest","staff":"immediate"}' }]);
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!['supervisors', 'staff', 'departments'].includes(key)) problems.push({ path: key, message: 'is not a setting (supervisors, staff, departments)' });
  const out: EmailDelivery = { ...DEFAULT_EMAIL_DELIVERY, departments: {} };
  for (const role of ['supervisors', 'staff'] as const) {
    if (r[role] === undefined) continue;
    if (isMode(r[role])) out[role] = r[role];
    else modeProblem(role, r[role]);
  }
  if (r.departments !== undefined) {
    if (typeof r.departments !== 'object' || r.departments === null || Array.isArray(r.departments)) problems.push({ path: 'departments', message: 'must be an object of department code to "immediate" or "digest"' });
    else
      for (const [code, mode] of Object.entries(r.departments)) {
        if (departments && !departments.departments.some((d) => d.code === code)) problems.push({ path: `departments.${code}`, message: 'is not a department of config/departments.json' });
        else if (!isMode(mode)) modeProblem(`departments.${code}`, mode);
        else out.departments[code] = mode;
      }
  }
  if (problems.length) throw new ConfigError(source, problems);
  return out;
}

/** The same choice written compactly (the digest job's EMAIL_DELIVERY variable); the default writes nothing. */
export function emailDeliveryText(d: EmailDelivery): string | undefined {
  const differs = d.supervisors !== DEFAULT_EMAIL_DELIVERY.supervisors || d.staff !== DEFAULT_EMAIL_DELIVERY.staff || Object.keys(d.departments).length > 0;
  return differs ? JSON.stringify(d) : undefined;
}

export function isSupervisorGroup(departments: DepartmentsFile, code: string): boolean {
  const { level2, level3 } = departments.escalationDepartments;
  return code === level2 || code === level3;
}

export function deliveryOf(delivery: EmailDelivery, departments: DepartmentsFile, code: string): DeliveryMode {
  return delivery.departments[code] ?? (isSupervisorGroup(departments, code) ? delivery.supervisors : delivery.staff);
}

/** The notices a group in digest mode no longer gets one by one: what its digest lists instead. */
export function digestedNotices(departments: DepartmentsFile, code: string): string[] {
  // Warnings reach the supervisors' inbox only (domain/notifications.ts); a department's digest could not list them.
  return isSupervisorGroup(departments, code) ? [NOTICES.escalation, NOTICES.warning] : [NOTICES.escalation];
}

/** A group in digest mode and the inbox its digest reads. */
export interface DigestGroup {
  department: string;
  inbox: Inbox;
  /** Only escalations of at least this level (the mayor's office, as its immediate subscription filters). */
  minLevel?: number;
}

export function digestGroups(delivery: EmailDelivery, departments: DepartmentsFile): DigestGroup[] {
  const { level2, level3 } = departments.escalationDepartments;
  return departments.departments
    .filter((d) => deliveryOf(delivery, departments, d.code) === 'digest')
    .map((d): DigestGroup => {
      if (d.code === level2) return { department: d.code, inbox: { role: 'supervisor' } };
      if (d.code === level3) return { department: d.code, inbox: { role: 'supervisor' }, minLevel: 3 };
      return { department: d.code, inbox: { role: 'staff', department: d.code } };
    });
}
