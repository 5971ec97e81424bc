/**
 * A supervisor denies a pending access request or revokes a running approval (use cases over the in-memory
 * repository; the queue items and the API are in test/privacy/personal-data-api.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { ConflictError, NotFoundError } from '../../functions/domain/errors';
import { approvePiiAccess } from '../../functions/usecases/approve-pii-access';
import { denyPiiAccess, revokePiiAccess } from '../../functions/usecases/decide-pii-access';
import { requestPiiAccess } from '../../functions/usecases/request-pii-access';
import { personalDataAccess } from '../../functions/privacy/visibility';
import { aCase, ACTORS, InMemoryCaseRepository } from './support/fakes';

const clock = new ManualClock('2026-11-27T01:00:00.000Z');
let restore: () => void;
let cases: InMemoryCaseRepository;

beforeEach(async () => {
  restore = useClock(clock);
  clock.set('2026-11-27T01:00:00.000Z');
  cases = new InMemoryCaseRepository();
  await cases.create(aCase({ caseNo: '20261127-00001', version: 1 }), { type: 'created', by: 'agent-1', at: '2026-11-27T01:00:00.000Z' });
});
afterEach(() => restore());

const ask = async () => (await requestPiiAccess({ cases }, ACTORS.staffPwd, '20261127-00001', { reason: '需聯絡民眾確認地點' })).request.id;

describe('denying an access request', () => {
  it('takes a pending request off the case and records who denied it and why', async () => {
    const id = await ask();

    const result = await denyPiiAccess({ cases }, ACTORS.supervisor, '20261127-00001', id, { reason: '理由不足，請補充' });

    const c = (await cases.get('20261127-00001'))!;
    expect(result).toMatchObject({ decision: 'denied', request: { id, by: 'staff-pwd' } });
    expect(c.piiAccess).toEqual([]);
    const timeline = (await cases.timeline('20261127-00001', {})).items;
    expect(timeline.at(-1)).toMatchObject({ type: 'pii-access-denied', by: 'sup-1', data: { requestId: id, requester: 'staff-pwd', reason: '理由不足，請補充' } });
  });

  it('an approved request cannot be denied (409 naming approved); an unknown one is a 404', async () => {
    const id = await ask();
    await approvePiiAccess({ cases }, ACTORS.supervisor, '20261127-00001', id, {});

    const denying = denyPiiAccess({ cases }, ACTORS.supervisor, '20261127-00001', id, { reason: '理由不足，請補充' });
    await expect(denying).rejects.toBeInstanceOf(ConflictError);
    await expect(denying).rejects.toMatchObject({ details: { status: 'approved' } });
    await expect(denyPiiAccess({ cases }, ACTORS.supervisor, '20261127-00001', '00000000-0000-4000-8000-000000000000', { reason: '理由不足，請補充' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('revoking an approval', () => {
  it('ends the grant at once: the requester no longer sees the reporter', async () => {
    const id = await ask();
    await approvePiiAccess({ cases }, ACTORS.supervisor, '20261127-00001', id, { minutes: 60 });
    const before = personalDataAccess((await cases.get('20261127-00001'))!, ACTORS.staffPwd, clock.now()).unmasked;

    await revokePiiAccess({ cases }, ACTORS.supervisor, '20261127-00001', id, { reason: '已聯絡完畢，不再需要' });

    const after = personalDataAccess((await cases.get('20261127-00001'))!, ACTORS.staffPwd, clock.now()).unmasked;
    expect(before).toBe(true);
    expect(after).toBe(false);
    expect((await cases.timeline('20261127-00001', {})).items.at(-1)).toMatchObject({ type: 'pii-access-revoked', data: { requestId: id, reason: '已聯絡完畢，不再需要' } });
  });

  it('a pending request cannot be revoked (409 naming pending)', async () => {
    const id = await ask();

    await expect(revokePiiAccess({ cases }, ACTORS.supervisor, '20261127-00001', id, { reason: '已聯絡完畢，不再需要' })).rejects.toMatchObject({ details: { status: 'pending' } });
  });
});
