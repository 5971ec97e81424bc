/** Where scheduled jobs got to (table.ts JobMarkEntity): one item per job, moved forward only. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { JobMarks } from '../usecases/erase-personal-data';
import { isConditionFailure, JobMarkEntity } from './table';

export class DynamoJobMarks implements JobMarks {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(job: string): Promise<string | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: JobMarkEntity.key(job), ConsistentRead: true }));
    return typeof out.Item?.doneThrough === 'string' ? out.Item.doneThrough : undefined;
  }

  /** Conditional: a slower concurrent run can never move the mark back. */
  async advance(job: string, day: string, at: string): Promise<void> {
    try {
      await this.ddb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: JobMarkEntity.key(job),
          UpdateExpression: 'SET #done = :day, #at = :at, #entity = :entity',
          ConditionExpression: 'attribute_not_exists(#done) OR #done < :day',
          ExpressionAttributeNames: { '#done': 'doneThrough', '#at': 'updatedAt', '#entity': 'entity' },
          ExpressionAttributeValues: { ':day': day, ':at': at, ':entity': 'JOB' },
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
}
