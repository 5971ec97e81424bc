import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * A DocumentClient that records the name of every command sent through it (`Get`, `TransactWrite`...), in order,
 * and passes it on: for tests that count the round trips a use case makes against a real table.
 */
export function countingClient(ddb: DynamoDBDocumentClient): { client: DynamoDBDocumentClient; calls: string[] } {
  const calls: string[] = [];
  const client = {
    send: (command: object) => {
      calls.push(command.constructor.name.replace(/Command$/, ''));
      return ddb.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, calls };
}
