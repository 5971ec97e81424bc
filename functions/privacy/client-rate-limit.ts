/**
 * The per-client limit as the HTTP pipeline applies it: counters over the function's own table (built once per
 * container by the composition root, on the first machine call). A counter that cannot be written lets the call through and logs the
 * error: the stage throttle still bounds the API, and a storage hiccup must not lock out every integration.
 */
import { rateCounters } from '../composition';
import { TooManyRequestsError } from '../domain/errors';
import { logger } from '../shared/logger';
import { enforceClientRate, type RateCounters } from './rate-limits';

export async function clientRateLimit(clientId: string): Promise<void> {
  const counters: RateCounters = rateCounters();
  try {
    await enforceClientRate(counters, clientId);
  } catch (e) {
    if (e instanceof TooManyRequestsError) throw e;
    logger.error('Client rate counter failed; request let through', { error: e instanceof Error ? e : new Error(String(e)) });
  }
}
