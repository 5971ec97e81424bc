/**
 * gsi7, the sparse index of open cases by category and district, kept by the case repository itself: a case is
 * in it while open and leaves it when it is resolved, closed, cancelled or merged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { DynamoCaseQueues } from '../../functions/adapters/case-queues';
import { CaseEntity } from '../../functions/adapters/table';
import { CursorCodec } from '../../functions/adapters/cursor';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { aCase, createdEvent } from '../adapters/case-fixtures';

let local: LocalTable;
let repo: DynamoCaseRepository;
let queues: DynamoCaseQueues;

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-gsi7-test' });
  repo = new DynamoCaseRepository(local.ddb, local.tableName, new CursorCodec('test'));
  queues = new DynamoCaseQueues(local.ddb, local.tableName, new CursorCodec('test'));
});
afterAll(async () => {
  await local.close();
});

async function stored(caseNo: string): Promise<Record<string, unknown>> {
  const out = await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: CaseEntity.key(caseNo) }));
  return out.Item ?? {};
}

describe('the open-cases-by-place index (gsi7)', () => {
  it('holds a new case under its category and district, by created time', async () => {
    await repo.create(aCase({ caseNo: '20261127-00101', status: 'NEW', category: 'street-light', location: { district: 'bade', address: '介壽路一段 1 號' }, createdAt: '2026-11-27T01:00:00.000Z' }), createdEvent);

    const item = await stored('20261127-00101');

    expect(item.gsi7pk).toBe('OPEN#street-light#bade');
    expect(item.gsi7sk).toBe('2026-11-27T01:00:00.000Z#20261127-00101');
  });

  it('drops a case that is resolved and takes it back when it is reopened', async () => {
    const c = await repo.create(aCase({ caseNo: '20261127-00102', status: 'ACKNOWLEDGED', category: 'street-light', location: { district: 'bade', address: '建國路 2 號' } }), createdEvent);

    const resolved = await repo.update(c.caseNo, c.version, { set: { status: 'RESOLVED' }, event: { type: 'resolved', by: 'staff-1', text: '已修復' } });
    const whileResolved = await stored(c.caseNo);
    await repo.update(c.caseNo, resolved.version, { set: { status: 'REOPENED' }, event: { type: 'reopened', by: 'agent-1' } });
    const reopened = await stored(c.caseNo);

    expect(whileResolved.gsi7pk).toBeUndefined();
    expect(whileResolved.gsi7sk).toBeUndefined();
    expect(reopened.gsi7pk).toBe('OPEN#street-light#bade');
  });

  it('follows a corrected category or district', async () => {
    const c = await repo.create(aCase({ caseNo: '20261127-00103', status: 'ASSIGNED', category: 'street-light', location: { district: 'bade', address: '和平路 3 號' } }), createdEvent);

    await repo.update(c.caseNo, c.version, { set: { category: 'pothole', location: { district: 'daxi', address: '和平路 3 號' } }, event: { type: 'updated', by: 'agent-1' } });

    expect((await stored(c.caseNo)).gsi7pk).toBe('OPEN#pothole#daxi');
  });

  it('lists exactly the open cases of the place, with their map points, newest first', async () => {
    await repo.create(aCase({ caseNo: '20261127-00104', status: 'CLOSED', category: 'traffic-signal', location: { district: 'luzhu', address: '南崁路 1 號' } }), createdEvent);
    await repo.create(aCase({ caseNo: '20261127-00105', status: 'ASSIGNED', category: 'traffic-signal', location: { district: 'luzhu', address: '南崁路 2 號', lat: 25.05, lng: 121.29 }, createdAt: '2026-11-27T02:00:00.000Z' }), createdEvent);
    await repo.create(aCase({ caseNo: '20261127-00106', status: 'NEW', category: 'traffic-signal', location: { district: 'luzhu', address: '南崁路 3 號' }, createdAt: '2026-11-27T03:00:00.000Z' }), createdEvent);
    await repo.create(aCase({ caseNo: '20261127-00107', status: 'ASSIGNED', category: 'traffic-signal', location: { district: 'guishan', address: '文化一路 1 號' } }), createdEvent);

    const open = await queues.openCasesOf('traffic-signal', 'luzhu');

    expect(open.map((c) => c.caseNo)).toEqual(['20261127-00106', '20261127-00105']);
    expect(open[1]).toMatchObject({ lat: 25.05, lng: 121.29, district: 'luzhu', address: '南崁路 2 號' });
    expect(open[0]).not.toHaveProperty('lat');
    for (const c of open) expect(c).not.toHaveProperty('reporter');
  });
});
