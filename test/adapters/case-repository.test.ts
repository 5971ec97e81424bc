import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { CaseEntity, HourlyCountEntity } from '../../functions/adapters/table';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { ConflictError, LimitReachedError, NotFoundError, PreconditionFailedError } from '../../functions/domain/errors';
import type { CaseEvent } from '../../functions/domain/case';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { aCase, createdEvent } from './case-fixtures';

let local: LocalTable;
let repo: DynamoCaseRepository;
let clock: ManualClock;
let restoreClock: () => void;

beforeAll(async () => {
  local = await startDynalite();
  repo = new DynamoCaseRepository(local.ddb, local.tableName);
});
afterAll(async () => {
  await local.close();
});
beforeEach(() => {
  clock = new ManualClock('2026-11-27T02:00:00.000Z');
  restoreClock = useClock(clock);
});
afterEach(() => restoreClock());

async function rawItem(caseNo: string): Promise<Record<string, unknown> | undefined> {
  const out = await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: CaseEntity.key(caseNo), ConsistentRead: true }));
  return out.Item;
}

/** The case partition's event items, as stored. */
async function eventItems(caseNo: string): Promise<Array<Record<string, unknown>>> {
  const out = await local.ddb.send(
    new QueryCommand({
      TableName: local.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)',
      ExpressionAttributeValues: { ':pk': CaseEntity.key(caseNo).pk, ':ev': 'EV#' },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

describe('case numbers', () => {
  it('the daily counter counts up from 1 per Taipei day', async () => {
    // Arrange: 23:30 UTC on the 27th is already the 28th in Taipei.
    const lateUtc = new Date('2026-11-27T16:30:00.000Z');

    // Act
    const first = await repo.nextCaseNo(new Date('2026-11-27T02:00:00.000Z'));
    const second = await repo.nextCaseNo(new Date('2026-11-27T09:00:00.000Z'));
    const nextDay = await repo.nextCaseNo(lateUtc);

    // Assert
    expect(first).toBe('20261127-00001');
    expect(second).toBe('20261127-00002');
    expect(nextDay).toBe('20261128-00001');
  });

  it('numbers allocated at the same time are all different', async () => {
    const at = new Date('2026-12-01T02:00:00.000Z');

    const numbers = await Promise.all(Array.from({ length: 20 }, () => repo.nextCaseNo(at)));

    expect(new Set(numbers).size).toBe(20);
    expect([...numbers].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `20261201-${String(i + 1).padStart(5, '0')}`));
  });
});

describe('create and get', () => {
  it('a created case reads back as it was written, without its timeline', async () => {
    const c = aCase({ caseNo: '20261127-00101' });

    await repo.create(c, createdEvent);
    const read = await repo.get(c.caseNo);

    expect(read).toEqual(c);
    expect(read).not.toHaveProperty('timeline');
    expect(read).not.toHaveProperty('pk');
    expect(read).not.toHaveProperty('gsi1pk');
  });

  it('the created event is the first timeline entry, with an id of time and version', async () => {
    const c = aCase({ caseNo: '20261127-00102' });

    await repo.create(c, createdEvent);
    const page = await repo.timeline(c.caseNo, {});

    expect(page.items).toEqual([{ ...createdEvent, at: c.createdAt, id: `${c.createdAt}#000001` }]);
    expect(page.cursor).toBeUndefined();
  });

  it('a case number that already exists is a conflict and the stored case is untouched', async () => {
    const c = aCase({ caseNo: '20261127-00103' });
    await repo.create(c, createdEvent);
    const before = await rawItem(c.caseNo);

    await expect(repo.create({ ...c, description: 'another' }, createdEvent)).rejects.toBeInstanceOf(ConflictError);

    expect(await rawItem(c.caseNo)).toEqual(before);
  });

  it('a case that does not exist reads as undefined', async () => {
    expect(await repo.get('20261127-09999')).toBeUndefined();
  });
});

describe('update', () => {
  it('a change sets the attributes, bumps the version, stamps updatedAt and appends its event in the same write', async () => {
    const c = aCase({ caseNo: '20261127-00201' });
    await repo.create(c, createdEvent);
    clock.set('2026-11-27T03:00:00.000Z');

    const updated = await repo.update(c.caseNo, 1, {
      set: { status: 'ACKNOWLEDGED', acknowledgedAt: '2026-11-27T03:00:00.000Z' },
      remove: ['pendingTaskToken'],
      event: { type: 'acknowledged', by: 'staff-pwd-1', data: { from: 'ASSIGNED', to: 'ACKNOWLEDGED' } },
    });

    expect(updated).toEqual({ ...c, status: 'ACKNOWLEDGED', acknowledgedAt: '2026-11-27T03:00:00.000Z', version: 2, updatedAt: '2026-11-27T03:00:00.000Z' });
    const raw = await rawItem(c.caseNo);
    expect(raw?.version).toBe(2);
    expect(raw).not.toHaveProperty('timeline');
    const events = await eventItems(c.caseNo);
    expect(events.map((e) => e.sk)).toEqual([`EV#${c.createdAt}#000001`, 'EV#2026-11-27T03:00:00.000Z#000002']);
    expect((events[1].event as CaseEvent)).toMatchObject({ type: 'acknowledged', by: 'staff-pwd-1', at: '2026-11-27T03:00:00.000Z' });
  });

  it('listed attributes are removed and nested objects are replaced whole', async () => {
    const c = aCase({ caseNo: '20261127-00202', pendingTaskToken: 'token-1', waitingFor: 'acknowledgement' });
    await repo.create(c, createdEvent);

    const updated = await repo.update(c.caseNo, 1, {
      set: { location: { district: 'zhongli', address: '桃園市中壢區中正路1號' } },
      remove: ['pendingTaskToken', 'waitingFor'],
      event: { type: 'updated', by: 'agent-1' },
    });

    expect(updated.location).toEqual({ district: 'zhongli', address: '桃園市中壢區中正路1號' });
    expect(updated).not.toHaveProperty('pendingTaskToken');
    expect(updated).not.toHaveProperty('waitingFor');
    expect(await repo.get(c.caseNo)).toEqual(updated);
  });

  it('a stale version is a PreconditionFailedError carrying the current version, and nothing is written', async () => {
    const c = aCase({ caseNo: '20261127-00203' });
    await repo.create(c, createdEvent);
    await repo.update(c.caseNo, 1, { set: { escalationLevel: 1 }, event: { type: 'escalated', by: 'workflow' } });
    const before = await rawItem(c.caseNo);

    const stale = repo.update(c.caseNo, 1, { set: { status: 'CANCELLED' }, event: { type: 'cancelled', by: 'agent-1' } });

    await expect(stale).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(stale).rejects.toMatchObject({ currentVersion: 2 });
    expect(await rawItem(c.caseNo)).toEqual(before);
    expect(await eventItems(c.caseNo)).toHaveLength(2);
  });

  it('a stale version on a change that touches no index is also refused by the write itself', async () => {
    const c = aCase({ caseNo: '20261127-00204' });
    await repo.create(c, createdEvent);
    await repo.update(c.caseNo, 1, { set: { escalationLevel: 1 }, event: { type: 'escalated', by: 'workflow' } });
    const before = await rawItem(c.caseNo);

    const stale = repo.update(c.caseNo, 1, { event: { type: 'note', by: 'agent-1', text: '民眾來電詢問進度' } });

    await expect(stale).rejects.toMatchObject({ name: 'PreconditionFailedError', currentVersion: 2 });
    expect(await rawItem(c.caseNo)).toEqual(before);
  });

  it('of two concurrent updates from the same version exactly one wins; the other is a 412 and is not recorded', async () => {
    const c = aCase({ caseNo: '20261127-00205' });
    await repo.create(c, createdEvent);

    const results = await Promise.allSettled([
      repo.update(c.caseNo, 1, { set: { status: 'ACKNOWLEDGED' }, event: { type: 'acknowledged', by: 'staff-a' } }),
      repo.update(c.caseNo, 1, { set: { status: 'RETURNED' }, event: { type: 'returned', by: 'staff-b' } }),
    ]);

    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(PreconditionFailedError);
    const stored = await repo.get(c.caseNo);
    const events = (await repo.timeline(c.caseNo, {})).items;
    expect(stored?.version).toBe(2);
    expect(events).toHaveLength(2);
    expect(events[1].type).toBe(stored?.status === 'ACKNOWLEDGED' ? 'acknowledged' : 'returned');
  });

  it('updating a case that does not exist is a NotFoundError, with or without an index change', async () => {
    await expect(repo.update('20261127-09998', 1, { event: { type: 'note', by: 'agent-1' } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(repo.update('20261127-09998', 1, { set: { status: 'CANCELLED' }, event: { type: 'cancelled', by: 'agent-1' } })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await rawItem('20261127-09998')).toBeUndefined();
  });

  it('the repository manages version and updatedAt: a change may not set them', async () => {
    const c = aCase({ caseNo: '20261127-00206' });
    await repo.create(c, createdEvent);

    await expect(
      repo.update(c.caseNo, 1, { set: { updatedAt: '2000-01-01T00:00:00.000Z' }, event: { type: 'updated', by: 'agent-1' } }),
    ).rejects.toThrow(/may not set updatedAt/);
    expect((await repo.get(c.caseNo))?.version).toBe(1);
  });
});

describe('a change with more than its own event', () => {
  const take = { kind: 'sms', subject: 'test-line-1', window: '2026-11-27', limit: 1, expiresAt: 1_900_000_000 };
  const intake = { caseNo: '20261127-00801', category: 'pothole', district: 'zhongli', bucket: '2026-11-27T01' };

  it('records its events in order, one version each, and only the last enters the recent-changes index', async () => {
    const c = aCase({ caseNo: '20261127-00801', status: 'NEW' });
    await repo.create(c, createdEvent);

    const updated = await repo.update(c.caseNo, 1, {
      set: { status: 'ASSIGNED', receiptAt: '2026-11-27T02:00:00.000Z' },
      precededBy: [{ type: 'citizen-notified', by: 'workflow', text: 'receipt' }],
      event: { type: 'routed', by: 'workflow', text: 'routed' },
      counts: [{ intake }],
      take,
    });

    expect(updated.version).toBe(3);
    const items = await eventItems(c.caseNo);
    expect(items.map((i) => [i.sk, (i.event as CaseEvent).type])).toEqual([
      [`EV#${c.createdAt}#000001`, 'created'],
      ['EV#2026-11-27T02:00:00.000Z#000002', 'citizen-notified'],
      ['EV#2026-11-27T02:00:00.000Z#000003', 'routed'],
    ]);
    expect(items[1]).not.toHaveProperty('gsi6pk');
    expect(items[2]).toHaveProperty('gsi6pk');
    expect((await repo.timeline(c.caseNo, {})).items.map((e) => e.type)).toEqual(['created', 'citizen-notified', 'routed']);
  });

  it('a rate limit reached writes nothing and says so; a count made before is left out and the change written', async () => {
    const c = aCase({ caseNo: '20261127-00802', status: 'NEW' });
    await repo.create(c, createdEvent);
    const before = await rawItem(c.caseNo);
    const change = { set: { status: 'ASSIGNED' as const }, event: { type: 'routed' as const, by: 'workflow' }, counts: [{ intake }] };

    // The limit of 1 was taken by the test above: nothing is written.
    await expect(repo.update(c.caseNo, 1, { ...change, take })).rejects.toBeInstanceOf(LimitReachedError);
    expect(await rawItem(c.caseNo)).toEqual(before);

    // The intake counted above (the same marker): the change goes through without it.
    const updated = await repo.update(c.caseNo, 1, change);
    expect(updated).toMatchObject({ status: 'ASSIGNED', version: 2 });
    const hour = await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: HourlyCountEntity.key(intake.bucket, intake.category, intake.district), ConsistentRead: true }));
    expect(hour.Item?.cases).toBe(1);
  });

  it('an event written as one outcome is revised in place to another; an event that is not there is a NotFoundError', async () => {
    const c = aCase({ caseNo: '20261127-00803', status: 'NEW' });
    await repo.create(c, createdEvent);
    const updated = await repo.update(c.caseNo, 1, { precededBy: [{ type: 'citizen-notified', by: 'workflow', text: 'sent' }], event: { type: 'routed', by: 'workflow' } });

    await repo.reviseEvent(c.caseNo, { at: updated.updatedAt, version: 2 }, { type: 'citizen-notified', by: 'workflow', text: 'failed', data: { delivered: false } });

    const events = (await repo.timeline(c.caseNo, {})).items;
    expect(events[1]).toEqual({ type: 'citizen-notified', by: 'workflow', text: 'failed', data: { delivered: false }, at: updated.updatedAt, id: `${updated.updatedAt}#000002` });
    await expect(repo.reviseEvent(c.caseNo, { at: updated.updatedAt, version: 3 }, { type: 'citizen-notified', by: 'workflow' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('queues follow the case', () => {
  it('a status change moves the case from one department queue partition to another, keyed by the deadline that matters now', async () => {
    const c = aCase({ caseNo: '20261127-00301', department: 'WATER' });
    await repo.create(c, createdEvent);
    const assignedBefore = await repo.list({ department: 'WATER', status: 'ASSIGNED' });

    await repo.update(c.caseNo, 1, { set: { status: 'ACKNOWLEDGED' }, event: { type: 'acknowledged', by: 'staff-water' } });

    expect(assignedBefore.items.map((s) => s.caseNo)).toEqual([c.caseNo]);
    expect((await repo.list({ department: 'WATER', status: 'ASSIGNED' })).items).toEqual([]);
    expect((await repo.list({ department: 'WATER', status: 'ACKNOWLEDGED' })).items.map((s) => s.caseNo)).toEqual([c.caseNo]);
    expect((await repo.list({ status: 'ACKNOWLEDGED', district: 'zhongli' })).items.map((s) => s.caseNo)).toContain(c.caseNo);
    const raw = await rawItem(c.caseNo);
    expect(raw).toMatchObject({ gsi1pk: 'DEPT#WATER#ACKNOWLEDGED', gsi1sk: `${c.resolveDueAt}#${c.caseNo}`, gsi2pk: 'STATUS#ACKNOWLEDGED' });
  });

  it('a case without a department is in no department queue until it is assigned', async () => {
    const c = aCase({ caseNo: '20261127-00302', status: 'NEW', department: undefined, acknowledgeDueAt: undefined, resolveDueAt: undefined });
    await repo.create(c, createdEvent);
    const before = await rawItem(c.caseNo);

    await repo.update(c.caseNo, 1, {
      set: { status: 'ASSIGNED', department: 'APO', acknowledgeDueAt: '2026-11-27T06:00:00.000Z' },
      event: { type: 'routed', by: 'workflow', data: { department: 'APO' } },
    });

    expect(before).not.toHaveProperty('gsi1pk');
    expect(await rawItem(c.caseNo)).toMatchObject({ gsi1pk: 'DEPT#APO#ASSIGNED', gsi1sk: `2026-11-27T06:00:00.000Z#${c.caseNo}` });
    expect((await repo.list({ department: 'APO', status: 'ASSIGNED' })).items.map((s) => s.caseNo)).toEqual([c.caseNo]);
  });

  it('a re-routed case leaves the old department queue and joins the new one', async () => {
    const c = aCase({ caseNo: '20261127-00303', department: 'UDD', category: 'illegal-construction' });
    await repo.create(c, createdEvent);

    await repo.update(c.caseNo, 1, { set: { department: 'SOC' }, event: { type: 'reassigned', by: 'supervisor-1' } });

    expect((await repo.list({ department: 'UDD', status: 'ASSIGNED' })).items).toEqual([]);
    expect((await repo.list({ department: 'SOC', status: 'ASSIGNED' })).items.map((s) => s.caseNo)).toEqual([c.caseNo]);
  });
});

describe('timeline', () => {
  it('pages through the events oldest first with an opaque cursor', async () => {
    const c = aCase({ caseNo: '20261127-00401' });
    await repo.create(c, createdEvent);
    for (let v = 1; v <= 4; v++) {
      clock.advance(60_000);
      await repo.update(c.caseNo, v, { event: { type: 'note', by: 'agent-1', text: `note ${v}` } });
    }

    const first = await repo.timeline(c.caseNo, { limit: 2 });
    const second = await repo.timeline(c.caseNo, { limit: 2, cursor: first.cursor });
    const third = await repo.timeline(c.caseNo, { limit: 2, cursor: second.cursor });

    expect([...first.items, ...second.items, ...third.items].map((e) => (e.type === 'note' ? e.text : e.type))).toEqual(['created', 'note 1', 'note 2', 'note 3', 'note 4']);
    expect(third.cursor).toBeUndefined();
    const ids = [...first.items, ...second.items, ...third.items].map((e) => e.id);
    expect([...ids].sort()).toEqual(ids);
  });

  it('a timeline cursor from another case is a ValidationError on cursor', async () => {
    const a = aCase({ caseNo: '20261127-00402' });
    const b = aCase({ caseNo: '20261127-00403' });
    await repo.create(a, createdEvent);
    await repo.create(b, createdEvent);
    await repo.update(a.caseNo, 1, { event: { type: 'note', by: 'agent-1' } });
    const page = await repo.timeline(a.caseNo, { limit: 1 });

    await expect(repo.timeline(b.caseNo, { limit: 1, cursor: page.cursor })).rejects.toMatchObject({
      name: 'ValidationError',
      fields: [expect.objectContaining({ path: 'cursor' })],
    });
  });

  it('the timeline of a case that does not exist is a NotFoundError', async () => {
    await expect(repo.timeline('20261127-09997', {})).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('on DynamoDB itself, a failed condition carries the old item', () => {
  // Created in beforeAll: mockClient patches every document client, and the tests above use real ones.
  let mock: ReturnType<typeof mockClient>;
  beforeAll(() => {
    mock = mockClient(DynamoDBDocumentClient);
  });
  afterAll(() => mock.restore());

  it('a writer that lost between its read and its transaction gets the current version from the cancellation, with no extra read', async () => {
    // Arrange: the read finds version 3, then another writer gets in first; DynamoDB returns its item (version 7).
    const stored = CaseEntity.toItem(aCase({ caseNo: '20261127-00501', version: 3 }));
    mock.on(GetCommand).resolvesOnce({ Item: stored }).resolves({});
    mock.on(TransactWriteCommand).rejectsOnce(
      new TransactionCanceledException({
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: { pk: { S: 'CASE#20261127-00501' }, version: { N: '7' } } }, { Code: 'None' }],
      }),
    );
    const mocked = new DynamoCaseRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'table');

    // Act
    const stale = mocked.update('20261127-00501', 3, { event: { type: 'note', by: 'agent-1' } });

    // Assert: the 412 names version 7, and the case was read once (before the write), not again after it.
    await expect(stale).rejects.toMatchObject({ name: 'PreconditionFailedError', currentVersion: 7 });
    expect(mock.commandCalls(GetCommand)).toHaveLength(1);
    const input = mock.commandCalls(TransactWriteCommand)[0].args[0].input;
    expect(input.TransactItems?.[0].Put?.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('a timeline page DynamoDB cut short at 1 MB still has a cursor: fewer items than asked for is not the end', async () => {
    mock.reset();
    const pk = CaseEntity.key('20261127-00503').pk;
    const events = [1, 2, 3].map((v) => ({ pk, sk: `EV#2026-11-27T01:00:0${v}.000Z#00000${v}`, event: { id: `2026-11-27T01:00:0${v}.000Z#00000${v}`, type: 'note' } }));
    mock.on(QueryCommand).resolvesOnce({ Items: events, LastEvaluatedKey: { pk, sk: events[2].sk } });
    const mocked = new DynamoCaseRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'table');

    const page = await mocked.timeline('20261127-00503', { limit: 50 });

    expect(page.items).toHaveLength(3);
    expect(page.cursor).toBeDefined();
  });

  it('a change whose case condition failed with no item returned, and none to read, finds the case gone', async () => {
    const stored = CaseEntity.toItem(aCase({ caseNo: '20261127-00502', version: 1, pendingTaskToken: 't' }));
    mock.reset();
    mock.on(GetCommand).resolvesOnce({ Item: stored }).resolves({});
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'Transaction cancelled [ConditionalCheckFailed, None]', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }),
    );
    const mocked = new DynamoCaseRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'table');

    await expect(mocked.update('20261127-00502', 1, { remove: ['pendingTaskToken'], event: { type: 'note', by: 'agent-1' } })).rejects.toBeInstanceOf(NotFoundError);
    expect(mock.commandCalls(GetCommand)).toHaveLength(2);
  });
});
