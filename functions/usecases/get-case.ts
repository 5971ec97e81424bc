/**
 * Read one case on someone's behalf.
 * Steps:
 * 1. load the case (consistent read); unknown -> NotFoundError (404);
 * 2. a case the actor may not see (another department's) is a 404 too, so numbers cannot be probed;
 * 3. return it; the handler shows it through presentCase, which masks personal data.
 */
import type { Actor } from '../domain/actor';
import type { Case } from '../domain/case';
import { NotFoundError } from '../domain/errors';
import { assertCaseReachable } from '../auth/ownership';
import type { CaseRepository } from './ports';

export interface GetCasePorts {
  cases: CaseRepository;
}

export async function getCase(ports: GetCasePorts, actor: Actor, caseNo: string): Promise<Case> {
  const c = await ports.cases.get(caseNo);
  if (!c) throw new NotFoundError(`Case ${caseNo} not found`);
  assertCaseReachable(c, actor);
  return c;
}
