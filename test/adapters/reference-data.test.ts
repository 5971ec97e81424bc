import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoSopCatalog } from '../../functions/adapters/sop-catalog';
import { ConfigDepartmentDirectory } from '../../functions/adapters/department-directory';
import { seedReferenceData } from '../../functions/adapters/seed';
import { DepartmentEntity } from '../../functions/adapters/table';
import { loadConfig } from '../../functions/config/load';
import { PreconditionFailedError, ValidationError } from '../../functions/domain/errors';
import { startDynalite, type LocalTable } from '../support/dynalite';

let local: LocalTable;
let catalog: DynamoSopCatalog;
const config = loadConfig();
const seedOf = (category: string) => {
  const sop = config.sops.find((s) => s.category === category);
  if (!sop) throw new Error(`no ${category} in config`);
  return sop;
};

beforeAll(async () => {
  local = await startDynalite();
  catalog = new DynamoSopCatalog(local.ddb, local.tableName, loadConfig().sops);
});
afterAll(async () => {
  await local.close();
});

describe('SOP catalog', () => {
  it('a configured SOP with no edits is version 1, exactly as configured', async () => {
    expect(await catalog.current('noise')).toEqual({ ...seedOf('noise'), version: 1 });
    expect(await catalog.versions('noise')).toEqual([{ ...seedOf('noise'), version: 1 }]);
  });

  it('a saved edit becomes the current version; the earlier one stays readable for the cases that ran under it', async () => {
    const edited = { ...seedOf('pothole'), priority: 'urgent' as const };

    const saved = await catalog.saveNewVersion(edited, 1, 'supervisor-1');

    expect(saved).toMatchObject({ category: 'pothole', version: 2, priority: 'urgent', updatedBy: 'supervisor-1' });
    expect(await catalog.current('pothole')).toEqual(saved);
    expect(await catalog.version('pothole', 1)).toEqual({ ...seedOf('pothole'), version: 1 });
    expect(await catalog.version('pothole', 2)).toEqual(saved);
    expect((await catalog.versions('pothole')).map((s) => s.version)).toEqual([1, 2]);
  });

  it('saving from a version that is no longer current is a 412 with the current version, and nothing is stored', async () => {
    await catalog.saveNewVersion({ ...seedOf('litter'), keywords: ['垃圾'] }, 1, 'supervisor-1');

    const stale = catalog.saveNewVersion({ ...seedOf('litter'), keywords: ['廢棄物'] }, 1, 'supervisor-2');

    await expect(stale).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(stale).rejects.toMatchObject({ currentVersion: 2 });
    expect((await catalog.versions('litter')).map((s) => s.version)).toEqual([1, 2]);
    expect((await catalog.current('litter'))?.keywords).toEqual(['垃圾']);
  });

  it('of two concurrent edits from the same version exactly one is stored', async () => {
    const results = await Promise.allSettled([
      catalog.saveNewVersion({ ...seedOf('fallen-tree'), keywords: ['a'] }, 1, 'supervisor-1'),
      catalog.saveNewVersion({ ...seedOf('fallen-tree'), keywords: ['b'] }, 1, 'supervisor-2'),
    ]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r): unknown => (r).reason)).toEqual([expect.any(PreconditionFailedError)]);
    expect((await catalog.versions('fallen-tree')).map((s) => s.version)).toEqual([1, 2]);
  });

  it('versions sort numerically past 9 (the key is zero-padded)', async () => {
    for (let v = 1; v <= 10; v++) await catalog.saveNewVersion({ ...seedOf('bus-service'), keywords: [`v${v + 1}`] }, v, 'supervisor-1');

    expect((await catalog.current('bus-service'))?.version).toBe(11);
    expect((await catalog.versions('bus-service')).map((s) => s.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('the list holds every configured category at its current version', async () => {
    await catalog.saveNewVersion({ ...seedOf('stray-animal'), keywords: ['流浪狗'] }, 1, 'supervisor-1');

    const list = await catalog.list();

    expect(list.map((s) => s.category)).toEqual(config.sops.map((s) => s.category));
    expect(list.find((s) => s.category === 'stray-animal')?.version).toBe(2);
    expect(list.find((s) => s.category === 'epidemic-info')?.version).toBe(1);
  });

  it('a category that is not configured has no SOP and cannot be saved', async () => {
    expect(await catalog.current('ufo-sighting')).toBeUndefined();
    expect(await catalog.version('ufo-sighting', 1)).toBeUndefined();
    await expect(catalog.saveNewVersion({ ...seedOf('noise'), category: 'ufo-sighting' }, 1, 'supervisor-1')).rejects.toMatchObject({
      constructor: ValidationError,
      fields: [expect.objectContaining({ path: 'category' })],
    });
  });
});

describe('department directory', () => {
  it('lists and finds the configured departments', async () => {
    const directory = new ConfigDepartmentDirectory(loadConfig().departments.departments);

    expect((await directory.list()).map((d) => d.code)).toEqual(config.departments.departments.map((d) => d.code));
    expect((await directory.get('PWD'))?.name.en).toBeTruthy();
    expect(await directory.get('NOPE')).toBeUndefined();
  });
});

describe('reference data seed', () => {
  it('writes one item per department, and a second run writes nothing', async () => {
    const first = await seedReferenceData(local.ddb, local.tableName, loadConfig().departments.departments);
    const second = await seedReferenceData(local.ddb, local.tableName, loadConfig().departments.departments);

    const codes = config.departments.departments.map((d) => d.code);
    expect(first).toEqual({ written: codes, unchanged: [] });
    expect(second).toEqual({ written: [], unchanged: codes });
    const item = await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: DepartmentEntity.key('PWD') }));
    expect(DepartmentEntity.fromItem(item.Item ?? {})).toEqual(config.departments.departments.find((d) => d.code === 'PWD'));
  });

  it('a department whose config changed is rewritten', async () => {
    const departments = config.departments.departments.map((d) => (d.code === 'WATER' ? { ...d, name: { ...d.name, en: 'Water Resources Dept.' } } : d));

    const result = await seedReferenceData(local.ddb, local.tableName, departments);

    expect(result.written).toEqual(['WATER']);
    const item = await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: DepartmentEntity.key('WATER') }));
    expect(item.Item?.name).toMatchObject({ en: 'Water Resources Dept.' });
  });
});
