/** Fixed-window counters (table.ts RateCounterEntity): one conditional ADD per hit, TTL'd. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateCounters } from '../privacy/rate-limits';
import type { RateTake } from '../usecases/ports';
import { isConditionFailure, RateCounterEntity, TTL_ATTRIBUTE, type UpdateAction } from './table';

export class DynamoRateCounters implements RateCounters {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(kind: string, subject: string, window: string, limit: number, expiresAt: number): Promise<boolean> {
    try {
      await this.ddb.send(new UpdateCommand(rateTakeUpdate(this.tableName, { kind, subject, window, limit, expiresAt })));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }
}

/** One hit, refused when the window holds `limit` already: an UpdateItem input, or a case change's transaction action. */
export function rateTakeUpdate(tableName: string, take: RateTake): UpdateAction {
  return {
    TableName: tableName,
    Key: RateCounterEntity.key(take.kind, take.subject, take.window),
    UpdateExpression: 'ADD #hits :one SET #ttl = if_not_exists(#ttl, :ttl), #entity = :entity',
    ConditionExpression: 'attribute_not_exists(#hits) OR #hits < :limit',
    ExpressionAttributeNames: { '#hits': RateCounterEntity.countAttribute, '#ttl': TTL_ATTRIBUTE, '#entity': 'entity' },
    ExpressionAttributeValues: { ':one': 1, ':limit': take.limit, ':ttl': take.expiresAt, ':entity': 'RATE' },
  };
}
