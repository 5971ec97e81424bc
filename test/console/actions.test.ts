import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, canTransition } from '../../functions/domain/case';
import { ROUTES } from '../../functions/api/routes';
import { ACTION_ROLES, ACTION_ROUTES, actionBody, activeWait, allowedActions, canAddNote, CASE_ACTIONS, missingFields, piiAccessRequests } from '../../console/src/logic/actions';
import { canEditSop, casePrintHref, canSearchByPhone, parseRoute, screensFor } from '../../console/src/logic/navigation';

const agent = { role: 'agent' as const };
const pwd = { role: 'staff' as const, department: 'PWD' };
const supervisor = { role: 'supervisor' as const, department: 'RDEC' };

describe('actions a role may take in a state', () => {
  it('department staff acknowledge their own assigned case, and only that', () => {
    expect(allowedActions(pwd, { status: 'ASSIGNED', department: 'PWD', waitingFor: 'acknowledgement' })).toEqual(['acknowledge', 'return']);
    expect(allowedActions(pwd, { status: 'ASSIGNED', department: 'EPD', waitingFor: 'acknowledgement' })).toEqual([]);
  });

  it('an acknowledged case can be progressed, resolved or returned by its department', () => {
    expect(allowedActions(pwd, { status: 'ACKNOWLEDGED', department: 'PWD', waitingFor: 'resolution' })).toEqual(['progress', 'resolve', 'return']);
  });

  it('an agent records the survey answer or a call nobody answered only when the callback is due', () => {
    expect(allowedActions(agent, { status: 'RESOLVED', department: 'PWD', waitingFor: 'survey' })).toEqual(['survey', 'no-answer']);
    expect(allowedActions(agent, { status: 'RESOLVED', department: 'PWD' })).toEqual([]);
  });

  it('agents cancel and merge open cases but never act for a department', () => {
    expect(allowedActions(agent, { status: 'ASSIGNED', department: 'PWD', waitingFor: 'acknowledgement' })).toEqual(['cancel', 'merge']);
  });

  it('a returned case waits for a supervisor to reassign it', () => {
    expect(allowedActions(supervisor, { status: 'RETURNED', waitingFor: 'reassignment' })).toEqual(['reassign', 'cancel', 'merge']);
    expect(allowedActions(agent, { status: 'RETURNED', waitingFor: 'reassignment' })).toEqual(['cancel', 'merge']);
  });

  it('a supervisor may take an open case from the department that holds it, but not a resolved one or one between steps', () => {
    expect(allowedActions(supervisor, { status: 'ACKNOWLEDGED', department: 'PWD', waitingFor: 'resolution' })).toContain('reassign');
    expect(allowedActions(supervisor, { status: 'ASSIGNED', department: 'PWD', waitingFor: 'acknowledgement' })).toContain('reassign');
    expect(allowedActions(supervisor, { status: 'ASSIGNED', department: 'PWD' })).not.toContain('reassign');
    expect(allowedActions(supervisor, { status: 'RESOLVED', department: 'PWD', waitingFor: 'survey' })).not.toContain('reassign');
    expect(allowedActions(pwd, { status: 'ACKNOWLEDGED', department: 'PWD', waitingFor: 'resolution' })).not.toContain('reassign');
  });

  it("the department's lead and supervisors assign a case its department holds to a staff member; other staff do not", () => {
    const lead = { role: 'staff' as const, department: 'PWD', lead: true };
    expect(allowedActions(lead, { status: 'ASSIGNED', department: 'PWD', waitingFor: 'acknowledgement' })).toEqual(['acknowledge', 'assign', 'return']);
    expect(allowedActions(lead, { status: 'ACKNOWLEDGED', department: 'EPD', waitingFor: 'resolution' })).not.toContain('assign');
    expect(allowedActions(pwd, { status: 'ACKNOWLEDGED', department: 'PWD', waitingFor: 'resolution' })).not.toContain('assign');
    expect(allowedActions(supervisor, { status: 'REOPENED', department: 'PWD', waitingFor: 'acknowledgement' })).toContain('assign');
    expect(allowedActions(supervisor, { status: 'RESOLVED', department: 'PWD', waitingFor: 'survey' })).not.toContain('assign');
    expect(allowedActions(supervisor, { status: 'RETURNED', waitingFor: 'reassignment' })).not.toContain('assign');
    expect(missingFields('assign', { reason: 'x' })).toEqual(['assignee']);
    expect(actionBody('assign', { assignee: 'u-1', reason: ' ' })).toEqual({ assignee: 'u-1' });
  });

  it('closed, cancelled and merged cases offer nothing to anyone', () => {
    for (const status of ['CLOSED', 'CANCELLED', 'MERGED'] as const) {
      for (const user of [agent, pwd, supervisor, { role: 'admin' as const }]) expect(allowedActions(user, { status, department: 'PWD' })).toEqual([]);
    }
  });

  it('never offers a change of status the transition table forbids', () => {
    const target = { acknowledge: 'ACKNOWLEDGED', resolve: 'RESOLVED', return: 'RETURNED', reassign: 'ASSIGNED', cancel: 'CANCELLED', merge: 'MERGED' } as const;
    for (const status of CASE_STATUSES) {
      for (const a of allowedActions({ role: 'admin' }, { status, department: 'PWD', waitingFor: status === 'RESOLVED' ? 'survey' : undefined })) {
        if (a in target) expect(canTransition(status, target[a as keyof typeof target]), `${a} from ${status}`).toBe(true);
      }
    }
  });

  it("offers an action only to the roles its route's policy allows (the console reads the route table)", () => {
    for (const a of CASE_ACTIONS) {
      const route = ROUTES.find((r) => r.id === ACTION_ROUTES[a]);
      expect(route, a).toBeDefined();
      expect(ACTION_ROLES[a]).toEqual(route!.policy === 'public' ? [] : route!.policy.allow);
    }
    // Department staff may not cancel (the desk closes cases): the policy says so, and the console follows.
    expect(allowedActions({ role: 'staff', department: 'PWD' }, { status: 'ASSIGNED', department: 'PWD' })).not.toContain('cancel');
    expect(allowedActions({ role: 'agent' }, { status: 'ASSIGNED', department: 'PWD' })).toContain('cancel');
  });

  it('notes: staff only on their own department, agents and supervisors anywhere', () => {
    expect(canAddNote(pwd, { status: 'ASSIGNED', department: 'PWD' })).toBe(true);
    expect(canAddNote(pwd, { status: 'ASSIGNED', department: 'EPD' })).toBe(false);
    expect(canAddNote(agent, { status: 'CLOSED', department: 'EPD' })).toBe(true);
  });

  it('shows a workflow wait only while it fits the state (a closed case still carrying its survey token waits for nothing)', () => {
    expect(activeWait({ status: 'RESOLVED', waitingFor: 'survey' })).toBe('survey');
    expect(activeWait({ status: 'CLOSED', waitingFor: 'survey' })).toBeUndefined();
    expect(activeWait({ status: 'ACKNOWLEDGED', waitingFor: 'acknowledgement' })).toBeUndefined();
    expect(activeWait({ status: 'ASSIGNED' })).toBeUndefined();
  });

  it('an access request to personal data is pending until a supervisor approves that very request', () => {
    const events = [
      { type: 'pii-access-requested', at: '2026-11-27T01:00:00Z', by: 'u1', text: '需聯絡民眾確認地點', data: { requestId: 'r1' } },
      { type: 'pii-access-requested', at: '2026-11-27T02:00:00Z', by: 'u2', text: '再次確認', data: { requestId: 'r2' } },
      { type: 'pii-access-approved', at: '2026-11-27T03:00:00Z', by: 's1', data: { requestId: 'r1' } },
    ];

    expect(piiAccessRequests(events).map((r) => [r.requestId, r.approved])).toEqual([
      ['r1', true],
      ['r2', false],
    ]);
  });

  it('sends only the fields an action takes, blanks left out, and names a missing required one', () => {
    expect(actionBody('resolve', { resolution: ' 已修復 ', note: 'x' })).toEqual({ resolution: '已修復' });
    expect(actionBody('acknowledge', { note: '  ' })).toEqual({});
    expect(missingFields('return', { reason: ' ' })).toEqual(['reason']);
    expect(missingFields('survey', { answer: 'satisfied' })).toEqual(['rating']);
    expect(actionBody('survey', { answer: 'satisfied', rating: '4', comment: ' 很快 ' })).toEqual({ answer: 'satisfied', rating: 4, comment: '很快' });
  });
});

describe('screens by role', () => {
  it('each role sees only its screens; the outbox and clock only locally', () => {
    expect(screensFor('agent', false)).toEqual(['intake', 'find', 'callback', 'sops']);
    expect(screensFor('staff', false)).toEqual(['inbox', 'find', 'sops', 'articles', 'notifications']);
    expect(screensFor('supervisor', true)).toContain('dashboard');
    expect(screensFor('staff', true).slice(-2)).toEqual(['outbox', 'clock']);
    expect(screensFor('integration', true)).toEqual(['outbox', 'clock']);
  });

  it('phone search is for agents and supervisors; SOP edits for supervisors and admins', () => {
    expect(['agent', 'staff', 'supervisor', 'admin'].filter((r) => canSearchByPhone(r as 'agent'))).toEqual(['agent', 'supervisor']);
    expect(['agent', 'staff', 'supervisor', 'admin'].filter((r) => canEditSop(r as 'agent'))).toEqual(['supervisor', 'admin']);
  });

  it('routes live in the fragment, so they never collide with API paths', () => {
    expect(parseRoute('#/cases/20261127-00042')).toMatchObject({ screen: 'case', caseNo: '20261127-00042' });
    expect(parseRoute('#/cases/20261127-00042/print')).toMatchObject({ screen: 'case-print', caseNo: '20261127-00042' });
    expect(parseRoute(casePrintHref('20261127-00042'))).toMatchObject({ screen: 'case-print', caseNo: '20261127-00042' });
    expect(parseRoute('#/inbox?status=ACKNOWLEDGED')).toMatchObject({ screen: 'inbox' });
    expect(parseRoute('#/inbox?status=ACKNOWLEDGED').params.get('status')).toBe('ACKNOWLEDGED');
    expect(parseRoute('#/nonsense')).toMatchObject({ screen: 'home' });
    expect(parseRoute('')).toMatchObject({ screen: 'home' });
  });
});
