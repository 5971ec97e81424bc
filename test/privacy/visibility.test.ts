/**
 * Who sees a reporter unmasked (functions/privacy/visibility.ts), rule by rule, on a fixed clock.
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../functions/domain/actor';
import type { PiiAccessRequest } from '../../functions/domain/case';
import { personalDataAccess } from '../../functions/privacy/visibility';
import { PRIVACY_DEFAULTS } from '../../functions/privacy/settings';
import { aCase } from '../usecases/support/fakes';

const created = Date.parse('2026-11-27T01:00:00.000Z');
const at = (minutesAfterIntake: number) => new Date(created + minutesAfterIntake * 60_000);
const settings = { ...PRIVACY_DEFAULTS, agentUnmaskMinutes: 30 };

const agent: Actor = { id: 'agent-1', role: 'agent' };
const otherAgent: Actor = { id: 'agent-2', role: 'agent' };
const staff: Actor = { id: 'staff-pwd', role: 'staff', department: 'PWD' };
const supervisor: Actor = { id: 'sup-1', role: 'supervisor' };
const admin: Actor = { id: 'admin-1', role: 'admin' };
const client: Actor = { id: 'app-1', role: 'integration', scopes: ['citydesk/cases.read'] };

const approvedFor = (by: string, until: string): PiiAccessRequest => ({
  id: '6f1c2a8e-3b4d-4c5e-8f90-1a2b3c4d5e6f',
  by,
  reason: '需聯絡民眾',
  requestedAt: '2026-11-27T02:00:00.000Z',
  status: 'approved',
  approvedBy: 'sup-1',
  approvedAt: '2026-11-27T02:05:00.000Z',
  expiresAt: until,
});

describe('who sees the reporter unmasked', () => {
  it('a supervisor always, as a supervisor review', () => {
    expect(personalDataAccess(aCase(), supervisor, at(10_000), settings)).toEqual({ unmasked: true, reason: 'supervisor' });
  });

  it('the agent who logged the case, until the intake window closes', () => {
    expect(personalDataAccess(aCase(), agent, at(29), settings)).toMatchObject({ unmasked: true, reason: 'intake', until: at(30).toISOString() });
    expect(personalDataAccess(aCase(), agent, at(30), settings)).toEqual({ unmasked: false });
  });

  it('another agent, not even during intake', () => {
    expect(personalDataAccess(aCase(), otherAgent, at(1), settings)).toEqual({ unmasked: false });
  });

  it('any agent while the case waits for the satisfaction call-back', () => {
    const waiting = aCase({ status: 'RESOLVED', waitingFor: 'survey' });

    expect(personalDataAccess(waiting, otherAgent, at(10_000), settings)).toEqual({ unmasked: true, reason: 'follow-up-call' });
    expect(personalDataAccess({ ...waiting, waitingFor: undefined }, otherAgent, at(10_000), settings)).toEqual({ unmasked: false });
  });

  it('not while the survey wait is still inside its follow-up delay (the call is not due yet)', () => {
    const delayed = aCase({ status: 'RESOLVED', waitingFor: 'survey', callback: { attempts: 0, dueFrom: at(10_000).toISOString() } });

    expect(personalDataAccess(delayed, otherAgent, at(9_999), settings)).toEqual({ unmasked: false });
    expect(personalDataAccess(delayed, otherAgent, at(10_000), settings)).toEqual({ unmasked: true, reason: 'follow-up-call' });
  });

  it('department staff only with an approved request, until it expires', () => {
    const granted = aCase({ piiAccess: [approvedFor('staff-pwd', at(120).toISOString())] });

    expect(personalDataAccess(aCase(), staff, at(60), settings)).toEqual({ unmasked: false });
    expect(personalDataAccess(granted, staff, at(60), settings)).toMatchObject({ unmasked: true, reason: 'approved-request', until: at(120).toISOString() });
    expect(personalDataAccess(granted, staff, at(120), settings)).toEqual({ unmasked: false });
    expect(personalDataAccess(granted, { ...staff, id: 'staff-pwd-2' }, at(60), settings)).toEqual({ unmasked: false });
  });

  it('a pending request grants nothing', () => {
    const pending = aCase({ piiAccess: [{ ...approvedFor('staff-pwd', at(120).toISOString()), status: 'pending' }] });

    expect(personalDataAccess(pending, staff, at(60), settings)).toEqual({ unmasked: false });
  });

  it('never an admin or a machine client', () => {
    expect(personalDataAccess(aCase(), admin, at(1), settings)).toEqual({ unmasked: false });
    expect(personalDataAccess(aCase(), client, at(1), settings)).toEqual({ unmasked: false });
  });

  it('nobody once the reporter is erased', () => {
    const erased = aCase({ reporter: { anonymous: false, notify: 'none', erasedAt: at(60).toISOString() } });

    expect(personalDataAccess(erased, supervisor, at(61), settings)).toEqual({ unmasked: false });
  });
});
