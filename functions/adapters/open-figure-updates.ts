/**
 * The writes that keep the open-case figures (OpenFiguresEntity, domain/open-figures.ts): ADDs that ride in a case
 * write's transaction, so the figures move exactly when the case does; and the plain read of the counters. Apart
 * from open-figures-store.ts (the dashboard's read, the rebuild), as the case repository and the queues need only
 * these.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { figureDepartment, isEmptyDelta, type OpenFiguresDelta } from '../domain/open-figures';
import { OpenFiguresEntity, type ItemKey, type UpdateAction } from './table';

export interface FigureUpdate {
  Update: UpdateAction;
}

/**
 * The transaction actions that move the figures by `delta`: one Update per item touched, none for no change. A
 * department's counters live in an item of their own (OpenFiguresEntity.departmentKey), so each Update is billed on
 * a small item, not on one holding every department's counters.
 */
export function figureUpdates(tableName: string, caseNo: string, delta: OpenFiguresDelta): FigureUpdate[] {
  if (isEmptyDelta(delta)) return [];
  const updates: FigureUpdate[] = [];
  const shard = OpenFiguresEntity.shardOf(caseNo);
  for (const [item, adds] of groupByItem(shard, delta.counters)) updates.push(addUpdate(tableName, item, adds));
  for (const [day, byDepartment] of Object.entries(delta.due)) {
    const total = Object.values(byDepartment).reduce((n, v) => n + v, 0);
    updates.push(addUpdate(tableName, OpenFiguresEntity.dueKey(day), total === 0 ? byDepartment : { ...byDepartment, [OpenFiguresEntity.dueTotal]: total }));
  }
  return updates;
}

/** Counters grouped by the item that keeps them in a shard: the shard's own item, or its department's. */
export function groupByItem(shard: number, counters: Record<string, number>): Array<[ItemKey, Record<string, number>]> {
  const items = new Map<string, [ItemKey, Record<string, number>]>();
  for (const [name, value] of Object.entries(counters)) {
    const department = figureDepartment(name);
    const key = department === undefined ? OpenFiguresEntity.key(shard) : OpenFiguresEntity.departmentKey(shard, department);
    let entry = items.get(key.sk);
    if (!entry) items.set(key.sk, (entry = [key, {}]));
    entry[1][name] = value;
  }
  return [...items.values()];
}

function addUpdate(tableName: string, key: ItemKey, adds: Record<string, number>): FigureUpdate {
  const entries = Object.entries(adds);
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET #entity = :entity ADD ${entries.map((_, i) => `#n${i} :v${i}`).join(', ')}`,
      ExpressionAttributeNames: { '#entity': 'entity', ...Object.fromEntries(entries.map(([n], i) => [`#n${i}`, n])) },
      ExpressionAttributeValues: { ':entity': 'STATS', ...Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])) },
    },
  };
}

/**
 * Sends a transaction that moves counters, again when DynamoDB cancelled it only because another transaction
 * held one of its items (TransactionConflict): every action keeps its condition, so a retry cannot apply twice.
 */
export async function sendRetryingConflicts<T>(send: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (e) {
      const reasons = e instanceof TransactionCanceledException || (e as Error).name === 'TransactionCanceledException' ? ((e as TransactionCanceledException).CancellationReasons ?? []) : [];
      const conflictOnly = reasons.some((r) => r.Code === 'TransactionConflict') && reasons.every((r) => r.Code === 'TransactionConflict' || r.Code === 'None');
      if (!conflictOnly || attempt >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 10 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

/** Every counter summed over the shards: one Query of the shard items and their departments' items. */
export async function readOpenCounters(ddb: DynamoDBDocumentClient, tableName: string): Promise<Record<string, number>> {
  const out = await ddb.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': OpenFiguresEntity.partition } }));
  const counters: Record<string, number> = {};
  for (const shard of out.Items ?? []) for (const [k, v] of Object.entries(shard)) if (typeof v === 'number') counters[k] = (counters[k] ?? 0) + v;
  return counters;
}
