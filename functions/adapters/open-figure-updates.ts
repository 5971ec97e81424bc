/**
 * The writes that keep the open-case figures (OpenFiguresEntity, domain/open-figures.ts): ADDs that ride in a case
 * write's transaction, so the figures move exactly when the case does; and the plain read of the counters. Apart
 * from open-figures-store.ts (the dashboard's read, the rebuild), as the case repository and the queues need only
 * these.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { figureDepartment, openCounters, openFiguresDelta, type FigureCase } from '../domain/open-figures';
import { OpenFiguresEntity, type ItemKey, type UpdateAction } from './table';

export interface FigureUpdate {
  Update: UpdateAction;
}

/**
 * The transaction actions that move the figures from what the case contributed `before` to what it does `after`:
 * one Update per item touched, none for no change. Every counter a case contributes sits in the item of the
 * department that holds it (OpenFiguresEntity.departmentKey), its status, category and district counters too; a
 * case without a department counts in its shard's own item. So a status change within a department (acknowledged,
 * resolved, closed) moves that one item of a few hundred bytes, not the shard's item as well. A read sums every
 * item of the partition, so where a counter sits never changes a figure: a counter an earlier layout kept in the
 * shard's item (status, category, district) is taken off by the case's next write in its department's item, which
 * may then hold a negative number while the sum is right.
 */
export function figureUpdates(tableName: string, caseNo: string, before: FigureCase | undefined, after: FigureCase | undefined): FigureUpdate[] {
  const shard = OpenFiguresEntity.shardOf(caseNo);
  const items = new Map<string, [ItemKey, Record<string, number>]>();
  const count = (c: FigureCase | undefined, by: number) => {
    if (!c) return;
    const key = c.department ? OpenFiguresEntity.departmentKey(shard, c.department) : OpenFiguresEntity.key(shard);
    let entry = items.get(key.sk);
    if (!entry) items.set(key.sk, (entry = [key, {}]));
    for (const name of openCounters(c)) entry[1][name] = (entry[1][name] ?? 0) + by;
  };
  count(before, -1);
  count(after, +1);
  const updates: FigureUpdate[] = [];
  for (const [key, adds] of items.values()) {
    const changed = Object.fromEntries(Object.entries(adds).filter(([, v]) => v !== 0));
    if (Object.keys(changed).length) updates.push(addUpdate(tableName, key, changed));
  }
  for (const [day, byDepartment] of Object.entries(openFiguresDelta(before, after).due)) {
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
