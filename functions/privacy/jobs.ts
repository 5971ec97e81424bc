/**
 * Scheduled Lambda functions of the privacy area: CDK creates one function and one EventBridge schedule per
 * entry (infra/constructs/privacy-jobs.ts). Schedules are UTC: 19:00 UTC is 03:00 in Taipei, the quietest hour of
 * the hotline.
 */
export interface ScheduledJob {
  /** Construct id and log key. */
  id: string;
  /** Module under functions/, exporting `handler`. */
  handler: string;
  /** EventBridge cron expression fields (UTC). */
  cron: { minute: string; hour: string };
  description: string;
}

export const SCHEDULED_JOBS: readonly ScheduledJob[] = [
  {
    id: 'ErasePersonalData',
    handler: 'privacy/retention-job',
    cron: { minute: '0', hour: '19' },
    description: "Erase reporters' personal data PII_RETENTION_DAYS after their case closed",
  },
];
