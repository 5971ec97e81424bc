/**
 * Possible duplicates of a report being taken: the open cases of the same category in the same district.
 * Steps:
 * 1. read the open cases of the category in the district (one index partition that holds only open cases, so
 *    the read is bounded by what is open there, never by history);
 * 2. with the caller's map point: nearest first (great-circle distance), cases without coordinates after those
 *    with; then, and without a point, newest first;
 * 3. the first DUPLICATE_LIMIT, as summaries (no description, no personal data) with the distance when known.
 */
import type { CaseSummary } from './ports';

export const DUPLICATE_LIMIT = 10;

/** An open case's summary and its map point, when it has one. */
export type LocatedCaseSummary = CaseSummary & { lat?: number; lng?: number };

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
  const candidates = open.map(({ lat, lng, ...summary }): DuplicateCandidate => {
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

const EARTH_RADIUS_METERS = 6_371_008.8;

/** Haversine distance between two WGS 84 points, in metres (the sphere is within 0.5 % of the ellipsoid). */
export function distanceMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}
