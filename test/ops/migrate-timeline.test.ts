import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { translateConfig } from '../../functions/adapters/clients';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { CaseEntity, caseEventId } from '../../functions/adapters/table';
import type { CaseEvent } from '../../functions/domain/case';
import { migrateTimeline, parseMigrateArgs, MigrateArgsError } from '../../scripts/migrate-timeline';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { aCase, createdEvent } from '../adapters/case-fixtures';

let local: LocalTable;
/** The migration is an operator's run that pages with Scan: its own client, without the test clients' Scan guard. */
let operator: DynamoDBDocumentClient;
let repo: DynamoCaseRepository;

beforeAll(async () => {
  local = await startDynalite({ seedSops: false });
  operator = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: local.endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }), translateConfig);
  repo = new DynamoCaseRepository(local.ddb, local.tableName);
});
afterAll(async () => {
  operator.destroy();
  await local.close();
});

/** A case as the code before event items stored it: its events in a list on the case item. */
async function legacyCase(caseNo: string, notes: number): Promise<CaseEvent[]> {
  const c = aCase({ caseNo, version: notes + 1 });
  const events: CaseEvent[] = [{ ...createdEvent, at: c.createdAt, id: caseEventId(c.createdAt, 1) }];
  for (let v = 2; v <= notes + 1; v++) {
    const at = new Date(Date.parse(c.createdAt) + v * 60_000).toISOString();
    events.push({ type: 'note', by: 'agent-1', text: `第 ${v - 1} 則`, at, id: caseEventId(at, v) });
  }
  await local.ddb.send(new PutCommand({ TableName: local.tableName, Item: { ...CaseEntity.toItem(c), timeline: events } }));
  return events;
}

const caseItem = async (caseNo: string) => (await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: CaseEntity.key(caseNo), ConsistentRead: true }))).Item;
const allEvents = async (caseNo: string) => (await repo.timeline(caseNo, { limit: 200 })).items;

describe('npm run migrate:timeline', () => {
  it('a dry run counts what would move and writes nothing', async () => {
    await legacyCase('20261101-00001', 3);

    const report = await migrateTimeline(operator, local.tableName, { dryRun: true });

    expect(report).toMatchObject({ cases: 1, events: 4, dryRun: true });
    expect(await caseItem('20261101-00001')).toHaveProperty('timeline');
    expect(await allEvents('20261101-00001')).toEqual([]);
  });

  it('moves every listed event into its own item, in order, removes the list, keeps the version; a rerun moves nothing', async () => {
    const events = await legacyCase('20261101-00002', 5);
    await repo.create(aCase({ caseNo: '20261101-00003' }), createdEvent);

    const first = await migrateTimeline(operator, local.tableName);
    const again = await migrateTimeline(operator, local.tableName);

    expect(first.cases).toBeGreaterThanOrEqual(1);
    expect(await allEvents('20261101-00002')).toEqual(events);
    const item = await caseItem('20261101-00002');
    expect(item).not.toHaveProperty('timeline');
    expect(item?.version).toBe(6);
    expect(await allEvents('20261101-00003')).toHaveLength(1);
    expect(again).toMatchObject({ cases: 0, events: 0 });
  });

  it('a case changed by the new code before it was migrated keeps both its old and its new events', async () => {
    const events = await legacyCase('20261101-00004', 2);

    const updated = await repo.update('20261101-00004', 3, { set: { status: 'ACKNOWLEDGED' }, event: { type: 'acknowledged', by: 'staff-1', at: '2026-11-27T06:00:00.000Z' } });
    await migrateTimeline(operator, local.tableName);

    expect(updated.version).toBe(4);
    expect((await allEvents('20261101-00004')).map((e) => e.type)).toEqual([...events.map((e) => e.type), 'acknowledged']);
  });

  it('a run that stopped resumes from its checkpoint and finishes the rest', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'citydesk-migrate-'));
    const checkpoint = path.join(dir, 'checkpoint.json');
    try {
      for (let n = 10; n < 16; n++) await legacyCase(`20261102-000${n}`, 1);
      let pages = 0;
      const interrupted = migrateTimeline(operator, local.tableName, {
        checkpoint,
        pageSize: 2,
        onPage: () => {
          if (++pages === 2) throw new Error('stopped');
        },
      });
      await expect(interrupted).rejects.toThrow('stopped');
      expect(existsSync(checkpoint)).toBe(true);

      await migrateTimeline(operator, local.tableName, { checkpoint, pageSize: 2 });

      for (let n = 10; n < 16; n++) {
        expect(await caseItem(`20261102-000${n}`)).not.toHaveProperty('timeline');
        expect(await allEvents(`20261102-000${n}`)).toHaveLength(2);
      }
      expect(existsSync(checkpoint)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the command line names what is missing', () => {
    expect(() => parseMigrateArgs([])).toThrow(MigrateArgsError);
    expect(parseMigrateArgs(['--table', 't', '--endpoint', 'http://127.0.0.1:3001', '--dry-run'])).toMatchObject({ table: 't', endpoint: 'http://127.0.0.1:3001', dryRun: true });
    expect(() => parseMigrateArgs(['--table', 't', '--checkpoint'])).toThrow(/--checkpoint needs a value/);
  });
});
