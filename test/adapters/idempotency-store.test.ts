import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoIdempotencyStore, IDEMPOTENCY_TTL_SECONDS } from '../../functions/adapters/idempotency-store';
import { IdempotencyEntity } from '../../functions/adapters/table';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { startDynalite, type LocalTable } from '../support/dynalite';

let local: LocalTable;
let store: DynamoIdempotencyStore;
let clock: ManualClock;
let restoreClock: () => void;

beforeAll(async () => {
  local = await startDynalite();
  store = new DynamoIdempotencyStore(local.ddb, local.tableName);
});
afterAll(async () => {
  await local.close();
});
beforeEach(() => {
  clock = new ManualClock('2026-11-27T02:00:00.000Z');
  restoreClock = useClock(clock);
});
afterEach(() => restoreClock());

const record = (key: string, requestHash: string, caseNo: string) => ({ key, requestHash, caseNo, createdAt: '2026-11-27T02:00:00.000Z' });

describe('idempotency store', () => {
  it('the first claim of a key wins; a second claim gets the first record back', async () => {
    const first = record('agent-1:key-1', 'hash-a', '20261127-00001');

    const claimed = await store.claim(first);
    const again = await store.claim(record('agent-1:key-1', 'hash-b', '20261127-00002'));

    expect(claimed).toEqual({ claimed: true });
    expect(again).toEqual({ claimed: false, existing: first });
  });

  it('of two concurrent claims of one key exactly one wins', async () => {
    const requests = [record('agent-1:key-2', 'hash-a', '20261127-00003'), record('agent-1:key-2', 'hash-a', '20261127-00004')];

    const results = await Promise.all(requests.map((r) => store.claim(r)));

    const winner = results.findIndex((r) => r.claimed);
    const loser = results[1 - winner];
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    expect(loser).toEqual({ claimed: false, existing: requests[winner] });
  });

  it('a record expires 24 hours after its claim (TTL attribute in epoch seconds)', async () => {
    await store.claim(record('agent-1:key-3', 'hash-a', '20261127-00005'));

    const item = await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: IdempotencyEntity.key('agent-1:key-3') }));

    expect(item.Item?.expiresAt).toBe(Math.floor(Date.parse('2026-11-27T02:00:00.000Z') / 1000) + IDEMPOTENCY_TTL_SECONDS);
  });

  it('an expired record that TTL has not deleted yet can be claimed again', async () => {
    await store.claim(record('agent-1:key-4', 'hash-a', '20261127-00006'));
    clock.advance((IDEMPOTENCY_TTL_SECONDS + 1) * 1000);

    const reclaimed = await store.claim(record('agent-1:key-4', 'hash-b', '20261128-00001'));
    const repeat = await store.claim(record('agent-1:key-4', 'hash-c', '20261128-00002'));

    expect(reclaimed).toEqual({ claimed: true });
    expect(repeat).toMatchObject({ claimed: false, existing: { requestHash: 'hash-b', caseNo: '20261128-00001' } });
  });
});
