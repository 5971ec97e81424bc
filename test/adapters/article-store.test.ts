/**
 * The knowledge base in the table: seeding stores each article version once, publishes only published ones,
 * and never replaces a newer published version with an older one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoArticleStore } from '../../functions/adapters/article-store';
import { ArticleEntity } from '../../functions/adapters/table';
import { loadConfig } from '../../functions/config/load';
import { loadKbSeed } from '../../functions/kb/seed';
import type { SeedArticle } from '../../functions/kb/article';
import { startDynalite, type LocalTable } from '../support/dynalite';

let local: LocalTable;
let store: DynamoArticleStore;
const seed = loadKbSeed(loadConfig());

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-article-store-test', seedSops: false });
  store = new DynamoArticleStore(local.ddb, local.tableName);
});
afterAll(async () => {
  await local.close();
});

async function versionsOf(id: string): Promise<number[]> {
  const out = await local.ddb.send(
    new QueryCommand({ TableName: local.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': ArticleEntity.versionPartition(id) } }),
  );
  return (out.Items ?? []).map((i) => Number(i.version));
}

describe('seeding the knowledge base', () => {
  it('stores every shipped version and publishes the published ones; a second run stores nothing and keeps the revision', async () => {
    const first = await store.seed(seed);
    const revision = await store.revision();
    const second = await store.seed(seed);

    expect(first.stored).toHaveLength(seed.length);
    expect(first.published).toHaveLength(seed.filter((a) => a.status === 'published').length);
    expect(second).toEqual({ stored: [], published: [] });
    expect(await store.revision()).toBe(revision);
    expect(revision).not.toBe('');
  });

  it('keeps drafts and retired articles out of the published partition, their versions stored', async () => {
    const published = (await store.published()).map((a) => a.id);

    expect(published).not.toContain('draft-water-rationing');
    expect(published).not.toContain('quarantine-hotel-2022');
    expect(await store.publishedArticle('draft-water-rationing')).toBeUndefined();
    expect(await versionsOf('draft-water-rationing')).toEqual([1]);
  });

  it('publishes a newer shipped version, and never goes back to an older one', async () => {
    const base = seed.find((a) => a.id === 'youbike')!;
    const v2: SeedArticle = { ...base, version: 2, answer: { zh: 'YouBike 2.0 借車請用悠遊卡或 App，第二版說明。' } };
    const revision = await store.revision();

    const newer = await store.seed([v2]);
    const older = await store.seed([base]);

    expect(newer).toEqual({ stored: [{ id: 'youbike', version: 2 }], published: ['youbike'] });
    expect(older).toEqual({ stored: [], published: [] });
    expect((await store.publishedArticle('youbike'))?.answer.zh).toContain('第二版');
    expect(await store.revision()).not.toBe(revision);
  });
});
