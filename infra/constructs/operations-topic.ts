/**
 * The stage's operations topic and the SMS delivery-status plumbing, in the stateful stack: alarms (the
 * Operations stack) and the case workflow's recovery path publish here, so it must exist before both.
 * - the topic is encrypted with its own customer-managed key, whose policy lets CloudWatch alarms use it;
 * - its subscribers come from `config/operations.json`, filtered by stage like the department topics';
 * - `deliveryStatusRole` is the role SNS writes SMS delivery status to CloudWatch Logs with. SMS delivery status
 *   is an account setting (SetSMSAttributes), not a topic one: it covers texts to citizens (direct publishes to
 *   a phone number) and SMS subscribers of the topics alike. Unless context `citydesk:accountSmsSettings` is
 *   false, a custom resource sets it on deploy.
 */
import { Construct } from 'constructs';
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { OperationsFile } from '../../functions/config/schema';
import type { StageSettings } from '../stage';
import { DeadLetterQueue } from './dead-letters';
import { subscriptionsInStage } from '../../functions/domain/notification-plan';
import { subscriptionFor } from './notification-topics';

/** Share of successful SMS deliveries SNS logs (failures are always logged): all of them, SMS volume is small. */
export const SMS_SUCCESS_SAMPLE_PERCENT = 100;

export interface OperationsTopicProps {
  settings: StageSettings;
  operations: OperationsFile;
}

export class OperationsTopic extends Construct {
  readonly key: Key;
  readonly topic: Topic;
  readonly deliveryStatusRole: Role;
  readonly httpsDeadLetters: DeadLetterQueue;
  /** Sets the account's SMS delivery-status logging; absent when context `citydesk:accountSmsSettings` is false. */
  readonly accountSmsSettings?: AwsCustomResource;

  constructor(scope: Construct, id: string, props: OperationsTopicProps) {
    super(scope, id);
    const { settings, operations } = props;
    const stack = Stack.of(this);

    this.key = new Key(this, 'Key', {
      description: `CityDesk 1999 (${settings.stage}): encrypts the operations topic (alarms, workflow failures)`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
    });
    // An alarm action publishes as CloudWatch: without these the encrypted topic silently drops every alarm.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: `CityDesk 1999 ${settings.stage} operations`,
      masterKey: this.key,
      enforceSSL: true,
      signatureVersion: '2',
    });
    this.httpsDeadLetters = new DeadLetterQueue(this, 'HttpsDeadLetters', { settings, holds: 'alarm notices an HTTPS subscriber of the operations topic never accepted' });
    for (const s of subscriptionsInStage(operations.subscriptions, settings.stage)) this.topic.addSubscription(subscriptionFor(s, this.httpsDeadLetters.queue));

    // SNS creates and writes the log groups `sns/<region>/<account>/<topic or DirectPublishToPhoneNumber>[/Failure]`.
    this.deliveryStatusRole = new Role(this, 'SmsDeliveryStatusRole', {
      assumedBy: new ServicePrincipal('sns.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `CityDesk 1999 (${settings.stage}): SNS writes SMS delivery status to CloudWatch Logs`,
    });
    const snsLogGroups = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: `sns/${stack.region}/${stack.account}/*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.deliveryStatusRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy'],
        resources: [snsLogGroups],
      }),
    );
    Validations.of(this.deliveryStatusRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/*]`,
      reason: 'SNS names its delivery-status log groups itself (sns/<region>/<account>/<topic or DirectPublishToPhoneNumber>); only that prefix is granted',
    });

    const accountSms: unknown = this.node.tryGetContext('citydesk:accountSmsSettings');
    if (accountSms !== false && accountSms !== 'false') {
      // Account-wide (one per region): when two stages share an account, turn it off in all but one.
      const attributes = {
        DeliveryStatusIAMRole: this.deliveryStatusRole.roleArn,
        DeliveryStatusSuccessSamplingRate: String(SMS_SUCCESS_SAMPLE_PERCENT),
      };
      const call = { service: 'SNS', action: 'setSMSAttributes', parameters: { attributes }, physicalResourceId: PhysicalResourceId.of(`citydesk-${settings.stage}-sms-settings`) };
      this.accountSmsSettings = new AwsCustomResource(this, 'AccountSmsSettings', {
        onCreate: call,
        onUpdate: call,
        installLatestAwsSdk: false,
        policy: AwsCustomResourcePolicy.fromStatements([
          new PolicyStatement({ actions: ['sns:SetSMSAttributes'], resources: ['*'] }),
          new PolicyStatement({ actions: ['iam:PassRole'], resources: [this.deliveryStatusRole.roleArn] }),
        ]),
      });
      Validations.of(this.accountSmsSettings).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'sns:SetSMSAttributes sets account-level SMS preferences and has no resource ARN',
      });
      // The custom resource's provider function is a singleton at the stack root (CDK's fixed id).
      const provider = stack.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
      if (provider)
        Validations.of(provider).acknowledge({
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: "The CDK AwsCustomResource provider's own role (logging only); it runs once per deploy to set the SMS preferences",
        });
    }
  }
}
