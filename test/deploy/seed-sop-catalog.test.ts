/**
 * The deploy step's Lambda (the custom resource CloudFormation invokes) against dynalite: a create or update seeds
 * the SOP catalogue from config/sops.json with the author CDK passes, a second run stores nothing, a delete keeps
 * it, and every request gets its answer at the response URL, FAILED with a reason when seeding fails.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { DynamoSopCatalog } from '../../functions/adapters/sop-catalog';
import { loadConfig } from '../../functions/config/load';
import { startDynalite, type LocalTable } from '../support/dynalite';


let local: LocalTable;
let handler: typeof import('../../functions/deploy/seed-sop-catalog').handler;
let cloudFormation: Server;
let responseUrl: string;
/** What CloudFormation received at the response URL: content type and body of each PUT. */
let answers: Array<{ contentType: string | undefined; body: Record<string, unknown> }>;
const categories = loadConfig().sops.map((s) => s.category);

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-seed-test', seedSops: false });
  cloudFormation = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      if (req.method === 'PUT') answers.push({ contentType: req.headers['content-type'], body: JSON.parse(text) as Record<string, unknown> });
      res.end();
    });
  });
  await new Promise<void>((resolve) => cloudFormation.listen(0, '127.0.0.1', resolve));
  responseUrl = `http://127.0.0.1:${(cloudFormation.address() as AddressInfo).port}/response?X-Amz-Signature=x`;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.TABLE_NAME = local.tableName;
  handler = (await import('../../functions/deploy/seed-sop-catalog')).handler;
});
beforeEach(() => {
  answers = [];
});
afterAll(async () => {
  await new Promise((resolve) => cloudFormation.close(resolve));
  await local.close();
});

const context = { logStreamName: '2026/12/03/[$LATEST]abc' };
const event = (requestType: 'Create' | 'Update' | 'Delete', properties: Record<string, unknown> = { Author: 'config@abc1234' }): CloudFormationCustomResourceEvent =>
  ({
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:ap-northeast-1:123456789012:function:seed',
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:ap-northeast-1:123456789012:stack/CityDesk-test-Stateless/1',
    RequestId: `r-${requestType}`,
    LogicalResourceId: 'SopCatalogSeed',
    ResourceType: 'Custom::SopCatalogSeed',
    ResourceProperties: { ServiceToken: 'x', ConfigHash: 'h', ...properties },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'sop-catalog-seed', OldResourceProperties: {} }),
  }) as CloudFormationCustomResourceEvent;
const catalog = () => new DynamoSopCatalog(local.ddb, local.tableName, categories);

describe('the SOP catalogue deploy step', () => {
  it('stores every configured SOP on the first deploy, by config at the deployed commit, and tells CloudFormation; the next deploy stores nothing', async () => {
    await handler(event('Create'), context);
    await handler(event('Update'), context);

    expect(answers.map((a) => a.body)).toEqual([
      expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'sop-catalog-seed', RequestId: 'r-Create', LogicalResourceId: 'SopCatalogSeed', Data: { Stored: categories.length } }),
      expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'sop-catalog-seed', RequestId: 'r-Update', Data: { Stored: 0 } }),
    ]);
    // The pre-signed URL was signed without a content type.
    expect(answers.map((a) => a.contentType ?? '')).toEqual(['', '']);
    expect(await catalog().current('noise')).toMatchObject({ version: 1, origin: 'config', updatedBy: 'config@abc1234' });
  });

  it('a stack delete keeps the catalogue: cases refer to its versions', async () => {
    await handler(event('Delete'), context);

    expect(answers.map((a) => a.body)).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'sop-catalog-seed' })]);
    expect((await catalog().versions('noise')).map((s) => s.version)).toEqual([1]);
  });

  it('a seed that fails is answered FAILED with the reason and the log stream, not left to time out', async () => {
    await local.close(); // DynamoDB is gone: every read fails

    await handler(event('Update'), context);

    expect(answers.map((a) => a.body)).toEqual([
      expect.objectContaining({ Status: 'FAILED', Reason: expect.stringMatching(/^Seeding the SOP catalogue failed: .*\(log stream 2026\/12\/03\/\[\$LATEST\]abc\)$/) }),
    ]);
  });
});
