/**
 * Finds the cases of a status created in a time window through the status queue index (gsi2 `STATUS#<status>`, sort key
 * `<createdAt>#<caseNo>`): one key-condition Query per page, never a Scan. Owns the SDK call of the
 * stalled-workflow job.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CaseEntity, GSIS } from './table';
import type { StalledCaseFinder, NewCaseRef } from '../usecases/restart-stalled-workflows';
import type { CaseStatus } from '../domain/case';

export class DynamoStalledCases implements StalledCaseFinder {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  newCasesCreatedBetween(from: string, to: string): AsyncIterable<NewCaseRef> {
    return this.casesCreatedBetween('NEW', from, to);
  }

  async *casesCreatedBetween(status: CaseStatus, from: string, to: string): AsyncIterable<NewCaseRef> {
    const index = GSIS.gsi2;
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.ddb.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.indexName,
          // A sort key `<to>#<caseNo>` sorts after `<to>`: a case created exactly at `to` is left for the next run.
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, '#caseNo': 'caseNo', '#executionArn': 'executionArn' },
          ExpressionAttributeValues: { ':pk': CaseEntity.statusPartition(status), ':from': from, ':to': to },
          // Only what the job decides on: no personal data leaves the table.
          ProjectionExpression: '#caseNo, #executionArn',
          ScanIndexForward: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        const caseNo: unknown = item.caseNo;
        if (typeof caseNo !== 'string') continue;
        yield { caseNo, ...(typeof item.executionArn === 'string' ? { executionArn: item.executionArn } : {}) };
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
}
