/**
 * Possible duplicates of a report being taken: the open cases of the same category in the same district.
 * Steps:
 * 1. read the open cases of the category in the district (one index partition that holds only open cases, so
 *    the read is bounded by what is open there, never by history);
 * 2. with the caller's map point: nearest first (great-circle distance), cases without coordinates after those
 *    with; then, and without a point, newest first;
 * 3. the first DUPLICATE_LIMIT, as summaries (no description, no personal data, the map point when known) with the
 *    distance when known.
 */
import { distanceMeters } from '../domain/distance';
import type { CaseSummary } from './ports';

export { distanceMeters };

export const DUPLICATE_LIMIT = 10;

/** An open case's summary, its map point included when it has one. */
export type LocatedCaseSummary = CaseSummary;

export type DuplicateCandidate = CaseSummary & { distanceMeters?: number };

export interface OpenCaseIndex {
  /** The open cases (NEW, ASSIGNED, ACKNOWLEDGED, RETURNED, REOPENED) of a category in a district. */
  openCasesOf(category: string, district: string): Promise<LocatedCaseSummary[]>;
}

export interface FindDuplicatesPorts {
  openCases: OpenCaseIndex;
}

export interface DuplicateQuery {
  category: string;
  district: string;
  lat?: number;
  lng?: number;
}

export async function findDuplicates(ports: FindDuplicatesPorts, query: DuplicateQuery): Promise<DuplicateCandidate[]> {
  const open = await ports.openCases.openCasesOf(query.category, query.district);
  const here = query.lat !== undefined && query.lng !== undefined ? { lat: query.lat, lng: query.lng } : undefined;
  const candidates = open.map((summary): DuplicateCandidate => {
    const { lat, lng } = summary;
    if (!here || lat === undefined || lng === undefined) return summary;
    return { ...summary, distanceMeters: Math.round(distanceMeters(here, { lat, lng })) };
  });
  const newestFirst = (a: DuplicateCandidate, b: DuplicateCandidate) => compare(b.createdAt, a.createdAt) || compare(b.caseNo, a.caseNo);
  const nearestFirst = (a: DuplicateCandidate, b: DuplicateCandidate) =>
    (a.distanceMeters ?? Number.POSITIVE_INFINITY) - (b.distanceMeters ?? Number.POSITIVE_INFINITY) || newestFirst(a, b);
  return candidates.sort(here ? nearestFirst : newestFirst).slice(0, DUPLICATE_LIMIT);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
