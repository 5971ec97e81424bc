import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config/load';
import { DISPATCH_DEADLINE, escalationPeriod, escalationTarget, nextEscalationLevel, planWait, secondsUntil } from '../../functions/domain/escalation';

const departments = loadConfig().departments;
const sop = {
  acknowledgeWithin: { amount: 2, unit: 'workingHours' as const },
  resolveWithin: { amount: 3, unit: 'workingDays' as const },
  urgent: { acknowledgeWithin: { amount: 0.5, unit: 'calendarHours' as const }, resolveWithin: { amount: 24, unit: 'calendarHours' as const } },
};

describe('escalation ladder', () => {
  it('climbs from the department supervisor to RDEC to the mayor, then reminds at level 3', () => {
    expect(nextEscalationLevel('acknowledgement', 0)).toEqual({ level: 1, reminder: false });
    expect(nextEscalationLevel('acknowledgement', 1)).toEqual({ level: 2, reminder: false });
    expect(nextEscalationLevel('resolution', 2)).toEqual({ level: 3, reminder: false });
    expect(nextEscalationLevel('resolution', 3)).toEqual({ level: 3, reminder: true });
  });

  it('starts a returned case that nobody reassigns at the 1999 supervisors (level 2)', () => {
    expect(nextEscalationLevel('reassignment', 0)).toEqual({ level: 2, reminder: false });
    expect(nextEscalationLevel('reassignment', 2)).toEqual({ level: 3, reminder: false });
  });

  it('never escalates a survey', () => {
    expect(() => nextEscalationLevel('survey', 0)).toThrow(RangeError);
  });

  it("names the department's own contact, RDEC and the mayor's office, from config", () => {
    expect(escalationTarget(1, 'PWD', departments)).toEqual({ level: 1, role: { zh: '工務局承辦科科長', en: 'Section chief, Public Works Department' }, notifyDepartment: 'PWD' });
    expect(escalationTarget(2, 'PWD', departments)).toMatchObject({ level: 2, notifyDepartment: 'RDEC', role: { en: '1999 hotline supervisor, RDEC' } });
    expect(escalationTarget(3, 'PWD', departments)).toMatchObject({ level: 3, notifyDepartment: 'MAYOR', role: { en: "Mayor's Office" } });
  });

  it('falls back to the escalation departments for a case without a department', () => {
    expect(escalationTarget(2, undefined, departments)).toMatchObject({ notifyDepartment: 'RDEC' });
    expect(escalationTarget(3, undefined, departments)).toMatchObject({ notifyDepartment: 'MAYOR' });
  });

  it("escalates every SOP period: the acknowledge or resolve deadline (urgent ones for urgent cases), a working day for reassignment", () => {
    expect(escalationPeriod('acknowledgement', sop, 'normal')).toEqual({ amount: 2, unit: 'workingHours' });
    expect(escalationPeriod('acknowledgement', sop, 'urgent')).toEqual({ amount: 0.5, unit: 'calendarHours' });
    expect(escalationPeriod('resolution', sop, 'normal')).toEqual({ amount: 3, unit: 'workingDays' });
    expect(escalationPeriod('reassignment', sop, 'urgent')).toEqual(DISPATCH_DEADLINE);
  });
});

describe('waits', () => {
  it('times out at least one second from now, rounded up (Step Functions needs a positive integer)', () => {
    const now = new Date('2026-11-27T01:00:00.000Z');
    expect(secondsUntil('2026-11-27T01:00:01.200Z', now)).toBe(2);
    expect(secondsUntil('2026-11-27T00:00:00.000Z', now)).toBe(1);
    expect(planWait('resolution', '2026-11-27T02:00:00Z', now, 'waiting')).toEqual({ waitingFor: 'resolution', level: 0, dueAt: '2026-11-27T02:00:00.000Z', seconds: 3600, event: 'waiting' });
  });
});
