/**
 * `Idempotency-Key` records (`IDEM#<key>`): the first request with a key claims it with a conditional put; a
 * repeat finds the record and the use case compares request hashes (same body: same case; other body: 422).
 * Records expire after 24 h through DynamoDB TTL. TTL deletes lazily (up to days late) and dynalite not at all,
 * so an expired record counts as free here too.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '../domain/clock';
import type { IdempotencyRecord, IdempotencyStore } from '../usecases/ports';
import { IdempotencyEntity, TTL_ATTRIBUTE, isConditionFailure } from './table';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(record: IdempotencyRecord): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }> {
    // A record can vanish (TTL) between a failed claim and the read of it; then claiming again is right.
    for (let attempt = 0; attempt < 2; attempt++) {
      const nowSeconds = Math.floor(now().getTime() / 1000);
      try {
        await this.ddb.send(
          new PutCommand({
            TableName: this.tableName,
            Item: IdempotencyEntity.toItem(record, nowSeconds + IDEMPOTENCY_TTL_SECONDS),
            ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt < :now',
            ExpressionAttributeNames: { '#expiresAt': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': nowSeconds },
          }),
        );
        return { claimed: true };
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
      const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: IdempotencyEntity.key(record.key), ConsistentRead: true }));
      if (out.Item) return { claimed: false, existing: IdempotencyEntity.fromItem(out.Item) };
    }
    throw new Error(`Idempotency key could not be claimed or read`);
  }
}
