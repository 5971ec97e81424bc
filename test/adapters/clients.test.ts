import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { startDynalite, type LocalTable } from '../support/dynalite';

interface Seen {
  target?: string;
  body: string;
}

/** A stand-in service that records what reached it and answers with a minimal valid response. */
async function fakeService(contentType: string, body: string): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString()));
    req.on('end', () => {
      seen.push({ target: req.headers['x-amz-target'] as string | undefined, body: data });
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const ENDPOINT_VARS = ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SFN', 'AWS_ENDPOINT_URL_SNS'] as const;
const saved = Object.fromEntries(ENDPOINT_VARS.map((v) => [v, process.env[v]]));
let local: LocalTable;
let sfnService: Awaited<ReturnType<typeof fakeService>>;
let snsService: Awaited<ReturnType<typeof fakeService>>;
let clients: typeof import('../../functions/adapters/clients');

beforeAll(async () => {
  local = await startDynalite();
  sfnService = await fakeService('application/x-amz-json-1.0', '{"stateMachines":[]}');
  snsService = await fakeService(
    'text/xml',
    '<ListTopicsResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ListTopicsResult><Topics/></ListTopicsResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></ListTopicsResponse>',
  );
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.AWS_ENDPOINT_URL_SFN = sfnService.url;
  process.env.AWS_ENDPOINT_URL_SNS = snsService.url;
  vi.resetModules();
  clients = await import('../../functions/adapters/clients');
});

afterAll(async () => {
  for (const v of ENDPOINT_VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
  clients.ddb().destroy();
  clients.sfn().destroy();
  clients.sns().destroy();
  await local.close();
  await new Promise<void>((resolve) => sfnService.server.close(() => resolve()));
  await new Promise<void>((resolve) => snsService.server.close(() => resolve()));
});

describe('SDK clients take their endpoints from the standard environment variables', () => {
  it('the document client reaches AWS_ENDPOINT_URL_DYNAMODB and drops undefined attributes', async () => {
    await clients.ddb().send(new PutCommand({ TableName: local.tableName, Item: { pk: 'PING', sk: 'PING', optional: undefined } }));

    const out = await clients.ddb().send(new GetCommand({ TableName: local.tableName, Key: { pk: 'PING', sk: 'PING' } }));

    expect(out.Item).toEqual({ pk: 'PING', sk: 'PING' });
  });

  it('the Step Functions client reaches AWS_ENDPOINT_URL_SFN', async () => {
    await clients.sfn().send(new ListStateMachinesCommand({}));

    expect(sfnService.seen.map((s) => s.target)).toEqual(['AWSStepFunctions.ListStateMachines']);
  });

  it('the SNS client reaches AWS_ENDPOINT_URL_SNS', async () => {
    await clients.sns().send(new ListTopicsCommand({}));

    expect(snsService.seen.map((s) => s.body)).toEqual([expect.stringContaining('Action=ListTopics')]);
  });
});

describe('SDK clients are traced', () => {
  const TRACING = 'XRaySDKInstrumentation';

  it('inside Lambda the tracer wraps every client, so X-Ray shows each DynamoDB, Step Functions, SNS and SES call', async () => {
    const before = process.env.AWS_EXECUTION_ENV;
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';
    try {
      vi.resetModules();
      const inLambda = await import('../../functions/adapters/clients');
      for (const client of [inLambda.ddb(), inLambda.sfn(), inLambda.sns(), inLambda.ses()]) expect(client.middlewareStack.identify().join('\n')).toContain(TRACING);
    } finally {
      if (before === undefined) delete process.env.AWS_EXECUTION_ENV;
      else process.env.AWS_EXECUTION_ENV = before;
    }
  });

  it('outside Lambda (tests, the local cloud) the clients are left as they are', () => {
    for (const client of [clients.ddb(), clients.sfn(), clients.sns(), clients.ses()]) expect(client.middlewareStack.identify().join('\n')).not.toContain(TRACING);
  });
});
