import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, CASE_STATUSES, TERMINAL_STATUSES, TRANSITIONS, type CaseStatus } from '../../functions/domain/case';
import { IllegalTransitionError } from '../../functions/domain/errors';

// Every (from, to) pair over the full status list, split by the table: nothing is left untested.
const pairs = CASE_STATUSES.flatMap((from) => CASE_STATUSES.map((to) => [from, to] as [CaseStatus, CaseStatus]));
const allowed = pairs.filter(([from, to]) => TRANSITIONS[from].includes(to));
const forbidden = pairs.filter(([from, to]) => !TRANSITIONS[from].includes(to));

describe('case status machine', () => {
  it('the table names every status and only known statuses', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...CASE_STATUSES].sort());
    for (const targets of Object.values(TRANSITIONS)) for (const to of targets) expect(CASE_STATUSES).toContain(to);
  });

  it('covers all pairs between allowed and forbidden', () => {
    expect(allowed.length + forbidden.length).toBe(CASE_STATUSES.length ** 2);
    expect(allowed.length).toBeGreaterThan(0);
  });

  it.each(allowed)('%s -> %s is allowed', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition('20261127-00001', from, to)).not.toThrow();
  });

  it.each(forbidden)('%s -> %s is an IllegalTransitionError naming the case and both states', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    let thrown: unknown;
    try {
      assertTransition('20261127-00001', from, to);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(IllegalTransitionError);
    expect(thrown).toMatchObject({ code: 'ILLEGAL_TRANSITION', caseNo: '20261127-00001', from, to });
  });

  it.each([...TERMINAL_STATUSES])('%s is terminal: nothing leaves it', (status) => {
    expect(TRANSITIONS[status]).toEqual([]);
  });

  it('the happy path NEW -> ASSIGNED -> ACKNOWLEDGED -> RESOLVED -> CLOSED is allowed step by step', () => {
    const path: CaseStatus[] = ['NEW', 'ASSIGNED', 'ACKNOWLEDGED', 'RESOLVED', 'CLOSED'];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1], path[i])).toBe(true);
  });
});
