/**
 * Console notifications in the single table (NotificationEntity, NotificationReadEntity): an inbox's page newest
 * first (one Query), its unread count (one Query of keys newer than the reader's marker, bounded), and the
 * per-person "read up to" marker, which only moves forward (a conditional update).
 * The notifications themselves are written with the changes they tell about (case-repository.ts, warning-store.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ConsoleNotification, Inbox } from '../domain/notifications';
import type { DigestCursors, NotificationStore, Page, PageRequest } from '../usecases/ports';
import { pageLimit } from './case-repository';
import { lazyCodec, partitionCursor, partitionStartKey, type CursorCodec } from './cursor';
import { DigestCursorEntity, isConditionFailure, NotificationEntity, NotificationReadEntity } from './table';

export class DynamoNotificationStore implements NotificationStore {
  private readonly codec: () => CursorCodec;

  constructor(private readonly ddb: DynamoDBDocumentClient, private readonly tableName: string, cursors?: CursorCodec | (() => CursorCodec)) {
    this.codec = lazyCodec(cursors);
  }

  async page(inbox: Inbox, page: PageRequest): Promise<Page<ConsoleNotification>> {
    const pk = NotificationEntity.partition(inbox);
    const binding = `notes|${pk}`;
    const start = partitionStartKey(this.codec(), binding, page.cursor, pk);
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: pageLimit(page.limit),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return { items: (out.Items ?? []).map((i) => NotificationEntity.fromItem(i)), ...partitionCursor(this.codec(), binding, out.LastEvaluatedKey) };
  }

  async countAfter(inbox: Inbox, after: string | undefined, cap: number): Promise<number> {
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: after ? 'pk = :pk AND sk > :after' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': NotificationEntity.partition(inbox), ...(after ? { ':after': after } : {}) },
        Select: 'COUNT',
        Limit: cap,
      }),
    );
    return out.Count ?? 0;
  }

  async after(inbox: Inbox, after: string, limit: number): Promise<ConsoleNotification[]> {
    const items: ConsoleNotification[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.ddb.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk > :after',
          ExpressionAttributeValues: { ':pk': NotificationEntity.partition(inbox), ':after': after },
          Limit: limit - items.length,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(out.Items ?? []).map((i) => NotificationEntity.fromItem(i)));
      start = out.LastEvaluatedKey;
    } while (start && items.length < limit);
    return items;
  }

  async readUpTo(userId: string): Promise<string | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: NotificationReadEntity.key(userId), ConsistentRead: true }));
    return typeof out.Item?.readUpTo === 'string' ? out.Item.readUpTo : undefined;
  }

  async markRead(userId: string, upTo: string): Promise<string> {
    try {
      await this.ddb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: NotificationReadEntity.key(userId),
          UpdateExpression: 'SET readUpTo = :upTo, entity = :entity',
          ConditionExpression: 'attribute_not_exists(readUpTo) OR readUpTo < :upTo',
          ExpressionAttributeValues: { ':upTo': upTo, ':entity': 'NOTEREAD' },
        }),
      );
      return upTo;
    } catch (e) {
      // Someone (another tab) already read further: the marker stays where it is.
      if (isConditionFailure(e)) return (await this.readUpTo(userId)) ?? upTo;
      throw e;
    }
  }
}

/** Digest cursors (DigestCursorEntity): read consistently, moved only from the value read. */
export class DynamoDigestCursors implements DigestCursors {
  constructor(private readonly ddb: DynamoDBDocumentClient, private readonly tableName: string) {}

  async read(group: string): Promise<string | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: DigestCursorEntity.key(group), ConsistentRead: true }));
    return typeof out.Item?.upTo === 'string' ? out.Item.upTo : undefined;
  }

  async claim(group: string, from: string | undefined, to: string, at: string): Promise<boolean> {
    try {
      await this.ddb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: DigestCursorEntity.key(group),
          UpdateExpression: 'SET upTo = :to, sentAt = :at, entity = :entity',
          ConditionExpression: from === undefined ? 'attribute_not_exists(upTo)' : 'upTo = :from',
          ExpressionAttributeValues: { ':to': to, ':at': at, ':entity': 'DIGEST', ...(from === undefined ? {} : { ':from': from }) },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async release(group: string, from: string | undefined, to: string): Promise<void> {
    try {
      if (from === undefined)
        await this.ddb.send(new DeleteCommand({ TableName: this.tableName, Key: DigestCursorEntity.key(group), ConditionExpression: 'upTo = :to', ExpressionAttributeValues: { ':to': to } }));
      else
        await this.ddb.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: DigestCursorEntity.key(group),
            UpdateExpression: 'SET upTo = :from',
            ConditionExpression: 'upTo = :to',
            ExpressionAttributeValues: { ':from': from, ':to': to },
          }),
        );
    } catch (e) {
      // A later run moved it on: its digest listed these items already.
      if (!isConditionFailure(e)) throw e;
    }
  }
}
