/**
 * The open-case figures as the table keeps them: moved by every case write in its transaction, read back as the
 * dashboard reads them, rebuilt for cases written before they existed, and trimmed of past deadline days no open
 * case holds any more.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { CursorCodec } from '../../functions/adapters/cursor';
import { DynamoOpenFigures } from '../../functions/adapters/open-figures-store';
import { sendRetryingConflicts } from '../../functions/adapters/open-figure-updates';
import { CaseEntity, createTableInput, GSIS, OpenFiguresEntity } from '../../functions/adapters/table';
import { figuresOf, type FigureCase } from '../../functions/domain/open-figures';
import type { Case } from '../../functions/domain/case';
import { ensureTable } from '../../local/dynamodb';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { aCase, createdEvent } from './case-fixtures';

let local: LocalTable;
let repo: DynamoCaseRepository;
let figures: DynamoOpenFigures;
const NOW = '2026-11-27T04:00:00.000Z';

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-open-figures-test' });
  repo = new DynamoCaseRepository(local.ddb, local.tableName, new CursorCodec('test'));
  figures = new DynamoOpenFigures(local.ddb, local.tableName);
});
afterAll(async () => {
  await local.close();
});

const nonZero = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== 0));

/** What the figures must say: every case of the test, as stored now, counted from scratch. */
async function expectedOf(caseNos: readonly string[]) {
  const cases: Case[] = [];
  for (const n of caseNos) cases.push((await repo.get(n))!);
  const overdueByDepartment: Record<string, number> = {};
  for (const [day, by] of Object.entries(figuresOf(cases).due)) if (day < NOW.slice(0, 10)) for (const [d, v] of Object.entries(by)) overdueByDepartment[d] = (overdueByDepartment[d] ?? 0) + v;
  return { cases, counters: figuresOf(cases).counters, overdueByDepartment };
}

describe('the figures follow every case write', () => {
  const numbers: string[] = [];

  it('creating, acknowledging, escalating, resolving and reopening move them to the figures of the cases as they are', async () => {
    const mk = async (n: number, o: Partial<Case>) => {
      const c = await repo.create(aCase({ caseNo: `20261120-0${String(n).padStart(4, '0')}`, ...o }), createdEvent);
      numbers.push(c.caseNo);
      return c;
    };
    const a = await mk(1, { status: 'ASSIGNED', acknowledgeDueAt: '2026-11-26T05:00:00.000Z' });
    const b = await mk(2, { status: 'ASSIGNED', department: 'EPD', category: 'litter', location: { district: 'bade', address: '介壽路 5 號' } });
    const c = await mk(3, { status: 'NEW', department: undefined, acknowledgeDueAt: undefined, resolveDueAt: undefined });
    await mk(4, { status: 'ACKNOWLEDGED', resolveDueAt: '2026-11-27T02:00:00.000Z' });

    const acked = await repo.update(a.caseNo, a.version, { set: { status: 'ACKNOWLEDGED' }, event: { type: 'acknowledged', by: 'staff-1' } });
    const escalated = await repo.update(acked.caseNo, acked.version, { set: { escalationLevel: 2 }, event: { type: 'escalated', by: 'system', data: { level: 2 } } });
    const resolved = await repo.update(b.caseNo, b.version, { set: { status: 'RESOLVED' }, event: { type: 'resolved', by: 'staff-2', text: '已清除' } });
    await repo.update(resolved.caseNo, resolved.version, { set: { status: 'REOPENED', resolveDueAt: '2026-11-26T09:00:00.000Z' }, event: { type: 'reopened', by: 'agent-1' } });
    await repo.update(c.caseNo, c.version, { set: { note: 'called back' } as Partial<Case>, event: { type: 'note', by: 'agent-1', text: '回電' } });
    expect(escalated.escalationLevel).toBe(2);

    const read = await figures.read(NOW, 50, [3, 2, 1]);
    const expected = await expectedOf(numbers);

    expect(nonZero(read.counters)).toEqual(expected.counters);
    // Days before today from the day items, today's deadlines up to now from the attention index.
    expect(read.overdueByDepartment).toEqual({ PWD: 1, EPD: 1 });
    expect(read.overdue.map((s) => s.caseNo)).toEqual(['20261120-00002', '20261120-00004']);
    expect(read.escalated.map((s) => [s.caseNo, s.escalationLevel])).toEqual([['20261120-00001', 2]]);
  });

  it('keeps the counters of a case in the item of the department that holds it, so no item a write moves grows with the departments', async () => {
    const items = (await local.ddb.send(new QueryCommand({ TableName: local.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': OpenFiguresEntity.partition } }))).Items ?? [];
    const names = (item: Record<string, unknown>) => Object.keys(item).filter((k) => typeof item[k] === 'number' && item[k] !== 0);

    const shardItems = items.filter((i) => /^SHARD#\d+$/.test(String(i.sk)));
    const departmentItems = items.filter((i) => /^SHARD#\d+#/.test(String(i.sk)));
    // Only the NEW case without a department counts in its shard's own item.
    expect(shardItems.flatMap(names).sort()).toEqual(['C#pothole', 'S#NEW', 'X#zhongli']);
    // PWD's and EPD's cases, each under its own department: no other department's counters there.
    expect(new Set(departmentItems.map((i) => String(i.sk).split('#')[2]))).toEqual(new Set(['PWD', 'EPD']));
    for (const item of departmentItems) {
      const department = String(item.sk).split('#')[2];
      for (const n of names(item)) expect(/^[SCX]#/.test(n) || n.startsWith(`D#${department}#`) || (n.startsWith('E#') && n.endsWith(`#${department}`))).toBe(true);
    }
  });

  it("a status change within a department moves its department's item only", async () => {
    const c = await repo.create(aCase({ caseNo: '20261120-00099', status: 'ASSIGNED', department: 'EPD' }), createdEvent);
    numbers.push(c.caseNo);
    const shardItem = async () => (await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: OpenFiguresEntity.key(OpenFiguresEntity.shardOf(c.caseNo)) }))).Item;
    const departmentItem = async () => (await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: OpenFiguresEntity.departmentKey(OpenFiguresEntity.shardOf(c.caseNo), 'EPD') }))).Item;
    const [shardBefore, departmentBefore] = [await shardItem(), await departmentItem()];

    await repo.update(c.caseNo, c.version, { set: { status: 'ACKNOWLEDGED' }, event: { type: 'acknowledged', by: 'staff-2' } });

    expect(await shardItem()).toEqual(shardBefore);
    expect(await departmentItem()).not.toEqual(departmentBefore);
    expect(nonZero((await figures.read(NOW, 50, [3, 2, 1])).counters)).toEqual((await expectedOf(numbers)).counters);
  });

  it('a case that leaves the open statuses leaves every figure; its deadline day empties and is dropped', async () => {
    for (const n of numbers) {
      const c = (await repo.get(n))!;
      await repo.update(n, c.version, { set: { status: 'CLOSED' }, event: { type: 'closed', by: 'system' } });
    }
    const read = await figures.read(NOW, 50, [3, 2, 1]);

    expect(nonZero(read.counters)).toEqual({});
    expect(read.overdue).toEqual([]);
    expect(read.escalated).toEqual([]);
    const days = async () => (await local.ddb.send(new QueryCommand({ TableName: local.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': OpenFiguresEntity.duePartition } }))).Items ?? [];
    expect((await days()).map((d) => String(d.sk))).toContain('2026-11-26');

    expect(await figures.dropEmptyDays(NOW.slice(0, 10))).toBeGreaterThan(0);
    expect((await days()).filter((d) => String(d.sk) < NOW.slice(0, 10))).toEqual([]);
  });
});

describe('rebuilding', () => {
  it('gives cases stored before the figures their attention keys and the figures they make', async () => {
    const old: FigureCase[] = [];
    for (let i = 1; i <= 6; i++) {
      const c = aCase({ caseNo: `20261101-0${String(i).padStart(4, '0')}`, status: i % 3 === 0 ? 'ACKNOWLEDGED' : 'ASSIGNED', escalationLevel: i === 5 ? 1 : 0, acknowledgeDueAt: '2026-11-02T05:00:00.000Z', resolveDueAt: '2026-11-05T09:00:00.000Z' });
      const item = CaseEntity.toItem(c);
      delete item[GSIS.gsi10.partitionKey];
      delete item[GSIS.gsi10.sortKey];
      await local.ddb.send(new PutCommand({ TableName: local.tableName, Item: item }));
      old.push(c);
    }
    const before = await figures.read(NOW, 50, [3, 2, 1]);
    expect(before.overdue.filter((s) => s.caseNo.startsWith('20261101'))).toEqual([]);

    const report = await figures.rebuild();
    const after = await figures.read(NOW, 50, [3, 2, 1]);

    expect(report.keyed).toBe(6);
    expect(nonZero(after.counters)).toEqual(figuresOf(old).counters);
    expect(after.overdue.map((s) => s.caseNo).sort()).toEqual(old.map((c) => c.caseNo).sort());
    expect(after.escalated.map((s) => s.caseNo)).toEqual(['20261101-00005']);
    const stored = await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: CaseEntity.key('20261101-00005') }));
    expect(stored.Item?.gsi10pk).toBe('ESCALATED#1');
    // Rebuilding again changes nothing.
    expect((await figures.rebuild()).keyed).toBe(0);
    expect(nonZero((await figures.read(NOW, 50, [3, 2, 1])).counters)).toEqual(figuresOf(old).counters);
  });

  it("reads the same when a case counted in the shard's item (as the rebuild and the earlier layout keep it) moves in its department's item", async () => {
    const c = (await repo.get('20261101-00001'))!;
    const acked = await repo.update(c.caseNo, c.version, { set: { status: 'ACKNOWLEDGED' }, event: { type: 'acknowledged', by: 'staff-1' } });
    await repo.update(acked.caseNo, acked.version, { set: { status: 'RESOLVED' }, event: { type: 'resolved', by: 'staff-1' } });
    const cases = [];
    for (let i = 1; i <= 6; i++) cases.push((await repo.get(`20261101-0${String(i).padStart(4, '0')}`))!);

    expect(nonZero((await figures.read(NOW, 50, [3, 2, 1])).counters)).toEqual(figuresOf(cases).counters);
  });
});

describe('a transaction another one held an item of', () => {
  const conflict = (codes: string[]) => new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

  it('is sent again until it goes through', async () => {
    const send = vi.fn().mockRejectedValueOnce(conflict(['None', 'TransactionConflict'])).mockRejectedValueOnce(conflict(['TransactionConflict', 'None'])).mockResolvedValue('ok');
    expect(await sendRetryingConflicts(send)).toBe('ok');
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('but a failed condition is the caller’s answer, never retried', async () => {
    const send = vi.fn().mockRejectedValue(conflict(['ConditionalCheckFailed', 'TransactionConflict']));
    await expect(sendRetryingConflicts(send)).rejects.toThrow('Transaction cancelled');
    expect(send).toHaveBeenCalledTimes(1);
  });
});

describe('a table from before the attention index (an old local data folder)', () => {
  it('gets the index added, its items kept and in the new index', async () => {
    const name = `${local.tableName}-old`;
    const input = createTableInput(name);
    // The start-up copy reads the old table whole, which the tests' guarded clients refuse: a plain client here.
    const client = new DynamoDBClient({ endpoint: local.endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const ddb = DynamoDBDocumentClient.from(client);
    const old = input.GlobalSecondaryIndexes!.filter((g) => g.IndexName !== GSIS.gsi10.indexName);
    const used = new Set(['pk', 'sk', ...old.flatMap((g) => g.KeySchema!.map((k) => k.AttributeName))]);
    await client.send(new CreateTableCommand({ ...input, AttributeDefinitions: input.AttributeDefinitions!.filter((a) => used.has(a.AttributeName)), GlobalSecondaryIndexes: old }));
    await ddb.send(new PutCommand({ TableName: name, Item: CaseEntity.toItem(aCase({ caseNo: '20261102-00001', acknowledgeDueAt: '2026-11-02T05:00:00.000Z' })) }));

    expect(await ensureTable(client, name)).toBe('upgraded');
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toContain(GSIS.gsi10.indexName);
    const due = await ddb.send(new QueryCommand({ TableName: name, IndexName: GSIS.gsi10.indexName, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': GSIS.gsi10.partitionKey }, ExpressionAttributeValues: { ':pk': CaseEntity.duePartition } }));
    expect(due.Items?.map((i) => String(i.pk))).toEqual(['CASE#20261102-00001']);
    expect(await ensureTable(client, name)).toBe('exists');
    client.destroy();
  });
});
