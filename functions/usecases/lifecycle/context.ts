/**
 * What the lifecycle use cases (workflow steps and case actions) work with: ports, settings, and two helpers
 * every step shares — the re-reading conditional write and the message facts of a case.
 */
import type { Config } from '../../config/validate';
import type { VersionedSop } from '../../config/schema';
import type { Case } from '../../domain/case';
import { NotFoundError, PreconditionFailedError } from '../../domain/errors';
import type { CaseFacts, CitizenFacts, Localized } from '../../domain/messages';
import type { SlaCalendar } from '../../domain/sla-calendar';
import type { CaseStatistics } from '../dashboard';
import type { BusinessMetrics, CaseChange, CaseRepository, CaseWorkflow, Notifier, SopCatalog } from '../ports';

export interface LifecyclePorts {
  cases: CaseRepository;
  sops: SopCatalog;
  /** Only the task answers: the workflow's own steps complete their task when its outcome already happened. */
  workflow: Pick<CaseWorkflow, 'sendSuccess' | 'sendFailure'>;
  notifier: Notifier;
  /** Per-department SLA counts the supervisors' dashboard reads. */
  statistics: CaseStatistics;
  /** Business figures: SLA breaches, escalations, citizen notices. Optional: tests that count nothing leave it out. */
  metrics?: BusinessMetrics;
}

export interface LifecycleSettings {
  config: Config;
  calendar: SlaCalendar;
  /** A department's topic ARN (derived from DEPARTMENT_TOPIC_ARN_PREFIX and the code); undefined for a code config does not know. */
  departmentTopicArn(code: string): string | undefined;
  escalationTopicArn: string;
  /** The stage's operations topic (env OPERATIONS_TOPIC_ARN): the recovery path tells operations there too. */
  operationsTopicArn?: string;
  /** Base URL of the console for links in department messages; may be empty. */
  consoleUrl: string;
}

/** Conditional writes lost to a concurrent change (a note, the API recording the execution) before giving up. */
const WRITE_ATTEMPTS = 5;

/**
 * Reads the case, asks `decide` for the change to make (undefined: nothing to do), and writes it conditionally
 * on the version read. A lost race (412) re-reads and decides again, so a decision never rests on a stale read.
 * `read`: the case as the caller has just read it, so the first attempt needs no read of its own (a stale one
 * only costs the 412 and a re-read).
 */
export async function changeCase(
  cases: CaseRepository,
  caseNo: string,
  decide: (c: Case) => CaseChange | undefined,
  read?: Case,
): Promise<{ case: Case; written: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const c = attempt === 1 && read ? read : await cases.get(caseNo);
    if (!c) throw new NotFoundError(`Case ${caseNo} not found`);
    const change = decide(c);
    if (!change) return { case: c, written: false };
    try {
      return { case: await cases.update(caseNo, c.version, change), written: true };
    } catch (e) {
      if (!(e instanceof PreconditionFailedError) || attempt >= WRITE_ATTEMPTS) throw e;
    }
  }
}

export async function loadCase(cases: CaseRepository, caseNo: string): Promise<Case> {
  const c = await cases.get(caseNo);
  if (!c) throw new NotFoundError(`Case ${caseNo} not found`);
  return c;
}

/** The SOP a case runs under: its recorded version, else the category's current one. */
export async function sopOf(sops: SopCatalog, c: Pick<Case, 'category' | 'sopVersion'>): Promise<VersionedSop | undefined> {
  const recorded = c.sopVersion !== undefined ? await sops.version(c.category, c.sopVersion) : undefined;
  return recorded ?? (await sops.current(c.category));
}

/** Names for messages, from config and the SOP; codes stand in for names config does not know. */
export function caseFacts(c: Case, sop: Pick<VersionedSop, 'name'> | undefined, config: Config): CaseFacts {
  const district = config.districts.districts.find((d) => d.code === c.location.district);
  const department = c.department ? config.departments.departments.find((d) => d.code === c.department) : undefined;
  return {
    caseNo: c.caseNo,
    category: { code: c.category, ...(sop?.name ?? same(c.category)) },
    district: { code: c.location.district, ...(district?.name ?? same(c.location.district)) },
    address: c.location.address,
    priority: c.priority,
    status: c.status,
    ...(c.department ? { department: { code: c.department, ...(department?.name ?? same(c.department)) } } : {}),
    ...(c.acknowledgeDueAt ? { acknowledgeDueAt: c.acknowledgeDueAt } : {}),
    ...(c.resolveDueAt ? { resolveDueAt: c.resolveDueAt } : {}),
    escalationLevel: c.escalationLevel,
  };
}

export function citizenFacts(c: Case, sop: Pick<VersionedSop, 'name'> | undefined, config: Config): CitizenFacts {
  const department = c.department ? config.departments.departments.find((d) => d.code === c.department) : undefined;
  return {
    caseNo: c.caseNo,
    category: sop?.name ?? same(c.category),
    city: config.districts.city,
    ...(department ? { department: department.name } : {}),
    ...(c.resolution ? { resolution: c.resolution } : {}),
  };
}

function same(code: string): Localized {
  return { zh: code, en: code };
}
