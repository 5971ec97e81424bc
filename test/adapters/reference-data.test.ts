import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConfigDepartmentDirectory } from '../../functions/adapters/department-directory';
import { seedReferenceData } from '../../functions/adapters/seed';
import { DepartmentEntity } from '../../functions/adapters/table';
import { loadConfig } from '../../functions/config/load';
import { startDynalite, type LocalTable } from '../support/dynalite';

let local: LocalTable;
const config = loadConfig();

beforeAll(async () => {
  local = await startDynalite({ seedSops: false });
});
afterAll(async () => {
  await local.close();
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
