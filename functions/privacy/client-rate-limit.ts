/**
 * The per-client limit as the HTTP pipeline applies it: counters over the function's own table (created once per
 * container, on the first machine call). A counter that cannot be written lets the call through and logs the
 * error: the stage throttle still bounds the API, and a storage hiccup must not lock out every integration.
 */
import { ddb } from '../adapters/clients';
import { DynamoRateCounters } from '../adapters/rate-counters';
import { env } from '../config/environment';
import { TooManyRequestsError } from '../domain/errors';
import { logger } from '../shared/logger';
import { enforceClientRate, type RateCounters } from './rate-limits';

let counters: RateCounters | undefined;

export async function clientRateLimit(clientId: string): Promise<void> {
  counters ??= new DynamoRateCounters(ddb, env.tableName());
  try {
    await enforceClientRate(counters, clientId);
  } catch (e) {
    if (e instanceof TooManyRequestsError) throw e;
    logger.error('Client rate counter failed; request let through', { error: e instanceof Error ? e : new Error(String(e)) });
  }
}
