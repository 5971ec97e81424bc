/**
 * Topics and subscriptions from `config/departments.json`, the same inputs the CDK NotificationTopics construct
 * reads: one topic per department with its subscriptions for the stage, and one escalation topic that the
 * level-2 department follows in full and the level-3 department hears only for level >= 3 (a filter policy on
 * the `level` message attribute, as in infra/constructs/notification-topics.ts).
 *
 * Re-running it (every start) converges: topics are created or their attributes updated, subscriptions the
 * config lists are added, and subscriptions it added earlier that the config no longer lists are removed.
 * Subscriptions someone added by hand (CLI, SDK) are left alone, as CloudFormation would leave them.
 */
import type { Department, DepartmentsFile } from '../../functions/config/schema';
import type { SnsEngine } from './sns';
import type { SnsStore } from './store';

/** Must match ESCALATION_LEVEL_ATTRIBUTE in infra/constructs/notification-topics.ts (not imported: it pulls in aws-cdk-lib). */
export const ESCALATION_LEVEL_ATTRIBUTE = 'level';

export interface ProvisionedTopics {
  /** Department code -> topic ARN, as handlerEnvironment() expects it. */
  departmentTopicArns: Record<string, string>;
  escalationTopicArn: string;
}

interface DesiredSubscription {
  protocol: Department['subscriptions'][number]['protocol'];
  endpoint: string;
  attributes: Record<string, string>;
}

export function departmentTopicName(stage: string, code: string): string {
  return `citydesk-${stage}-${code}`;
}
export function escalationTopicName(stage: string): string {
  return `citydesk-${stage}-escalations`;
}

export function provisionTopics(engine: SnsEngine, store: SnsStore, departments: DepartmentsFile, stage: string): ProvisionedTopics {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(stage)) throw new Error(`provisionFromConfig: stage "${stage}" cannot be part of a topic name`);
  const inStage = (s: Department['subscriptions'][number]) => !s.stages || s.stages.includes(stage);
  const plain = (d: Department): DesiredSubscription[] => d.subscriptions.filter(inStage).map((s) => ({ protocol: s.protocol, endpoint: s.endpoint, attributes: {} }));

  const ensureTopic = (name: string, displayName: string, wanted: DesiredSubscription[]): string => {
    // SHA256 signatures (SignatureVersion 2), as the CDK construct sets.
    const attributes = { DisplayName: displayName.slice(0, 100), SignatureVersion: '2' };
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
  for (const d of departments.departments) departmentTopicArns[d.code] = ensureTopic(departmentTopicName(stage, d.code), `1999 ${d.name.en}`, plain(d));

  const find = (code: string) => {
    const d = departments.departments.find((x) => x.code === code);
    if (!d) throw new Error(`config/departments.json: escalationDepartments names ${code}, which is not a department`);
    return d;
  };
  const { level2, level3 } = departments.escalationDepartments;
  const escalationSubs = plain(find(level2));
  if (level3 !== level2) {
    const onlyLevel3 = JSON.stringify({ [ESCALATION_LEVEL_ATTRIBUTE]: [{ numeric: ['>=', 3] }] });
    for (const s of plain(find(level3)))
      if (!escalationSubs.some((x) => x.protocol === s.protocol && x.endpoint === s.endpoint)) escalationSubs.push({ ...s, attributes: { FilterPolicy: onlyLevel3 } });
  }
  const escalationTopicArn = ensureTopic(escalationTopicName(stage), '1999 escalations', escalationSubs);
  return { departmentTopicArns, escalationTopicArn };
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
