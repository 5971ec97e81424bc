/**
 * Read a case's timeline, a page at a time.
 * Steps:
 * 1. load the case and check the actor may see it (404 otherwise, as for the case itself);
 * 2. read the page of events (oldest first) with the caller's cursor; a tampered cursor is a 400 from the store.
 */
import type { Actor } from '../domain/actor';
import type { CaseEvent } from '../domain/case';
import { getCase } from './get-case';
import type { CaseRepository, Page, PageRequest } from './ports';

export interface GetTimelinePorts {
  cases: CaseRepository;
}

export async function getTimeline(ports: GetTimelinePorts, actor: Actor, caseNo: string, page: PageRequest): Promise<Page<CaseEvent>> {
  await getCase(ports, actor, caseNo);
  return ports.cases.timeline(caseNo, page);
}
