/**
 * Clearing the spent task token off a case an action has just ended (case-action.ts step 6) is bookkeeping: a
 * concurrent change that wins the race leaves the token for now, and the action still answers the client.
 */
import { describe, expect, it } from 'vitest';
import { cancelCase } from '../../functions/usecases/lifecycle/cancel-case';
import { ACTORS, aCase, InMemoryCaseRepository } from '../usecases/support/fakes';
import { TaskTokens } from '../workflow/support/fakes';

describe('clearing the token of an ended case', () => {
  it('a concurrent change that wins the race leaves the token; the cancel still succeeds and is answered once', async () => {
    const cases = new InMemoryCaseRepository();
    const tokens = new TaskTokens();
    const c = aCase({ waitingFor: 'acknowledgement', pendingTaskToken: 'live-1' });
    await cases.create(c, { type: 'created', by: 'agent-1' });
    const answer = tokens.open('live-1');
    let writes = 0;
    cases.beforeUpdate = () => {
      writes += 1;
      // The second write is the cleanup: a note lands first, moving the version on.
      if (writes === 2) cases.cases.set(c.caseNo, { ...cases.cases.get(c.caseNo)!, version: cases.cases.get(c.caseNo)!.version + 1 });
    };

    const cancelled = await cancelCase({ cases, workflow: tokens }, ACTORS.agent, c.caseNo, { reason: '民眾撤案' });

    expect(cancelled).toMatchObject({ status: 'CANCELLED', pendingTaskToken: 'live-1' });
    await expect(answer).rejects.toMatchObject({ name: 'Case.Cancelled' });
    expect(tokens.answers).toHaveLength(1);
    expect(cases.timelines.get(c.caseNo)!.map((e) => e.type)).toEqual(['created', 'cancelled']);
  });
});
