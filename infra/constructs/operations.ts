/**
 * The stage's alarms and its CloudWatch dashboard. Every alarm notifies the operations topic (in the stateful
 * stack) when it fires and when it clears, is named `CityDesk-<stage>-<what>`, and points at its runbook entry
 * in docs/operations.md (RUNBOOK below lists the entries; a test holds the doc to it). Thresholds are in
 * THRESHOLDS, so the runbook, the tests and the closing note quote one set of figures.
 */
import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
  TreatMissingData,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Rule } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { BUSINESS_METRICS, METRICS_NAMESPACE } from '../../functions/shared/business-metrics';
import type { StageSettings } from '../stage';
import type { DeadLetterQueue } from './dead-letters';

/** Runbook entries in docs/operations.md, by anchor: every alarm belongs to exactly one. */
export const RUNBOOK = {
  'workflow-executions-failed': 'Case workflow: executions failed',
  'workflow-executions-timed-out': 'Case workflow: executions timed out',
  'workflow-executions-aborted': 'Case workflow: executions aborted',
  'workflow-recovery-entered': 'Case workflow: recovery path entered',
  'lambda-errors': 'Lambda: errors',
  'lambda-throttles': 'Lambda: throttles',
  'lambda-duration-near-timeout': 'Lambda: duration near the timeout',
  'api-5xx-rate': 'HTTP API: 5xx rate',
  'api-p99-latency': 'HTTP API: p99 latency',
  'api-4xx-spike': 'HTTP API: 4xx spike',
  'dynamodb-throttles': 'DynamoDB: throttled requests',
  'dynamodb-system-errors': 'DynamoDB: system errors',
  'sns-notifications-failed': 'SNS: failed notifications',
  'sms-spend': 'SMS: spend against the monthly limit',
  'sms-success-rate': 'SMS: success rate',
  'ses-bounce-rate': 'SES: bounce rate',
  'ses-complaint-rate': 'SES: complaint rate',
  'job-failed-invocations': 'Scheduled job: failed invocations',
  'job-did-not-run': 'Scheduled job: did not run in its window',
  'dead-letters': 'Dead-letter queue: a message',
} as const;
export type RunbookEntry = keyof typeof RUNBOOK;

/** The figures the alarms compare against. Periods are 5 minutes unless stated. */
export const THRESHOLDS = {
  /** Executions failed / timed out / aborted in 5 minutes: one is a case without a workflow. */
  workflowExecutions: 1,
  /** Entries into the recovery path in 5 minutes. */
  workflowRecoveries: 1,
  lambdaErrors: 1,
  lambdaThrottles: 1,
  /** Maximum duration in 5 minutes, as a share of the function's timeout. */
  lambdaDurationShareOfTimeout: 0.8,
  /** 5xx responses as % of requests in 5 minutes, when there were at least api5xxMinRequests. */
  api5xxPercent: 1,
  api5xxMinRequests: 10,
  /** p99 latency (ms), three 5-minute periods in a row. */
  apiP99LatencyMs: 2500,
  apiP99Periods: 3,
  /** 4xx responses as % of requests, two 5-minute periods in a row, with at least api4xxMinRequests each. */
  api4xxPercent: 25,
  api4xxMinRequests: 50,
  dynamoThrottledRequests: 1,
  dynamoSystemErrors: 1,
  /** Notifications SNS gave up on, per topic, in 5 minutes. */
  snsNotificationsFailed: 1,
  /** Share of the SMS monthly spend limit (config/operations.json) spent this month. */
  smsSpendShareOfLimit: 0.8,
  /** SMS success rate (0..1) over an hour with texts sent. */
  smsSuccessRate: 0.9,
  /** SES reputation (0..1): AWS reviews an account at 5% bounces and 0.1% complaints; we hear half-way. */
  sesBounceRate: 0.025,
  sesComplaintRate: 0.0005,
  jobFailedInvocations: 1,
  /** Messages visible in a dead-letter queue. */
  deadLetterMessages: 1,
} as const;

/** The period after which a job that has not run is late: a daily job gets 26 hours, a frequent one 3 of its intervals. */
export function runWindow(cron: { minute: string; hour: string }): Duration {
  const every = /^(?:\d+|\*)\/(\d+)$/.exec(cron.minute);
  if (cron.hour === '*' && every) return Duration.minutes(Math.max(15, 3 * Number(every[1])));
  if (cron.hour === '*') return Duration.hours(3);
  return Duration.hours(26);
}

export interface ScheduledJobWatch {
  id: string;
  fn: IFunction;
  rule: Rule;
  cron: { minute: string; hour: string };
}

export interface WatchedFunction {
  id: string;
  fn: IFunction;
  timeout: Duration;
}

export interface OperationsProps {
  settings: StageSettings;
  topic: ITopic;
  workflow: { stateMachine: StateMachine; logGroup: ILogGroup; recoveryStatePrefix: string };
  functions: readonly WatchedFunction[];
  api: HttpApi;
  /** Open311's own HTTP API (any-origin CORS): its 5xx and latency are watched like the case API's. */
  open311Api?: HttpApi;
  table: ITableV2;
  /** Department code (or `escalation`) -> topic. */
  notificationTopics: ReadonlyMap<string, ITopic>;
  jobs: readonly ScheduledJobWatch[];
  deadLetters: ReadonlyMap<string, DeadLetterQueue>;
  smsMonthlySpendLimitUsd: number;
}

/** The DynamoDB operations the functions use (alarm math takes at most 10 metrics). */
const TABLE_OPERATIONS = ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchGetItem', 'BatchWriteItem', 'TransactWriteItems'] as const;

export class Operations extends Construct {
  readonly dashboard: Dashboard;
  /** Alarm id -> alarm, with its runbook entry. */
  readonly alarms = new Map<string, { alarm: Alarm; runbook: RunbookEntry }>();
  private readonly props: OperationsProps;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.props = props;
    const { workflow, api, table } = props;
    const five = Duration.minutes(5);
    const sm = workflow.stateMachine;

    // Case workflow.
    this.alarmOn('WorkflowExecutionsFailed', 'workflow-executions-failed', sm.metricFailed({ period: five, statistic: 'Sum' }), THRESHOLDS.workflowExecutions);
    this.alarmOn('WorkflowExecutionsTimedOut', 'workflow-executions-timed-out', sm.metricTimedOut({ period: five, statistic: 'Sum' }), THRESHOLDS.workflowExecutions);
    this.alarmOn('WorkflowExecutionsAborted', 'workflow-executions-aborted', sm.metricAborted({ period: five, statistic: 'Sum' }), THRESHOLDS.workflowExecutions);
    // The execution log (no execution data, but state names) shows each entry into the recovery path.
    const recovery = new MetricFilter(this, 'WorkflowRecoveryFilter', {
      logGroup: workflow.logGroup,
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.type', '=', '*StateEntered'),
        FilterPattern.stringValue('$.details.name', '=', `${workflow.recoveryStatePrefix}*`),
      ),
      metricNamespace: METRICS_NAMESPACE,
      metricName: 'WorkflowRecoveryEntered',
      metricValue: '1',
    });
    this.alarmOn('WorkflowRecoveryEntered', 'workflow-recovery-entered', recovery.metric({ period: five, statistic: 'Sum' }), THRESHOLDS.workflowRecoveries);

    // Lambda, per function.
    for (const { id: fnId, fn, timeout } of props.functions) {
      this.alarmOn(`${fnId}Errors`, 'lambda-errors', fn.metricErrors({ period: five, statistic: 'Sum' }), THRESHOLDS.lambdaErrors);
      this.alarmOn(`${fnId}Throttles`, 'lambda-throttles', fn.metricThrottles({ period: five, statistic: 'Sum' }), THRESHOLDS.lambdaThrottles);
      this.alarmOn(
        `${fnId}DurationNearTimeout`,
        'lambda-duration-near-timeout',
        fn.metricDuration({ period: five, statistic: 'Maximum' }),
        Math.round(timeout.toMilliseconds() * THRESHOLDS.lambdaDurationShareOfTimeout),
      );
    }

    // HTTP API.
    const requests = api.metricCount({ period: five, statistic: 'Sum' });
    const rate = (errors: IMetric, min: number, label: string) =>
      new MathExpression({ expression: `IF(requests >= ${min}, 100 * errors / requests, 0)`, usingMetrics: { errors, requests }, period: five, label });
    this.alarmOn('Api5xxRate', 'api-5xx-rate', rate(api.metricServerError({ period: five, statistic: 'Sum' }), THRESHOLDS.api5xxMinRequests, '5xx % of requests'), THRESHOLDS.api5xxPercent, {
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.alarmOn('ApiP99Latency', 'api-p99-latency', api.metricLatency({ period: five, statistic: 'p99' }), THRESHOLDS.apiP99LatencyMs, {
      evaluationPeriods: THRESHOLDS.apiP99Periods,
    });
    // Open311 on its own API: faults and slowness alarm as on the case API; its 4xx are citizen apps' mistakes.
    if (props.open311Api) {
      const o = props.open311Api;
      const openRequests = o.metricCount({ period: five, statistic: 'Sum' });
      const openRate = new MathExpression({
        expression: `IF(requests >= ${THRESHOLDS.api5xxMinRequests}, 100 * errors / requests, 0)`,
        usingMetrics: { errors: o.metricServerError({ period: five, statistic: 'Sum' }), requests: openRequests },
        period: five,
        label: 'Open311 5xx % of requests',
      });
      this.alarmOn('Open3115xxRate', 'api-5xx-rate', openRate, THRESHOLDS.api5xxPercent, { comparison: ComparisonOperator.GREATER_THAN_THRESHOLD });
      this.alarmOn('Open311P99Latency', 'api-p99-latency', o.metricLatency({ period: five, statistic: 'p99' }), THRESHOLDS.apiP99LatencyMs, { evaluationPeriods: THRESHOLDS.apiP99Periods });
    }
    this.alarmOn('Api4xxSpike', 'api-4xx-spike', rate(api.metricClientError({ period: five, statistic: 'Sum' }), THRESHOLDS.api4xxMinRequests, '4xx % of requests'), THRESHOLDS.api4xxPercent, {
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
    });

    // DynamoDB.
    this.alarmOn('TableThrottledRequests', 'dynamodb-throttles', table.metricThrottledRequestsForOperations({ operations: [...TABLE_OPERATIONS] as never, period: five }), THRESHOLDS.dynamoThrottledRequests);
    this.alarmOn('TableSystemErrors', 'dynamodb-system-errors', table.metricSystemErrorsForOperations({ operations: [...TABLE_OPERATIONS] as never, period: five }), THRESHOLDS.dynamoSystemErrors);

    // SNS topics, SMS, SES.
    for (const [code, topic] of props.notificationTopics)
      this.alarmOn(`Topic${code.replace(/[^A-Za-z0-9]/g, '')}NotificationsFailed`, 'sns-notifications-failed', topic.metricNumberOfNotificationsFailed({ period: five, statistic: 'Sum' }), THRESHOLDS.snsNotificationsFailed);
    this.alarmOn('SmsSpend', 'sms-spend', smsSpend(), Number((props.smsMonthlySpendLimitUsd * THRESHOLDS.smsSpendShareOfLimit).toFixed(2)));
    this.alarmOn('SmsSuccessRate', 'sms-success-rate', smsSuccessRate(), THRESHOLDS.smsSuccessRate, { comparison: ComparisonOperator.LESS_THAN_THRESHOLD });
    this.alarmOn('SesBounceRate', 'ses-bounce-rate', sesReputation('Reputation.BounceRate'), THRESHOLDS.sesBounceRate);
    this.alarmOn('SesComplaintRate', 'ses-complaint-rate', sesReputation('Reputation.ComplaintRate'), THRESHOLDS.sesComplaintRate);

    // Scheduled jobs: a run that failed, and a run that did not happen (the retention job is a legal duty).
    for (const job of props.jobs) {
      const failed = new Metric({ namespace: 'AWS/Events', metricName: 'FailedInvocations', dimensionsMap: { RuleName: job.rule.ruleName }, period: five, statistic: 'Sum' });
      this.alarmOn(`${job.id}FailedInvocations`, 'job-failed-invocations', failed, THRESHOLDS.jobFailedInvocations);
      const window = runWindow(job.cron);
      const hourly = window.toMinutes() >= 60;
      const period = hourly ? Duration.hours(1) : five;
      this.alarmOn(`${job.id}DidNotRun`, 'job-did-not-run', job.fn.metricInvocations({ period, statistic: 'Sum' }), 1, {
        comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: Math.round(window.toMinutes() / period.toMinutes()),
        // No data at all is the strongest sign that nothing ran.
        treatMissingData: TreatMissingData.BREACHING,
      });
    }

    // Dead-letter queues: any message.
    for (const [dlqId, dlq] of props.deadLetters)
      this.alarmOn(`${dlqId}DeadLetters`, 'dead-letters', dlq.queue.metricApproximateNumberOfMessagesVisible({ period: five, statistic: 'Maximum' }), THRESHOLDS.deadLetterMessages, {
        description: `Messages in the dead-letter queue of ${dlq.holds}`,
      });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `CityDesk-${props.settings.stage}`,
      defaultInterval: Duration.hours(24),
      widgets: this.widgets(),
    });
  }

  private alarmOn(
    id: string,
    runbook: RunbookEntry,
    metric: IMetric,
    threshold: number,
    options: { comparison?: ComparisonOperator; evaluationPeriods?: number; treatMissingData?: TreatMissingData; description?: string } = {},
  ): Alarm {
    const stage = this.props.settings.stage;
    const alarm = new Alarm(this, id, {
      alarmName: `CityDesk-${stage}-${id}`,
      alarmDescription: `${options.description ?? RUNBOOK[runbook]} (CityDesk 1999 ${stage}). Runbook: docs/operations.md#${runbook}`,
      metric,
      threshold,
      comparisonOperator: options.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.props.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.set(id, { alarm, runbook });
    return alarm;
  }

  private widgets(): IWidget[][] {
    const { workflow, api, table, functions, props } = { ...this.props, props: this.props };
    const five = Duration.minutes(5);
    const sm = workflow.stateMachine;
    const hour = Duration.hours(1);
    const business = (metric: keyof typeof BUSINESS_METRICS, label: string) =>
      new MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE}} MetricName="${BUSINESS_METRICS[metric].name}" stage="${props.settings.stage}"', 'Sum', 3600)`,
        label,
        period: hour,
      });
    const width = 8;
    return [
      [new TextWidget({ markdown: `# CityDesk 1999 (${props.settings.stage})\nAlarms, their runbook: docs/operations.md. Business figures per hour.`, width: 24, height: 2 })],
      [new AlarmStatusWidget({ title: 'Alarms', alarms: [...this.alarms.values()].map((a) => a.alarm), width: 24, height: 6 })],
      [
        new GraphWidget({ title: 'Cases created (channel, category)', left: [business('casesCreated', '')], width, stacked: true }),
        new GraphWidget({ title: 'SLA breaches and escalations', left: [business('slaBreaches', ''), business('escalations', '')], width }),
        new GraphWidget({ title: 'Citizen notices sent / failed', left: [business('citizenNoticesSent', ''), business('citizenNoticesFailed', '')], width }),
      ],
      [
        new GraphWidget({ title: 'Surveys', left: [business('surveysSatisfied', ''), business('surveysUnsatisfied', '')], width }),
        new GraphWidget({ title: 'SMS caps reached, workflow repairs', left: [business('smsCapsReached', ''), business('workflowRepairs', '')], width }),
        new SingleValueWidget({ title: 'SMS spent this month (USD)', metrics: [smsSpend()], width }),
      ],
      [
        new GraphWidget({
          title: 'Case workflow executions',
          left: [sm.metricStarted({ period: five }), sm.metricSucceeded({ period: five }), sm.metricFailed({ period: five }), sm.metricTimedOut({ period: five }), sm.metricAborted({ period: five })],
          width,
        }),
        new GraphWidget({ title: 'API requests, 4xx, 5xx', left: [api.metricCount({ period: five }), api.metricClientError({ period: five }), api.metricServerError({ period: five })], width }),
        new GraphWidget({ title: 'API latency p50 / p99 (ms)', left: [api.metricLatency({ period: five, statistic: 'p50' }), api.metricLatency({ period: five, statistic: 'p99' })], width }),
      ],
      [
        new GraphWidget({ title: 'Lambda errors', left: functions.map((f) => f.fn.metricErrors({ period: five, label: f.id })), width: 12 }),
        new GraphWidget({ title: 'Lambda throttles', left: functions.map((f) => f.fn.metricThrottles({ period: five, label: f.id })), width: 12 }),
      ],
      [
        // Two graphs: both sums name their per-operation metrics alike, and one graph cannot hold the same id twice.
        new GraphWidget({ title: 'DynamoDB throttled requests', left: [table.metricThrottledRequestsForOperations({ operations: [...TABLE_OPERATIONS] as never, period: five })], width: 12 }),
        new GraphWidget({ title: 'DynamoDB system errors', left: [table.metricSystemErrorsForOperations({ operations: [...TABLE_OPERATIONS] as never, period: five })], width: 12 }),
      ],
      [
        new GraphWidget({
          title: 'SNS failed notifications (all topics)',
          left: [new MathExpression({ expression: `SEARCH('{AWS/SNS,TopicName} MetricName="NumberOfNotificationsFailed"', 'Sum', 300)`, label: '', period: five })],
          width,
        }),
        new GraphWidget({ title: 'SMS success rate, SES bounce / complaint rate', left: [smsSuccessRate()], right: [sesReputation('Reputation.BounceRate'), sesReputation('Reputation.ComplaintRate')], width }),
        new GraphWidget({ title: 'Dead-letter queues (visible)', left: [...props.deadLetters].map(([dlqId, d]) => d.queue.metricApproximateNumberOfMessagesVisible({ period: five, label: dlqId, statistic: 'Maximum' })), width }),
      ],
      [
        new GraphWidget({
          title: 'Scheduled jobs: runs and failed invocations',
          left: props.jobs.map((j) => j.fn.metricInvocations({ period: hour, label: `${j.id} runs` })),
          right: props.jobs.map((j) => new Metric({ namespace: 'AWS/Events', metricName: 'FailedInvocations', dimensionsMap: { RuleName: j.rule.ruleName }, period: hour, statistic: 'Sum', label: `${j.id} failed` })),
          width: 24,
        }),
      ],
    ];
  }
}

/** Account-wide SNS figures (no dimensions). */
function smsSpend(): Metric {
  return new Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', period: Duration.hours(1), statistic: 'Maximum' });
}

function smsSuccessRate(): Metric {
  return new Metric({ namespace: 'AWS/SNS', metricName: 'SMSSuccessRate', period: Duration.hours(1), statistic: 'Average' });
}

function sesReputation(metricName: 'Reputation.BounceRate' | 'Reputation.ComplaintRate'): Metric {
  return new Metric({ namespace: 'AWS/SES', metricName, period: Duration.hours(1), statistic: 'Maximum' });
}
