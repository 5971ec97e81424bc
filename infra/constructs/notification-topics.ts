/**
 * SNS topics from `config/departments.json`: one per department and one for escalations, encrypted with a
 * customer-managed key (publishers from Step Functions and Lambda need key grants an AWS-managed key cannot
 * give) and with a policy that refuses publishing without TLS. Which topics and subscriptions (filtered by stage,
 * so dev never e-mails a real department) is the notification plan the local SNS builds from too.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, SubscriptionProtocol, type ITopicSubscription, Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { EmailSubscription, SmsSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { DepartmentsFile } from '../../functions/config/schema';
import { DIGEST_GROUP_ATTRIBUTE, NOTICE_ATTRIBUTE, parseEmailDelivery } from '../../functions/domain/email-delivery';
import { digestPlan, earlyWarningPlan, ESCALATION_LEVEL_ATTRIBUTE, notificationPlan, topicName, type PlannedSubscription } from '../../functions/domain/notification-plan';
import type { StageSettings } from '../stage';
import { DeadLetterQueue } from './dead-letters';

export interface NotificationTopicsProps {
  departments: DepartmentsFile;
  settings: StageSettings;
}

/**
 * The CDK subscription for a configured one. HTTPS deliveries that exhaust SNS's retries go to `deadLetters`
 * (the redrive policy); e-mail and SMS have no dead-letter path worth having (a bounced address is not retried).
 */
export function subscriptionFor(s: PlannedSubscription, deadLetters: IQueue): ITopicSubscription {
  const filters: Record<string, SubscriptionFilter> = {};
  if (s.minLevel !== undefined) filters[ESCALATION_LEVEL_ATTRIBUTE] = SubscriptionFilter.numericFilter({ greaterThanOrEqualTo: s.minLevel });
  if (s.withoutNotices?.length) filters[NOTICE_ATTRIBUTE] = SubscriptionFilter.stringFilter({ denylist: s.withoutNotices });
  if (s.digestGroup !== undefined) filters[DIGEST_GROUP_ATTRIBUTE] = SubscriptionFilter.stringFilter({ allowlist: [s.digestGroup] });
  const filterPolicy = Object.keys(filters).length ? filters : undefined;
  switch (s.protocol) {
    case 'email':
      return new EmailSubscription(s.endpoint, { json: false, filterPolicy });
    case 'sms':
      return new SmsSubscription(s.endpoint, { filterPolicy });
    case 'https':
      return new UrlSubscription(s.endpoint, { protocol: SubscriptionProtocol.HTTPS, filterPolicy, deadLetterQueue: deadLetters });
  }
}

export class NotificationTopics extends Construct {
  readonly key: Key;
  /** Department code -> topic. */
  readonly departmentTopics: ReadonlyMap<string, Topic>;
  readonly escalationTopic: Topic;
  /** New early warnings (spikes, recurring places) for the 1999 supervisors: the level-2 department's subscribers. */
  readonly earlyWarningTopic: Topic;
  /** One daily digest per recipient group in digest mode (settings.emailDelivery), to that group's e-mail subscribers. */
  readonly digestTopic: Topic;
  /** HTTPS deliveries of any of these topics that SNS gave up on. */
  readonly httpsDeadLetters: DeadLetterQueue;
  private readonly stage: string;

  constructor(scope: Construct, id: string, props: NotificationTopicsProps) {
    super(scope, id);
    const { departments, settings } = props;
    this.stage = settings.stage;
    this.httpsDeadLetters = new DeadLetterQueue(this, 'HttpsDeadLetters', { settings, holds: 'department and escalation notices an HTTPS subscriber never accepted' });
    const deadLetters = this.httpsDeadLetters.queue;

    this.key = new Key(this, 'TopicKey', {
      description: `CityDesk 1999 (${settings.stage}): encrypts department and escalation notifications`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
    });

    const topic = (topicId: string, displayName: string, name?: string) =>
      new Topic(this, topicId, {
        displayName,
        ...(name ? { topicName: name } : {}),
        masterKey: this.key,
        enforceSSL: true,
        // SHA256 signatures on HTTPS deliveries, so department webhooks can verify them with a current algorithm.
        signatureVersion: '2',
      });

    const byCode = new Map<string, Topic>();
    let escalation: Topic | undefined;
    // The stage's choice was read without config (infra/stage.ts): its department overrides are checked here.
    const delivery = parseEmailDelivery(settings.emailDelivery, 'context citydesk:emailDelivery', departments);
    for (const planned of notificationPlan(departments, settings.stage, delivery)) {
      // The escalation topic's construct id predates the plan: renaming it would replace the deployed topic.
      // Department topics are named (citydesk-<stage>-<code>), so functions derive their ARNs from one prefix.
      const t = planned.department ? topic(planned.department, planned.displayName, topicName(settings.stage, planned.department)) : topic('Escalation', planned.displayName);
      for (const s of planned.subscriptions) t.addSubscription(subscriptionFor(s, deadLetters));
      if (planned.department) byCode.set(planned.department, t);
      else escalation = t;
    }
    if (!escalation) throw new Error('notificationPlan gave no escalation topic');
    this.departmentTopics = byCode;
    this.escalationTopic = escalation;
    const warnings = earlyWarningPlan(departments, settings.stage, delivery);
    this.earlyWarningTopic = topic('EarlyWarning', warnings.displayName);
    for (const s of warnings.subscriptions) this.earlyWarningTopic.addSubscription(subscriptionFor(s, deadLetters));
    const digests = digestPlan(departments, settings.stage, delivery);
    this.digestTopic = topic('Digest', digests.displayName);
    for (const s of digests.subscriptions) this.digestTopic.addSubscription(subscriptionFor(s, deadLetters));
  }

  get allTopics(): Topic[] {
    return [...this.departmentTopics.values(), this.escalationTopic];
  }

  /** `arn:<partition>:sns:<region>:<account>:citydesk-<stage>-`: the department's code completes its topic ARN. */
  get departmentTopicArnPrefix(): string {
    return Stack.of(this).formatArn({ service: 'sns', resource: topicName(this.stage, ''), arnFormat: ArnFormat.NO_RESOURCE_NAME });
  }

  /**
   * Publish to exactly these topics (default: all of them), with the two key actions SNS needs to encrypt the
   * message. Written out instead of `topic.grantPublish` to avoid `kms:GenerateDataKey*` wildcards.
   */
  grantPublish(grantee: IGrantable, topics: readonly Topic[] = this.allTopics): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: topics.map((t) => t.topicArn) }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [this.key.keyArn] }),
    );
  }
}
