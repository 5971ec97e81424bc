/**
 * The console's queues over the case indexes (see table.ts), as the use cases in usecases/queues.ts and
 * usecases/find-duplicates.ts ask for them. Every read is a Query on one index partition, never a Scan:
 *
 * | queue                         | index | partition                           | order                 |
 * | ----------------------------- | ----- | ----------------------------------- | --------------------- |
 * | callback (survey due)         | gsi2  | `STATUS#RESOLVED`, waitingFor=survey, callback.dueFrom passed | oldest created first |
 * | dispatch (to reassign)        | gsi2  | `STATUS#RETURNED`                   | oldest created first  |
 * | department counts             | -     | `STATS#OPEN` counters (maintained in each case write) | -      |
 * | open cases at a place         | gsi7  | `OPEN#<category>#<district>` (sparse, keys only: the cases fetched by key) | newest first |
 * | my cases (assigned to me)     | gsi6  | `ASSIGNEE#<user id>` (sparse, keys only: the page fetched by key) | first assigned first |
 *
 * Pages are full when the index has enough items (one item of look-ahead, as the repository's lists), cursors are
 * signed and bound to the queue that produced them (cursor.ts).
 */
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseStatus, WaitingFor } from '../domain/case';
import type { LocatedCaseSummary, OpenCaseIndex } from '../usecases/find-duplicates';
import type { CaseQueues, StatusQueueOptions } from '../usecases/queues';
import { maskPhone } from '../privacy/masking';
import type { CaseSummary, Page, PageRequest } from '../usecases/ports';
import { pageLimit } from './case-repository';
import { CursorCodec, invalidCursor } from './cursor';
import { casesByNumber, summariesOf, summaryProjection } from './case-summaries';
import { CaseEntity, GSIS, type GsiDefinition, type Item } from './table';
import { FigureName } from '../domain/open-figures';
import { readOpenCounters } from './open-figure-updates';

/** Queries one page may issue when a filter drops items; then the page comes back short, with a cursor. */
const MAX_QUERIES_PER_PAGE = 16;

export class DynamoCaseQueues implements CaseQueues, OpenCaseIndex {
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

  async statusQueue(status: CaseStatus, page: PageRequest, waitingFor?: WaitingFor, options: StatusQueueOptions = {}): Promise<Page<CaseSummary>> {
    const limit = pageLimit(page.limit);
    const index = GSIS.gsi2;
    const pk = CaseEntity.statusPartition(status);
    const binding = `queue|${index.indexName}|${pk}|${waitingFor ?? ''}`;
    let startKey = page.cursor ? startKeyOf(index, pk, this.cursors.decode(binding, page.cursor).k) : undefined;

    const query = summaryQuery(this.tableName, index, pk);
    const filter = waitingFor ? waitFilter(query, waitingFor, options.dueBy) : {};
    const items: Item[] = [];
    let next: Record<string, string> | undefined;
    for (let queries = 1; ; queries++) {
      const out = await this.ddb.send(
        new QueryCommand({
          ...query,
          ...filter,
          ScanIndexForward: true,
          // One more than the page: when it comes back there is a next page, and the cursor is the page's last item.
          Limit: limit + 1,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...(out.Items ?? []));
      const evaluated = out.LastEvaluatedKey as Record<string, string> | undefined;
      if (items.length > limit) {
        next = keyOf(index, items[limit - 1]);
        items.length = limit;
        break;
      }
      if (!evaluated || items.length === limit || queries >= MAX_QUERIES_PER_PAGE) {
        next = evaluated;
        break;
      }
      startKey = evaluated;
    }
    const phones = options.maskedCallerPhone ? await this.maskedCallerPhones(items) : undefined;
    return {
      items: items.map((i) => ({ ...CaseEntity.toSummary(i), ...phones?.get(String(i.caseNo)) })),
      ...(next ? { cursor: this.cursors.encode(binding, { k: next }) } : {}),
    };
  }

  /**
   * The reporters' phones of a page, masked before they leave the adapter: read from the cases by key, since no
   * index holds personal data (gsi2 projects the summary only).
   */
  private async maskedCallerPhones(items: readonly Item[]): Promise<Map<string, { callerPhone?: string }>> {
    if (items.length === 0) return new Map();
    const cases = await casesByNumber(this.ddb, this.tableName, items.map((i) => String(i.caseNo)), {
      ProjectionExpression: '#caseNo, #reporter.#phone',
      ExpressionAttributeNames: { '#caseNo': 'caseNo', '#reporter': 'reporter', '#phone': 'phone' },
    });
    return new Map(cases.map((c) => [String(c.caseNo), maskedCallerPhone(c)]));
  }

  /** From the maintained counters (open-figure-updates.ts): one Query of eight small items, whatever the queue's size. */
  async departmentCounts<S extends CaseStatus>(department: string, statuses: readonly S[]): Promise<Record<S, number>> {
    const counters = await readOpenCounters(this.ddb, this.tableName);
    return Object.fromEntries(statuses.map((s) => [s, Math.max(0, counters[FigureName.departmentStatus(department, s)] ?? 0)])) as Record<S, number>;
  }

  /**
   * The open cases assigned to one staff member (gsi6 `ASSIGNEE#`, sparse: an entry only while the department
   * holds the case), first assigned first; keys only, so the page's summaries are fetched by key.
   */
  async assignedTo(userId: string, page: PageRequest): Promise<Page<CaseSummary>> {
    const limit = pageLimit(page.limit);
    const index = GSIS.gsi6;
    const pk = CaseEntity.assigneePartition(userId);
    const binding = `queue|${index.indexName}|${pk}`;
    const startKey = page.cursor ? startKeyOf(index, pk, this.cursors.decode(binding, page.cursor).k) : undefined;
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#ipk = :ipk',
        ExpressionAttributeNames: { '#ipk': index.partitionKey },
        ExpressionAttributeValues: { ':ipk': pk },
        ScanIndexForward: true,
        // One more than the page: when it comes back there is a next page, and the cursor is the page's last item.
        Limit: limit + 1,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const items = out.Items ?? [];
    const next = items.length > limit ? keyOf(index, items[limit - 1]) : undefined;
    return {
      items: await summariesOf(this.ddb, this.tableName, items.slice(0, limit)),
      ...(next ? { cursor: this.cursors.encode(binding, { k: next }) } : {}),
    };
  }

  /**
   * gsi7 holds a case only while it is open, so this partition is what is open at the place, every page of it.
   * It holds keys only (a status or deadline change writes nothing to it): the summaries are fetched by key, no
   * call at all when nothing is open there.
   */
  async openCasesOf(category: string, district: string): Promise<LocatedCaseSummary[]> {
    const index = GSIS.gsi7;
    const keys = await queryAll(this.ddb, {
      TableName: this.tableName,
      IndexName: index.indexName,
      KeyConditionExpression: '#ipk = :ipk',
      ExpressionAttributeNames: { '#ipk': index.partitionKey },
      ExpressionAttributeValues: { ':ipk': CaseEntity.openAtPlace(category, district) },
      ScanIndexForward: false,
    });
    return summariesOf(this.ddb, this.tableName, keys);
  }
}

// ------------------------------------------------------------------------------------------------ helpers

/**
 * The items whose workflow waits for `waitingFor`; with `dueBy`, only those due by then: a wait with a
 * `callback.dueFrom` after it (the survey's follow-up delay) is not. `callback` is in the index's projection.
 */
function waitFilter(query: QueryCommandInput, waitingFor: WaitingFor, dueBy: Date | undefined): Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  const values = { ...query.ExpressionAttributeValues, ':waitingFor': waitingFor };
  if (!dueBy) return { FilterExpression: '#waitingFor = :waitingFor', ExpressionAttributeValues: values };
  return {
    FilterExpression: '#waitingFor = :waitingFor AND (attribute_not_exists(#callback.#dueFrom) OR #callback.#dueFrom <= :dueBy)',
    ExpressionAttributeNames: { ...query.ExpressionAttributeNames, '#dueFrom': 'dueFrom' },
    ExpressionAttributeValues: { ...values, ':dueBy': dueBy.toISOString() },
  };
}

/** The reporter's phone of a case item, masked (never the number itself past the adapter). */
function maskedCallerPhone(item: Item): { callerPhone?: string } {
  const phone = (item.reporter as { phone?: unknown } | undefined)?.phone;
  return typeof phone === 'string' && phone ? { callerPhone: maskPhone(phone) } : {};
}

/**
 * A Query on one index partition that projects what a case summary shows (the place with its map point) and the
 * keys to resume after any item.
 */

export function summaryQuery(tableName: string, index: GsiDefinition, pk: string): QueryCommandInput {
  const p = summaryProjection(['pk', 'sk', index.partitionKey, index.sortKey]);
  return {
    TableName: tableName,
    IndexName: index.indexName,
    KeyConditionExpression: `#${index.partitionKey} = :ipk`,
    ...p,
    ExpressionAttributeValues: { ':ipk': pk },
  };
}

/** Every item of a partition (all pages). Only for partitions bounded by the open workload, never history. */
export async function queryAll(ddb: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

function keyOf(index: GsiDefinition, item: Item): Record<string, string> {
  const key: Record<string, string> = {};
  for (const a of ['pk', 'sk', index.partitionKey, index.sortKey]) key[a] = String(item[a]);
  return key;
}

/** A decoded cursor must name a key inside this very partition of this index. */
function startKeyOf(index: GsiDefinition, pk: string, k: unknown): Record<string, string> {
  const expected = ['pk', 'sk', index.partitionKey, index.sortKey];
  if (typeof k !== 'object' || k === null || Array.isArray(k)) throw invalidCursor();
  const key = k as Record<string, unknown>;
  if (Object.keys(key).length !== expected.length || !expected.every((a) => typeof key[a] === 'string')) throw invalidCursor();
  if (key[index.partitionKey] !== pk) throw invalidCursor();
  return key as Record<string, string>;
}
