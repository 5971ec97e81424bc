/**
 * The operations of a stage in the CDK app: every alarm (its metric, threshold and action on the operations
 * topic), the dashboard, the dead-letter queues and their redrive policies, SMS delivery-status logging, and the
 * production subscription check.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadConfig, loadOperationsConfig } from '../../functions/config/load';
import { SCHEDULED_JOBS } from '../../functions/privacy/jobs';
import { PROJECT_ROOT } from '../../infra/constructs/function';
import { RUNBOOK, THRESHOLDS, runWindow } from '../../infra/constructs/operations';
import { checkProductionSubscriptions, MissingSubscribersError, topicsWithoutSubscribers } from '../../infra/subscription-check';
import { buildTestApp, logicalId, sharedTestApp, withSubscribersIn } from './support/app';

const { desk } = sharedTestApp();
const ops = Template.fromStack(desk.operations);
const stateful = Template.fromStack(desk.stateful);
const stateless = Template.fromStack(desk.stateless);
const alarms = ops.findResources('AWS::CloudWatch::Alarm');

type AlarmProps = Record<string, unknown> & { AlarmName: string; Threshold: number; MetricName?: string; Namespace?: string; Metrics?: unknown[]; Dimensions?: Array<{ Name: string; Value: unknown }> };
function alarm(name: string): AlarmProps {
  const found = Object.values(alarms).find((a) => a.Properties.AlarmName === `CityDesk-dev-${name}`);
  if (!found) throw new Error(`no alarm ${name}; have ${Object.values(alarms).map((a) => a.Properties.AlarmName).join(', ')}`);
  return found.Properties as AlarmProps;
}

describe('alarms', () => {
  it('all notify the operations topic of the stateful stack, when they fire and when they clear', () => {
    const topicId = logicalId(desk.stateful.operationsTopic.topic);
    expect(Object.keys(alarms).length).toBeGreaterThan(50);
    for (const a of Object.values(alarms)) {
      const actions = JSON.stringify([a.Properties.AlarmActions, a.Properties.OKActions]);
      expect(a.Properties.AlarmActions).toHaveLength(1);
      expect(a.Properties.OKActions).toHaveLength(1);
      expect(actions).toContain(topicId);
    }
  });

  it('each name a runbook entry of docs/operations.md, and each entry has its heading there', () => {
    const doc = readFileSync(path.join(PROJECT_ROOT, 'docs/operations.md'), 'utf8');
    for (const a of Object.values(alarms)) expect(a.Properties.AlarmDescription).toMatch(/Runbook: docs\/operations\.md#[a-z0-9-]+$/);
    const used = new Set(Object.values(alarms).map((a) => /#([a-z0-9-]+)$/.exec(a.Properties.AlarmDescription as string)![1]));
    expect([...used].sort()).toEqual(Object.keys(RUNBOOK).sort());
    for (const [anchor, title] of Object.entries(RUNBOOK)) {
      expect(doc, anchor).toContain(`<a id="${anchor}"></a>`);
      expect(doc, anchor).toContain(`### ${title}`);
    }
  });

  it('watch the case workflow: failed, timed out, aborted executions, and the recovery path entered', () => {
    for (const [name, metric] of [
      ['WorkflowExecutionsFailed', 'ExecutionsFailed'],
      ['WorkflowExecutionsTimedOut', 'ExecutionsTimedOut'],
      ['WorkflowExecutionsAborted', 'ExecutionsAborted'],
    ] as const)
      expect(alarm(name)).toMatchObject({ Namespace: 'AWS/States', MetricName: metric, Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(JSON.stringify(alarm('WorkflowExecutionsFailed').Dimensions)).toContain(logicalId(desk.stateless.caseWorkflow.stateMachine));
    expect(alarm('WorkflowRecoveryEntered')).toMatchObject({ Namespace: 'CityDesk1999', MetricName: 'WorkflowRecoveryEntered', Threshold: THRESHOLDS.workflowRecoveries });
    ops.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.type = "*StateEntered") && ($.details.name = "WorkflowFailed*") }',
      MetricTransformations: [{ MetricNamespace: 'CityDesk1999', MetricName: 'WorkflowRecoveryEntered', MetricValue: '1' }],
    });
  });

  it('watch every function: errors, throttles, and maximum duration at 80% of its timeout', () => {
    const functions = [...desk.stateless.api.functions.values(), ...desk.stateless.caseWorkflow.functions.values(), ...desk.stateless.privacyJobs.functions.values()];
    expect(Object.values(alarms).filter((a) => a.Properties.MetricName === 'Errors' && a.Properties.Namespace === 'AWS/Lambda')).toHaveLength(functions.length);
    const apiFn = desk.stateless.api.functions.get('api/handlers/create-case')!;
    expect(alarm('ApiCreateCaseErrors')).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Threshold: 1 });
    expect(alarm('ApiCreateCaseThrottles')).toMatchObject({ MetricName: 'Throttles', Statistic: 'Sum', Threshold: 1 });
    expect(alarm('ApiCreateCaseDurationNearTimeout')).toMatchObject({ MetricName: 'Duration', Statistic: 'Maximum', Threshold: 8000 });
    expect(alarm('ApiCreateCaseErrors').Dimensions).toEqual([{ Name: 'FunctionName', Value: expect.anything() }]);
    expect(JSON.stringify(alarm('ApiCreateCaseErrors').Dimensions)).toContain(logicalId(apiFn));
    // A 10-minute job: alarmed at 8 minutes.
    expect(alarm('JobErasePersonalDataDurationNearTimeout').Threshold).toBe(480_000);
    expect(alarm('WorkflowEscalateCaseDurationNearTimeout').Threshold).toBe(24_000);
  });

  it('watch the HTTP API: 5xx rate, p99 latency, 4xx spikes', () => {
    const fiveXx = alarm('Api5xxRate');
    expect(fiveXx).toMatchObject({ Threshold: THRESHOLDS.api5xxPercent, ComparisonOperator: 'GreaterThanThreshold' });
    expect(JSON.stringify(fiveXx.Metrics)).toContain('IF(requests >= 10, 100 * errors / requests, 0)');
    expect(JSON.stringify(fiveXx.Metrics)).toContain('"MetricName":"5xx"');
    expect(JSON.stringify(fiveXx.Metrics)).toContain('"MetricName":"Count"');
    expect(alarm('ApiP99Latency')).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: 'Latency', ExtendedStatistic: 'p99', Threshold: 2500, EvaluationPeriods: 3 });
    const fourXx = alarm('Api4xxSpike');
    expect(fourXx).toMatchObject({ Threshold: 25, EvaluationPeriods: 2 });
    expect(JSON.stringify(fourXx.Metrics)).toContain('"MetricName":"4xx"');
  });

  it('watch the Open311 API too: its 5xx rate and p99 latency, on its own API', () => {
    const fiveXx = alarm('Open3115xxRate');
    expect(fiveXx).toMatchObject({ Threshold: THRESHOLDS.api5xxPercent, ComparisonOperator: 'GreaterThanThreshold' });
    expect(JSON.stringify(fiveXx.Metrics)).toContain('"MetricName":"5xx"');
    expect(JSON.stringify(fiveXx.Metrics)).toContain(logicalId(desk.stateless.api.open311Api));
    expect(alarm('Open311P99Latency')).toMatchObject({ MetricName: 'Latency', ExtendedStatistic: 'p99', Threshold: THRESHOLDS.apiP99LatencyMs });
  });

  it('watch the table: throttled requests and system errors summed over the operations the functions use', () => {
    for (const [name, metric] of [['TableThrottledRequests', 'ThrottledRequests'], ['TableSystemErrors', 'SystemErrors']] as const) {
      const a = alarm(name);
      expect(a.Threshold).toBe(1);
      const metrics = JSON.stringify(a.Metrics);
      expect(metrics).toContain(`"MetricName":"${metric}"`);
      for (const op of ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'TransactWriteItems']) expect(metrics).toContain(`"Value":"${op}"`);
    }
  });

  it('watch every notification topic for failed deliveries', () => {
    const topics = loadConfig().departments.departments.length + 1;
    const failed = Object.values(alarms).filter((a) => a.Properties.MetricName === 'NumberOfNotificationsFailed');
    expect(failed).toHaveLength(topics);
    expect(alarm('TopicPWDNotificationsFailed')).toMatchObject({ Namespace: 'AWS/SNS', Statistic: 'Sum', Threshold: 1 });
    expect(JSON.stringify(alarm('TopicEscalationNotificationsFailed').Dimensions)).toContain('TopicName');
  });

  it('watch SMS spend against the configured monthly limit, SMS success rate, SES bounces and complaints', () => {
    const limit = loadOperationsConfig().smsMonthlySpendLimitUsd.dev;
    expect(alarm('SmsSpend')).toMatchObject({ Namespace: 'AWS/SNS', MetricName: 'SMSMonthToDateSpentUSD', Threshold: limit * 0.8, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(alarm('SmsSuccessRate')).toMatchObject({ Namespace: 'AWS/SNS', MetricName: 'SMSSuccessRate', Threshold: 0.9, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'notBreaching' });
    expect(alarm('SesBounceRate')).toMatchObject({ Namespace: 'AWS/SES', MetricName: 'Reputation.BounceRate', Threshold: 0.025 });
    expect(alarm('SesComplaintRate')).toMatchObject({ Namespace: 'AWS/SES', MetricName: 'Reputation.ComplaintRate', Threshold: 0.0005 });
  });

  it('watch each scheduled job: failed invocations, and no run in its window (missing data counts)', () => {
    for (const job of SCHEDULED_JOBS) {
      expect(alarm(`${job.id}FailedInvocations`)).toMatchObject({ Namespace: 'AWS/Events', MetricName: 'FailedInvocations', Threshold: 1 });
      const late = alarm(`${job.id}DidNotRun`);
      expect(late).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Invocations', Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching' });
      expect((late.Period as number) * (late.EvaluationPeriods as number)).toBe(runWindow(job.cron).toSeconds());
    }
    // The daily retention job: late after 26 hours; the 5-minute restart job after 15 minutes.
    expect(runWindow({ minute: '0', hour: '19' }).toHours()).toBe(26);
    expect(runWindow({ minute: '0/5', hour: '*' }).toMinutes()).toBe(15);
  });

  it('fire on the first message in any dead-letter queue', () => {
    const names = ['HttpsSubscriptionsDeadLetters', 'OperationsHttpsSubscriptionsDeadLetters', ...SCHEDULED_JOBS.map((j) => `Job${j.id}DeadLetters`)];
    for (const name of names)
      expect(alarm(name)).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum', Threshold: 1 });
  });
});

describe('dashboard', () => {
  it('shows the alarms, the service figures and the business figures of the stage', () => {
    const dashboards = Object.values(ops.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0].Properties.DashboardName).toBe('CityDesk-dev');
    // The body is a Fn::Join of JSON text and references: its literal parts, joined, are the JSON as written.
    const parts = dashboards[0].Properties.DashboardBody['Fn::Join'][1] as unknown[];
    const body = parts.filter((p): p is string => typeof p === 'string').join('');
    for (const figure of ['CasesCreated', 'SlaBreaches', 'Escalations', 'CitizenNoticesSent', 'CitizenNoticesFailed', 'SmsCapsReached', 'SurveysSatisfied', 'SurveysUnsatisfied', 'WorkflowRepairs'])
      expect(body).toContain(`SEARCH('{CityDesk1999} MetricName=\\"${figure}\\" stage=\\"dev\\"', 'Sum', 3600)`);
    for (const service of ['ExecutionsFailed', 'Latency', 'ThrottledRequests', 'SMSMonthToDateSpentUSD', 'ApproximateNumberOfMessagesVisible', 'FailedInvocations'])
      expect(body).toContain(`"${service}"`);
    expect(body).toContain('"type":"alarm"');
  });
});

describe('failure destinations', () => {
  it('every HTTPS subscription has a redrive policy to the encrypted dead-letter queue', () => {
    const subscriptions = Object.values(stateful.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'https' } }));
    expect(subscriptions.length).toBeGreaterThan(0);
    const dlqs = [desk.stateful.topics.httpsDeadLetters.queue, desk.stateful.operationsTopic.httpsDeadLetters.queue].map((q) => logicalId(q));
    for (const s of subscriptions) expect(dlqs).toContain(s.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]);
    // SNS may send to the queue (only for these topics).
    stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sqs:SendMessage', Principal: { Service: 'sns.amazonaws.com' } })]) },
    });
  });

  it('every scheduled job target has a dead-letter queue, after two retries within six hours', () => {
    for (const job of SCHEDULED_JOBS) {
      const dlq = desk.stateless.privacyJobs.deadLetters.get(job.id)!;
      stateless.hasResourceProperties('AWS::Events::Rule', {
        Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(dlq.queue), 'Arn'] } }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 } })],
      });
    }
  });

  it('dead-letter queues are encrypted, TLS only, and keep messages 14 days', () => {
    for (const t of [stateful, stateless]) {
      const queues = Object.values(t.findResources('AWS::SQS::Queue'));
      expect(queues.length).toBeGreaterThan(0);
      for (const q of queues) expect(q.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
      t.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
  });

  it('SMS delivery status is logged through a role SNS assumes, set on the account by a custom resource', () => {
    const roleId = logicalId(desk.stateful.operationsTopic.deliveryStatusRole);
    const role = stateful.toJSON().Resources[roleId];
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('sns.amazonaws.com');
    const custom = Object.values(stateful.findResources('Custom::AWS'));
    expect(custom).toHaveLength(1);
    const create = JSON.stringify(custom[0].Properties.Create);
    expect(create).toContain('setSMSAttributes');
    expect(create).toContain('DeliveryStatusIAMRole');
    expect(create).toContain(roleId);
    expect(create).toContain('DeliveryStatusSuccessSamplingRate');
  });

  it('the operations topic is encrypted with its own key, which CloudWatch alarms may use', () => {
    stateful.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'CityDesk 1999 dev operations', KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(desk.stateful.operationsTopic.key), 'Arn'] } });
    const key = stateful.toJSON().Resources[logicalId(desk.stateful.operationsTopic.key)];
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
    );
    stateful.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'citydesk-ops@example.org' });
  });
});

describe('production subscriptions', () => {
  const shipped = loadConfig().departments;
  const operations = loadOperationsConfig();

  it('the shipped config stops a prod synth, naming every department, both escalation levels and the operations topic', () => {
    let error: unknown;
    try {
      buildTestApp({ stage: 'prod', sources: { departments: shipped, operations } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingSubscribersError);
    const message = (error as Error).message;
    expect(message).toContain('Stage prod is a production stage');
    for (const d of shipped.departments.filter((x) => x.receivesCases)) expect(message).toContain(`department ${d.code} (`);
    expect(message).toContain('escalation level 2 (department RDEC)');
    expect(message).toContain('escalation level 3 (department MAYOR)');
    expect(message).toContain('the operations topic (config/operations.json)');
    expect(message).toContain('subscriptionsManagedOutsideCdk');
  });

  it('passes when every one has a prod subscriber, and names only those still missing', () => {
    const given = withSubscribersIn('prod');
    expect(topicsWithoutSubscribers(given.departments, given.operations, 'prod')).toEqual([]);
    expect(() => checkProductionSubscriptions(given.departments, given.operations, 'prod')).not.toThrow();
    const withoutPwd = { ...given.departments, departments: given.departments.departments.map((d) => (d.code === 'PWD' ? { ...d, subscriptions: [] } : d)) };
    expect(topicsWithoutSubscribers(withoutPwd, given.operations, 'prod')).toEqual(['department PWD (Public Works Department): its case notices and level-1 escalations']);
  });

  it('passes when the config says the stage subscribes outside CDK', () => {
    expect(() => checkProductionSubscriptions({ ...shipped, subscriptionsManagedOutsideCdk: ['prod'] }, operations, 'prod')).not.toThrow();
    expect(() => checkProductionSubscriptions({ ...shipped, subscriptionsManagedOutsideCdk: ['test'] }, operations, 'prod')).toThrow(MissingSubscribersError);
  });

  it('does not apply to dev', () => {
    expect(() => buildTestApp({ stage: 'dev', sources: { departments: shipped, operations } })).not.toThrow();
  });
});
