import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseRepository, planList } from '../../functions/adapters/case-repository';
import { CursorCodec } from '../../functions/adapters/cursor';
import { CaseEntity } from '../../functions/adapters/table';
import { ValidationError } from '../../functions/domain/errors';
import type { Case } from '../../functions/domain/case';
import type { CaseListFilter, CaseSummary, Page } from '../../functions/usecases/ports';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { aCase, createdEvent } from './case-fixtures';

let local: LocalTable;
let repo: DynamoCaseRepository;
const codec = new CursorCodec('test-cursor-secret');

/**
 * Eight cases over five Taipei days. D is logged at 23:30 Taipei on the 21st and E at 00:30 Taipei on the 22nd:
 * they sit on either side of a day partition.
 */
const cases: Record<string, Case> = {
  A: aCase({ caseNo: '20261120-00001', department: 'PWD', location: { district: 'zhongli', address: '中壢區中山路1號' }, category: 'pothole', createdAt: '2026-11-20T01:00:00.000Z', acknowledgeDueAt: '2026-11-20T05:00:00.000Z' }),
  B: aCase({ caseNo: '20261120-00002', department: 'PWD', location: { district: 'taoyuan', address: '桃園區中正路2號' }, category: 'pothole', createdAt: '2026-11-20T02:00:00.000Z', acknowledgeDueAt: '2026-11-20T04:00:00.000Z' }),
  C: aCase({ caseNo: '20261121-00001', status: 'ACKNOWLEDGED', department: 'PWD', location: { district: 'zhongli', address: '中壢區環北路3號' }, category: 'arcade-obstruction', createdAt: '2026-11-21T01:00:00.000Z' }),
  D: aCase({ caseNo: '20261121-00002', status: 'NEW', department: undefined, acknowledgeDueAt: undefined, resolveDueAt: undefined, location: { district: 'zhongli', address: '中壢區延平路4號' }, category: 'noise', createdAt: '2026-11-21T15:30:00.000Z' }),
  E: aCase({ caseNo: '20261122-00001', department: 'EPD', location: { district: 'zhongli', address: '中壢區元化路5號' }, category: 'noise', createdAt: '2026-11-21T16:30:00.000Z' }),
  F: aCase({ caseNo: '20261122-00002', department: 'EPD', location: { district: 'bade', address: '八德區介壽路6號' }, category: 'litter', createdAt: '2026-11-22T03:00:00.000Z' }),
  G: aCase({ caseNo: '20261123-00001', status: 'RESOLVED', department: 'PWD', location: { district: 'zhongli', address: '中壢區中華路7號' }, category: 'pothole', createdAt: '2026-11-23T03:00:00.000Z' }),
  H: aCase({ caseNo: '20261124-00001', department: 'POL', location: { district: 'taoyuan', address: '桃園區復興路8號' }, category: 'illegal-parking', createdAt: '2026-11-24T03:00:00.000Z' }),
};
const names = new Map(Object.entries(cases).map(([name, c]) => [c.caseNo, name]));
const named = (page: Page<CaseSummary>) => page.items.map((s) => names.get(s.caseNo));

async function allPages(filter: CaseListFilter): Promise<{ pages: number; items: string[] }> {
  const items: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await repo.list({ ...filter, cursor });
    pages += 1;
    items.push(...named(page).map(String));
    cursor = page.cursor;
  } while (cursor && pages < 20);
  return { pages, items };
}

beforeAll(async () => {
  local = await startDynalite();
  repo = new DynamoCaseRepository(local.ddb, local.tableName, codec);
  for (const c of Object.values(cases)) await repo.create(c, createdEvent);
});
afterAll(async () => {
  await local.close();
});

describe('each filter is served by an index', () => {
  it('status lists newest first (gsi2)', async () => {
    expect(named(await repo.list({ status: 'ASSIGNED' }))).toEqual(['H', 'F', 'E', 'B', 'A']);
  });

  it('status with district narrows on the status index', async () => {
    expect(named(await repo.list({ status: 'ASSIGNED', district: 'zhongli' }))).toEqual(['E', 'A']);
  });

  it('status with a created range uses the index sort key, both ends inclusive', async () => {
    const page = await repo.list({ status: 'ASSIGNED', createdFrom: '2026-11-21T16:30:00.000Z', createdTo: '2026-11-22T03:00:00.000Z' });
    expect(named(page)).toEqual(['F', 'E']);
  });

  it('department with status is the department queue, soonest deadline first (gsi1)', async () => {
    expect(named(await repo.list({ department: 'PWD', status: 'ASSIGNED' }))).toEqual(['B', 'A']);
    expect(named(await repo.list({ department: 'PWD', status: 'ASSIGNED', district: 'zhongli' }))).toEqual(['A']);
    expect(named(await repo.list({ department: 'PWD', status: 'ASSIGNED', createdFrom: '2026-11-20T01:30:00.000Z' }))).toEqual(['B']);
  });

  it('district lists newest first, optionally by category (gsi3)', async () => {
    expect(named(await repo.list({ district: 'zhongli' }))).toEqual(['G', 'E', 'D', 'C', 'A']);
    expect(named(await repo.list({ district: 'zhongli', category: 'pothole' }))).toEqual(['G', 'A']);
    expect(named(await repo.list({ district: 'zhongli', createdTo: '2026-11-21T01:00:00+00:00' }))).toEqual(['C', 'A']);
  });

  it('category lists newest first, optionally in a created range (gsi4)', async () => {
    expect(named(await repo.list({ category: 'noise' }))).toEqual(['E', 'D']);
    expect(named(await repo.list({ category: 'pothole', createdFrom: '2026-11-21T00:00:00.000Z' }))).toEqual(['G']);
  });

  it('a created range alone reads the Taipei day partitions newest first (gsi5)', async () => {
    const page = await repo.list({ createdFrom: '2026-11-21T00:00:00.000Z', createdTo: '2026-11-22T23:59:59.999Z' });
    expect(named(page)).toEqual(['F', 'E', 'D', 'C']);
  });

  it('the created-day partition is the Taipei day, not the UTC day', async () => {
    const d = await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: CaseEntity.key(cases.D.caseNo) }));
    const e = await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: CaseEntity.key(cases.E.caseNo) }));
    expect(d.Item?.gsi5pk).toBe('CREATED#2026-11-21');
    expect(e.Item?.gsi5pk).toBe('CREATED#2026-11-22');
  });

  it('summaries show the queue fields and the place, never the description, reporter or timeline', async () => {
    const [summary] = (await repo.list({ department: 'POL', status: 'ASSIGNED' })).items;
    expect(summary).toEqual({
      caseNo: cases.H.caseNo,
      status: 'ASSIGNED',
      category: 'illegal-parking',
      department: 'POL',
      priority: 'normal',
      escalationLevel: 0,
      acknowledgeDueAt: cases.H.acknowledgeDueAt,
      resolveDueAt: cases.H.resolveDueAt,
      createdAt: cases.H.createdAt,
      updatedAt: cases.H.updatedAt,
      channel: 'phone',
      district: 'taoyuan',
      address: '桃園區復興路8號',
    });
  });
});

describe('pagination', () => {
  it('pages follow each other without gaps or repeats, and the last page has no cursor', async () => {
    const first = await repo.list({ status: 'ASSIGNED', limit: 2 });
    const second = await repo.list({ status: 'ASSIGNED', limit: 2, cursor: first.cursor });
    const third = await repo.list({ status: 'ASSIGNED', limit: 2, cursor: second.cursor });

    expect([named(first), named(second), named(third)]).toEqual([['H', 'F'], ['E', 'B'], ['A']]);
    expect(third.cursor).toBeUndefined();
  });

  it('a filtered query still returns every match exactly once across pages', async () => {
    const result = await allPages({ status: 'ASSIGNED', district: 'zhongli', limit: 1 });
    expect(result.items).toEqual(['E', 'A']);
  });

  it('a created range pages across day partitions', async () => {
    const result = await allPages({ createdFrom: '2026-11-20T00:00:00.000Z', createdTo: '2026-11-24T23:59:59.999Z', limit: 3 });
    expect(result.items).toEqual(['H', 'G', 'F', 'E', 'D', 'C', 'B', 'A']);
  });

  it('the department queue pages in deadline order', async () => {
    const result = await allPages({ department: 'PWD', status: 'ASSIGNED', limit: 1 });
    expect(result.items).toEqual(['B', 'A']);
  });

  it('a full page that ends a query exactly has no cursor', async () => {
    const page = await repo.list({ category: 'noise', limit: 2 });
    expect(named(page)).toEqual(['E', 'D']);
    expect(page.cursor).toBeUndefined();
  });
});

describe('cursors are opaque and bound to their query', () => {
  const fieldCursor = { name: 'ValidationError', fields: [expect.objectContaining({ path: 'cursor' })] };

  it('an edited cursor is a ValidationError on cursor', async () => {
    const { cursor } = await repo.list({ status: 'ASSIGNED', limit: 2 });
    const [payload, mac] = String(cursor).split('.');
    const position = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { p: string };
    const edited = Buffer.from(JSON.stringify({ ...position, p: 'STATUS#CLOSED' })).toString('base64url');

    await expect(repo.list({ status: 'ASSIGNED', cursor: `${edited}.${mac}` })).rejects.toMatchObject(fieldCursor);
    await expect(repo.list({ status: 'ASSIGNED', cursor: `${payload}.AAAA${mac.slice(4)}` })).rejects.toMatchObject(fieldCursor);
    await expect(repo.list({ status: 'ASSIGNED', cursor: 'not-a-cursor' })).rejects.toMatchObject(fieldCursor);
  });

  it('a cursor from another query is a ValidationError on cursor', async () => {
    const { cursor } = await repo.list({ status: 'ASSIGNED', limit: 2 });

    await expect(repo.list({ status: 'NEW', cursor })).rejects.toMatchObject(fieldCursor);
    await expect(repo.list({ status: 'ASSIGNED', district: 'bade', cursor })).rejects.toMatchObject(fieldCursor);
    await expect(repo.list({ district: 'zhongli', cursor })).rejects.toMatchObject(fieldCursor);
  });

  it('a correctly signed cursor still cannot point outside its query', async () => {
    // Someone holding the secret forges positions; the repository still checks partition and key.
    const binding = planList({ status: 'ASSIGNED' }).binding;
    const otherPartition = codec.encode(binding, { p: 'STATUS#CLOSED' });
    const otherKey = codec.encode(binding, {
      p: 'STATUS#ASSIGNED',
      k: { pk: 'CASE#x', sk: 'CASE', gsi2pk: 'STATUS#CLOSED', gsi2sk: '2026#x' },
    });

    await expect(repo.list({ status: 'ASSIGNED', cursor: otherPartition })).rejects.toMatchObject(fieldCursor);
    await expect(repo.list({ status: 'ASSIGNED', cursor: otherKey })).rejects.toMatchObject(fieldCursor);
  });

  it("a correctly signed start key outside the query's created range is refused before DynamoDB sees it", async () => {
    const filter = { status: 'ASSIGNED' as const, createdFrom: '2026-11-20T00:00:00.000Z', createdTo: '2026-11-25T00:00:00.000Z' };
    const binding = planList(filter).binding;
    const key = (createdAt: string) => ({ pk: 'CASE#20261101-00001', sk: 'CASE', gsi2pk: 'STATUS#ASSIGNED', gsi2sk: `${createdAt}#20261101-00001` });
    const before = codec.encode(binding, { p: 'STATUS#ASSIGNED', k: key('2026-11-01T00:00:00.000Z') });
    const after = codec.encode(binding, { p: 'STATUS#ASSIGNED', k: key('2026-12-01T00:00:00.000Z') });

    await expect(repo.list({ ...filter, cursor: before })).rejects.toMatchObject(fieldCursor);
    await expect(repo.list({ ...filter, cursor: after })).rejects.toMatchObject(fieldCursor);
  });
});

describe('the cursor key', () => {
  it('never falls back to the table name: a repository built without a key keeps its cursors to itself', async () => {
    const { cursor } = await new DynamoCaseRepository(local.ddb, local.tableName).list({ status: 'ASSIGNED', limit: 1 });

    expect(cursor).toBeDefined();
    await expect(new DynamoCaseRepository(local.ddb, local.tableName, new CursorCodec(local.tableName)).list({ status: 'ASSIGNED', limit: 1, cursor })).rejects.toMatchObject({ name: 'ValidationError' });
  });
});

describe('a filter no index serves is a 400, not a Scan', () => {
  const cases400: Array<[string, CaseListFilter, string]> = [
    ['no filter at all', {}, 'status'],
    ['a department without a status', { department: 'PWD' }, 'status'],
    ['an unknown status', { status: 'OPEN' as Case['status'] }, 'status'],
    ['a created range with only its start', { createdFrom: '2026-11-20T00:00:00.000Z' }, 'createdTo'],
    ['a created range longer than 90 days', { createdFrom: '2026-01-01T00:00:00.000Z', createdTo: '2026-11-01T00:00:00.000Z' }, 'createdFrom'],
    ['a created range that ends before it starts', { status: 'NEW', createdFrom: '2026-11-02T00:00:00.000Z', createdTo: '2026-11-01T00:00:00.000Z' }, 'createdFrom'],
    ['a date that is not a date', { status: 'NEW', createdTo: 'yesterday' }, 'createdTo'],
    ['a page size over 200', { status: 'NEW', limit: 201 }, 'limit'],
    ['a page size of zero', { status: 'NEW', limit: 0 }, 'limit'],
  ];

  it.each(cases400)('%s names %s', async (_rule, filter, field) => {
    const listing = repo.list(filter);
    await expect(listing).rejects.toBeInstanceOf(ValidationError);
    await expect(listing).rejects.toMatchObject({ fields: [expect.objectContaining({ path: field })] });
  });
});
