/**
 * The SOP catalogue on dynalite: config/sops.json is its seed, every version (config's and the console's) is a
 * stored item with author, reason and content hash, the highest version is current, and a case's recorded version
 * reads back what was stored then.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoSopCatalog, sopContentHash } from '../../functions/adapters/sop-catalog';
import { SopEntity } from '../../functions/adapters/table';
import { loadConfig } from '../../functions/config/load';
import type { Sop } from '../../functions/config/schema';
import { PreconditionFailedError, ValidationError } from '../../functions/domain/errors';
import { createCase, type NewCase } from '../../functions/usecases/create-case';
import { sopOf } from '../../functions/usecases/lifecycle/context';
import { ACTORS, FakeWorkflow, InMemoryCaseRepository, InMemoryIdempotencyStore } from '../usecases/support/fakes';
import { startDynalite, type LocalTable } from '../support/dynalite';

const config = loadConfig();
const categories = config.sops.map((s) => s.category);
const seedOf = (category: string): Sop => {
  const sop = config.sops.find((s) => s.category === category);
  if (!sop) throw new Error(`no ${category} in config`);
  return sop;
};
/** config/sops.json with one category's SOP changed, as a later commit would ship it. */
const configWith = (category: string, change: Partial<Sop>): Sop[] => config.sops.map((s) => (s.category === category ? { ...s, ...change } : s));
const supervisor = (reason: string) => ({ by: 'supervisor-1', reason });

let local: LocalTable;
let catalog: DynamoSopCatalog;

beforeEach(async () => {
  local = await startDynalite({ seedSops: false });
  catalog = new DynamoSopCatalog(local.ddb, local.tableName, categories);
});
afterEach(async () => {
  await local.close();
});

describe('seeding the catalogue from config', () => {
  it('an empty table has no SOPs: config is a seed, not a fallback', async () => {
    expect(await catalog.current('noise')).toBeUndefined();
    expect(await catalog.list()).toEqual([]);
  });

  it('the first seed stores every configured SOP as version 1 by config, with its content hash', async () => {
    const result = await catalog.seed(config.sops, 'config@abc1234');

    expect(result).toEqual({ stored: categories.map((category) => ({ category, version: 1 })), unchanged: [] });
    expect(await catalog.current('noise')).toEqual({
      ...seedOf('noise'),
      version: 1,
      updatedAt: expect.any(String),
      updatedBy: 'config@abc1234',
      origin: 'config',
      reason: 'config/sops.json: first stored version',
      contentHash: sopContentHash(seedOf('noise')),
    });
  });

  it('seeding twice writes one version', async () => {
    await catalog.seed(config.sops);

    const second = await catalog.seed(config.sops);

    expect(second).toEqual({ stored: [], unchanged: categories });
    expect((await catalog.versions('pothole')).map((s) => s.version)).toEqual([1]);
  });

  it('changed config content becomes version 2 by config, and intake then routes new cases under it', async () => {
    await catalog.seed(config.sops);

    const result = await catalog.seed(configWith('pothole', { priority: 'urgent' }), 'config@def5678');

    expect(result.stored).toEqual([{ category: 'pothole', version: 2 }]);
    expect(await catalog.current('pothole')).toMatchObject({ version: 2, priority: 'urgent', origin: 'config', updatedBy: 'config@def5678', reason: 'config/sops.json changed' });
    const { case: c } = await createCase(intakePorts(), ACTORS.agent, pothole);
    expect(c).toMatchObject({ sopVersion: 2, priority: 'urgent' });
  });

  it('a console edit after a config change is version 3 with its author and reason, and an unchanged config leaves it current', async () => {
    await catalog.seed(config.sops);
    await catalog.seed(configWith('pothole', { priority: 'urgent' }));

    const edited = await catalog.saveNewVersion({ ...seedOf('pothole'), priority: 'urgent', keywords: ['坑洞', '路面破損'] }, 2, supervisor('callers say 路面破損'));
    const redeploy = await catalog.seed(configWith('pothole', { priority: 'urgent' }));

    expect(edited).toMatchObject({ version: 3, origin: 'console', updatedBy: 'supervisor-1', reason: 'callers say 路面破損' });
    expect(redeploy.stored).toEqual([]);
    expect(await catalog.current('pothole')).toEqual(edited);
  });

  it('a config change after a console edit is newer again: the last change wins', async () => {
    await catalog.seed(config.sops);
    await catalog.saveNewVersion({ ...seedOf('litter'), keywords: ['垃圾'] }, 1, supervisor('shorter keywords'));

    await catalog.seed(configWith('litter', { notifyCitizen: false }));

    expect(await catalog.current('litter')).toMatchObject({ version: 3, origin: 'config', notifyCitizen: false, keywords: seedOf('litter').keywords });
  });

  it("an old case's SOP is the content of the version it ran under, not today's config", async () => {
    await catalog.seed(config.sops);
    const { case: old } = await createCase(intakePorts(), ACTORS.agent, pothole);
    await catalog.seed(configWith('pothole', { defaultDepartment: 'DIST', priority: 'urgent' }));

    const sop = await sopOf(catalog, old);

    expect(old.sopVersion).toBe(1);
    expect(sop).toMatchObject({ version: 1, priority: seedOf('pothole').priority, defaultDepartment: seedOf('pothole').defaultDepartment });
    expect(await catalog.version('pothole', 1)).toEqual(sop);
  });

  it('two seeders at once store each version once', async () => {
    const first = await Promise.all([catalog.seed(config.sops), catalog.seed(config.sops)]);
    const changed = configWith('noise', { priority: 'urgent' });
    const second = await Promise.all([catalog.seed(changed), catalog.seed(changed)]);

    expect(first.flatMap((r) => r.stored)).toHaveLength(categories.length);
    expect(second.flatMap((r) => r.stored)).toEqual([{ category: 'noise', version: 2 }]);
    expect((await catalog.versions('noise')).map((s) => s.version)).toEqual([1, 2]);
    expect((await catalog.versions('pothole')).map((s) => s.version)).toEqual([1]);
  });

  it('a table from before seeding (edits from version 2 on, version 1 never stored) gets version 1 from config once; the edit stays current', async () => {
    const legacyEdit = { ...seedOf('bus-service'), keywords: ['公車'], version: 2, updatedAt: '2026-11-01T00:00:00.000Z', updatedBy: 'supervisor-9' };
    await local.ddb.send(new PutCommand({ TableName: local.tableName, Item: SopEntity.toItem(legacyEdit) }));

    const first = await catalog.seed(config.sops);
    const second = await catalog.seed(config.sops);

    expect(first.stored).toContainEqual({ category: 'bus-service', version: 1 });
    expect(second.stored).toEqual([]);
    expect(await catalog.version('bus-service', 1)).toMatchObject({ ...seedOf('bus-service'), origin: 'config' });
    expect(await catalog.current('bus-service')).toEqual(legacyEdit);
  });

  it('the content hash ignores key order and version bookkeeping', () => {
    const sop = seedOf('noise');
    const reordered = Object.fromEntries(Object.entries(sop).reverse()) as Sop;

    expect(sopContentHash(reordered)).toBe(sopContentHash(sop));
    expect(sopContentHash({ ...sop, version: 7, updatedBy: 'x' } as Sop)).toBe(sopContentHash(sop));
    expect(sopContentHash({ ...sop, priority: 'urgent' })).not.toBe(sopContentHash(sop));
  });
});

describe('console edits', () => {
  beforeEach(async () => {
    await catalog.seed(config.sops);
  });

  it('a saved edit becomes the current version; the earlier one stays readable for the cases that ran under it', async () => {
    const saved = await catalog.saveNewVersion({ ...seedOf('pothole'), priority: 'urgent' }, 1, supervisor('deep holes hurt riders'));

    expect(saved).toMatchObject({ category: 'pothole', version: 2, priority: 'urgent', updatedBy: 'supervisor-1', reason: 'deep holes hurt riders', origin: 'console' });
    expect(await catalog.current('pothole')).toEqual(saved);
    expect(await catalog.version('pothole', 1)).toMatchObject({ ...seedOf('pothole'), version: 1 });
    expect((await catalog.versions('pothole')).map((s) => s.version)).toEqual([1, 2]);
  });

  it('saving from a version that is no longer current is a 412 with the current version, and nothing is stored', async () => {
    await catalog.saveNewVersion({ ...seedOf('litter'), keywords: ['垃圾'] }, 1, supervisor('a'));

    const stale = catalog.saveNewVersion({ ...seedOf('litter'), keywords: ['廢棄物'] }, 1, { by: 'supervisor-2', reason: 'b' });

    await expect(stale).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(stale).rejects.toMatchObject({ currentVersion: 2 });
    expect((await catalog.versions('litter')).map((s) => s.version)).toEqual([1, 2]);
    expect((await catalog.current('litter'))?.keywords).toEqual(['垃圾']);
  });

  it('of two concurrent edits from the same version exactly one is stored', async () => {
    const results = await Promise.allSettled([
      catalog.saveNewVersion({ ...seedOf('fallen-tree'), keywords: ['a'] }, 1, supervisor('a')),
      catalog.saveNewVersion({ ...seedOf('fallen-tree'), keywords: ['b'] }, 1, { by: 'supervisor-2', reason: 'b' }),
    ]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r): unknown => r.reason)).toEqual([expect.any(PreconditionFailedError)]);
    expect((await catalog.versions('fallen-tree')).map((s) => s.version)).toEqual([1, 2]);
  });

  it('versions sort numerically past 9 (the key is zero-padded)', async () => {
    for (let v = 1; v <= 10; v++) await catalog.saveNewVersion({ ...seedOf('bus-service'), keywords: [`v${v + 1}`] }, v, supervisor(`step ${v}`));

    expect((await catalog.current('bus-service'))?.version).toBe(11);
    expect((await catalog.versions('bus-service')).map((s) => s.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('the list holds every configured category at its current version', async () => {
    await catalog.saveNewVersion({ ...seedOf('stray-animal'), keywords: ['流浪狗'] }, 1, supervisor('dogs'));

    const list = await catalog.list();

    expect(list.map((s) => s.category)).toEqual(categories);
    expect(list.find((s) => s.category === 'stray-animal')?.version).toBe(2);
    expect(list.find((s) => s.category === 'epidemic-info')?.version).toBe(1);
  });

  it('a category that is not configured has no SOP and cannot be saved', async () => {
    expect(await catalog.current('ufo-sighting')).toBeUndefined();
    expect(await catalog.version('ufo-sighting', 1)).toBeUndefined();
    await expect(catalog.saveNewVersion({ ...seedOf('noise'), category: 'ufo-sighting' }, 1, supervisor('x'))).rejects.toMatchObject({
      constructor: ValidationError,
      fields: [expect.objectContaining({ path: 'category' })],
    });
  });
});

const pothole: NewCase = {
  category: 'pothole',
  description: '路面有大坑洞',
  location: { district: 'zhongli', address: '中央西路二段 50 號' },
  reporter: { anonymous: true, notify: 'none' },
  channel: 'phone',
  attributes: { size: 'large', dangerous: 'yes' },
};

function intakePorts() {
  return { cases: new InMemoryCaseRepository(), idempotency: new InMemoryIdempotencyStore(), sops: catalog, workflow: new FakeWorkflow() };
}
