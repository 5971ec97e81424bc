/**
 * The category-suggestion model in the table (table.ts CategoryModelEntity) and the cases it is trained on.
 *
 * | item    | pk                          | sk                          | attributes                    |
 * | ------- | --------------------------- | --------------------------- | ----------------------------- |
 * | part    | `MODEL#category-suggestion` | `V#<trained at>#<000>`      | text (a slice of the JSON)    |
 * | current | `MODEL#category-suggestion` | `CURRENT`                   | version, parts                |
 *
 * The parts are written first and the pointer last, so a reader never sees a version that is not whole. Old
 * versions stay (a few hundred KB a night); the pointer names the one in use.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LabelledText, SerialisedCategoryModel } from '../domain/category-classifier';
import type { CategoryModelStore, TrainingCases } from '../usecases/category-suggestions';
import { queryAll } from './case-queues';
import { CaseEntity, CategoryModelEntity, GSIS, isConditionFailure } from './table';

/** Characters per part: far below an item's 400 KB even in UTF-8. */
const PART_CHARS = 300_000;

export class DynamoCategoryModelStore implements CategoryModelStore {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async current(): Promise<{ model: SerialisedCategoryModel; version: string } | undefined> {
    const pointer = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: CategoryModelEntity.currentKey() }));
    const version: unknown = pointer.Item?.version;
    if (typeof version !== 'string') return undefined;
    const parts = await queryAll(this.ddb, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': CategoryModelEntity.partition, ':prefix': CategoryModelEntity.versionPrefix(version) },
    });
    const text = parts
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
      .map((p) => String(p.text))
      .join('');
    return { model: JSON.parse(text) as SerialisedCategoryModel, version };
  }

  async save(model: SerialisedCategoryModel, version: string): Promise<void> {
    const text = JSON.stringify(model);
    const parts = Math.max(1, Math.ceil(text.length / PART_CHARS));
    for (let i = 0; i < parts; i++) {
      await this.ddb.send(
        new PutCommand({ TableName: this.tableName, Item: { ...CategoryModelEntity.partKey(version, i), entity: 'MODEL', text: text.slice(i * PART_CHARS, (i + 1) * PART_CHARS) } }),
      );
    }
    // A slower, older run never replaces a newer current model.
    try {
      await this.ddb.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...CategoryModelEntity.currentKey(), entity: 'MODEL', version, parts, format: model.format, trainedOn: model.trainedOn },
          ConditionExpression: 'attribute_not_exists(version) OR version < :version',
          ExpressionAttributeValues: { ':version': version },
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
}

export class DynamoTrainingCases implements TrainingCases {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One Query per Taipei day on the date index (gsi5), newest day first, until `limit` cases are read. */
  async recent(fromDay: string, toDay: string, limit: number): Promise<LabelledText[]> {
    const out: LabelledText[] = [];
    for (let day = toDay; day >= fromDay && out.length < limit; day = previousDay(day)) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.ddb.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: GSIS.gsi5.indexName,
            KeyConditionExpression: '#pk = :pk',
            ProjectionExpression: '#description, #category',
            ExpressionAttributeNames: { '#pk': GSIS.gsi5.partitionKey, '#description': 'description', '#category': 'category' },
            ExpressionAttributeValues: { ':pk': CaseEntity.createdOnPartition(day) },
            ScanIndexForward: false,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const i of page.Items ?? []) if (typeof i.description === 'string' && typeof i.category === 'string') out.push({ text: i.description, category: i.category });
        startKey = page.LastEvaluatedKey;
      } while (startKey && out.length < limit);
    }
    return out.slice(0, limit);
  }
}

function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
