/** POST /cases/{caseNo}/notes — a note on the timeline. */
import { ddb } from '../../adapters/clients';
import { DynamoCaseRepository } from '../../adapters/case-repository';
import { env } from '../../config/environment';
import { addNote } from '../../usecases/add-note';
import { httpHandler } from '../http';
import { addNoteBody, caseNoPath } from '../schemas';

const ports = { cases: new DynamoCaseRepository(ddb, env.tableName()) };

export const handler = httpHandler('addCaseNote', { path: caseNoPath, body: addNoteBody }, async ({ actor, pathParameters, body }) => ({
  statusCode: 201,
  body: await addNote(ports, actor, pathParameters.caseNo, body.text),
}));
