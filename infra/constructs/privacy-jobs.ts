/**
 * The privacy area's scheduled jobs (functions/privacy/jobs.ts): one CityDeskFunction and one EventBridge rule
 * per job, with the job's grants. Today: the daily retention job that erases reporters' personal data after the
 * retention period, and the 5-minute job that starts the workflow of NEW cases whose start failed at intake.
 */
import type { AttachmentBucket } from './attachment-bucket';
import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { SCHEDULED_JOBS, type ScheduledJob } from '../../functions/privacy/jobs';
import type { StageSettings } from '../stage';
import type { CaseTable } from './case-table';
import { DeadLetterQueue } from './dead-letters';
import type { NotificationTopics } from './notification-topics';
import { CityDeskFunction } from './function';
import { CaseEntity } from '../../functions/adapters/table';

export interface PrivacyJobsProps {
  settings: StageSettings;
  table: CaseTable;
  /** The case workflow, for jobs with `startWorkflow`. */
  caseWorkflow?: StateMachine;
  /** The notification topics, for jobs that publish warnings. */
  topics?: NotificationTopics;
  /** The attachment bucket, for jobs that erase case files. */
  attachments?: AttachmentBucket;
  jobs?: readonly ScheduledJob[];
  /** Where handler modules live; default `functions/`. */
  functionsDir?: string;
}

export class PrivacyJobs extends Construct {
  /** Job id -> its function. */
  readonly functions: ReadonlyMap<string, CityDeskFunction>;
  readonly rules: ReadonlyMap<string, Rule>;
  /** Job id -> the dead-letter queue of its schedule's target (events EventBridge could not deliver). */
  readonly deadLetters: ReadonlyMap<string, DeadLetterQueue>;
  readonly jobs: readonly ScheduledJob[];

  constructor(scope: Construct, id: string, props: PrivacyJobsProps) {
    super(scope, id);
    const functions = new Map<string, CityDeskFunction>();
    const rules = new Map<string, Rule>();
    const deadLetters = new Map<string, DeadLetterQueue>();
    this.jobs = props.jobs ?? SCHEDULED_JOBS;
    for (const job of this.jobs) {
      const access = job.access ?? { table: 'RW' };
      const fn = new CityDeskFunction(this, job.id, {
        handler: job.handler,
        settings: props.settings,
        table: props.table,
        tableAccess: access.table,
        functionsDir: props.functionsDir,
        description: `CityDesk 1999 ${job.id}: ${job.description} (${props.settings.stage})`,
        // A run works through a bounded budget of cases; what is left continues with the next run.
        timeout: Duration.minutes(10),
      });
      // Every function links messages to the console; none of these sends any, but the environment stays uniform.
      fn.bindConsoleUrl(props.settings.consoleUrl);
      if (access.table === 'RO' && access.updateCases) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['dynamodb:UpdateItem'],
            resources: [props.table.table.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [CaseEntity.key('*').pk] } },
          }),
        );
      }
      if (access.table === 'RO' && access.startWorkflow) {
        if (!props.caseWorkflow) throw new Error(`Scheduled job ${job.id} starts the case workflow: pass caseWorkflow`);
        fn.bindWorkflow(props.caseWorkflow, ['start']);
      }
      if (job.erasesAttachments) {
        if (!props.attachments) throw new Error(`Scheduled job ${job.id} erases case files: pass attachments`);
        fn.bindAttachments(props.attachments, 'erase');
      }
      if (job.publishesWarnings) {
        if (!props.topics) throw new Error(`Scheduled job ${job.id} publishes warnings: pass topics`);
        fn.bindEarlyWarnings(props.topics);
      }
      if (job.publishesDigests) {
        if (!props.topics) throw new Error(`Scheduled job ${job.id} publishes digests: pass topics`);
        fn.bindDigests(props.topics, props.settings.emailDelivery);
      }
      const rule = new Rule(this, `${job.id}Schedule`, {
        description: `CityDesk 1999 ${job.id} (${props.settings.stage}), cron ${job.cron.minute} ${job.cron.hour} UTC`,
        schedule: Schedule.cron({ minute: job.cron.minute, hour: job.cron.hour }),
      });
      // A failed run is retried; a run that keeps failing leaves the job mark where it was, so nothing is skipped.
      // An event EventBridge could not hand to the function at all (throttled, deleted, no permission) lands in
      // the dead-letter queue instead of vanishing, and its alarm fires.
      const dlq = new DeadLetterQueue(this, `${job.id}DeadLetters`, { settings: props.settings, holds: `scheduled runs of ${job.id} EventBridge could not deliver` });
      rule.addTarget(new LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.hours(6), deadLetterQueue: dlq.queue }));
      functions.set(job.id, fn);
      rules.set(job.id, rule);
      deadLetters.set(job.id, dlq);
    }
    this.functions = functions;
    this.rules = rules;
    this.deadLetters = deadLetters;
  }
}

