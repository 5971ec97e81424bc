/** GET /cases/duplicates — open cases that may be the problem a caller is reporting (intake, before submit). */
import { caseQueues } from '../../composition';
import { findDuplicates, type FindDuplicatesPorts } from '../../usecases/find-duplicates';
import { httpHandler } from '../http';
import { duplicatesQuery } from '../schemas';

const ports: FindDuplicatesPorts = { openCases: caseQueues() };

export const handler = httpHandler('findDuplicateCases', { query: duplicatesQuery }, async ({ query }) => ({
  body: { items: await findDuplicates(ports, query) },
}));
