/**
 * Who hears what, from `config/departments.json`: one topic per department with its subscriptions for the stage,
 * and one escalation topic that the level-2 department (the 1999 supervisors) follows in full and the level-3
 * department (the mayor's office) hears only from level 3 on. CDK (infra/constructs/notification-topics.ts) and
 * the local SNS (local/sns/provision.ts) both build their topics from this plan, so the two cannot disagree.
 */
import type { Department, DepartmentsFile } from '../config/schema';
import { DEFAULT_EMAIL_DELIVERY, deliveryOf, DIGEST_GROUP_ATTRIBUTE, digestedNotices, NOTICE_ATTRIBUTE, type EmailDelivery } from './email-delivery';

/** Message attribute (Number, 1..3) the escalation publisher sets and the level-3 filter policy reads. */
export const ESCALATION_LEVEL_ATTRIBUTE = 'level';

export type PlannedSubscription = Pick<Department['subscriptions'][number], 'protocol' | 'endpoint'> & {
  /** Delivered only for escalations of at least this level (a filter policy on ESCALATION_LEVEL_ATTRIBUTE). */
  minLevel?: number;
  /**
   * Not delivered for these notices (message attribute `notice`): an e-mail subscriber whose group reads them in
   * its daily digest instead (domain/email-delivery.ts).
   */
  withoutNotices?: string[];
  /** On the digest topic: delivered only the digest of this group (message attribute `group`). */
  digestGroup?: string;
};

/** A subscription's filter policy (scope: message attributes) as SNS takes it; undefined = everything. */
export function filterPolicyOf(s: PlannedSubscription): Record<string, unknown[]> | undefined {
  const policy: Record<string, unknown[]> = {};
  if (s.minLevel !== undefined) policy[ESCALATION_LEVEL_ATTRIBUTE] = [{ numeric: ['>=', s.minLevel] }];
  if (s.withoutNotices?.length) policy[NOTICE_ATTRIBUTE] = [{ 'anything-but': s.withoutNotices }];
  if (s.digestGroup !== undefined) policy[DIGEST_GROUP_ATTRIBUTE] = [s.digestGroup];
  return Object.keys(policy).length ? policy : undefined;
}

export interface PlannedTopic {
  /** The department code, or `escalations`: the construct id's and the local topic name's last part. */
  key: string;
  /** The department whose notices it carries; absent for the escalation topic. */
  department?: string;
  /** At most 100 characters, as SNS allows. */
  displayName: string;
  subscriptions: PlannedSubscription[];
}

export const ESCALATION_TOPIC_KEY = 'escalations';

/**
 * A topic's name: `citydesk-<stage>-<key>` (`citydesk-prod-PWD`). Department topics are named so that a function
 * derives a department's topic ARN from one prefix (`arn:aws:sns:<region>:<account>:citydesk-<stage>-`) and the
 * code, instead of carrying every department's ARN in its environment (Lambda allows 4 KB in all).
 */
export function topicName(stage: string, key: string): string {
  return `citydesk-${stage}-${key}`;
}

/** The department's topic ARN under `prefix`, for a department config knows; undefined for any other code. */
export function departmentTopicArn(prefix: string, departments: DepartmentsFile, code: string): string | undefined {
  return departments.departments.some((d) => d.code === code) ? `${prefix}${code}` : undefined;
}

/** Subscriptions of one stage: those without `stages`, and those naming it. */
export function subscriptionsInStage<S extends { stages?: string[] }>(subscriptions: readonly S[], stage: string): S[] {
  return subscriptions.filter((s) => !s.stages || s.stages.includes(stage));
}

/**
 * A department's subscriptions in the stage; its e-mail ones leave out what its digest lists when the group is in
 * digest mode (every publisher of these topics sets the `notice` attribute, which `anything-but` needs).
 */
function planned(d: Department, departments: DepartmentsFile, stage: string, delivery: EmailDelivery): PlannedSubscription[] {
  const digest = deliveryOf(delivery, departments, d.code) === 'digest';
  return subscriptionsInStage(d.subscriptions, stage).map((s) => ({
    protocol: s.protocol,
    endpoint: s.endpoint,
    ...(digest && s.protocol === 'email' ? { withoutNotices: digestedNotices(departments, d.code) } : {}),
  }));
}

export function notificationPlan(departments: DepartmentsFile, stage: string, delivery: EmailDelivery = DEFAULT_EMAIL_DELIVERY): PlannedTopic[] {
  const inStage = (d: Department): PlannedSubscription[] => planned(d, departments, stage, delivery);
  const find = (code: string) => {
    const d = departments.departments.find((x) => x.code === code);
    if (!d) throw new Error(`config/departments.json: escalationDepartments names ${code}, which is not a department`);
    return d;
  };

  const topics: PlannedTopic[] = departments.departments.map((d) => ({ key: d.code, department: d.code, displayName: `1999 ${d.name.en}`.slice(0, 100), subscriptions: inStage(d) }));
  const { level2, level3 } = departments.escalationDepartments;
  const escalation = inStage(find(level2));
  if (level3 !== level2) {
    // A level-3 subscriber that already follows level 2 in full keeps hearing everything, once.
    for (const s of inStage(find(level3)))
      if (!escalation.some((x) => x.protocol === s.protocol && x.endpoint === s.endpoint)) escalation.push({ ...s, minLevel: 3 });
  }
  topics.push({ key: ESCALATION_TOPIC_KEY, displayName: '1999 escalations', subscriptions: escalation });
  return topics;
}

export const EARLY_WARNING_TOPIC_KEY = 'early-warnings';

/**
 * The early-warning topic (new spikes and recurring places): the 1999 supervisors, the level-2 escalation
 * department, follow it. Not part of notificationPlan, whose topics the workflow publishes to.
 */
export function earlyWarningPlan(departments: DepartmentsFile, stage: string, delivery: EmailDelivery = DEFAULT_EMAIL_DELIVERY): PlannedTopic {
  const supervisors = departments.departments.find((x) => x.code === departments.escalationDepartments.level2);
  if (!supervisors) throw new Error(`config/departments.json: escalationDepartments names ${departments.escalationDepartments.level2}, which is not a department`);
  return { key: EARLY_WARNING_TOPIC_KEY, displayName: '1999 early warnings', subscriptions: planned(supervisors, departments, stage, delivery) };
}

export const DIGEST_TOPIC_KEY = 'digests';

/**
 * The digest topic: the e-mail subscribers of every group in digest mode, each filtered to its own group's digest
 * (one message per group a day, from functions/usecases/email-digests.ts). A topic rather than SES: these are the
 * addresses that already confirmed a subscription and can unsubscribe, and a stage needs no verified sender.
 */
export function digestPlan(departments: DepartmentsFile, stage: string, delivery: EmailDelivery = DEFAULT_EMAIL_DELIVERY): PlannedTopic {
  const subscriptions = departments.departments
    .filter((d) => deliveryOf(delivery, departments, d.code) === 'digest')
    .flatMap((d) => subscriptionsInStage(d.subscriptions, stage).filter((s) => s.protocol === 'email').map((s): PlannedSubscription => ({ protocol: s.protocol, endpoint: s.endpoint, digestGroup: d.code })));
  return { key: DIGEST_TOPIC_KEY, displayName: '1999 daily digests', subscriptions };
}
