/** POST /cases/phone-search — a caller's earlier cases by phone number (agents, supervisors); every search is audited. */
import { caseRepository, personalDataAudit } from '../../composition';
import { phoneSearchBody } from '../../privacy/schemas';
import { searchByPhone } from '../../usecases/search-by-phone';
import { httpHandler } from '../http';

const ports = { phones: caseRepository(), audit: personalDataAudit() };

export const handler = httpHandler('searchByPhone', { body: phoneSearchBody }, async ({ actor, body }) => ({
  body: await searchByPhone(ports, actor, body),
}));
