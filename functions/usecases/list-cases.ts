/**
 * List cases for a queue or a report.
 * Steps:
 * 1. department staff (and department-bound integration clients) see only their own department: the filter is
 *    forced to it, and asking for another department is a 403;
 * 2. hand the filter to the repository, which serves every supported combination from an index and rejects
 *    the rest with a 400 naming the field (never a Scan).
 * Summaries carry no personal data, so nothing needs masking.
 */
import type { Actor } from '../domain/actor';
import { ForbiddenError } from '../domain/errors';
import { departmentScope } from '../auth/ownership';
import type { CaseListFilter, CaseRepository, CaseSummary, Page } from './ports';

export interface ListCasesPorts {
  cases: CaseRepository;
}

export async function listCases(ports: ListCasesPorts, actor: Actor, filter: CaseListFilter): Promise<Page<CaseSummary>> {
  // The ownership rule of functions/auth/policy.ts, in its one implementation.
  const ownDepartment = departmentScope(actor);
  if (ownDepartment !== undefined) {
    if (filter.department !== undefined && filter.department !== ownDepartment)
      throw new ForbiddenError(`Department staff list only their own department (${ownDepartment})`);
    return ports.cases.list({ ...filter, department: ownDepartment });
  }
  return ports.cases.list(filter);
}
