/**
 * API keys of Open311 integration clients in the table (`APIKEY#<sha-256 of the key>`): a request's `api_key` is
 * hashed and looked up with one GetItem. Issuing and verifying keys is functions/open311/api-keys.ts.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nowIso } from '../domain/clock';
import { ApiKeyEntity, isConditionFailure, type ApiKeyRecord } from './table';
import type { ApiKeyStore } from '../open311/api-keys';

export * from '../open311/api-keys';

export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(record: ApiKeyRecord): Promise<void> {
    try {
      await this.ddb.send(new PutCommand({ TableName: this.tableName, Item: ApiKeyEntity.toItem(record), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (e) {
      if (isConditionFailure(e)) throw new Error('This API key is already issued', { cause: e });
      throw e;
    }
  }

  async find(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: ApiKeyEntity.key(keyHash) }));
    return out.Item ? ApiKeyEntity.fromItem(out.Item) : undefined;
  }

  async revoke(keyHash: string): Promise<boolean> {
    try {
      await this.ddb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ApiKeyEntity.key(keyHash),
          UpdateExpression: 'SET #revokedAt = if_not_exists(#revokedAt, :now)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#revokedAt': 'revokedAt' },
          ExpressionAttributeValues: { ':now': nowIso() },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }
}
