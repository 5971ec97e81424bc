/**
 * SOP evaluation: which department handles a case, how urgent it is and by when, and whether the answers to the
 * category's extra questions are acceptable. Pure: the SOP and calendar come in as arguments.
 */
import { DISTRICT_OFFICE_TOKEN, districtOfficeCode, type Deadline, type Sop, type SopAttribute, type VersionedSop } from '../config/schema';
import type { AttributeValue, Priority } from './case';
import { ValidationError, type FieldProblem } from './errors';
import type { SlaCalendar } from './sla-calendar';

export interface RoutingInput {
  /** District code from the case's location, e.g. `zhongli`, or UNPLACED_DISTRICT. */
  district: string;
  /** A department already chosen by a person (a supervisor's reassignment): the SOP's is not looked up. */
  department?: string;
  /** The caller's override of the SOP's priority (an agent hears that the pothole is dangerous). */
  priorityOverride?: Priority;
}

/** Where a case goes, how urgent it is and by when: what applying a SOP version decides. */
export interface RoutingDecision {
  department: string;
  priority: Priority;
  sopVersion: number;
  acknowledgeDueAt: string;
  resolveDueAt: string;
}

const DISTRICT_CODE = /^[a-z][a-z0-9-]*$/;

/**
 * The district of a report nobody could place (an Open311 address naming no district, a pin between the district
 * polygons). Routing refuses it, so the workflow hands the case to the 1999 dispatch desk, where a person assigns it.
 */
export const UNPLACED_DISTRICT = 'unplaced';

/** Routing a case whose district is not known: the workflow's DispatchCase step takes it (its name is recorded). */
export class DistrictUnknownError extends ValidationError {
  constructor() {
    super('The district is not known: the 1999 dispatch desk places the case', [{ path: 'location.district', message: 'is not known yet' }]);
    this.name = 'DistrictUnknown';
  }
}

/**
 * The department for a category in a district: the district's override if any, else the SOP default; the
 * token `DIST` then becomes that district's office (`zhongli` -> `DIST-ZHONGLI`).
 */
export function resolveDepartment(sop: Pick<Sop, 'defaultDepartment' | 'districtOverrides'>, district: string): string {
  if (district === UNPLACED_DISTRICT) throw new DistrictUnknownError();
  if (!DISTRICT_CODE.test(district)) throw new ValidationError('Unknown district', [{ path: 'location.district', message: `"${district}" is not a district code` }]);
  const code = Object.hasOwn(sop.districtOverrides, district) ? sop.districtOverrides[district] : sop.defaultDepartment;
  return code === DISTRICT_OFFICE_TOKEN ? districtOfficeCode(district) : code;
}

/** The deadlines that apply at a priority: the SOP's urgent set when urgent and the SOP has one. */
export function deadlinesFor(sop: Pick<Sop, 'acknowledgeWithin' | 'resolveWithin' | 'urgent'>, priority: Priority): { acknowledgeWithin: Deadline; resolveWithin: Deadline } {
  if (priority === 'urgent' && sop.urgent) return sop.urgent;
  return { acknowledgeWithin: sop.acknowledgeWithin, resolveWithin: sop.resolveWithin };
}

/** Applies a SOP version to a new (or re-routed) case logged at `at`. */
export function decideRouting(sop: VersionedSop, c: RoutingInput, at: Date, calendar: SlaCalendar): RoutingDecision {
  const priority = c.priorityOverride ?? sop.priority;
  const { acknowledgeWithin, resolveWithin } = deadlinesFor(sop, priority);
  return {
    department: c.department ?? resolveDepartment(sop, c.district),
    priority,
    sopVersion: sop.version,
    acknowledgeDueAt: calendar.addDeadline(at, acknowledgeWithin).toISOString(),
    resolveDueAt: calendar.addDeadline(at, resolveWithin).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Attribute answers (the SOP's extra questions). The case API sends JSON values; Open311 sends form strings, so
// numbers and lists are also accepted in their string forms and normalized.

export const MAX_STRING_ATTRIBUTE = 200;
export const MAX_TEXT_ATTRIBUTE = 4000;
/** W3C / ISO 8601 date-time with an explicit offset: a time without a zone would be read differently by each client. */
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

export interface AttributeReadOptions {
  /** Ignore answers to questions the SOP does not ask (Open311 clients may send extra ones). Default: a problem. */
  allowUnknown?: boolean;
  /** Path prefix in problems; default `attributes`. */
  pathPrefix?: string;
  /**
   * Check answers to retired questions instead of refusing them: a correction of a case logged while the question
   * was still asked keeps its answer. Retired questions are never required.
   */
  acceptRetired?: boolean;
}

export interface AttributeReadResult {
  /** Accepted answers, normalized (numbers as numbers, date-times as UTC ISO strings, lists as arrays). */
  values: Record<string, AttributeValue>;
  problems: FieldProblem[];
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

function listKeys(a: SopAttribute): string[] {
  return (a.values ?? []).map((v) => v.key);
}

/** One answer: the normalized value, or the problem with it. */
function readOne(a: SopAttribute, raw: unknown): { value: AttributeValue } | { problem: string } {
  // A list given to a one-answer question is a shape mistake, not a wrong choice: say so, not "must be one of".
  if (Array.isArray(raw) && a.datatype !== 'multivaluelist') return { problem: `takes one value; got ${raw.length}` };
  switch (a.datatype) {
    case 'string':
    case 'text': {
      if (typeof raw !== 'string') return { problem: 'must be a string' };
      const max = a.datatype === 'string' ? MAX_STRING_ATTRIBUTE : MAX_TEXT_ATTRIBUTE;
      const value = raw.trim();
      return value.length > max ? { problem: `must be at most ${max} characters` } : { value };
    }
    case 'number': {
      if (typeof raw === 'number' && Number.isFinite(raw)) return { value: raw };
      if (typeof raw === 'string' && NUMBER.test(raw.trim())) return { value: Number(raw.trim()) };
      return { problem: 'must be a number' };
    }
    case 'datetime': {
      if (typeof raw !== 'string' || !DATETIME.test(raw.trim())) return { problem: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-11-27T08:30:00+08:00' };
      const t = new Date(raw.trim());
      return Number.isNaN(t.getTime()) ? { problem: 'is not a valid date-time' } : { value: t.toISOString() };
    }
    case 'singlevaluelist': {
      const keys = listKeys(a);
      if (typeof raw !== 'string') return { problem: `must be one of: ${keys.join(', ')}` };
      return keys.includes(raw) ? { value: raw } : { problem: `"${raw}" is not one of: ${keys.join(', ')}` };
    }
    case 'multivaluelist': {
      const keys = listKeys(a);
      const items = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()) : raw;
      if (!Array.isArray(items) || !items.every((x): x is string => typeof x === 'string'))
        return { problem: `must be a list of: ${keys.join(', ')}` };
      const unknown = items.filter((x) => !keys.includes(x));
      if (unknown.length) return { problem: `${unknown.map((x) => `"${x}"`).join(', ')} not one of: ${keys.join(', ')}` };
      return { value: [...new Set(items)] };
    }
  }
}

/** The questions intake asks, in the SOP's order (`order`, then their place in the list); retired ones left out. */
export function askedInOrder<A extends Pick<SopAttribute, 'order' | 'retired'>>(sop: { attributes: readonly A[] }): A[] {
  return inOrder(sop.attributes.filter((a) => !a.retired));
}

function inOrder<A extends Pick<SopAttribute, 'order'>>(attributes: readonly A[]): A[] {
  return attributes
    .map((a, i) => ({ a, i }))
    .sort((x, y) => (x.a.order ?? 0) - (y.a.order ?? 0) || x.i - y.i)
    .map(({ a }) => a);
}

/** Checks and normalizes the answers to a SOP's questions; problems are named `attributes.<code>`. */
export function readAttributes(sop: Pick<Sop, 'category' | 'attributes'>, answers: unknown, options: AttributeReadOptions = {}): AttributeReadResult {
  const prefix = options.pathPrefix ?? 'attributes';
  const values: Record<string, AttributeValue> = {};
  const problems: FieldProblem[] = [];
  if (answers !== undefined && answers !== null && (typeof answers !== 'object' || Array.isArray(answers))) {
    return { values, problems: [{ path: prefix, message: 'must be an object of answers by question code' }] };
  }
  const given = (answers ?? {}) as Record<string, unknown>;
  const asked = sop.attributes.filter((a) => !a.retired || options.acceptRetired);
  const known = new Set(asked.map((a) => a.code));
  const retired = new Set(sop.attributes.filter((a) => a.retired).map((a) => a.code));
  if (!options.allowUnknown) {
    for (const code of Object.keys(given)) {
      if (known.has(code)) continue;
      const message = retired.has(code) ? `is no longer asked for category ${sop.category} (retired)` : `is not a question of category ${sop.category}`;
      problems.push({ path: `${prefix}.${code}`, message });
    }
  }
  const ordered = inOrder(asked);
  for (const a of ordered) {
    const raw = Object.hasOwn(given, a.code) ? given[a.code] : undefined;
    if (isBlank(raw)) {
      if (a.required && !a.retired) problems.push({ path: `${prefix}.${a.code}`, message: 'is required' });
      continue;
    }
    const read = readOne(a, raw);
    if ('problem' in read) problems.push({ path: `${prefix}.${a.code}`, message: read.problem });
    else values[a.code] = read.value;
  }
  return { values, problems };
}

/** The problems with a set of answers (empty when they are acceptable). */
export function validateAttributes(sop: Pick<Sop, 'category' | 'attributes'>, answers: unknown, options?: AttributeReadOptions): FieldProblem[] {
  return readAttributes(sop, answers, options).problems;
}
