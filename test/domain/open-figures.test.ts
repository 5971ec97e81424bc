import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, type CaseStatus, type EscalationLevel } from '../../functions/domain/case';
import { dueCounter, figureDepartment, FigureName, figuresOf, isEmptyDelta, openCounters, openFiguresDelta, type FigureCase, type OpenFiguresDelta } from '../../functions/domain/open-figures';

const routed: FigureCase = {
  caseNo: '20261127-00001',
  status: 'ASSIGNED',
  category: 'pothole',
  department: 'PWD',
  escalationLevel: 0,
  acknowledgeDueAt: '2026-11-27T05:00:00.000Z',
  resolveDueAt: '2026-12-02T09:30:00.000Z',
  location: { district: 'zhongli' },
};

describe('what an open case counts under', () => {
  it('an assigned case: its status, department × status, category, district, and its acknowledge deadline day', () => {
    expect(openCounters(routed).sort()).toEqual(['C#pothole', 'D#PWD#ASSIGNED', 'S#ASSIGNED', 'X#zhongli']);
    expect(dueCounter(routed)).toEqual({ day: '2026-11-27', department: 'PWD' });
  });

  it('an acknowledged case counts under its resolve deadline; an escalated one under its level too', () => {
    const c = { ...routed, status: 'ACKNOWLEDGED' as const, escalationLevel: 2 as EscalationLevel };
    expect(openCounters(c)).toContain('E#2#PWD');
    expect(dueCounter(c)).toEqual({ day: '2026-12-02', department: 'PWD' });
  });

  it('a case not yet routed counts under no department; a resolved one in its department’s inbox only; a closed one nowhere', () => {
    const fresh = { ...routed, status: 'NEW' as const, department: undefined, acknowledgeDueAt: undefined, resolveDueAt: undefined };
    expect(openCounters(fresh).sort()).toEqual(['C#pothole', 'S#NEW', 'X#zhongli']);
    expect(dueCounter(fresh)).toBeUndefined();
    expect(openCounters({ ...routed, status: 'RESOLVED' })).toEqual(['D#PWD#RESOLVED']);
    expect(dueCounter({ ...routed, status: 'RESOLVED' })).toBeUndefined();
    for (const status of ['CLOSED', 'CANCELLED', 'MERGED'] as const) {
      expect(openCounters({ ...routed, status })).toEqual([]);
      expect(dueCounter({ ...routed, status })).toBeUndefined();
    }
  });
});

describe('the change a write makes', () => {
  it('acknowledging moves the case between department statuses and deadline days, nothing else', () => {
    const d = openFiguresDelta(routed, { ...routed, status: 'ACKNOWLEDGED' });
    expect(d.counters).toEqual({ 'S#ASSIGNED': -1, 'S#ACKNOWLEDGED': 1, 'D#PWD#ASSIGNED': -1, 'D#PWD#ACKNOWLEDGED': 1 });
    expect(d.due).toEqual({ '2026-11-27': { PWD: -1 }, '2026-12-02': { PWD: 1 } });
  });

  it('a write that changes nothing counted (a note, a bookkeeping field) moves nothing', () => {
    expect(isEmptyDelta(openFiguresDelta(routed, { ...routed }))).toBe(true);
  });

  it('creating and closing are +1 and -1 of the same counters', () => {
    const created = openFiguresDelta(undefined, routed);
    const closed = openFiguresDelta(routed, { ...routed, status: 'CLOSED' });
    expect(closed.counters).toEqual(Object.fromEntries(Object.entries(created.counters).map(([k, v]) => [k, -v])));
    expect(closed.due).toEqual({ '2026-11-27': { PWD: -1 } });
  });

  it('over any history of writes, the changes add up to the figures of the cases as they end', () => {
    // A seeded generator, so a failure is the same run after run.
    let seed = 1999;
    const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const days = ['2026-11-25T01:00:00.000Z', '2026-11-27T05:00:00.000Z', '2026-12-01T09:00:00.000Z'];
    const state = (caseNo: string): FigureCase => ({
      caseNo,
      status: pick<CaseStatus>(CASE_STATUSES),
      category: pick(['pothole', 'street-light', 'litter']),
      ...(random() < 0.8 ? { department: pick(['PWD', 'EPD', 'TRAN']) } : {}),
      escalationLevel: pick([0, 0, 1, 2, 3] as const),
      ...(random() < 0.8 ? { acknowledgeDueAt: pick(days) } : {}),
      ...(random() < 0.8 ? { resolveDueAt: pick(days) } : {}),
      location: { district: pick(['zhongli', 'bade', 'daxi']) },
    });
    const running: OpenFiguresDelta = { counters: {}, due: {} };
    const now = new Map<string, FigureCase>();
    for (let write = 0; write < 2000; write++) {
      const caseNo = `20261127-${String(Math.floor(random() * 40)).padStart(5, '0')}`;
      const after = state(caseNo);
      const d = openFiguresDelta(now.get(caseNo), after);
      now.set(caseNo, after);
      for (const [k, v] of Object.entries(d.counters)) running.counters[k] = (running.counters[k] ?? 0) + v;
      for (const [day, by] of Object.entries(d.due)) for (const [dept, v] of Object.entries(by)) (running.due[day] ??= {})[dept] = (running.due[day][dept] ?? 0) + v;
    }
    const nonZero = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== 0));
    const expected = figuresOf(now.values());
    expect(nonZero(running.counters)).toEqual(expected.counters);
    expect(Object.fromEntries(Object.entries(running.due).map(([day, by]) => [day, nonZero(by)]).filter(([, by]) => Object.keys(by).length))).toEqual(expected.due);
    expect(Object.keys(expected.counters).length).toBeGreaterThan(10);
  });
});

describe('the department a counter stands under', () => {
  it('is the department of a department × status or an escalation counter, and none of the others', () => {
    expect(figureDepartment(FigureName.departmentStatus('PWD', 'ASSIGNED'))).toBe('PWD');
    expect(figureDepartment(FigureName.escalated(2, 'DIST-ZHONGLI'))).toBe('DIST-ZHONGLI');
    expect([FigureName.status('NEW'), FigureName.category('pothole'), FigureName.district('bade')].map(figureDepartment)).toEqual([undefined, undefined, undefined]);
  });
});
