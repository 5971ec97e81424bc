/** Fixed-window counters (table.ts RateCounterEntity): one conditional ADD per hit, TTL'd. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateCounters } from '../privacy/rate-limits';
import { isConditionFailure, RateCounterEntity, TTL_ATTRIBUTE } from './table';

export class DynamoRateCounters implements RateCounters {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(kind: string, subject: string, window: string, limit: number, expiresAt: number): Promise<boolean> {
    try {
      await this.ddb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: RateCounterEntity.key(kind, subject, window),
          UpdateExpression: 'ADD #hits :one SET #ttl = if_not_exists(#ttl, :ttl), #entity = :entity',
          ConditionExpression: 'attribute_not_exists(#hits) OR #hits < :limit',
          ExpressionAttributeNames: { '#hits': RateCounterEntity.countAttribute, '#ttl': TTL_ATTRIBUTE, '#entity': 'entity' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': expiresAt, ':entity': 'RATE' },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }
}
