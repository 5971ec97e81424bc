/**
 * Topics and subscriptions of the notification plan (functions/domain/notification-plan.ts), the one the CDK
 * NotificationTopics construct deploys: one topic per department with its subscriptions for the stage, and the
 * escalation topic whose level-3 subscribers hear only level >= 3 (a filter policy on the `level` attribute).
 *
 * Re-running it (every start) converges: topics are created or their attributes updated, subscriptions the
 * config lists are added, and subscriptions it added earlier that the config no longer lists are removed.
 * Subscriptions someone added by hand (CLI, SDK) are left alone, as CloudFormation would leave them.
 */
import type { DepartmentsFile } from '../../functions/config/schema';
import { DEFAULT_EMAIL_DELIVERY, type EmailDelivery } from '../../functions/domain/email-delivery';
import { digestPlan, earlyWarningPlan, filterPolicyOf, notificationPlan, topicName, type PlannedSubscription } from '../../functions/domain/notification-plan';
import type { SnsEngine } from './sns';
import type { SnsStore } from './store';

export interface ProvisionedTopics {
  /** Department code -> topic ARN (functions get the prefix below, not this map). */
  departmentTopicArns: Record<string, string>;
  /** `arn:aws:sns:<region>:<account>:citydesk-<stage>-`: a department's topic ARN is this and its code. */
  departmentTopicArnPrefix: string;
  escalationTopicArn: string;
  /** The 1999 supervisors' early warnings: the level-2 escalation department's subscribers. */
  earlyWarningTopicArn: string;
  /** The daily e-mail digests, to the e-mail subscribers of the groups in digest mode, each its own group's. */
  digestTopicArn: string;
  /** What CDK's OperationsTopic is on AWS: alarms there, the case workflow's recovery path here too. */
  operationsTopicArn: string;
}

interface DesiredSubscription {
  protocol: PlannedSubscription['protocol'];
  endpoint: string;
  attributes: Record<string, string>;
}

export function provisionTopics(engine: SnsEngine, store: SnsStore, departments: DepartmentsFile, stage: string, delivery: EmailDelivery = DEFAULT_EMAIL_DELIVERY): ProvisionedTopics {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(stage)) throw new Error(`provisionFromConfig: stage "${stage}" cannot be part of a topic name`);
  const desired = (s: PlannedSubscription): DesiredSubscription => {
    const policy = filterPolicyOf(s);
    return { protocol: s.protocol, endpoint: s.endpoint, attributes: policy ? { FilterPolicy: JSON.stringify(policy) } : {} };
  };

  const ensureTopic = (name: string, displayName: string, wanted: DesiredSubscription[]): string => {
    // SHA256 signatures (SignatureVersion 2), as the CDK construct sets.
    const attributes = { DisplayName: displayName, SignatureVersion: '2' };
    const arn = engine.topicArn(name);
    const existing = store.topics.get(arn);
    if (existing) {
      Object.assign(existing.attributes, attributes);
      store.save();
    } else engine.createTopic(name, attributes);
    reconcileSubscriptions(engine, store, arn, wanted);
    return arn;
  };

  const departmentTopicArns: Record<string, string> = {};
  let escalationTopicArn = '';
  for (const planned of notificationPlan(departments, stage, delivery)) {
    const wanted = planned.subscriptions.map(desired);
    // A plan's key is the department code or the escalation topic's: its name's last part either way.
    const arn = ensureTopic(topicName(stage, planned.key), planned.displayName, wanted);
    if (planned.department) departmentTopicArns[planned.department] = arn;
    else escalationTopicArn = arn;
  }
  const warnings = earlyWarningPlan(departments, stage, delivery);
  const earlyWarningTopicArn = ensureTopic(topicName(stage, warnings.key), warnings.displayName, warnings.subscriptions.map(desired));
  const digests = digestPlan(departments, stage, delivery);
  const digestTopicArn = ensureTopic(topicName(stage, digests.key), digests.displayName, digests.subscriptions.map(desired));
  // No subscribers from config (config/operations.json names real people's addresses); subscribe with the SNS API to watch it.
  const operationsTopicArn = ensureTopic(topicName(stage, 'operations'), '1999 operations', []);
  // What functions derive a department's topic ARN from (DEPARTMENT_TOPIC_ARN_PREFIX), as on AWS.
  return { departmentTopicArns, departmentTopicArnPrefix: engine.topicArn(topicName(stage, '')), escalationTopicArn, earlyWarningTopicArn, digestTopicArn, operationsTopicArn };
}

function reconcileSubscriptions(engine: SnsEngine, store: SnsStore, topicArn: string, wanted: DesiredSubscription[]): void {
  const current = store.subscriptionsOf(topicArn);
  for (const s of current) {
    if (!s.provisioned) continue;
    const w = wanted.find((x) => x.protocol === s.protocol && x.endpoint === s.endpoint);
    if (!w) engine.unsubscribe(s.arn);
    else if (JSON.stringify(s.attributes) !== JSON.stringify(w.attributes)) {
      s.attributes = { ...w.attributes };
      store.save();
    }
  }
  for (const w of wanted) {
    if (current.some((s) => s.protocol === w.protocol && s.endpoint === w.endpoint)) continue;
    engine.subscribe(topicArn, w.protocol, w.endpoint, w.attributes, true, true);
  }
}
