/**
 * Cases in the single table (see table.ts). The rules this adapter keeps:
 * - create = atomic counter ADD for the number + one transaction: the case put (the number must be new) and its
 *   `created` event;
 * - every change = ONE TransactWriteItems: the case put conditional on `version`, and the event it records as an
 *   item of its own (`attribute_not_exists`; a change may record several, a version each), so a change and its
 *   events are written together or not at all, and a writer that lost the race gets a 412. What must move with
 *   the change rides in the same transaction on its own condition: the open-case figures, queue items,
 *   notifications, insight counts, a rate-limit hit. The timeline is the case partition's `EV#` range, so no number of
 *   events can grow the case item (docs/architecture.md, "Decisions");
 * - lists are Queries on a GSI chosen from the filter; a filter no index serves is a ValidationError. Never a Scan.
 */
import type { DynamoDBDocumentClient, QueryCommandInput, QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Case, CaseEvent, PiiAccessRequest } from '../domain/case';
import { CASE_STATUSES, publicChangeOf } from '../domain/case';
import { formatCaseNo, taipeiDay } from '../domain/case-number';
import { nowIso } from '../domain/clock';
import { caseEventNotification, type ConsoleNotification } from '../domain/notifications';
import { ConflictError, LimitReachedError, NotFoundError, PreconditionFailedError, SopChangedError, ValidationError } from '../domain/errors';
import type { CaseChange, CaseListFilter, CaseRepository, CaseSummary, NewCaseEvent, Page, PageRequest, PiiAccessQueue } from '../usecases/ports';
import { CursorCodec, invalidCursor, partitionCursor, partitionStartKey, type CursorPosition } from './cursor';
import { summariesOf } from './case-summaries';
import { logger } from '../shared/logger';
import { hashPhone, phoneHashKey } from '../privacy/phone-hash';
import type { FigureCase } from '../domain/open-figures';
import { figureUpdates, sendRetryingConflicts } from './open-figure-updates';
import { changeCountUpdate } from './insight-count-updates';
import { rateTakeUpdate } from './rate-counters';
import {
  CASE_INDEXED_ATTRIBUTES,
  CaseEntity,
  CaseEventEntity,
  NotificationEntity,
  PiiAccessQueueEntity,
  PRIVACY_GSIS,
  SopEntity,
  assertItemFits,
  CounterEntity,
  GSIS,
  caseEventId,
  indexProjects,
  isConditionFailure,
  type GsiDefinition,
  type IndexedCaseState,
  type Item,
} from './table';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** A created-date range alone reads one gsi5 partition per Taipei day; this bounds it. */
export const MAX_CREATED_RANGE_DAYS = 90;
/**
 * Queries one page may issue (filtered-out items, empty day partitions). When the budget runs out the page is
 * returned short, with a cursor: only a missing cursor means the end.
 */
const MAX_QUERIES_PER_PAGE = 16;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Case items this container read or wrote last, by case number. A change is built from the stored item, and the
 * step that changes a case has just read it (or written it), so reading it again would be a round trip for the
 * same bytes. The put stays conditional on the version, so an item that moved meanwhile is still a 412; only
 * this repository writes case items, and every write bumps the version.
 */
const REMEMBERED_ITEMS = 64;

/** Attributes the repository manages itself; a change may not set them. */
const MANAGED_ATTRIBUTES = new Set(['caseNo', 'version', 'createdAt', 'createdBy', 'updatedAt']);

export class DynamoCaseRepository implements CaseRepository, PiiAccessQueue {
  private readonly codec: () => CursorCodec;
  private readonly remembered = new Map<string, Item>();

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

  async nextCaseNo(at: Date): Promise<string> {
    const day = taipeiDay(at);
    const out = await this.ddb.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: CounterEntity.key(day),
        UpdateExpression: 'ADD #seq :one',
        ExpressionAttributeNames: { '#seq': CounterEntity.valueAttribute },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return formatCaseNo(day, Number(out.Attributes?.[CounterEntity.valueAttribute]));
  }

  async create(c: Case, event: NewCaseEvent, options: { sopCurrent?: { category: string; version: number } } = {}): Promise<Case> {
    const at = event.at ?? c.createdAt;
    const sop = options.sopCurrent;
    const first: CaseEvent = { ...event, at, id: caseEventId(at, c.version) };
    const item = CaseEntity.toItem(c, reporterPhoneHash(c.reporter));
    const eventItem = CaseEventEntity.toItem(c.caseNo, first);
    if (!publicChangeOf(first)) {
      delete eventItem[GSIS.gsi6.partitionKey];
      delete eventItem[GSIS.gsi6.sortKey];
    }
    assertItemFits(item);
    assertItemFits(eventItem);
    try {
      await sendRetryingConflicts(() =>
        this.ddb.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
              { Put: { TableName: this.tableName, Item: eventItem, ConditionExpression: 'attribute_not_exists(pk)' } },
              // The SOP the case was checked against is still the newest: no next version stored. Third, so a
              // cancellation tells it by its index.
              ...(sop ? [{ ConditionCheck: { TableName: this.tableName, Key: SopEntity.key(sop.category, sop.version + 1), ConditionExpression: 'attribute_not_exists(pk)' } }] : []),
              ...figureUpdates(this.tableName, c.caseNo, undefined, c),
            ],
          }),
        ),
      );
    } catch (e) {
      if (caseConditionFailed(e)) throw new ConflictError(`Case ${c.caseNo} already exists`, { caseNo: c.caseNo });
      if (sop && transactionItemFailed(e, 2)) throw new SopChangedError(sop.category);
      throw e;
    }
    this.remember(c.caseNo, item);
    return structuredClone(c);
  }

  /** Strongly consistent, so a client that just wrote reads the version it must send as If-Match. */
  async get(caseNo: string): Promise<Case | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: CaseEntity.key(caseNo), ConsistentRead: true }));
    if (!out.Item) return undefined;
    this.remember(caseNo, out.Item);
    return CaseEntity.fromItem(out.Item);
  }

  private remember(caseNo: string, item: Item): void {
    this.remembered.delete(caseNo);
    // A copy: the item handed out (or the change's values in it) may be changed by its holder.
    this.remembered.set(caseNo, structuredClone(item));
    if (this.remembered.size > REMEMBERED_ITEMS) this.remembered.delete(this.remembered.keys().next().value!);
  }

  /** The item at `version` as this container last saw it, else read (consistent). */
  private async itemAt(caseNo: string, version: number): Promise<Item | undefined> {
    const seen = this.remembered.get(caseNo);
    if (seen && Number(seen.version) === version) return seen;
    return this.readItem(caseNo);
  }

  /**
   * Steps:
   * 1. the case item at the expected version: as this container last read or wrote it, else read (consistent);
   *    a missing case is a 404, another version a 412;
   * 2. build the next item from it: the changes set and removed, version + one per event recorded, updatedAt; the
   *    GSI keys recomputed only when an indexed attribute changes (else they keep their values, and an index whose
   *    key and projected attributes are unchanged is not written, table.ts GSIS), the privacy indexes gsi8/gsi9
   *    when the reporter or the status changes; gsi6 (recent changes) is the change's last public event item's
   *    (domain publicChangeOf: what Open311's update feed shows), by updatedAt;
   * 3. one TransactWriteItems: put the item on condition `version = expected`, put each event item on condition
   *    it is new, and what rides with the change (figures, queue items, notifications, the insight counts and the
   *    rate-limit hit, each on its own condition);
   * 4. when the case's condition failed (a writer got in between steps 1 and 3), tell a missing case (404) from a
   *    moved version (412, with the current version); when only the rate limit's did, LimitReachedError; when an
   *    insight count's did (counted before), the same transaction again without it.
   */
  async update(caseNo: string, expectedVersion: number, change: CaseChange): Promise<Case> {
    const sets = Object.entries(change.set ?? {}).filter(([, v]) => v !== undefined);
    const removes = change.remove ?? [];
    for (const [k] of sets) {
      if (MANAGED_ATTRIBUTES.has(k) || k in GSIS || k === 'timeline') throw new Error(`A case change may not set ${k}`);
      if ((removes as string[]).includes(k)) throw new Error(`A case change may not both set and remove ${k}`);
    }

    const current = await this.itemAt(caseNo, expectedVersion);
    if (!current) throw notFound(caseNo);
    if (current.version !== expectedVersion) throw stale(caseNo, expectedVersion, Number(current.version));

    const events = [...(change.precededBy ?? []), change.event];
    const version = expectedVersion + events.length;
    const updatedAt = nowIso();
    const next: Item = { ...current };
    for (const k of removes) delete next[k];
    for (const [k, v] of sets) next[k] = v;
    next.version = version;
    next.updatedAt = updatedAt;
    if (sets.some(([k]) => (CASE_INDEXED_ATTRIBUTES as readonly string[]).includes(k))) {
      for (const g of Object.values(GSIS).filter((x) => !PRIVACY_GSIS.has(x.indexName))) {
        delete next[g.partitionKey];
        delete next[g.sortKey];
      }
      Object.assign(next, CaseEntity.indexKeys(next as unknown as IndexedCaseState));
    }
    // The change's event item carries the recent-changes keys (gsi6); a case item written before loses its own.
    delete next[GSIS.gsi6.partitionKey];
    delete next[GSIS.gsi6.sortKey];
    // ...except an assigned case's own "my cases" entry (sparse, ASSIGNEE#), which stays put while it is worked.
    Object.assign(next, CaseEntity.assigneeIndexKeys(next as unknown as Case));
    // gsi8 follows the reporter's phone, gsi9 the closing; erasing the reporter takes the case out of both.
    const privacy = privacyChange(caseNo, change, updatedAt);
    Object.assign(next, privacy.set);
    for (const attr of privacy.remove) delete next[attr];
    assertItemFits(next);

    const casePut = {
      TableName: this.tableName,
      Item: next,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': expectedVersion },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    const queueWrites = [
      ...('piiAccess' in (change.set ?? {}) ? this.accessQueueWrites(caseNo, current.piiAccess, next.piiAccess) : []),
      ...figureUpdates(this.tableName, caseNo, current as unknown as FigureCase, next as unknown as FigureCase),
    ];
    try {
      const where = { department: next.department as string | undefined, category: next.category as string | undefined };
      // One recent-changes entry per change that a citizen sees, on its last public event (Open311's update
      // feed reads the case's events in its window once it knows the case changed; it shows public ones only).
      const indexed = events.map((e) => publicChangeOf(e) !== undefined).lastIndexOf(true);
      const eventWrites = events.flatMap((e, i) => {
        const at = e.at ?? updatedAt;
        const item = CaseEventEntity.toItem(caseNo, { ...e, at, id: caseEventId(at, expectedVersion + 1 + i) }, updatedAt);
        if (i !== indexed) {
          delete item[GSIS.gsi6.partitionKey];
          delete item[GSIS.gsi6.sortKey];
        }
        assertItemFits(item);
        return [
          { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
          ...this.notificationPuts(caseNo, where, { ...e, at }, item.sk as string),
        ];
      });
      const fixed = [{ Put: casePut }, ...eventWrites, ...queueWrites];
      const take = 'take' in change && change.take ? [{ Update: rateTakeUpdate(this.tableName, change.take) }] : [];
      let counts = 'counts' in change && change.counts ? change.counts : [];
      for (;;) {
        const countUpdates = counts.map((c) => ({ Update: changeCountUpdate(this.tableName, c) }));
        try {
          await sendRetryingConflicts(() => this.ddb.send(new TransactWriteCommand({ TransactItems: [...fixed, ...take, ...countUpdates] })));
          break;
        } catch (e) {
          if (caseConditionFailed(e)) throw e;
          if (take.length && transactionItemFailed(e, fixed.length)) throw new LimitReachedError(change.take!.kind);
          // A count made before (a run that stopped short of this write counted on its own): leave it out.
          const counted = counts.filter((_, i) => transactionItemFailed(e, fixed.length + take.length + i));
          if (!counted.length) throw e;
          counts = counts.filter((c) => !counted.includes(c));
        }
      }
    } catch (e) {
      if (e instanceof LimitReachedError) throw e;
      this.remembered.delete(caseNo);
      if (!caseConditionFailed(e)) throw e;
      // DynamoDB returns the item that failed the condition; without it (an older local endpoint) read it again.
      const now = versionOf(failedCaseItem(e)) ?? (await this.readIndexedState(caseNo))?.version;
      if (now === undefined) throw notFound(caseNo);
      throw stale(caseNo, expectedVersion, now);
    }
    this.remember(caseNo, next);
    return CaseEntity.fromItem(next);
  }

  /**
   * A conditional put over the event item `update` wrote at `recorded` (its key, and its gsi6 keys when it has
   * them, stay): the item must be there and hold an event of the same type.
   */
  async reviseEvent(caseNo: string, recorded: { at: string; version: number }, event: NewCaseEvent): Promise<void> {
    const id = caseEventId(recorded.at, recorded.version);
    const key = CaseEventEntity.key(caseNo, id);
    const revised = { ...event, at: recorded.at, id };
    assertItemFits({ event: revised });
    try {
      await this.ddb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #event = :event',
          ConditionExpression: 'attribute_exists(pk) AND #event.#type = :type',
          ExpressionAttributeNames: { '#event': 'event', '#type': 'type' },
          ExpressionAttributeValues: { ':event': revised, ':type': event.type },
        }),
      );
    } catch (e) {
      if (isConditionFailure(e)) throw new NotFoundError(`Case ${caseNo} has no ${event.type} event at version ${recorded.version}`);
      throw e;
    }
  }

  /**
   * The supervisors' queue items (PiiAccessQueueEntity) that follow a change of `piiAccess`: a put for each live
   * request whose queue key is new (asked, approved), a delete for each key gone (approved, denied, revoked,
   * expired, erased). Written in the case's transaction, so the queue is never ahead of or behind the case.
   */
  private accessQueueWrites(caseNo: string, before: unknown, after: unknown): Array<{ Put: { TableName: string; Item: Item } } | { Delete: { TableName: string; Key: Record<string, string> } }> {
    const keyed = (requests: unknown) =>
      new Map((Array.isArray(requests) ? (requests as PiiAccessRequest[]) : []).map((r) => {
        const k = PiiAccessQueueEntity.keyOf(caseNo, r);
        return [`${k.pk}|${k.sk}`, { k, r }] as const;
      }));
    const old = keyed(before);
    const now = keyed(after);
    return [
      ...[...old].filter(([id]) => !now.has(id)).map(([, { k }]) => ({ Delete: { TableName: this.tableName, Key: { pk: k.pk, sk: k.sk } } })),
      ...[...now].filter(([id]) => !old.has(id)).map(([, { r }]) => ({ Put: { TableName: this.tableName, Item: PiiAccessQueueEntity.toItem(caseNo, r) } })),
    ];
  }

  /**
   * The notifications a change's event gives (functions/domain/notifications.ts): one conditional put per inbox,
   * in the change's transaction, keyed by the event (its time and version), so a retried write cannot repeat one.
   */
  private notificationPuts(caseNo: string, { department, category }: { department?: string; category?: string }, event: { type: CaseEvent['type']; at: string; data?: Record<string, unknown> }, eventKey: string): Array<{ Put: { TableName: string; Item: Item; ConditionExpression: string } }> {
    const told = caseEventNotification(event, department);
    if (!told) return [];
    const n: ConsoleNotification = { id: `${event.at}#${caseNo}#${eventKey.slice(-6)}`, at: event.at, kind: told.kind, caseNo, ...(department ? { department } : {}), ...(category ? { category } : {}), ...(told.detail ? { detail: told.detail } : {}) };
    return told.inboxes.map((inbox) => ({ Put: { TableName: this.tableName, Item: NotificationEntity.toItem(inbox, n), ConditionExpression: 'attribute_not_exists(pk)' } }));
  }

  /**
   * Live access requests in one status (PiiAccessQueueEntity), one Query: pending ones oldest first (the longest
   * wait on top), approved ones by expiry, from now on (an expired approval grants nothing, TTL deletes it later).
   */
  async accessRequests(status: 'pending' | 'approved', page: PageRequest): Promise<Page<{ caseNo: string; request: PiiAccessRequest }>> {
    const limit = pageLimit(page.limit);
    const pk = PiiAccessQueueEntity.partition(status);
    const binding = `piiaccess|${status}`;
    const start = partitionStartKey(this.cursors, binding, page.cursor, pk);
    const fromNow = status === 'approved';
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: fromNow ? 'pk = :pk AND sk > :now' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(fromNow ? { ':now': nowIso() } : {}) },
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => PiiAccessQueueEntity.fromItem(i)),
      ...partitionCursor(this.cursors, binding, out.LastEvaluatedKey),
    };
  }

  /**
   * Chronological (oldest first), `limit` events per page: a Query of the case partition's `EV#` range (the events
   * its changes recorded and the `pii-viewed` events, which sort among them by time). The cursor is the key of the
   * last event of the page, bound to this case.
   */
  async timeline(caseNo: string, page: PageRequest): Promise<Page<CaseEvent>> {
    const limit = pageLimit(page.limit);
    const pk = CaseEntity.key(caseNo).pk;
    const binding = `timeline|${caseNo}`;
    let startKey: Record<string, string> | undefined;
    if (page.cursor) {
      const k = this.cursors.decode(binding, page.cursor).k;
      // Exactly the key of an event of this case, checked before DynamoDB sees it.
      if (typeof k !== 'object' || k === null || Object.keys(k).length !== 2 || k.pk !== pk || typeof k.sk !== 'string' || !k.sk.startsWith(CaseEventEntity.prefix))
        throw invalidCursor();
      startKey = { pk: k.pk, sk: k.sk };
    }
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :ev)',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': pk, ':ev': CaseEventEntity.prefix },
        ConsistentRead: true,
        // One more than the page: when it comes back there is a next page, and no page is ever empty but the last.
        Limit: limit + 1,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const items = out.Items ?? [];
    if (!startKey && items.length === 0 && !(await this.readIndexedState(caseNo))) throw notFound(caseNo);
    // DynamoDB ends a Query page at 1 MB whatever the Limit (a page of long notes is cut short): its
    // LastEvaluatedKey then says there is more, though fewer than `limit` items came back.
    const more = items.length > limit || out.LastEvaluatedKey !== undefined;
    const kept = items.slice(0, limit);
    const last = kept.at(-1);
    return {
      items: kept.map((i) => CaseEventEntity.fromItem(i)),
      ...(more && last ? { cursor: this.cursors.encode(binding, { k: { pk, sk: String(last.sk) } }) } : {}),
    };
  }

  /**
   * Steps: choose the index the filter allows (planList), then Query its partition(s) page by page, leftover
   * filter fields as a FilterExpression, projecting only what a summary shows.
   */
  async list(filter: CaseListFilter): Promise<Page<CaseSummary>> {
    const limit = pageLimit(filter.limit);
    const plan = planList(filter);
    const binding = plan.binding;
    let partition = 0;
    let startKey: Record<string, string> | undefined;
    if (filter.cursor) ({ partition, startKey } = this.resumeAt(plan, this.cursors.decode(binding, filter.cursor)));

    const items: Item[] = [];
    let position: CursorPosition | undefined;
    for (let queries = 1; ; queries++) {
      const part = plan.partitions[partition];
      const out: QueryCommandOutput = await this.ddb.send(new QueryCommand(queryInput(this.tableName, plan, part, startKey, limit)));
      items.push(...(out.Items ?? []));
      const more = partition + 1 < plan.partitions.length;
      if (items.length >= limit) {
        // Every item past the first `limit` came from this query, so the last one kept is in this partition.
        if (items.length > limit) position = { p: part.pk, k: keyOf(plan.index, items[limit - 1]) };
        else if (out.LastEvaluatedKey) position = { p: part.pk, k: out.LastEvaluatedKey as Record<string, string> };
        else if (more) position = { p: plan.partitions[partition + 1].pk };
        items.length = limit;
        break;
      }
      if (out.LastEvaluatedKey) startKey = out.LastEvaluatedKey as Record<string, string>;
      else if (partition + 1 < plan.partitions.length) {
        partition += 1;
        startKey = undefined;
      } else break;
      if (queries >= MAX_QUERIES_PER_PAGE) {
        position = { p: plan.partitions[partition].pk, ...(startKey ? { k: startKey } : {}) };
        break;
      }
    }
    return {
      items: projectsSummary(plan.index) ? items.map((i) => CaseEntity.toSummary(i)) : await summariesOf(this.ddb, this.tableName, items),
      ...(position ? { cursor: this.cursors.encode(binding, position) } : {}),
    };
  }

  /**
   * Cases whose reporter phone has this keyed hash (gsi8), newest case number first: summaries only, never the
   * reporter. The phone-search use case audits every call.
   */
  async casesByPhoneHash(phoneHash: string, page: PageRequest): Promise<Page<CaseSummary>> {
    const limit = pageLimit(page.limit);
    const partition = CaseEntity.phonePartition(phoneHash);
    const binding = `phone|${partition}`;
    const position = page.cursor ? this.cursors.decode(binding, page.cursor) : undefined;
    const index = GSIS.gsi8;
    // A start key must be a key of this very partition of this index, checked before DynamoDB sees it.
    if (position && !isIndexKey(position.k, index, partition)) throw invalidCursor();
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#ipk = :ipk',
        ExpressionAttributeNames: { '#ipk': index.partitionKey },
        ExpressionAttributeValues: { ':ipk': partition },
        ScanIndexForward: false,
        Limit: limit,
        ...(position ? { ExclusiveStartKey: position.k as Record<string, string> } : {}),
      }),
    );
    // gsi8 holds keys only: the page's summaries are fetched by key.
    return {
      items: await summariesOf(this.ddb, this.tableName, out.Items ?? []),
      ...(out.LastEvaluatedKey ? { cursor: this.cursors.encode(binding, { k: out.LastEvaluatedKey as Record<string, string> }) } : {}),
    };
  }

  /** Cases that closed on a Taipei day (yyyy-mm-dd) and still hold reporter data (gsi9): the retention job's work list. */
  async closedOn(day: string, page: { limit?: number; startKey?: Record<string, string> }): Promise<{ items: Array<{ caseNo: string; closedAt: string }>; startKey?: Record<string, string> }> {
    const index = GSIS.gsi9;
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#ipk = :ipk',
        ExpressionAttributeNames: { '#ipk': index.partitionKey, '#caseNo': 'caseNo', '#sk': index.sortKey },
        ExpressionAttributeValues: { ':ipk': CaseEntity.closedOnPartition(day) },
        ProjectionExpression: '#caseNo, #sk',
        Limit: page.limit ?? 100,
        ...(page.startKey ? { ExclusiveStartKey: page.startKey } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => ({ caseNo: String(i.caseNo), closedAt: String(i[index.sortKey]).split('#')[0] })),
      ...(out.LastEvaluatedKey ? { startKey: out.LastEvaluatedKey as Record<string, string> } : {}),
    };
  }

  /** A decoded position must lie in one of this query's partitions, on this index. */
  private resumeAt(plan: ListPlan, position: CursorPosition): { partition: number; startKey?: Record<string, string> } {
    const partition = plan.partitions.findIndex((p) => p.pk === position.p);
    if (partition < 0) throw invalidCursor();
    if (position.k === undefined) return { partition };
    const k = position.k;
    const expected = ['pk', 'sk', plan.index.partitionKey, plan.index.sortKey];
    if (typeof k !== 'object' || k === null || Object.keys(k).length !== expected.length) throw invalidCursor();
    if (!expected.every((a) => typeof k[a] === 'string') || k[plan.index.partitionKey] !== position.p) throw invalidCursor();
    // DynamoDB refuses a start key outside the key condition with a ValidationException (a 500 to the client).
    const sortKey = k[plan.index.sortKey];
    if ((plan.range.from !== undefined && sortKey < plan.range.from) || (plan.range.to !== undefined && sortKey > plan.range.to)) throw invalidCursor();
    return { partition, startKey: k };
  }

  /** The whole case item as stored, keys included (consistent). */
  private async readItem(caseNo: string): Promise<Item | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: CaseEntity.key(caseNo), ConsistentRead: true }));
    return out.Item;
  }

  private async readIndexedState(caseNo: string): Promise<(IndexedCaseState & { version: number }) | undefined> {
    const attrs = ['caseNo', 'status', 'category', 'createdAt', 'department', 'acknowledgeDueAt', 'resolveDueAt', 'version'];
    const out = await this.ddb.send(
      new GetCommand({
        TableName: this.tableName,
        Key: CaseEntity.key(caseNo),
        ProjectionExpression: [...attrs.map((a) => `#${a}`), '#location.#district'].join(', '),
        ExpressionAttributeNames: { ...Object.fromEntries(attrs.map((a) => [`#${a}`, a])), '#location': 'location', '#district': 'district' },
        ConsistentRead: true,
      }),
    );
    return out.Item as (IndexedCaseState & { version: number }) | undefined;
  }
}

// ------------------------------------------------------------------------------------------- list planning

interface Partition {
  pk: string;
}

interface Condition {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

export interface ListPlan {
  index: GsiDefinition;
  /** Partitions read in order (several only for a created-date range: one per Taipei day, newest first). */
  partitions: Partition[];
  /** Sort key bounds applied in every partition. */
  range: { from?: string; to?: string };
  /** Index order: the department queue by due time (soonest first), the others newest first. */
  forward: boolean;
  /** Filter fields the index key does not cover. */
  filters: Condition[];
  /** Index + normalised filter: a cursor only decodes under the binding of the query that produced it. */
  binding: string;
}

/**
 * Which index serves a filter. Precedence: department (+status) -> gsi1; status -> gsi2; district -> gsi3;
 * category -> gsi4; created range alone -> gsi5. Department without status is rejected (naming `status`): a
 * department queue is per status, and merging five partitions per page would cost five queries per page.
 */
export function planList(filter: CaseListFilter): ListPlan {
  const f = normaliseFilter(filter);
  const binding = (index: GsiDefinition) =>
    `cases|${index.indexName}|${JSON.stringify([f.status, f.department, f.district, f.category, f.createdFrom, f.createdTo])}`;
  const district: Condition[] = f.district
    ? [{ expression: '#location.#district = :district', names: { '#location': 'location', '#district': 'district' }, values: { ':district': f.district } }]
    : [];
  const category: Condition[] = f.category
    ? [{ expression: '#category = :category', names: { '#category': 'category' }, values: { ':category': f.category } }]
    : [];

  if (f.department) {
    if (!f.status)
      throw new ValidationError('A department queue is listed per status', [
        { path: 'status', message: 'is required with department (e.g. ASSIGNED or ACKNOWLEDGED)' },
      ]);
    return {
      index: GSIS.gsi1,
      partitions: [{ pk: CaseEntity.departmentQueue(f.department, f.status) }],
      range: {},
      forward: true,
      filters: [...district, ...category, ...createdFilter(f.createdFrom, f.createdTo)],
      binding: binding(GSIS.gsi1),
    };
  }
  // The created-time indexes: newest first, the created range on the sort key.
  const byCreated = (index: GsiDefinition, pks: string[], filters: Condition[]): ListPlan => ({
    index,
    partitions: pks.map((pk) => ({ pk })),
    range: { from: f.createdFrom, to: f.createdTo === undefined ? undefined : `${f.createdTo}#~` },
    forward: false,
    filters,
    binding: binding(index),
  });
  if (f.status) return byCreated(GSIS.gsi2, [CaseEntity.statusPartition(f.status)], [...district, ...category]);
  if (f.district) return byCreated(GSIS.gsi3, [CaseEntity.districtPartition(f.district)], category);
  if (f.category) return byCreated(GSIS.gsi4, [CaseEntity.categoryPartition(f.category)], []);
  if (f.createdFrom || f.createdTo) {
    if (!f.createdFrom || !f.createdTo) {
      const missing = f.createdFrom ? 'createdTo' : 'createdFrom';
      throw new ValidationError('A created-date range alone needs both ends', [{ path: missing, message: 'is required when listing by created date only' }]);
    }
    const from = Date.parse(f.createdFrom);
    const to = Date.parse(f.createdTo);
    if (to - from > MAX_CREATED_RANGE_DAYS * DAY_MS)
      throw new ValidationError(`A created-date range may span at most ${MAX_CREATED_RANGE_DAYS} days`, [
        { path: 'createdFrom', message: `must be at most ${MAX_CREATED_RANGE_DAYS} days before createdTo` },
      ]);
    // One partition per Taipei day, from the last day back to the first (Taipei has no DST: 24 h steps work).
    const days: string[] = [];
    const first = CaseEntity.createdDayPartition(f.createdFrom);
    for (let t = to; days.at(-1) !== first; t -= DAY_MS) {
      const day = CaseEntity.createdDayPartition(new Date(Math.max(t, from)).toISOString());
      if (days.at(-1) !== day) days.push(day);
    }
    return byCreated(GSIS.gsi5, days, []);
  }
  throw new ValidationError('Listing cases needs a filter an index serves', [
    { path: 'status', message: 'give at least one of status, department (with status), district, category, or createdFrom and createdTo' },
  ]);
}

interface NormalisedFilter {
  status?: string;
  department?: string;
  district?: string;
  category?: string;
  createdFrom?: string;
  createdTo?: string;
}

/** Dates become canonical ISO instants so they compare as strings with the stored `createdAt`. */
function normaliseFilter(filter: CaseListFilter): NormalisedFilter {
  const f: NormalisedFilter = {
    status: filter.status || undefined,
    department: filter.department || undefined,
    district: filter.district || undefined,
    category: filter.category || undefined,
  };
  if (f.status && !(CASE_STATUSES as readonly string[]).includes(f.status))
    throw new ValidationError('Unknown status', [{ path: 'status', message: `must be one of ${CASE_STATUSES.join(', ')}` }]);
  for (const field of ['createdFrom', 'createdTo'] as const) {
    const raw = filter[field];
    if (!raw) continue;
    const t = Date.parse(raw);
    if (Number.isNaN(t)) throw new ValidationError(`${field} is not a date`, [{ path: field, message: 'must be an ISO 8601 date-time' }]);
    f[field] = new Date(t).toISOString();
  }
  if (f.createdFrom && f.createdTo && f.createdFrom > f.createdTo)
    throw new ValidationError('createdFrom is after createdTo', [{ path: 'createdFrom', message: 'must not be after createdTo' }]);
  return f;
}

function createdFilter(from?: string, to?: string): Condition[] {
  const names = { '#createdAt': 'createdAt' };
  if (from && to) return [{ expression: '#createdAt BETWEEN :createdFrom AND :createdTo', names, values: { ':createdFrom': from, ':createdTo': to } }];
  if (from) return [{ expression: '#createdAt >= :createdFrom', names, values: { ':createdFrom': from } }];
  if (to) return [{ expression: '#createdAt <= :createdTo', names, values: { ':createdTo': to } }];
  return [];
}

function queryInput(tableName: string, plan: ListPlan, part: Partition, startKey: Record<string, string> | undefined, limit: number): QueryCommandInput {
  const { index, range } = plan;
  // Index key names are projected too (below), so `#<attr>` is always used.
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':ipk': part.pk };
  const pk = `#${index.partitionKey}`;
  const sk = `#${index.sortKey}`;
  let keyCondition = `${pk} = :ipk`;
  if (range.from && range.to) keyCondition += ` AND ${sk} BETWEEN :from AND :to`;
  else if (range.from) keyCondition += ` AND ${sk} >= :from`;
  else if (range.to) keyCondition += ` AND ${sk} <= :to`;
  if (range.from) values[':from'] = range.from;
  if (range.to) values[':to'] = range.to;

  for (const c of plan.filters) {
    Object.assign(names, c.names);
    Object.assign(values, c.values);
  }
  // Keys are projected so a page cut short mid-query can resume right after its last item; an index that does not
  // project the summary gives only them (the page's summaries are then fetched by key).
  const keys = ['pk', 'sk', index.partitionKey, index.sortKey];
  const summary = projectsSummary(index);
  const projected = summary ? [...CaseEntity.summaryAttributes, ...keys] : keys;
  for (const a of projected) names[`#${a}`] = a;
  const members = ['#location.#district', '#location.#address', '#location.#lat', '#location.#lng'];
  if (summary) Object.assign(names, { '#location': 'location', '#district': 'district', '#address': 'address', '#lat': 'lat', '#lng': 'lng' });

  return {
    TableName: tableName,
    IndexName: index.indexName,
    KeyConditionExpression: keyCondition,
    ...(plan.filters.length ? { FilterExpression: plan.filters.map((c) => c.expression).join(' AND ') } : {}),
    ProjectionExpression: [...projected.map((a) => `#${a}`), ...(summary ? members : [])].join(', '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: plan.forward,
    // One more than the page: when it comes back, there is a next page; when not, the page ends the query.
    Limit: limit + 1,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  };
}

/** Whether a list can take its summaries from the index itself (gsi1, gsi2) or fetches them by key. */
function projectsSummary(index: GsiDefinition): boolean {
  return indexProjects(index, [...CaseEntity.summaryAttributes, 'location']);
}

function keyOf(index: GsiDefinition, item: Item): Record<string, string> {
  const key: Record<string, string> = {};
  for (const a of ['pk', 'sk', index.partitionKey, index.sortKey]) key[a] = String(item[a]);
  return key;
}

// ------------------------------------------------------------------------------------------------- privacy

let warnedNoHashKey = false;

/**
 * The keyed hash of a reporter's phone for gsi8, or undefined. Without the phone-hash key the case is still stored (the
 * hotline must not stop taking calls over a missing setting) but not indexed, and that is logged loudly: phone
 * search then refuses to run (ConfigError) rather than answer "no cases".
 */
function reporterPhoneHash(r: Case['reporter']): string | undefined {
  if (!r.phone || r.erasedAt) return undefined;
  const key = phoneHashKey();
  if (!key) {
    if (!warnedNoHashKey) logger.error('The phone-hash key is not loaded: cases are stored without the phone-search index');
    warnedNoHashKey = true;
    return undefined;
  }
  return hashPhone(r.phone, key);
}

/** The gsi8/gsi9 keys a change moves: the phone when the reporter changes, the closing when the status does. */
function privacyChange(caseNo: string, change: CaseChange, updatedAt: string): { set: Record<string, string>; remove: string[] } {
  const reporter = change.set?.reporter;
  const status = change.set?.status;
  if (reporter?.erasedAt) return CaseEntity.privacyIndexKeys(caseNo, { phoneHash: null, closed: null });
  return CaseEntity.privacyIndexKeys(caseNo, {
    ...(reporter ? { phoneHash: reporterPhoneHash(reporter) ?? null } : {}),
    ...(status ? { closed: { status, at: change.set?.closedAt ?? updatedAt } } : {}),
  });
}

// ------------------------------------------------------------------------------------------------- helpers

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new ValidationError('Invalid page size', [{ path: 'limit', message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` }]);
  return limit;
}

/**
 * The case's own condition failed: a single put's ConditionalCheckFailedException, or a transaction cancelled for
 * its first action (the case put; the event put of the same write cannot fail on its own, its id holds the new
 * version).
 */
function caseConditionFailed(e: unknown): e is Error {
  return isConditionFailure(e) || transactionItemFailed(e, 0);
}

/** Whether the transaction was cancelled by the condition of its item at `index`. */
function transactionItemFailed(e: unknown, index: number): boolean {
  if (!(e instanceof Error) || e.name !== 'TransactionCanceledException') return false;
  const reasons = (e as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  return reasons?.[index]?.Code === 'ConditionalCheckFailed';
}

function failedCaseItem(e: Error): Record<string, AttributeValue> | undefined {
  if (isConditionFailure(e)) return e.Item;
  return (e as { CancellationReasons?: Array<{ Item?: Record<string, AttributeValue> }> }).CancellationReasons?.[0]?.Item;
}

function versionOf(item: Record<string, AttributeValue> | undefined): number | undefined {
  const v = item?.version;
  return v && 'N' in v && v.N !== undefined ? Number(v.N) : undefined;
}

const notFound = (caseNo: string) => new NotFoundError(`Case ${caseNo} not found`);
const stale = (caseNo: string, expected: number, current: number) =>
  new PreconditionFailedError(`Case ${caseNo} is at version ${current}, not ${expected}`, current);

/** `k` is exactly the key of an item in partition `pk` of `index`: table and index key attributes, all strings. */
function isIndexKey(k: unknown, index: GsiDefinition, pk: string): boolean {
  if (typeof k !== 'object' || k === null || Array.isArray(k)) return false;
  const key = k as Record<string, unknown>;
  const expected = ['pk', 'sk', index.partitionKey, index.sortKey];
  return Object.keys(key).length === expected.length && expected.every((a) => typeof key[a] === 'string') && key[index.partitionKey] === pk;
}
