/**
 * The personal-data audit log in the single table (table.ts): `pii-viewed` events as their own items in the case
 * partition (merged into the timeline by the case repository), phone searches under `AUDIT#<Taipei day>` with a
 * TTL. Only conditional puts and Queries: nothing is ever overwritten, nothing is scanned.
 */
import { randomBytes } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseEvent } from '../domain/case';
import type { PersonalDataAuditLog, PhoneSearchAuditRecord } from '../privacy/audit';
import { privacySettings } from '../privacy/settings';
import type { Page, PageRequest } from '../usecases/ports';
import { CursorCodec, invalidCursor } from './cursor';
import { AuditEntity, CaseViewEventEntity } from './table';
import { pageLimit } from './case-repository';

export class DynamoPersonalDataAuditLog implements PersonalDataAuditLog {
  private readonly codec: () => CursorCodec;

  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
    cursors?: CursorCodec | (() => CursorCodec),
  ) {
    const codec = cursors ?? CursorCodec.ephemeral();
    this.codec = typeof codec === 'function' ? codec : () => codec;
  }

  /** The cursor codec, built when a page is first asked for (a function that never pages needs no key). */
  private get cursors(): CursorCodec {
    return this.codec();
  }

  async recordView(caseNo: string, event: CaseEvent): Promise<void> {
    const nonce = randomBytes(6).toString('hex');
    await this.ddb.send(
      new PutCommand({
        TableName: this.tableName,
        Item: CaseViewEventEntity.toItem(caseNo, { ...event, id: `${event.at}#v${nonce}` }, nonce),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async recordPhoneSearch(record: PhoneSearchAuditRecord): Promise<void> {
    const expiresAt = Math.floor(Date.parse(record.at) / 1000) + privacySettings().auditRetentionDays * 86_400;
    await this.ddb.send(
      new PutCommand({ TableName: this.tableName, Item: AuditEntity.toItem(record, expiresAt), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async phoneSearches(day: string, page: PageRequest): Promise<Page<PhoneSearchAuditRecord>> {
    const limit = pageLimit(page.limit);
    const pk = AuditEntity.dayPartition(day);
    const binding = `audit|${pk}`;
    const position = page.cursor ? this.cursors.decode(binding, page.cursor) : undefined;
    const startKey = position?.k as Record<string, string> | undefined;
    // Exactly a key of this day's partition (pk, sk strings), checked before DynamoDB sees it.
    if (position && (typeof startKey !== 'object' || startKey === null || Array.isArray(startKey) || Object.keys(startKey).length !== 2 || startKey.pk !== pk || typeof startKey.sk !== 'string'))
      throw invalidCursor();
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': pk },
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => AuditEntity.fromItem(i)),
      ...(out.LastEvaluatedKey ? { cursor: this.cursors.encode(binding, { k: out.LastEvaluatedKey as Record<string, string> }) } : {}),
    };
  }
}
