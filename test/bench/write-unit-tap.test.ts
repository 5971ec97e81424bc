/**
 * The bench's write-unit tap (bench/lib/wru-tap.ts) bills as DynamoDB on-demand does: the table per started KiB of
 * the larger item image, twice in a transaction; each GSI per started KiB of its projected entry (no storage
 * overhead), once even when the table write was transactional; nothing for an index whose keys and projected
 * attributes did not change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, PutItemCommand, TransactWriteItemsCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { billWrite, startWriteUnitTap, type WriteUnitTap } from '../../bench/lib/wru-tap';
import { startDynalite, type LocalTable } from '../support/dynalite';

type Item = Record<string, AttributeValue>;
const s = (v: string): AttributeValue => ({ S: v });
const TABLE_KEYS = ['pk', 'sk'];
const INCLUDE = { name: 'ix', keys: ['ixpk', 'ixsk'], projection: 'INCLUDE' as const, include: ['shown'] };
const KEYS_ONLY = { name: 'keys', keys: ['kpk', 'ksk'], projection: 'KEYS_ONLY' as const, include: [] };

describe('billWrite', () => {
  const base: Item = { pk: s('CASE#1'), sk: s('CASE'), ixpk: s('A'), ixsk: s('1'), kpk: s('K'), ksk: s('1'), shown: s('x'), other: s('y') };

  it('a change of an attribute no index projects writes the table only', () => {
    expect(billWrite(base, { ...base, other: s('z') }, TABLE_KEYS, [INCLUDE, KEYS_ONLY])).toEqual({ table: 1, index: {} });
  });

  it('a projected attribute changed under the same key is one write of the larger entry; a moved key is a delete and a put', () => {
    expect(billWrite(base, { ...base, shown: s('w') }, TABLE_KEYS, [INCLUDE, KEYS_ONLY]).index).toEqual({ ix: 1 });
    expect(billWrite(base, { ...base, kpk: s('L') }, TABLE_KEYS, [INCLUDE, KEYS_ONLY]).index).toEqual({ keys: 2 });
  });

  it('an index entry is sized on its keys and projected attributes alone, without the 100 bytes of storage overhead', () => {
    // pk 2+6, sk 2+4, ixpk 4+1, ixsk 4+1, shown 5+n: 29 + n bytes. n = 995 is exactly 1 KiB, one unit (with the
    // storage overhead it would be two); n = 1,000 is past it, two.
    const big = { ...base, shown: s('x'.repeat(1000)) };
    expect(billWrite(undefined, big, TABLE_KEYS, [INCLUDE]).index).toEqual({ ix: 2 });
    const fits = { ...base, shown: s('x'.repeat(995)) };
    expect(billWrite(undefined, fits, TABLE_KEYS, [INCLUDE]).index).toEqual({ ix: 1 });
  });
});

describe('the tap in front of dynalite', () => {
  let local: LocalTable;
  let tap: WriteUnitTap;
  let client: DynamoDBClient;

  beforeAll(async () => {
    local = await startDynalite({ seedSops: false });
    tap = await startWriteUnitTap(local.endpoint);
    client = new DynamoDBClient({ endpoint: tap.endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    client.destroy();
    await tap.close();
    await local.close();
  });

  // gsi3 (district) projects caseNo, category, location and createdAt; an item in it costs that index one write.
  const caseItem = (n: string): Item => ({ pk: s(`CASE#${n}`), sk: s('CASE'), caseNo: s(n), category: s('pothole'), createdAt: s('2026-12-03T00:00:00.000Z'), gsi3pk: s('DISTRICT#zhongli'), gsi3sk: s(`2026-12-03T00:00:00.000Z#${n}`) });

  it('a transaction bills the table twice and the index copy once', async () => {
    tap.reset();
    await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: local.tableName, Item: caseItem('20261203-00001') } }] }));
    expect(tap.calls).toMatchObject([{ operation: 'TransactWriteItems', tableWru: 2, indexWru: { gsi3: 1 }, wru: 3, items: [{ kind: 'CASE/CASE', tableWru: 2, indexWru: { gsi3: 1 } }] }]);
  });

  it('a single put bills the table and the index copy once each', async () => {
    tap.reset();
    await client.send(new PutItemCommand({ TableName: local.tableName, Item: caseItem('20261203-00002') }));
    expect(tap.calls).toMatchObject([{ operation: 'PutItem', tableWru: 1, indexWru: { gsi3: 1 }, wru: 2 }]);
  });
});
