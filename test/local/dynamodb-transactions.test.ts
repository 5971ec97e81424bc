import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, GetItemCommand, PutItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { startDynalite, type LocalDynamo } from '../../local/dynamodb';
import { startTransactionFront } from '../../local/dynamodb-transactions';
import { ensureTable } from '../../local/dynamodb';

const TABLE = 'tx-test';
let dynamo: LocalDynamo;
let client: DynamoDBClient;

const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'X' } });
const clientOf = (endpoint: string) => new DynamoDBClient({ endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
const read = async (c: DynamoDBClient, pk: string) => (await c.send(new GetItemCommand({ TableName: TABLE, Key: key(pk), ConsistentRead: true }))).Item;

beforeAll(async () => {
  dynamo = await startDynalite();
  client = clientOf(dynamo.endpoint);
  await ensureTable(client, TABLE);
});
afterAll(async () => {
  client.destroy();
  await dynamo.close();
});

describe('the local cloud makes DynamoDB transactions over dynalite', () => {
  it('all actions are written when every condition holds', async () => {
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: TABLE, Item: { ...key('a1'), v: { N: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: TABLE, Item: { ...key('a2'), v: { N: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );

    expect(await read(client, 'a1')).toMatchObject({ v: { N: '1' } });
    expect(await read(client, 'a2')).toMatchObject({ v: { N: '1' } });
  });

  it('one failed condition cancels the whole transaction, with reasons shaped like AWS', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('b1'), version: { N: '2' } } }));
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('b3'), keep: { S: 'me' } } }));

    const attempt = client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: TABLE, Item: { ...key('b2'), v: { N: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Delete: { TableName: TABLE, Key: key('b3') } },
          {
            Update: {
              TableName: TABLE,
              Key: key('b1'),
              UpdateExpression: 'SET version = :next',
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': { N: '1' }, ':next': { N: '2' } },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
    );

    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { ...key('b1'), version: { N: '2' } } },
    ]);
    expect(await read(client, 'b2')).toBeUndefined();
    expect(await read(client, 'b3')).toMatchObject({ keep: { S: 'me' } });
  });

  it('a condition check that fails cancels, and one that holds leaves its item as it was', async () => {
    const check = (pk: string) => ({ ConditionCheck: { TableName: TABLE, Key: key(pk), ConditionExpression: 'attribute_exists(pk)' } });
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('c1'), n: { N: '5' } } }));

    await client.send(new TransactWriteItemsCommand({ TransactItems: [check('c1'), { Put: { TableName: TABLE, Item: key('c2') } }] }));
    const failed = await client.send(new TransactWriteItemsCommand({ TransactItems: [check('c-missing'), { Put: { TableName: TABLE, Item: key('c3') } }] })).catch((e: unknown) => e);

    expect(await read(client, 'c1')).toEqual({ ...key('c1'), n: { N: '5' } });
    expect(await read(client, 'c2')).toBeDefined();
    expect((failed as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['ConditionalCheckFailed', 'None']);
    expect(await read(client, 'c-missing')).toBeUndefined();
    expect(await read(client, 'c3')).toBeUndefined();
  });

  it('a condition check that an item is absent leaves it absent when the transaction goes through, so the same check holds again', async () => {
    const absent = { ConditionCheck: { TableName: TABLE, Key: key('c-absent'), ConditionExpression: 'attribute_not_exists(pk)' } };

    await client.send(new TransactWriteItemsCommand({ TransactItems: [absent, { Put: { TableName: TABLE, Item: key('c4') } }] }));
    await client.send(new TransactWriteItemsCommand({ TransactItems: [absent, { Put: { TableName: TABLE, Item: key('c5') } }] }));

    expect(await read(client, 'c-absent')).toBeUndefined();
    expect(await read(client, 'c5')).toBeDefined();
  });

  it('two actions on one item are refused, as DynamoDB refuses them', async () => {
    const attempt = client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: TABLE, Item: key('d1') } }, { Delete: { TableName: TABLE, Key: key('d1') } }] }));

    await expect(attempt).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/multiple operations on one item/) });
    expect(await read(client, 'd1')).toBeUndefined();
  });

  it('TransactGetItems reads the items in order, an absent one as an empty response', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('e1'), n: { N: '1' } } }));

    const out = await client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: TABLE, Key: key('e-none') } }, { Get: { TableName: TABLE, Key: key('e1') } }] }));

    expect(out.Responses).toEqual([{}, { Item: { ...key('e1'), n: { N: '1' } } }]);
  });

  it('a transaction cut short by a crash is undone from its journal before the next start serves anything', async () => {
    // Arrange: the journal a killed transaction leaves: f1 before it (absent) and f2 before it (n = 1); the
    // transaction had already put f1 and changed f2.
    const dir = mkdtempSync(path.join(tmpdir(), 'citydesk-tx-'));
    const journal = path.join(dir, 'journal.json');
    try {
      await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('f1'), half: { S: 'written' } } }));
      await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('f2'), n: { N: '2' } } }));
      writeFileSync(journal, JSON.stringify([{ table: TABLE, key: key('f1') }, { table: TABLE, key: key('f2'), before: { ...key('f2'), n: { N: '1' } } }]));
      const inner = dynamo.endpoint;

      // Act
      const front = await startTransactionFront(inner, { journal });
      const c = clientOf(front.endpoint);

      // Assert
      expect(await read(c, 'f1')).toBeUndefined();
      expect(await read(c, 'f2')).toEqual({ ...key('f2'), n: { N: '1' } });
      expect(existsSync(journal)).toBe(false);
      c.destroy();
      await front.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('between transactions the journal is empty, a start finding it empty undoes nothing, and a clean stop removes it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'citydesk-tx-'));
    const journal = path.join(dir, 'journal.json');
    try {
      const front = await startTransactionFront(dynamo.endpoint, { journal });
      const c = clientOf(front.endpoint);
      await c.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: TABLE, Item: { ...key('j1'), v: { N: '1' } } } }, { Put: { TableName: TABLE, Item: { ...key('j2'), v: { N: '1' } } } }] }));
      // A process killed now leaves this file: empty, so the next start must leave j1 and j2 alone.
      expect(readFileSync(journal, 'utf8')).toBe('');
      const again = await startTransactionFront(dynamo.endpoint, { journal });
      expect(await read(c, 'j1')).toMatchObject({ v: { N: '1' } });
      expect(await read(c, 'j2')).toMatchObject({ v: { N: '1' } });
      await again.close();
      c.destroy();
      await front.close();
      expect(existsSync(journal)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
