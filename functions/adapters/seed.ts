/**
 * Reference data in the table: one `DEPT#<code>` / `DEPT` item per configured department, so an operator running
 * `aws dynamodb scan` (or the console's admin view) sees them. Safe to run on every start or deploy: an item is
 * written only when it is missing or its config changed (conditional put on a content hash).
 * Demo cases are the local cloud's business, not this module's.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Department } from '../config/schema';
import { DepartmentEntity, isConditionFailure } from './table';

export interface SeedResult {
  written: string[];
  unchanged: string[];
}

export async function seedReferenceData(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  departments: readonly Department[],
): Promise<SeedResult> {
  const result: SeedResult = { written: [], unchanged: [] };
  for (const d of departments) {
    const configHash = createHash('sha256').update(JSON.stringify(d)).digest('hex').slice(0, 16);
    try {
      await ddb.send(
        new PutCommand({
          TableName: tableName,
          Item: DepartmentEntity.toItem(d, configHash),
          ConditionExpression: 'attribute_not_exists(pk) OR configHash <> :hash',
          ExpressionAttributeValues: { ':hash': configHash },
        }),
      );
      result.written.push(d.code);
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      result.unchanged.push(d.code);
    }
  }
  return result;
}
