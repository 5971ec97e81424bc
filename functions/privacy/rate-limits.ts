/**
 * Abuse limits kept as fixed-window counters in the table (adapters/rate-counters.ts): one conditional ADD per
 * check, no read, TTL'd, so they cost one write and never a Scan. (API Gateway throttles each stage as a whole,
 * infra/stage.ts; these limit one caller.)
 *   client      each machine client (integration token, Open311 key): CLIENT_REQUESTS_PER_MINUTE -> 429;
 *   sms         each phone number: SMS_PER_PHONE_PER_DAY citizen SMS per Taipei day -> the SMS is not sent;
 *   cases       each reporter phone: CASES_PER_PHONE_PER_DAY cases filed by machine callers per day -> 429;
 *   phone-lookup each person: PHONE_LOOKUPS_PER_HOUR look-ups of cases by a caller's phone (the audited search and
 *               the caller history at intake together) per UTC hour -> 429.
 * Phone numbers appear in counter keys only as their keyed hash (phone-hash.ts).
 */
import type { Actor } from '../domain/actor';
import { TooManyRequestsError } from '../domain/errors';
import { taipeiDate } from '../domain/case-number';
import { now } from '../domain/clock';
import { logger } from '../shared/logger';
import type { BusinessMetrics, Notifier, RateTake } from '../usecases/ports';
import { hashPhone, phoneHashKey } from './phone-hash';
import { privacySettings } from './settings';

export interface RateCounters {
  /**
   * Counts one hit in the window unless it already holds `limit`; true when counted (allowed), false when the
   * limit was reached (nothing counted). `expiresAt` (epoch seconds) lets TTL remove the counter.
   */
  take(kind: string, subject: string, window: string, limit: number, expiresAt: number): Promise<boolean>;
}

/** A 429 that says when to try again. */
export class RateLimitedError extends TooManyRequestsError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** `202611270105`: the Taipei-independent UTC minute a request falls in. */
export function minuteWindow(at: Date): string {
  return at.toISOString().slice(0, 16).replace(/\D/g, '');
}

/** A machine client's requests this minute; over the limit is a 429 with Retry-After. */
export async function enforceClientRate(counters: RateCounters, clientId: string, at: Date = now()): Promise<void> {
  const limit = privacySettings().clientRequestsPerMinute;
  const windowEnd = Math.ceil((at.getTime() + 1) / 60_000) * 60;
  if (!(await counters.take('client', clientId, minuteWindow(at), limit, windowEnd + 120))) {
    logger.warn('Client rate limit reached', { clientId, limit });
    throw new RateLimitedError(`Too many requests: at most ${limit} a minute per client`, Math.max(1, windowEnd - Math.floor(at.getTime() / 1000)));
  }
}

/**
 * Phone look-ups one person may make per hour. An agent takes a call every few minutes, so 60 is far above honest
 * work and far below a harvest of the phone index.
 */
export const PHONE_LOOKUPS_PER_HOUR = 60;

/** A person's phone look-ups this hour (search and intake history count together); over the limit is a 429. */
export async function enforcePhoneLookupRate(counters: RateCounters, actor: Pick<Actor, 'id'>, at: Date = now()): Promise<void> {
  const windowEnd = Math.ceil((at.getTime() + 1) / 3_600_000) * 3600;
  if (!(await counters.take('phone-lookup', actor.id, at.toISOString().slice(0, 13).replace(/\D/g, ''), PHONE_LOOKUPS_PER_HOUR, windowEnd + 600))) {
    logger.warn('Phone look-up limit reached', { limit: PHONE_LOOKUPS_PER_HOUR });
    throw new RateLimitedError(`Too many phone look-ups: at most ${PHONE_LOOKUPS_PER_HOUR} an hour`, Math.max(1, windowEnd - Math.floor(at.getTime() / 1000)));
  }
}

const endOfTaipeiDay = (at: Date): number => Math.floor(Date.parse(`${taipeiDate(at)}T00:00:00+08:00`) / 1000) + 86_400;

/**
 * Cases a machine caller may file for one reporter phone per Taipei day (people at the hotline are not limited:
 * an agent on the phone knows a real caller). Without a phone, or without the hash key, there is nothing to count.
 */
export async function enforceCaseCreationCap(counters: RateCounters, actor: Pick<Actor, 'role'>, reporterPhone: string | undefined, at: Date = now()): Promise<void> {
  if (actor.role !== 'integration' || !reporterPhone) return;
  const key = phoneHashKey();
  if (!key) return;
  const limit = privacySettings().casesPerPhonePerDay;
  if (!(await counters.take('cases', hashPhone(reporterPhone, key), taipeiDate(at), limit, endOfTaipeiDay(at) + 3600))) {
    logger.warn('Case creation cap reached for a reporter phone', { limit });
    throw new RateLimitedError(`Too many cases for this reporter today: at most ${limit}`, endOfTaipeiDay(at) - Math.floor(at.getTime() / 1000));
  }
}

/** The SMS cap was reached: the message is not sent (the workflow records a failed delivery with this name). */
export class SmsCapReachedError extends Error {
  constructor(readonly limit: number) {
    super(`SMS cap reached: at most ${limit} messages to one number per day`);
    this.name = 'SmsCapReached';
  }
}

/**
 * A Notifier that counts each citizen SMS against its number's daily cap before sending, so nobody can make the
 * system flood a phone (filing many cases, reopening, duplicates). Topic messages and e-mail pass through. A
 * caller may take the cap in its own write instead (`smsCap`: RouteCase's receipt rides in the routing's
 * transaction) and then sends with `capTaken`.
 */
export class SmsCappedNotifier implements Notifier {
  constructor(
    private readonly inner: Notifier,
    private readonly counters: RateCounters,
    /** Counts `SmsCapsReached`; optional for tests that count nothing. */
    private readonly metrics?: BusinessMetrics,
  ) {}

  publish(...args: Parameters<Notifier['publish']>): Promise<void> {
    return this.inner.publish(...args);
  }

  email(to: string, subject: string, text: string): Promise<void> {
    return this.inner.email(to, subject, text);
  }

  async sms(phone: string, text: string, options: { capTaken?: boolean } = {}): Promise<void> {
    if (!options.capTaken) {
      const cap = this.smsCap(phone);
      if (cap && !(await this.counters.take(cap.take.kind, cap.take.subject, cap.take.window, cap.take.limit, cap.take.expiresAt))) throw cap.reached();
    }
    await this.inner.sms(phone, text);
  }

  /** The number's counter for today (its keyed hash, the Taipei day), for a caller that takes it in its own write. */
  smsCap(phone: string): { take: RateTake; reached(): Error } | undefined {
    const key = phoneHashKey();
    if (!key) {
      logger.error('The phone-hash key is not loaded: citizen SMS are sent without the per-number cap');
      return undefined;
    }
    const at = now();
    const limit = privacySettings().smsPerPhonePerDay;
    // `+886912345678` and `0912345678` are one line: hash the national form.
    const line = phone.startsWith('+886') ? `0${phone.slice(4)}` : phone;
    return {
      take: { kind: 'sms', subject: hashPhone(line, key), window: taipeiDate(at), limit, expiresAt: endOfTaipeiDay(at) + 3600 },
      reached: () => {
        logger.warn('SMS cap reached for a citizen number', { limit });
        this.metrics?.count('smsCapsReached', {});
        return new SmsCapReachedError(limit);
      },
    };
  }
}
