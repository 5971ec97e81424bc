/** POST /cases/phone-search — a caller's earlier cases by phone number (agents, supervisors); every search is audited. */
import { ddb } from '../../adapters/clients';
import { DynamoCaseRepository } from '../../adapters/case-repository';
import { DynamoPersonalDataAuditLog } from '../../adapters/privacy-audit-store';
import { env } from '../../config/environment';
import { phoneSearchBody } from '../../privacy/schemas';
import { searchByPhone } from '../../usecases/search-by-phone';
import { httpHandler } from '../http';

const ports = { phones: new DynamoCaseRepository(ddb, env.tableName()), audit: new DynamoPersonalDataAuditLog(ddb, env.tableName()) };

export const handler = httpHandler('searchByPhone', { body: phoneSearchBody }, async ({ actor, body }) => ({
  body: await searchByPhone(ports, actor, body),
}));
