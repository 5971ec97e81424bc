/**
 * Attach another caller's report to an open case instead of logging a new one (the intake screen offers it when
 * the duplicate check finds the same problem already reported).
 * Steps:
 * 1. load the case as the actor may see it (404 otherwise);
 * 2. it must still be open (409 naming its status otherwise: log a new case then);
 * 3. attribute answers must fit the SOP version the case runs under (400 naming `attributes.<code>`);
 * 4. ONE conditional update on the version read that appends a `note` event "another report" with the caller's
 *    description, channel and answers; a concurrent change (412) re-reads and tries again, a note conflicts with
 *    nothing;
 * 5. return the case number to read out, and the note as recorded.
 *
 * The second caller's name, phone and e-mail are validated like an intake's but not kept: a timeline is shown to
 * department staff and must hold no personal data, and the case has one reporter. The caller follows the case by
 * its number; a caller who wants their own SMS or e-mail is logged as a new case and merged into this one.
 */
import type { Actor } from '../domain/actor';
import type { AttributeValue, Case, Channel, Priority, Reporter } from '../domain/case';
import { isOpen } from '../domain/case';
import { nowIso } from '../domain/clock';
import { ConflictError, PreconditionFailedError, ValidationError } from '../domain/errors';
import { readAttributes } from '../domain/sop';
import { getCase } from './get-case';
import type { CaseRepository, SopCatalog } from './ports';

export interface AddReportPorts {
  cases: CaseRepository;
  sops: SopCatalog;
}

/** What a caller reports about a problem already logged: a case intake without category and location. */
export interface AdditionalReport {
  description: string;
  reporter: Reporter;
  channel: Channel;
  priorityOverride?: Priority;
  attributes: Record<string, AttributeValue>;
}

export interface AttachedReport {
  caseNo: string;
  status: Case['status'];
  /** The case version after the note. */
  version: number;
  note: { type: 'note'; at: string; by: string; text: string };
}

/** Writes lost to concurrent changes before giving up with the 412. */
const WRITE_ATTEMPTS = 3;

export const ANOTHER_REPORT = { zh: '另一位民眾通報', en: 'Another report' } as const;

export async function addReport(ports: AddReportPorts, actor: Actor, caseNo: string, report: AdditionalReport): Promise<AttachedReport> {
  for (let attempt = 1; ; attempt++) {
    const c = await getCase(ports, actor, caseNo);
    if (!isOpen(c.status))
      throw new ConflictError(`Case ${caseNo} is ${c.status}; log a new case instead`, { caseNo, status: c.status });
    const answers = await attributeAnswers(ports, c, report.attributes);
    const at = nowIso();
    const text = `${ANOTHER_REPORT.zh} / ${ANOTHER_REPORT.en}: ${report.description}`;
    try {
      const updated = await ports.cases.update(caseNo, c.version, {
        event: {
          type: 'note',
          by: actor.id,
          at,
          text,
          data: {
            report: 'another',
            channel: report.channel,
            anonymous: report.reporter.anonymous,
            ...(report.priorityOverride ? { priorityOverride: report.priorityOverride } : {}),
            ...answers,
          },
        },
      });
      return { caseNo, status: updated.status, version: updated.version, note: { type: 'note', at, by: actor.id, text } };
    } catch (e) {
      if (!(e instanceof PreconditionFailedError) || attempt >= WRITE_ATTEMPTS) throw e;
    }
  }
}

/** The answers checked against the case's SOP version, flattened for the event (`attributes.size: large`). */
async function attributeAnswers(ports: AddReportPorts, c: Case, given: Record<string, AttributeValue>): Promise<Record<string, string | number | boolean>> {
  if (Object.keys(given).length === 0) return {};
  const sop = (c.sopVersion !== undefined ? await ports.sops.version(c.category, c.sopVersion) : undefined) ?? (await ports.sops.current(c.category));
  if (!sop) throw new ValidationError(`No SOP for category ${c.category}`, [{ path: 'attributes', message: `cannot be answered: category ${c.category} has no SOP` }]);
  // Answers are optional here: the case already has its own; only what is given must fit.
  const { values, problems } = readAttributes({ ...sop, attributes: sop.attributes.map((a) => ({ ...a, required: false })) }, given);
  if (problems.length) throw new ValidationError('The attribute answers do not fit the SOP', problems);
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`attributes.${k}`, Array.isArray(v) ? v.join(',') : v]));
}
