/**
 * The daily e-mail digests (scheduled job `SendEmailDigests`, functions/privacy/jobs.ts): for every recipient group
 * in digest mode (domain/email-delivery.ts), one e-mail listing what its console inbox received since its last
 * digest, published to the digest topic with the group as a message attribute, so that only the group's e-mail
 * subscribers get it. Steps, per group:
 * 1. read the group's cursor (the last notification id a digest listed); before the first digest, the last day;
 * 2. read the inbox's notifications after it, oldest first, up to READ_LIMIT, and stop at `at` minus SETTLE_MS: a
 *    change committed a moment late may carry an earlier time, and the next digest would skip it otherwise;
 * 3. nothing read: nothing to do, no e-mail;
 * 4. claim the items: ONE conditional update of the cursor from the value read to the last item's id; a run that
 *    lost the race (a redelivered schedule, a retry) sends nothing, so no digest goes out twice;
 * 5. the group's items (the mayor's office: escalations from level 3) as one e-mail, zh-TW then English, published
 *    with `group` and `notice: digest`; none of the group's items: the cursor moved and no e-mail is sent;
 * 6. the publish failed: put the cursor back (conditional on it still being ours) and report the group as failed;
 *    the next run sends those items. Other groups go on; the run fails at the end, so EventBridge retries it.
 */
import { DIGEST_GROUP_ATTRIBUTE, NOTICE_ATTRIBUTE, NOTICES, type DigestGroup } from '../domain/email-delivery';
import { DIGEST_MAX_LINES, digestEmail, inDigest, type DigestNames } from '../domain/email-digest';
import type { DigestCursors, Notifier, NotificationStore } from './ports';

/** Notifications one run reads per group; what is left goes into the next digest. */
export const READ_LIMIT = 500;
/** Notifications newer than this (before the run's instant) wait for the next digest. */
export const SETTLE_MS = 60_000;
/** Where the first digest of a group starts. */
export const FIRST_DIGEST_LOOKBACK_MS = 86_400_000;

export interface DigestPorts {
  notifications: Pick<NotificationStore, 'after'>;
  cursors: DigestCursors;
  notifier: Pick<Notifier, 'publish'>;
}

export interface DigestSettings {
  groups: readonly DigestGroup[];
  digestTopicArn: string;
  consoleUrl: string;
  names: DigestNames;
}

export interface DigestReport {
  /** Group -> how many notifications its e-mail listed (0: cursor moved, nothing for this group). */
  sent: Record<string, number>;
  /** Groups another run had claimed first. */
  skipped: string[];
  /** Groups whose e-mail could not be published (their cursor was put back). */
  failed: string[];
}

export class DigestRunError extends Error {
  constructor(readonly report: DigestReport) {
    super(`E-mail digests of ${report.failed.join(', ')} could not be published`);
    this.name = 'DigestRunError';
  }
}

export async function sendEmailDigests(ports: DigestPorts, settings: DigestSettings, at: Date): Promise<DigestReport> {
  const report: DigestReport = { sent: {}, skipped: [], failed: [] };
  const until = new Date(at.getTime() - SETTLE_MS).toISOString();
  for (const group of settings.groups) {
    const from = await ports.cursors.read(group.department);
    const after = from ?? new Date(at.getTime() - FIRST_DIGEST_LOOKBACK_MS).toISOString();
    const read = (await ports.notifications.after(group.inbox, after, READ_LIMIT)).filter((n) => n.id <= until);
    if (read.length === 0) continue;
    const last = read[read.length - 1].id;
    if (!(await ports.cursors.claim(group.department, from, last, at.toISOString()))) {
      report.skipped.push(group.department);
      continue;
    }
    const items = read.filter((n) => inDigest(group, n));
    const email = digestEmail(group, items.slice(0, DIGEST_MAX_LINES), settings.names, settings.consoleUrl, Math.max(0, items.length - DIGEST_MAX_LINES));
    if (!email) {
      report.sent[group.department] = 0;
      continue;
    }
    try {
      await ports.notifier.publish(settings.digestTopicArn, { default: email.text, email: email.text }, email.subject, {
        [DIGEST_GROUP_ATTRIBUTE]: group.department,
        [NOTICE_ATTRIBUTE]: NOTICES.digest,
        dedupeId: `digest:${group.department}:${last}`.slice(0, 256),
      });
      report.sent[group.department] = Math.min(items.length, DIGEST_MAX_LINES);
    } catch {
      await ports.cursors.release(group.department, from, last);
      report.failed.push(group.department);
    }
  }
  if (report.failed.length) throw new DigestRunError(report);
  return report;
}
