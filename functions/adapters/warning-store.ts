/**
 * Early warnings and their series' episodes (table.ts WarningEntity, EpisodeEntity), and the case reads behind a
 * warning (the district and category indexes, one time range each).
 *
 * | item     | pk                 | sk            | attributes                                              |
 * | -------- | ------------------ | ------------- | ------------------------------------------------------- |
 * | warning  | `WARN#<yyyy-mm>`   | `<warning id>`| the EarlyWarning (kind, series, evidence, status, history) |
 * | episode  | `EPISODE#<series>` | `EPISODE`     | warningId, startedAt, lastSeenAt                        |
 *
 * A month's warnings are one Query: a city raises tens a month, not thousands.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { warningMonth, type EarlyWarning, type EpisodeState, type WarningStatus } from '../domain/early-warning';
import { ConflictError } from '../domain/errors';
import { WARNING_INBOXES, type ConsoleNotification } from '../domain/notifications';
import type { PlaceReport } from '../domain/recurring-places';
import type { WarningCases, WarningStore } from '../usecases/early-warnings';
import { queryAll } from './case-queues';
import { CaseEntity, EpisodeEntity, GSIS, isConditionFailure, NotificationEntity, WarningEntity, type Item, type ItemKey } from './table';

const STORAGE = new Set(['pk', 'sk', 'entity']);

function keyOf(id: string): ItemKey {
  const month = warningMonth(id);
  if (!month) throw new RangeError(`not a warning id: ${id}`);
  return WarningEntity.key(id, month);
}

function fromItem(item: Item): EarlyWarning {
  const w: Item = {};
  for (const [k, v] of Object.entries(item)) if (!STORAGE.has(k)) w[k] = v;
  return w as unknown as EarlyWarning;
}

export class DynamoWarningStore implements WarningStore {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async episode(seriesKey: string): Promise<EpisodeState | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: EpisodeEntity.key(seriesKey), ConsistentRead: true }));
    if (!out.Item) return undefined;
    return { warningId: String(out.Item.warningId), startedAt: String(out.Item.startedAt), lastSeenAt: String(out.Item.lastSeenAt) };
  }

  async saveEpisode(seriesKey: string, e: EpisodeState): Promise<boolean> {
    try {
      await this.ddb.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...EpisodeEntity.key(seriesKey), entity: 'EPISODE', seriesKey, ...e },
          ConditionExpression: 'attribute_not_exists(lastSeenAt) OR lastSeenAt < :at',
          ExpressionAttributeValues: { ':at': e.lastSeenAt },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async raise(w: EarlyWarning): Promise<boolean> {
    try {
      // The supervisors' console notification is written with the warning, or neither is.
      const told: ConsoleNotification = { id: `${w.raisedAt}#${w.id}`, at: w.raisedAt, kind: 'warning', warningId: w.id, detail: w.category, ...(w.department ? { department: w.department } : {}) };
      await this.ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { ...keyOf(w.id), entity: 'WARNING', ...w }, ConditionExpression: 'attribute_not_exists(pk)' } },
            ...WARNING_INBOXES.map((inbox) => ({ Put: { TableName: this.tableName, Item: NotificationEntity.toItem(inbox, told), ConditionExpression: 'attribute_not_exists(pk)' } })),
          ],
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err) || isCancelledByCondition(err)) return false;
      throw err;
    }
  }

  async extend(id: string, lastSeenAt: string, evidence: EarlyWarning['evidence']): Promise<void> {
    try {
      await this.ddb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(id),
          UpdateExpression: 'SET lastSeenAt = :at, evidence = :evidence',
          ConditionExpression: 'attribute_exists(pk) AND lastSeenAt < :at',
          ExpressionAttributeValues: { ':at': lastSeenAt, ':evidence': evidence },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async get(id: string): Promise<EarlyWarning | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: keyOf(id), ConsistentRead: true }));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async list(months: readonly string[]): Promise<EarlyWarning[]> {
    const pages = await Promise.all(
      months.map((m) =>
        queryAll(this.ddb, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': WarningEntity.partition(m) } }),
      ),
    );
    return pages
      .flat()
      .map(fromItem)
      .sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : 0));
  }

  async saveStatus(w: EarlyWarning, expected: WarningStatus): Promise<EarlyWarning> {
    try {
      const out = await this.ddb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(w.id),
          UpdateExpression: 'SET #status = :status, history = :history',
          ConditionExpression: '#status = :expected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': w.status, ':history': w.history, ':expected': expected },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(out.Attributes ?? {});
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError(`Warning ${w.id} changed meanwhile; read it again`, { warningId: w.id });
      throw err;
    }
  }

  async markNotified(id: string, at: string): Promise<void> {
    await this.ddb.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(id),
        UpdateExpression: 'SET notifiedAt = if_not_exists(notifiedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }
}

/** Index sort keys are `<created ISO>#<caseNo>`: `~` after the last instant takes every case of that instant. */
const range = (from: string, to: string) => ({ ':from': from, ':to': `${to}~` });

export class DynamoWarningCases implements WarningCases {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createdIn(category: string, district: string | undefined, from: string, to: string, limit: number): Promise<string[]> {
    const index = district ? GSIS.gsi3 : GSIS.gsi4;
    const items = await queryAll(this.ddb, {
      TableName: this.tableName,
      IndexName: index.indexName,
      KeyConditionExpression: `#pk = :pk AND #sk BETWEEN :from AND :to`,
      ...(district ? { FilterExpression: '#category = :category' } : {}),
      ProjectionExpression: 'caseNo',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, ...(district ? { '#category': 'category' } : {}) },
      ExpressionAttributeValues: {
        ':pk': district ? CaseEntity.districtPartition(district) : CaseEntity.categoryPartition(category),
        ...range(from, to),
        ...(district ? { ':category': category } : {}),
      },
    });
    return items.map((i) => String(i.caseNo)).slice(-limit);
  }

  async placeReports(category: string, district: string, from: string, to: string): Promise<PlaceReport[]> {
    const index = GSIS.gsi3;
    const items = await queryAll(this.ddb, {
      TableName: this.tableName,
      IndexName: index.indexName,
      KeyConditionExpression: `#pk = :pk AND #sk BETWEEN :from AND :to`,
      FilterExpression: '#category = :category',
      ProjectionExpression: 'caseNo, #category, #location, createdAt',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey, '#category': 'category', '#location': 'location' },
      ExpressionAttributeValues: { ':pk': CaseEntity.districtPartition(district), ...range(from, to), ':category': category },
    });
    return items.map((i) => {
      const location = (i.location ?? {}) as { address?: string; lat?: unknown; lng?: unknown };
      return {
        caseNo: String(i.caseNo),
        category: String(i.category),
        district,
        address: location.address ?? '',
        ...(typeof location.lat === 'number' && typeof location.lng === 'number' ? { lat: location.lat, lng: location.lng } : {}),
        createdAt: String(i.createdAt),
      };
    });
  }
}

/** A transaction refused because one of its conditions failed (the warning existed already). */
function isCancelledByCondition(e: unknown): boolean {
  if (!(e instanceof Error) || e.name !== 'TransactionCanceledException') return false;
  return ((e as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
}
