/** POST /cases/{caseNo}/notes — a note on the timeline. */
import { caseRepository } from '../../composition';
import { addNote } from '../../usecases/add-note';
import { httpHandler } from '../http';
import { addNoteBody, caseNoPath } from '../schemas';

const ports = { cases: caseRepository() };

export const handler = httpHandler('addCaseNote', { path: caseNoPath, body: addNoteBody }, async ({ actor, pathParameters, body }) => ({
  statusCode: 201,
  body: await addNote(ports, actor, pathParameters.caseNo, body.text),
}));
