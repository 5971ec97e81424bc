/**
 * Options of the local cloud: an external DynamoDB-compatible endpoint instead of the built-in one, in-memory
 * runs that leave nothing behind, and the clock's speed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';
import { startDynalite, type LocalDynamo } from '../../local/dynamodb';

let external: LocalDynamo;
let cloud: LocalCloud;

beforeAll(async () => {
  external = await startDynalite({});
  cloud = await startLocalCloud({ port: 0, inMemory: true, demoData: false, quiet: true, dynamodbEndpoint: external.endpoint, timeScale: 3600 });
});

afterAll(async () => {
  await cloud?.close();
  await external?.close();
});

describe('with --dynamodb-endpoint and --in-memory', () => {
  it('creates the table on the external endpoint and the handlers write there', async () => {
    const token = await cloud.token('agent1');
    const res = await fetch(`${cloud.urls.api}/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'litter', description: '巷口垃圾堆積', location: { district: 'bade', address: '八德區介壽路一段' }, reporter: { anonymous: true, notify: 'none' }, channel: 'web' }),
    });
    expect(res.status).toBe(201);
    const { caseNo } = (await res.json()) as { caseNo: string };
    expect(cloud.urls.dynamodb).toBe(external.endpoint);
    const client = new DynamoDBClient({ endpoint: external.endpoint });
    const { Item } = await client.send(new GetItemCommand({ TableName: cloud.tableName, Key: { pk: { S: `CASE#${caseNo}` }, sk: { S: 'CASE' } } }));
    expect(Item?.category?.S).toBe('litter');
    client.destroy();
  });

  it('keeps no data folder', () => {
    expect(cloud.dataDir).toBeUndefined();
  });
});

describe('with --time-scale', () => {
  it('runs the one clock that many times faster than real time', async () => {
    expect(cloud.clock.scale).toBe(3600);
    const res = (await (await fetch(`${cloud.urls.api}/_local/clock`)).json()) as { scale: number; now: string };
    expect(res.scale).toBe(3600);
    const before = cloud.clock.nowMs();
    await new Promise((r) => setTimeout(r, 50));
    // 50 real milliseconds are at least a minute of local time at this scale.
    expect(cloud.clock.nowMs() - before).toBeGreaterThanOrEqual(60_000);
  });
});
