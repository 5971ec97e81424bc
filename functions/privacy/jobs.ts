/**
 * Scheduled Lambda functions: CDK creates one function and one EventBridge schedule per entry
 * (infra/constructs/privacy-jobs.ts). Schedules are UTC: 19:00 UTC is 03:00 in Taipei, the quietest hour of
 * the hotline. Besides the privacy area's retention job, the workflow area's stalled-workflow restart and the
 * insight area's early-warning scan.
 */
export interface ScheduledJob {
  /** Construct id and log key. */
  id: string;
  /** Module under functions/, exporting `handler`. */
  handler: string;
  /** EventBridge cron expression fields (UTC). */
  cron: { minute: string; hour: string };
  description: string;
  /**
   * What the job may do beyond reading the table (item reads and Queries, never a Scan): `RW` = every item write;
   * `updateCases` = UpdateItem on case items only; `startWorkflow` = StartExecution (and DescribeExecution of its
   * executions) on the case workflow, with CASE_WORKFLOW_ARN. Default `RW`.
   */
  access?: { table: 'RW' } | { table: 'RO'; updateCases?: boolean; startWorkflow?: boolean };
  /** Erases case files in the attachment bucket (ATTACHMENT_BUCKET_NAME; list and delete every version under `cases/`). */
  erasesAttachments?: boolean;
  /** Publishes new early warnings: EARLY_WARNING_TOPIC_ARN and DEPARTMENT_TOPIC_ARN_PREFIX, and the right to publish to them. */
  publishesWarnings?: boolean;
  /** Publishes the e-mail digests: DIGEST_TOPIC_ARN, the stage's EMAIL_DELIVERY, and the right to publish there. */
  publishesDigests?: boolean;
}

export const SCHEDULED_JOBS: readonly ScheduledJob[] = [
  {
    id: 'ErasePersonalData',
    handler: 'privacy/retention-job',
    cron: { minute: '0', hour: '19' },
    description: "Erase reporters' personal data and the case's files PII_RETENTION_DAYS after their case closed",
    erasesAttachments: true,
  },
  {
    id: 'RestartStalledWorkflows',
    handler: 'workflow/restart-stalled-job',
    cron: { minute: '0/5', hour: '*' },
    description: 'Start the workflow of NEW cases whose start failed, restart dead executions of open cases (functions/usecases/restart-stalled-workflows.ts)',
    access: { table: 'RO', updateCases: true, startWorkflow: true },
  },
  {
    id: 'ScanEarlyWarnings',
    handler: 'insight/early-warning-job',
    // Every quarter hour: a spike is flagged at most 15 minutes (plus the scan) after the call that makes it one.
    cron: { minute: '0/15', hour: '*' },
    description: 'Raise early warnings: spikes against comparable hours, recurring places (functions/usecases/early-warnings.ts)',
    publishesWarnings: true,
  },
  {
    id: 'SendEmailDigests',
    handler: 'insight/email-digest-job',
    // 00:00 UTC is 08:00 in Taipei: the digest is waiting when the working day starts.
    cron: { minute: '0', hour: '0' },
    description: 'One e-mail per recipient group in digest mode listing its console notifications since the last one (functions/usecases/email-digests.ts)',
    publishesDigests: true,
  },
  {
    id: 'TrainCategoryModel',
    handler: 'insight/train-category-model-job',
    // 18:30 UTC is 02:30 in Taipei, after the retention job.
    cron: { minute: '30', hour: '18' },
    description: 'Train the category-suggestion model on the corpus and recent cases (functions/usecases/category-suggestions.ts)',
  },
];
