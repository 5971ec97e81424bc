/**
 * An action that ends a case ends the wait in its own write (case-action.ts step 4): `waitingFor` goes, the spent
 * token stays, and nothing writes again to clear it. A change landing after it does not stop a retry of a failed
 * answer: the retry finds the token on the ended case and answers once.
 */
import { describe, expect, it } from 'vitest';
import { cancelCase } from '../../functions/usecases/lifecycle/cancel-case';
import { ACTORS, aCase, InMemoryCaseRepository } from '../usecases/support/fakes';
import { TaskTokens } from '../workflow/support/fakes';

describe('the wait of an ended case', () => {
  it('ends in the ending write; a note after a failed answer does not stop the retry from answering once', async () => {
    const cases = new InMemoryCaseRepository();
    const tokens = new TaskTokens();
    const c = aCase({ waitingFor: 'acknowledgement', pendingTaskToken: 'live-1' });
    await cases.create(c, { type: 'created', by: 'agent-1' });
    const answer = tokens.open('live-1');
    tokens.failNextAnswers = 1;

    await expect(cancelCase({ cases, workflow: tokens }, ACTORS.agent, c.caseNo, { reason: '民眾撤案' })).rejects.toThrow();
    expect(cases.updates).toBe(1);
    const ended = (await cases.get(c.caseNo))!;
    expect(ended).toMatchObject({ status: 'CANCELLED', pendingTaskToken: 'live-1' });
    expect(ended.waitingFor).toBeUndefined();
    await cases.update(c.caseNo, ended.version, { event: { type: 'note', by: 'agent-1', text: '民眾來電確認撤案' } });

    const retried = await cancelCase({ cases, workflow: tokens }, ACTORS.agent, c.caseNo, { reason: '民眾撤案' });

    await expect(answer).rejects.toMatchObject({ name: 'Case.Cancelled' });
    expect(tokens.answers).toHaveLength(1);
    expect(cases.updates).toBe(2);
    expect(retried).toMatchObject({ status: 'CANCELLED', version: ended.version + 1 });
    expect(cases.timelines.get(c.caseNo)!.map((e) => e.type)).toEqual(['created', 'cancelled', 'note']);
  });
});
