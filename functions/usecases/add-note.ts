/**
 * Add a note to a case's timeline.
 * Steps:
 * 1. load the case and check the actor may see it (404 otherwise);
 * 2. one conditional update on the version just read that appends the `note` event (nothing else changes);
 * 3. if another change landed in between (412), read again and retry: a note conflicts with nothing, so the
 *    caller should not have to care. A case just logged takes a burst of workflow writes (execution recorded,
 *    receipt SMS, routing, wait), so up to NOTE_WRITE_ATTEMPTS; a 412 after that is returned as is.
 */
import type { Actor } from '../domain/actor';
import type { Case } from '../domain/case';
import { nowIso } from '../domain/clock';
import { PreconditionFailedError } from '../domain/errors';
import { getCase } from './get-case';
import type { CaseRepository } from './ports';

export interface AddNotePorts {
  cases: CaseRepository;
}

export interface RecordedNote {
  caseNo: string;
  /** The case version after the note. */
  version: number;
  note: { type: 'note'; at: string; by: string; text: string };
}

const NOTE_WRITE_ATTEMPTS = 5;

export async function addNote(ports: AddNotePorts, actor: Actor, caseNo: string, text: string): Promise<RecordedNote> {
  const write = async (): Promise<{ c: Case; at: string }> => {
    const current = await getCase(ports, actor, caseNo);
    const at = nowIso();
    const c = await ports.cases.update(caseNo, current.version, { event: { type: 'note', by: actor.id, text, at } });
    return { c, at };
  };
  let result: { c: Case; at: string } | undefined;
  for (let attempt = 1; !result; attempt++) {
    try {
      result = await write();
    } catch (e) {
      if (!(e instanceof PreconditionFailedError) || attempt >= NOTE_WRITE_ATTEMPTS) throw e;
    }
  }
  return { caseNo, version: result.c.version, note: { type: 'note', at: result.at, by: actor.id, text } };
}
