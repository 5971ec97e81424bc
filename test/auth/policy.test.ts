import { describe, expect, it } from 'vitest';
import { authorizeRoute, MissingPolicyError, refusal, SCOPES } from '../../functions/auth/policy';
import { assertCaseReachable, departmentScope, isCaseReachable } from '../../functions/auth/ownership';
import { actorFromClaims } from '../../functions/api/actor-from-claims';

describe('the policy', () => {
  it('a route it does not know is refused to everyone, not opened', () => {
    expect(() => authorizeRoute('deleteEverything', { id: 'admin-1', role: 'admin' })).toThrow(MissingPolicyError);
  });

  it('a machine client needs the route’s scope', () => {
    expect(refusal('getCase', { role: 'integration', scopes: [SCOPES.casesWrite] })).toMatch(/cases\.read/);
    expect(refusal('getCase', { role: 'integration', scopes: [SCOPES.casesRead] })).toBeUndefined();
  });

  it('department staff without a department are refused everywhere', () => {
    expect(refusal('listCases', { role: 'staff' })).toMatch(/department/);
  });

  it("assigning a department's cases is for its lead: staff in the lead group, not staff alone", () => {
    const lead = actorFromClaims({ sub: 'lead-pwd', 'cognito:groups': '[staff lead]', 'custom:department': 'PWD' });
    const staff = actorFromClaims({ sub: 'ann-pwd', 'cognito:groups': ['staff'], 'custom:department': 'PWD' });

    expect(lead).toMatchObject({ role: 'staff', department: 'PWD', lead: true });
    expect(staff.lead).toBeUndefined();
    expect(refusal('assignCase', lead)).toBeUndefined();
    expect(refusal('assignCases', lead)).toBeUndefined();
    expect(refusal('assignCase', staff)).toMatch(/lead/);
    expect(refusal('acknowledgeCase', staff)).toBeUndefined();
  });

  it('the lead group makes no one else a lead, nor gives a role', () => {
    expect(actorFromClaims({ sub: 'sup-1', 'cognito:groups': '[supervisor lead]' }).lead).toBeUndefined();
    expect(() => actorFromClaims({ sub: 'x', 'cognito:groups': '[lead]', 'custom:department': 'PWD' })).toThrow(/No role/);
  });
});

describe('ownership', () => {
  it('staff and bound clients reach their department only; everyone else every case', () => {
    const pwd = { department: 'PWD' };
    const epd = { caseNo: '20261127-00001', department: 'EPD' };

    expect(isCaseReachable(pwd, { role: 'staff', department: 'PWD' })).toBe(true);
    expect(() => assertCaseReachable(epd, { role: 'staff', department: 'PWD' })).toThrow(/not found/);
    expect(isCaseReachable(epd, { role: 'integration', department: 'PWD' })).toBe(false);
    expect(isCaseReachable(epd, { role: 'integration' })).toBe(true);
    expect(departmentScope({ role: 'agent', department: 'PWD' })).toBeUndefined();
  });

  it('a case not yet routed to any department is out of every department’s reach', () => {
    expect(isCaseReachable({ department: undefined }, { role: 'staff', department: 'PWD' })).toBe(false);
  });

  it('a client-credentials token binds its client to a department by scope, and to one only', () => {
    const bound = actorFromClaims({ client_id: 'pwd-system', sub: 'pwd-system', scope: 'citydesk/cases.read citydesk/dept.PWD' });

    expect(bound).toEqual({ id: 'pwd-system', role: 'integration', department: 'PWD', scopes: ['citydesk/cases.read', 'citydesk/dept.PWD'] });
    expect(() => actorFromClaims({ client_id: 'x', scope: 'citydesk/dept.PWD citydesk/dept.EPD' })).toThrow(/one department/);
  });
});
