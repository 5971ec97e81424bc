/**
 * The scheduled Lambda of the daily e-mail digests (EventBridge, 00:00 UTC = 08:00 in Taipei, before the working
 * day; functions/privacy/jobs.ts, infra/constructs/privacy-jobs.ts). Thin: ports and settings from the composition
 * root, then functions/usecases/email-digests.ts at the scheduled instant (the event's `time`), so a redelivered
 * event finds the cursors moved and sends nothing again.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { emailDigests, loadSecretKeys } from '../composition';
import { logger, logScoped } from '../shared/logger';
import { scheduledInstant } from '../shared/scheduled-instant';
import { sendEmailDigests, type DigestReport } from '../usecases/email-digests';

const deps = emailDigests();

export const handler = logScoped(
  middy<unknown, DigestReport, Error, Context>(async (event: unknown) => {
    await loadSecretKeys();
    const { ports, settings } = await deps();
    const report = await sendEmailDigests(ports, settings, scheduledInstant(event));
    // Group codes and counts only: a digest names cases, never people.
    logger.info('E-mail digests', { groups: settings.groups.length, sent: report.sent, skipped: report.skipped });
    return report;
  }).use(injectLambdaContext(logger, { resetKeys: true })),
);
