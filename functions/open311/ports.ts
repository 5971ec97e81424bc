/**
 * What the Open311 use cases read. A "public case" is the part of a case that may be published as open data:
 * the adapter projects exactly these attributes, so the reporter, attribute answers (plate numbers...) and the
 * workflow's token never leave the table on an Open311 path.
 */
import type { Case, CaseEvent, CaseStatus } from '../domain/case';

export const PUBLIC_CASE_ATTRIBUTES = [
  'caseNo',
  'status',
  'category',
  'description',
  'location',
  'channel',
  'priority',
  'department',
  'resolveDueAt',
  'resolvedAt',
  'closedAt',
  'createdAt',
  'updatedAt',
  'resolution',
  'parentCaseNo',
  'mediaUrl',
] as const satisfies ReadonlyArray<keyof Case>;

export type PublicCase = Pick<Case, (typeof PUBLIC_CASE_ATTRIBUTES)[number]>;

/** A public case with its timeline, for servicerequestupdates. */
export type PublicCaseHistory = PublicCase & { timeline: CaseEvent[] };

export interface RequestListQuery {
  /** Categories to include (the Open311 services, or the service_code filter): newest first within [from, to]. */
  categories: string[];
  /** Read through the category index (a service_code filter) instead of the created-day index. */
  byCategory: boolean;
  /** Only these statuses; all when absent. */
  statuses?: readonly CaseStatus[];
  /** Inclusive ISO instants on createdAt. */
  from: string;
  to: string;
  /** Matching cases to skip (page - 1) * page_size, then at most `limit`. */
  offset: number;
  limit: number;
}

export interface Open311RequestReader {
  get(caseNo: string): Promise<PublicCase | undefined>;
  /** Cases that exist, in the order asked; unknown numbers are left out. */
  getMany(caseNos: string[]): Promise<PublicCase[]>;
  /** Served by gsi4 (category) or gsi5 (created day), never a Scan. */
  list(query: RequestListQuery): Promise<PublicCase[]>;
  /** Every case changed at or after `from` (gsi6 over the changes' event items, one Query per Taipei day up to `until`). */
  changedSince(from: string, until: string): Promise<PublicCaseHistory[]>;
}
