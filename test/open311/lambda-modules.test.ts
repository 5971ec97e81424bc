import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from 'aws-lambda';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { gatewayEvent, json } from './support/harness';

let local: LocalTable;
const context = { awsRequestId: 'lambda-req', functionName: 'open311', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

beforeAll(async () => {
  local = await startDynalite();
  // What CDK and the local cloud set: the table, and the SDK's standard endpoint variable.
  process.env.TABLE_NAME = local.tableName;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.CASE_WORKFLOW_ARN = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:case-lifecycle';
  process.env.OPEN311_BASE_URL = 'https://open311.example.test/open311/v2';
  process.env.ATTACHMENT_BUCKET_NAME = 'citydesk-test-attachments';
});
afterAll(async () => {
  await local.close();
});

describe('the Lambda modules of the route table', () => {
  it('open311/read-handler serves the services from the environment it is given', async () => {
    const { handler } = await import('../../functions/open311/read-handler');

    const res = await handler(gatewayEvent('GET', '/open311/v2/services.json'), context);

    expect(res.statusCode).toBe(200);
    expect(json({ statusCode: 200, headers: {}, body: res.body ?? '' }).map((s) => s.service_code)).toContain('pothole');
  });

  it('open311/read-handler answers discovery with the configured base URL', async () => {
    const { handler } = await import('../../functions/open311/read-handler');

    const res = await handler(gatewayEvent('GET', '/open311/v2/discovery.json'), context);

    expect(res.body).toContain('"url":"https://open311.example.test/open311/v2"');
    expect(res.body).not.toContain('api.example.test');
  });

  it('open311/create-handler refuses a POST without a valid api_key before touching anything else', async () => {
    const { handler } = await import('../../functions/open311/create-handler');

    const res = await handler(gatewayEvent('POST', '/open311/v2/requests.xml', 'api_key=c311_unknown-key-00000000000000&service_code=pothole'), context);

    expect(res.statusCode).toBe(403);
    expect(res.headers?.['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.body).toContain('<code>403</code>');
  });
});
