import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { CursorCodec } from '../../functions/adapters/cursor';
import { DynamoApiKeyStore, ensureApiKey, hashApiKey, issueApiKey, verifyApiKey } from '../../functions/adapters/api-key-store';
import { dayPartitions } from '../../functions/adapters/open311-request-store';
import { CaseEntity, GSIS } from '../../functions/adapters/table';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { aCase, createdEvent } from '../adapters/case-fixtures';
import { startDynalite, type LocalTable } from '../support/dynalite';

let local: LocalTable;
let restoreClock: () => void;
const clock = new ManualClock('2026-11-27T01:00:00.000Z');

beforeAll(async () => {
  local = await startDynalite();
  restoreClock = useClock(clock);
});
afterAll(async () => {
  restoreClock();
  await local.close();
});

async function updatedPartition(pk: string): Promise<string[]> {
  const out = await local.ddb.send(
    new QueryCommand({
      TableName: local.tableName,
      IndexName: GSIS.gsi6.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': GSIS.gsi6.partitionKey },
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  // The index holds keys only: the case number is in the partition key of the case's event items.
  return [...new Set((out.Items ?? []).map((i) => CaseEntity.caseNoOfKey(String(i.pk))))];
}

describe('the recent-changes index (gsi6)', () => {
  it('every public change is indexed under the Taipei day it was written, by its event item; the case item is never re-keyed', async () => {
    const repo = new DynamoCaseRepository(local.ddb, local.tableName, new CursorCodec('test-secret'));
    await repo.create(aCase({ caseNo: '20261127-00001', createdAt: '2026-11-27T01:00:00.000Z' }), createdEvent);
    expect(await updatedPartition('UPDATED#2026-11-27')).toEqual(['20261127-00001']);

    // 17:00 UTC on the 28th is 01:00 on the 29th in Taipei; an acknowledgement is what a citizen sees change.
    clock.set('2026-11-28T17:00:00.000Z');
    await repo.update('20261127-00001', 1, { set: { status: 'ACKNOWLEDGED' }, event: { type: 'acknowledged', by: 'staff-pwd' } });

    expect(await updatedPartition('UPDATED#2026-11-27')).toEqual(['20261127-00001']);
    expect(await updatedPartition('UPDATED#2026-11-29')).toEqual(['20261127-00001']);
    const item = (await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: CaseEntity.key('20261127-00001') }))).Item!;
    expect(item.gsi6pk).toBeUndefined();
    const events = await local.ddb.send(
      new QueryCommand({ TableName: local.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)', ExpressionAttributeValues: { ':pk': item.pk, ':ev': 'EV#' } }),
    );
    expect((events.Items ?? []).map((e) => String(e.gsi6sk))).toEqual(['2026-11-27T01:00:00.000Z#20261127-00001', '2026-11-28T17:00:00.000Z#20261127-00001']);
  });

  it('a change no citizen sees (a note, a workflow wait) leaves the index alone', async () => {
    const repo = new DynamoCaseRepository(local.ddb, local.tableName, new CursorCodec('test-secret'));
    clock.set('2026-11-30T01:00:00.000Z');
    await repo.create(aCase({ caseNo: '20261130-00001', createdAt: '2026-11-30T01:00:00.000Z' }), createdEvent);
    clock.set('2026-12-01T01:00:00.000Z');
    await repo.update('20261130-00001', 1, { event: { type: 'note', by: 'agent-1', text: '回電' } });
    await repo.update('20261130-00001', 2, { set: { waitingFor: 'acknowledgement' }, event: { type: 'waiting', by: 'workflow' } });

    expect(await updatedPartition('UPDATED#2026-11-30')).toEqual(['20261130-00001']);
    expect(await updatedPartition('UPDATED#2026-12-01')).toEqual([]);
  });

  it('a case item written with gsi6 keys before loses them at its next change, which its event item indexes', async () => {
    const repo = new DynamoCaseRepository(local.ddb, local.tableName, new CursorCodec('test-secret'));
    clock.set('2026-11-27T02:00:00.000Z');
    await repo.create(aCase({ caseNo: '20261127-00002', createdAt: '2026-11-27T02:00:00.000Z' }), createdEvent);
    const key = CaseEntity.key('20261127-00002');
    await local.ddb.send(
      new UpdateCommand({ TableName: local.tableName, Key: key, UpdateExpression: 'SET gsi6pk = :pk, gsi6sk = :sk', ExpressionAttributeValues: { ':pk': 'UPDATED#2026-11-26', ':sk': '2026-11-26T02:00:00.000Z#20261127-00002' } }),
    );
    expect(await updatedPartition('UPDATED#2026-11-26')).toEqual(['20261127-00002']);
    clock.set('2026-11-27T03:00:00.000Z');
    await repo.update('20261127-00002', 1, { set: { status: 'ACKNOWLEDGED' }, event: { type: 'acknowledged', by: 'staff-pwd' } });

    const item = (await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: key }))).Item!;
    expect(item.gsi2pk).toBe('STATUS#ACKNOWLEDGED');
    expect(item.gsi6pk).toBeUndefined();
    expect(await updatedPartition('UPDATED#2026-11-26')).toEqual([]);
    expect(await updatedPartition('UPDATED#2026-11-27')).toContain('20261127-00002');
  });

  it('day partitions cover every Taipei day of a range once, oldest first', () => {
    expect(dayPartitions('UPDATED', '2026-11-26T15:59:59.000Z', '2026-11-28T16:00:00.000Z')).toEqual([
      'UPDATED#2026-11-26',
      'UPDATED#2026-11-27',
      'UPDATED#2026-11-28',
      'UPDATED#2026-11-29',
    ]);
    expect(dayPartitions('CREATED', '2026-11-27T01:00:00.000Z', '2026-11-27T02:00:00.000Z')).toEqual(['CREATED#2026-11-27']);
  });
});

describe('Open311 API keys', () => {
  it('only the SHA-256 of an issued key is stored, and the key verifies to its client', async () => {
    const store = new DynamoApiKeyStore(local.ddb, local.tableName);
    const issued = await issueApiKey(store, 'Taoyuan Fix App');

    const item = (await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: { pk: `APIKEY#${hashApiKey(issued.key)}`, sk: 'APIKEY' } }))).Item!;
    expect(JSON.stringify(item)).not.toContain(issued.key);
    expect(item.clientName).toBe('Taoyuan Fix App');
    expect(await verifyApiKey(store, issued.key)).toEqual({ clientId: issued.clientId, clientName: 'Taoyuan Fix App' });
  });

  it('an unknown, empty or revoked key verifies to nothing', async () => {
    const store = new DynamoApiKeyStore(local.ddb, local.tableName);
    const issued = await issueApiKey(store, 'Leaky App');
    await store.revoke(hashApiKey(issued.key));

    expect(await verifyApiKey(store, issued.key)).toBeUndefined();
    expect(await verifyApiKey(store, 'c311_not-a-key-we-ever-issued-000000')).toBeUndefined();
    expect(await verifyApiKey(store, '')).toBeUndefined();
    expect(await verifyApiKey(store, undefined)).toBeUndefined();
  });

  it('a seeded demo key is issued once and kept on later starts', async () => {
    const store = new DynamoApiKeyStore(local.ddb, local.tableName);
    const first = await ensureApiKey(store, 'Local demo app', 'demo-open311-key-for-the-local-cloud');
    const again = await ensureApiKey(store, 'Local demo app', 'demo-open311-key-for-the-local-cloud');

    expect(again).toEqual(first);
    expect(await verifyApiKey(store, 'demo-open311-key-for-the-local-cloud')).toEqual(first);
  });

  it('a short explicit key is refused', async () => {
    const store = new DynamoApiKeyStore(local.ddb, local.tableName);
    await expect(issueApiKey(store, 'App', { key: 'short' })).rejects.toThrow(/at least 24/);
  });
});
