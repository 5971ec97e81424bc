/**
 * The assign use case on its own (usecases/lifecycle/assign-case.ts): in-memory cases and staff directory, so the
 * lost race and the department checks are exercised without a table. The HTTP path, the my-cases index and the
 * bulk answer are in test/lifecycle/assign.handler.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config/load';
import type { Actor } from '../../functions/domain/actor';
import { IllegalTransitionError, NotFoundError, ValidationError } from '../../functions/domain/errors';
import { assignCase } from '../../functions/usecases/lifecycle/assign-case';
import { reassignCase } from '../../functions/usecases/lifecycle/reassign-case';
import type { UserProfile } from '../../functions/usecases/user-directory';
import { aCase, ACTORS, FakeWorkflow, InMemoryCaseRepository } from './support/fakes';

const LEAD: Actor = { id: 'lead-pwd', role: 'staff', department: 'PWD', lead: true };
const PEOPLE: UserProfile[] = [
  { id: 'ann-pwd', name: '安', role: 'staff', department: 'PWD', updatedAt: '' },
  { id: 'eve-epd', name: '伊', role: 'staff', department: 'EPD', updatedAt: '' },
];
const users = { get: async (ids: readonly string[]) => PEOPLE.filter((p) => ids.includes(p.id)) };

function setup(overrides: Parameters<typeof aCase>[0] = {}) {
  const cases = new InMemoryCaseRepository();
  const c = cases.seed(aCase({ department: 'PWD', ...overrides }));
  return { cases, c, ports: { cases, users } };
}

describe('assignCase', () => {
  it('records the assignee and when, with an assigned event naming whom and why', async () => {
    const { cases, c, ports } = setup();

    const after = await assignCase(ports, LEAD, c.caseNo, { assignee: 'ann-pwd', reason: '熟悉該路段' });

    expect(after).toMatchObject({ assignee: 'ann-pwd', assignedAt: expect.any(String) as unknown, version: c.version + 1 });
    expect(cases.events(c.caseNo).at(-1)).toMatchObject({ type: 'assigned', by: 'lead-pwd', text: '熟悉該路段', data: { assignee: 'ann-pwd', reason: '熟悉該路段' } });
  });

  it("another department's case is not found, for its lead as for anyone of it", async () => {
    const { c, ports } = setup({ department: 'EPD' });

    await expect(assignCase(ports, LEAD, c.caseNo, { assignee: 'ann-pwd' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("checks the assignee against the case's department, also for a supervisor who reaches every case", async () => {
    const { cases, c, ports } = setup();

    await expect(assignCase(ports, ACTORS.supervisor, c.caseNo, { assignee: 'eve-epd' })).rejects.toMatchObject({ fields: [{ path: 'assignee' }] });
    await expect(assignCase(ports, ACTORS.supervisor, c.caseNo, { assignee: 'eve-epd' })).rejects.toBeInstanceOf(ValidationError);
    expect(cases.updates).toBe(0);
  });

  it('a case that left the department between the read and the write is a 409 with the status it has now', async () => {
    const { cases, c, ports } = setup();
    cases.beforeUpdate = () => {
      cases.beforeUpdate = undefined;
      const now = cases.cases.get(c.caseNo)!;
      cases.cases.set(c.caseNo, { ...now, status: 'RESOLVED', version: now.version + 1 });
    };

    await expect(assignCase(ports, LEAD, c.caseNo, { assignee: 'ann-pwd' })).rejects.toMatchObject({ from: 'RESOLVED' });
    await expect(assignCase(ports, LEAD, c.caseNo, { assignee: 'ann-pwd' })).rejects.toBeInstanceOf(IllegalTransitionError);
    expect(cases.cases.get(c.caseNo)?.assignee).toBeUndefined();
  });

  it("a supervisor's reassignment to another department takes the department's assignee off the case", async () => {
    const { cases, c, ports } = setup({ status: 'ACKNOWLEDGED', waitingFor: 'resolution', pendingTaskToken: 'tok' });
    await assignCase(ports, LEAD, c.caseNo, { assignee: 'ann-pwd' });

    const moved = await reassignCase({ cases, workflow: new FakeWorkflow() }, loadConfig(), ACTORS.supervisor, c.caseNo, { department: 'DIST-ZHONGLI', reason: '屬區公所權責' });

    expect(moved).toMatchObject({ department: 'DIST-ZHONGLI' });
    expect(moved.assignee).toBeUndefined();
    expect(moved.assignedAt).toBeUndefined();
  });
});
