/**
 * The deploy step's Lambda (the custom resource handler) against dynalite: a create or update seeds the SOP
 * catalogue from config/sops.json with the author CDK passes, a second run stores nothing, a delete keeps it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse, Context } from 'aws-lambda';
import { DynamoSopCatalog } from '../../functions/adapters/sop-catalog';
import { loadConfig } from '../../functions/config/load';
import { startDynalite, type LocalTable } from '../support/dynalite';

type Handler = (event: CdkCustomResourceEvent, context: Context, callback: () => void) => Promise<CdkCustomResourceResponse>;

let local: LocalTable;
let handler: Handler;
const categories = loadConfig().sops.map((s) => s.category);

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-seed-test', seedSops: false });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.TABLE_NAME = local.tableName;
  handler = (await import('../../functions/deploy/seed-sop-catalog')).handler as unknown as Handler;
});
afterAll(async () => {
  await local.close();
});

const event = (requestType: 'Create' | 'Update' | 'Delete'): CdkCustomResourceEvent =>
  ({
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:ap-northeast-1:123456789012:function:provider',
    ResponseURL: 'https://example.invalid/response',
    StackId: 'arn:aws:cloudformation:ap-northeast-1:123456789012:stack/CityDesk-test-Stateless/1',
    RequestId: 'r-1',
    LogicalResourceId: 'SopCatalogSeed',
    ResourceType: 'Custom::SopCatalogSeed',
    ResourceProperties: { ServiceToken: 'x', ConfigHash: 'h', Author: 'config@abc1234' },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'sop-catalog-seed', OldResourceProperties: {} }),
  }) as CdkCustomResourceEvent;

describe('the SOP catalogue deploy step', () => {
  it('stores every configured SOP on the first deploy, by config at the deployed commit; the next deploy stores nothing', async () => {
    const first = await handler(event('Create'), {} as Context, () => undefined);
    const second = await handler(event('Update'), {} as Context, () => undefined);

    expect(first).toEqual({ PhysicalResourceId: 'sop-catalog-seed', Data: { Stored: categories.length } });
    expect(second).toEqual({ PhysicalResourceId: 'sop-catalog-seed', Data: { Stored: 0 } });
    const catalog = new DynamoSopCatalog(local.ddb, local.tableName, categories);
    expect(await catalog.current('noise')).toMatchObject({ version: 1, origin: 'config', updatedBy: 'config@abc1234' });
  });

  it('a stack delete keeps the catalogue: cases refer to its versions', async () => {
    const res = await handler(event('Delete'), {} as Context, () => undefined);

    expect(res).toEqual({ PhysicalResourceId: 'sop-catalog-seed' });
    expect((await new DynamoSopCatalog(local.ddb, local.tableName, categories).versions('noise')).map((s) => s.version)).toEqual([1]);
  });
});
