/**
 * Surge topics in one partition (`SurgeTopicEntity`): the intake screen reads them all with one Query (a handful
 * at a time, never many); pinning is a conditional put (an id is used once), unpinning a conditional update.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { SurgeTopic } from '../kb/surge-topic';
import type { SurgeTopicStore } from '../usecases/surge-topics';
import { isConditionFailure, SurgeTopicEntity, type Item } from './table';

export class DynamoSurgeTopicStore implements SurgeTopicStore {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async all(): Promise<SurgeTopic[]> {
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :topic)',
        ExpressionAttributeValues: { ':pk': SurgeTopicEntity.partition, ':topic': SurgeTopicEntity.prefix },
      }),
    );
    return (out.Items ?? []).map((i: Item) => {
      const { pk: _pk, sk: _sk, entity: _entity, ...topic } = i;
      return topic as unknown as SurgeTopic;
    });
  }

  async pin(topic: SurgeTopic): Promise<void> {
    try {
      await this.ddb.send(new PutCommand({ TableName: this.tableName, Item: { ...SurgeTopicEntity.key(topic.id), entity: 'KB', ...topic }, ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (e) {
      if (isConditionFailure(e)) throw new ConflictError(`Surge topic ${topic.id} exists already; pin it under another id`, { id: topic.id });
      throw e;
    }
  }

  async unpin(id: string, by: string, at: string): Promise<void> {
    try {
      await this.ddb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: SurgeTopicEntity.key(id),
          UpdateExpression: 'SET unpinnedAt = :at, unpinnedBy = :by',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(unpinnedAt)',
          ExpressionAttributeValues: { ':at': at, ':by': by },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new NotFoundError(`No pinned surge topic ${id}`);
      throw e;
    }
  }
}
