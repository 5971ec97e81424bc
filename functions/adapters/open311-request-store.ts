/**
 * Open311 reads over the case table. Every read projects only the public attributes (open311/ports.ts), so
 * personal data never reaches the Open311 code. Lists are Queries on the store's indexes:
 *   service_code filter    gsi4 `CATEGORY#<code>`, createdAt range, newest first; several codes merged by time
 *   date range alone       gsi5 `CREATED#<Taipei day>`, one partition per day, newest first
 *   changed since          gsi6 `UPDATED#<Taipei day>` (the changes' event items), one partition per day from the
 *                          start day; the changed cases by key, then each one's events inside the window (the `EV#<from>`..`EV#<until>~` range of its partition)
 * "Is an Open311 service" is a FilterExpression on the index (which projects the category). The indexes project no
 * status or public text (a change would write them): the cases of a page are fetched by key (BatchGetItem), the
 * status filter applied to them. Never a Scan.
 */
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseEvent } from '../domain/case';
import { PUBLIC_CASE_ATTRIBUTES, type Open311RequestReader, type PublicCase, type PublicCaseHistory, type RequestListQuery } from '../open311/ports';
import { casesByNumber, caseNoOf } from './case-summaries';
import { CaseEntity, CaseEventEntity, GSIS, type GsiDefinition, type Item } from './table';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Items asked for per Query page: filtered-out items still count against it. */
const QUERY_PAGE = 200;
const BATCH_GET_MAX = 100;
/** Changed cases whose events are read at once. */
const EVENT_READS_IN_FLIGHT = 8;

export class DynamoOpen311RequestReader implements Open311RequestReader {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(caseNo: string): Promise<PublicCase | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: CaseEntity.key(caseNo), ...projection() }));
    return out.Item ? toPublicCase(out.Item) : undefined;
  }

  async getMany(caseNos: string[]): Promise<PublicCase[]> {
    const unique = [...new Set(caseNos)];
    const found = new Map((await casesByNumber(this.ddb, this.tableName, unique, projection())).map((item) => [String(item.caseNo), toPublicCase(item)]));
    return unique.flatMap((n) => (found.has(n) ? [found.get(n)!] : []));
  }

  /**
   * Index order (newest first), offset and limit over the cases whose status is wanted: the index names the
   * candidates, each batch of them is fetched by key, at most as many as the page still needs.
   */
  async list(q: RequestListQuery): Promise<PublicCase[]> {
    if (q.categories.length === 0 || q.limit <= 0) return [];
    const range = { from: q.from, to: `${q.to}#~` };
    const filters = filterOf(q);
    const streams = q.byCategory
      ? q.categories.map((c) => this.query(GSIS.gsi4, [CaseEntity.categoryPartition(c)], range, false, filters))
      : [this.query(GSIS.gsi5, dayPartitions('CREATED', q.from, q.to).reverse(), range, false, filters)];
    const out: PublicCase[] = [];
    let skipped = 0;
    let pending: string[] = [];
    const take = async () => {
      const cases = await this.getMany(pending);
      pending = [];
      for (const c of cases) {
        if (q.statuses?.length && !q.statuses.includes(c.status)) continue;
        if (skipped < q.offset) skipped += 1;
        else if (out.length < q.limit) out.push(c);
      }
    };
    for await (const item of mergeNewestFirst(streams, GSIS.gsi4.sortKey, GSIS.gsi5.sortKey)) {
      pending.push(caseNoOf(item));
      if (pending.length >= Math.min(BATCH_GET_MAX, q.offset + q.limit - skipped - out.length)) await take();
      if (out.length >= q.limit) break;
    }
    if (pending.length) await take();
    return out;
  }

  async changedSince(from: string, until: string): Promise<PublicCaseHistory[]> {
    const changedNos: string[] = [];
    for await (const item of this.query(GSIS.gsi6, dayPartitions('UPDATED', from, until), { from }, true, undefined)) changedNos.push(caseNoOf(item));
    const changed = await this.getMany(changedNos);
    const out: PublicCaseHistory[] = [];
    for (let i = 0; i < changed.length; i += EVENT_READS_IN_FLIGHT) {
      const batch = changed.slice(i, i + EVENT_READS_IN_FLIGHT);
      const timelines = await Promise.all(batch.map((c) => this.eventsBetween(c.caseNo, from, until)));
      batch.forEach((c, j) => out.push({ ...c, timeline: timelines[j] }));
    }
    return out;
  }

  /** A case's events from `from` to `until` (inclusive instants), oldest first: one key range of its partition. */
  private async eventsBetween(caseNo: string, from: string, until: string): Promise<CaseEvent[]> {
    const events: CaseEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.ddb.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :until',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
          ExpressionAttributeValues: { ':pk': CaseEntity.key(caseNo).pk, ':from': CaseEventEntity.sortKeyAt(from), ':until': CaseEventEntity.sortKeyAfter(until) },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of out.Items ?? []) events.push(CaseEventEntity.fromItem(item));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return events;
  }

  /** Items of the partitions in order, page by page, lazily: a caller that stops early reads no further. */
  private async *query(
    index: GsiDefinition,
    partitions: string[],
    range: { from?: string; to?: string },
    forward: boolean,
    filter: Filter | undefined,
  ): AsyncGenerator<Item> {
    for (const pk of partitions) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await this.ddb.send(new QueryCommand(queryInput(this.tableName, index, pk, range, forward, filter, startKey)));
        for (const item of out.Items ?? []) yield item;
        startKey = out.LastEvaluatedKey;
      } while (startKey);
    }
  }
}

interface Filter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** What the index can test itself: the category (projected). The status is tested on the cases fetched. */
function filterOf(q: RequestListQuery): Filter {
  const values: Record<string, unknown> = {};
  q.categories.forEach((c, i) => (values[`:c${i}`] = c));
  return { expression: `#category IN (${q.categories.map((_, i) => `:c${i}`).join(', ')})`, names: { '#category': 'category' }, values };
}

function projection(): { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> } {
  const attrs = PUBLIC_CASE_ATTRIBUTES;
  return { ProjectionExpression: attrs.map((a) => `#${a}`).join(', '), ExpressionAttributeNames: Object.fromEntries(attrs.map((a) => [`#${a}`, a])) };
}

function queryInput(
  tableName: string,
  index: GsiDefinition,
  pk: string,
  range: { from?: string; to?: string },
  forward: boolean,
  filter: Filter | undefined,
  startKey: Record<string, unknown> | undefined,
): QueryCommandInput {
  // The keys name the case (fetched by key) and order the merge; nothing else is read from the index.
  const p = { ProjectionExpression: '#pk, #sk, #isk', ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#isk': index.sortKey } };
  const names: Record<string, string> = { ...p.ExpressionAttributeNames, '#ipk': index.partitionKey, ...filter?.names };
  const values: Record<string, unknown> = { ':ipk': pk, ...filter?.values };
  let keyCondition = '#ipk = :ipk';
  if (range.from && range.to) keyCondition += ` AND #isk BETWEEN :from AND :to`;
  else if (range.from) keyCondition += ` AND #isk >= :from`;
  if (range.from) values[':from'] = range.from;
  if (range.to) values[':to'] = range.to;
  return {
    TableName: tableName,
    IndexName: index.indexName,
    KeyConditionExpression: keyCondition,
    ...(filter ? { FilterExpression: filter.expression } : {}),
    ProjectionExpression: p.ProjectionExpression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: forward,
    Limit: QUERY_PAGE,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  };
}

/** `CREATED#2026-11-25`, `…-26`, `…-27`: the Taipei days from `from` to `to`, oldest first. */
export function dayPartitions(prefix: 'CREATED' | 'UPDATED', from: string, to: string): string[] {
  const partition = prefix === 'CREATED' ? CaseEntity.createdDayPartition : CaseEntity.updatedDayPartition;
  const start = Date.parse(from);
  const end = Date.parse(to);
  const days: string[] = [];
  // Taipei has no daylight saving time: 24-hour steps visit every day once.
  for (let t = start; ; t += DAY_MS) {
    const day = partition(new Date(Math.min(t, end)).toISOString());
    if (days.at(-1) !== day) days.push(day);
    if (t >= end) break;
  }
  return days;
}

/** Merges streams that are each newest first by their index sort key (`<createdAt>#<caseNo>`). */
async function* mergeNewestFirst(streams: AsyncGenerator<Item>[], ...sortKeys: string[]): AsyncGenerator<Item> {
  const keyOf = (item: Item): string => {
    const key: unknown = sortKeys.map((k) => item[k]).find((v) => v !== undefined);
    return typeof key === 'string' ? key : '';
  };
  const heads = await Promise.all(streams.map(async (s) => (await s.next()).value as Item | undefined));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h && (best < 0 || keyOf(h) > keyOf(heads[best]!))) best = i;
    }
    if (best < 0) return;
    yield heads[best]!;
    heads[best] = (await streams[best].next()).value as Item | undefined;
  }
}

function toPublicCase(item: Item): PublicCase {
  const c: Record<string, unknown> = {};
  for (const a of PUBLIC_CASE_ATTRIBUTES) if (item[a] !== undefined) c[a] = item[a];
  return c as unknown as PublicCase;
}
