/**
 * POST /cases/phone-search — a caller's earlier cases by phone number (agents, supervisors);
 * POST /cases/caller-history — the caller's recent cases beside the intake form (agents).
 * Every look-up is audited and counted against the person's hourly limit.
 */
import { caseRepository, personalDataAudit, rateCounters } from '../../composition';
import { callerHistoryBody, phoneSearchBody } from '../../privacy/schemas';
import { callerHistory, searchByPhone } from '../../usecases/search-by-phone';
import { httpHandler, routeDispatcher } from '../http';

const ports = { phones: caseRepository(), audit: personalDataAudit(), caps: rateCounters() };

export const handler = routeDispatcher({
  searchByPhone: httpHandler('searchByPhone', { body: phoneSearchBody }, async ({ actor, body }) => ({ body: await searchByPhone(ports, actor, body) })),
  callerHistory: httpHandler('callerHistory', { body: callerHistoryBody }, async ({ actor, body }) => ({ body: await callerHistory(ports, actor, body) })),
});
