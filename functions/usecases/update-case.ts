/**
 * Correct a case (PATCH with If-Match).
 * Steps:
 * 1. load the case (404 when unknown or not visible); a version other than the caller's If-Match is a 412 and
 *    nothing is written;
 * 2. work out what really changes (description, location, priorityOverride, attributes, reporter.notify,
 *    category); fields sent with their current value are no change, and no change means no write;
 * 3. a category change is allowed only while the case is not yet resolved and needs a current SOP; attribute
 *    answers are checked against the SOP of the resulting category (a new category starts with no answers
 *    unless new ones are sent); notify sms/email needs the reporter's mobile/e-mail on file;
 * 4. one conditional update on the version read, with an `updated` event naming the changed fields (never
 *    personal data values);
 * 5. if the category changed and the workflow is waiting on a task, fail that task with `Case.Rerouted` so the
 *    workflow routes the case again (it reads the new category from the table, hence after the write).
 */
import type { Actor } from '../domain/actor';
import type { AttributeValue, Case, CaseLocation, CaseStatus, NotifyPreference, Priority } from '../domain/case';
import { ConflictError, PreconditionFailedError, ValidationError } from '../domain/errors';
import { readAttributes } from '../domain/sop';
import { logger } from '../shared/logger';
import { canonicalJson } from './create-case';
import { getCase } from './get-case';
import type { CaseChange, CaseRepository, CaseWorkflow, SopCatalog } from './ports';

export interface UpdateCasePorts {
  cases: CaseRepository;
  sops: SopCatalog;
  workflow: CaseWorkflow;
}

export interface CasePatch {
  category?: string;
  description?: string;
  location?: CaseLocation;
  priorityOverride?: Priority;
  attributes?: Record<string, AttributeValue>;
  reporter?: { notify: NotifyPreference };
}

/** The error the case workflow catches on a waiting task to route the case again. */
export const REROUTED_ERROR = 'Case.Rerouted';

/** Once resolved, the category is part of the record of what was done. */
const CATEGORY_FROZEN: readonly CaseStatus[] = ['RESOLVED', 'CLOSED', 'CANCELLED', 'MERGED'];

export async function updateCase(ports: UpdateCasePorts, actor: Actor, caseNo: string, expectedVersion: number, patch: CasePatch): Promise<Case> {
  const c = await getCase(ports, actor, caseNo);
  if (c.version !== expectedVersion) throw new PreconditionFailedError(`Case ${caseNo} is at version ${c.version}, not ${expectedVersion}`, c.version);

  const set: NonNullable<CaseChange['set']> = {};
  const changed: string[] = [];
  const eventData: Record<string, string> = {};

  const categoryChanged = patch.category !== undefined && patch.category !== c.category;
  if (categoryChanged) {
    if (CATEGORY_FROZEN.includes(c.status))
      throw new ConflictError(`The category of a ${c.status} case cannot change`, { status: c.status, caseNo });
  }
  const category = categoryChanged ? patch.category! : c.category;
  const attributesChanged = patch.attributes !== undefined && !sameJson(patch.attributes, c.attributes);
  if (categoryChanged || attributesChanged) {
    const sop = await ports.sops.current(category);
    if (!sop) throw new ValidationError(`Unknown category ${category}`, [{ path: 'category', message: `is not a known category` }]);
    const answers = patch.attributes ?? (categoryChanged ? {} : c.attributes);
    const { values, problems } = readAttributes(sop, answers, { acceptRetired: !categoryChanged });
    if (problems.length) throw new ValidationError('The attribute answers do not fit the SOP', problems);
    if (categoryChanged) {
      set.category = category;
      set.sopVersion = sop.version;
      set.priority = sop.priority;
      changed.push('category');
      eventData.fromCategory = c.category;
      eventData.toCategory = category;
    }
    if (!sameJson(values, c.attributes)) {
      set.attributes = values;
      changed.push('attributes');
    }
  }

  if (patch.description !== undefined && patch.description !== c.description) {
    set.description = patch.description;
    changed.push('description');
  }
  if (patch.location !== undefined && !sameJson(patch.location, c.location)) {
    set.location = patch.location;
    changed.push('location');
  }
  if (patch.priorityOverride !== undefined && patch.priorityOverride !== c.priorityOverride) {
    set.priorityOverride = patch.priorityOverride;
    changed.push('priorityOverride');
  }
  if (patch.reporter !== undefined && patch.reporter.notify !== c.reporter.notify) {
    const { notify } = patch.reporter;
    if (notify === 'sms' && !/^09\d{8}$/.test(c.reporter.phone ?? ''))
      throw new ValidationError('No mobile number on file', [{ path: 'reporter.notify', message: 'cannot be sms: the reporter has no mobile number on file' }]);
    if (notify === 'email' && !c.reporter.email)
      throw new ValidationError('No e-mail address on file', [{ path: 'reporter.notify', message: 'cannot be email: the reporter has no e-mail address on file' }]);
    set.reporter = { ...c.reporter, notify };
    changed.push('reporter.notify');
  }

  if (changed.length === 0) return c;

  const updated = await ports.cases.update(caseNo, expectedVersion, {
    set,
    event: { type: 'updated', by: actor.id, text: `Corrected ${changed.join(', ')}`, data: { fields: changed.join(','), ...eventData } },
  });

  if (categoryChanged && updated.pendingTaskToken) {
    try {
      await ports.workflow.sendFailure(updated.pendingTaskToken, REROUTED_ERROR, JSON.stringify({ caseNo, category }));
    } catch (e) {
      // The task ended meanwhile (answered, timed out): the new category is recorded; the workflow was not told.
      if (!(e instanceof ConflictError)) throw e;
      logger.warn('Waiting task already ended; not rerouted', { reason: e.details.reason });
    }
  }
  return updated;
}

/** Structural equality for small JSON values, key order ignored. */
function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
