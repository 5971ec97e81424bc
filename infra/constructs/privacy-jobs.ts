/**
 * The privacy area's scheduled jobs (functions/privacy/jobs.ts): one CityDeskFunction and one EventBridge rule
 * per job. Today: the daily retention job that erases reporters' personal data after the retention period.
 */
import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SCHEDULED_JOBS, type ScheduledJob } from '../../functions/privacy/jobs';
import type { StageSettings } from '../stage';
import type { CaseTable } from './case-table';
import { CityDeskFunction } from './function';

export interface PrivacyJobsProps {
  settings: StageSettings;
  table: CaseTable;
  jobs?: readonly ScheduledJob[];
  /** Where handler modules live; default `functions/`. */
  functionsDir?: string;
}

export class PrivacyJobs extends Construct {
  /** Job id -> its function. */
  readonly functions: ReadonlyMap<string, CityDeskFunction>;
  readonly rules: ReadonlyMap<string, Rule>;

  constructor(scope: Construct, id: string, props: PrivacyJobsProps) {
    super(scope, id);
    const functions = new Map<string, CityDeskFunction>();
    const rules = new Map<string, Rule>();
    for (const job of props.jobs ?? SCHEDULED_JOBS) {
      const fn = new CityDeskFunction(this, job.id, {
        handler: job.handler,
        settings: props.settings,
        table: props.table,
        tableAccess: 'RW',
        functionsDir: props.functionsDir,
        description: `CityDesk 1999 ${job.id}: ${job.description} (${props.settings.stage})`,
        // A run works through a bounded budget of cases; what is left continues the next day.
        timeout: Duration.minutes(10),
      });
      // Every function links messages to the console; none of these sends any, but the environment stays uniform.
      fn.bindConsoleUrl(props.settings.consoleUrl);
      const rule = new Rule(this, `${job.id}Schedule`, {
        description: `CityDesk 1999 ${job.id} (${props.settings.stage}), daily`,
        schedule: Schedule.cron({ minute: job.cron.minute, hour: job.cron.hour }),
      });
      // A failed run is retried; a run that keeps failing leaves the job mark where it was, so nothing is skipped.
      rule.addTarget(new LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.hours(6) }));
      functions.set(job.id, fn);
      rules.set(job.id, rule);
    }
    this.functions = functions;
    this.rules = rules;
  }
}
