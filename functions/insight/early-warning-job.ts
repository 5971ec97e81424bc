/**
 * The scheduled Lambda of the early-warning scan (EventBridge, every 15 minutes; functions/privacy/jobs.ts,
 * infra/constructs/privacy-jobs.ts). Thin: the ports and settings from the composition root, then
 * functions/usecases/early-warnings.ts at the scheduled instant (the event's `time`, whole minutes), so a
 * redelivered event scans the same window again and changes nothing. The same run rolls up the finished days'
 * trend tallies (usecases/daily-tallies.ts): both read the hourly counters, and a quarter-hour schedule writes
 * yesterday's tally minutes after midnight without a job of its own. It also drops the dashboard's deadline days
 * that no open case counts under any more (usecases/dashboard.ts trimDeadlineDays).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { caseStatistics, earlyWarningScan, loadSecretKeys, tallyPorts } from '../composition';
import { logger, logScoped } from '../shared/logger';
import { scheduledInstant } from '../shared/scheduled-instant';
import { rollUpDailyTallies } from '../usecases/daily-tallies';
import { trimDeadlineDays } from '../usecases/dashboard';
import { scanForWarnings, type ScanReport } from '../usecases/early-warnings';

const deps = earlyWarningScan();

export const handler = logScoped(
  middy<unknown, ScanReport, Error, Context>(async (event: unknown) => {
    await loadSecretKeys();
    const { ports, settings } = await deps();
    const at = scheduledInstant(event);
    const report = await scanForWarnings(ports, settings, at);
    const { rolledUp } = await rollUpDailyTallies(tallyPorts(), at);
    const deadlineDaysDropped = await trimDeadlineDays({ statistics: caseStatistics() }, at);
    logger.info('Early-warning scan', { tested: report.tested, raised: report.raised.length, extended: report.extended.length, notified: report.notified.length, talliesRolledUp: rolledUp.length, deadlineDaysDropped });
    return report;
  }).use(injectLambdaContext(logger, { resetKeys: true })),
);
