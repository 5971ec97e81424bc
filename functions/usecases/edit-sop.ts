/**
 * SOP administration: read a category's versions, and save an edit as a new version. A version applies to cases
 * routed after it is saved; cases keep the version they were routed under (`sopVersion`).
 */
import type { Actor } from '../domain/actor';
import type { Sop, VersionedSop } from '../config/schema';
import { validateConfig, type Config } from '../config/validate';
import { ConfigError, NotFoundError, ValidationError } from '../domain/errors';
import type { SopCatalog } from './ports';

export interface SopAdminPorts {
  sops: SopCatalog;
  /** The rest of the configuration an edited SOP must agree with (departments, districts). */
  config: Pick<Config, 'departments' | 'districts' | 'calendar'>;
}

/** Every stored version of a category, oldest first; an unknown category is a 404. */
export async function sopVersions(ports: SopAdminPorts, category: string): Promise<VersionedSop[]> {
  const versions = await ports.sops.versions(category);
  if (versions.length === 0) throw new NotFoundError(`No SOP for category ${category}`);
  return versions;
}

/**
 * Save an edited SOP as the category's next version.
 * Steps:
 * 1. the body (already shaped by `sopSchema`) must be about the category of the path (400 naming `category`);
 * 2. the category must exist (404): new categories come with a deployment of config/sops.json;
 * 3. every question of the current version is still in the edit (retired: true rather than removed), so a code is
 *    never reused with another meaning and the answers of earlier cases keep their label (400 naming `attributes`);
 * 4. cross-check the SOP against departments and districts with the config loader's own checks
 *    (`validateConfig` with this SOP as the SOP file), so an edit cannot route to a department that does not exist
 *    or does not receive cases, or override a district that does not exist (400 naming each field);
 * 5. `saveNewVersion` conditional on `expectedVersion` being current (If-Match), with the actor as author and
 *    the change's reason: a stale version is a 412 and nothing is written.
 */
export async function editSop(ports: SopAdminPorts, actor: Actor, category: string, expectedVersion: number, edit: SopEdit): Promise<VersionedSop> {
  const { reason, ...sop } = edit;
  if (sop.category !== category)
    throw new ValidationError('The SOP is about another category', [{ path: 'category', message: `must be "${category}", the category of the path` }]);
  const current = await ports.sops.current(category);
  if (!current) throw new NotFoundError(`No SOP for category ${category}`);
  keepsQuestions(current, sop);
  crossCheck(sop, ports.config);
  return ports.sops.saveNewVersion(sop, expectedVersion, { by: actor.id, reason });
}

/** The edited SOP and why it changes (already shaped by the API's `sopEditBody`). */
export type SopEdit = Sop & { reason: string };

/** A question is retired, never removed: its code stays taken and the cases that answered it keep its label. */
function keepsQuestions(current: Sop, edit: Sop): void {
  const kept = new Set(edit.attributes.map((a) => a.code));
  const removed = current.attributes.filter((a) => !kept.has(a.code)).map((a) => a.code);
  if (removed.length)
    throw new ValidationError('Questions cannot be removed, only retired', [
      { path: 'attributes', message: `must keep ${removed.join(', ')}: mark a question no longer asked as retired instead of removing it` },
    ]);
}

/** The loader's cross-checks on this one SOP; its problems come back with paths into the request body. */
function crossCheck(sop: Sop, config: SopAdminPorts['config']): void {
  try {
    validateConfig({ departments: config.departments, districts: config.districts, calendar: config.calendar, sops: { sops: [sop] } });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const fields = e.problems.map((p) => ({ path: p.path.replace(/^sops\.0\.?/, '') || 'body', message: p.message }));
    throw new ValidationError(`The SOP does not fit the configuration: ${fields.map((f) => f.path).join(', ')}`, fields);
  }
}
