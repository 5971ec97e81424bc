/**
 * The open-case figures in the table (OpenFiguresEntity): what the dashboard reads instead of every open case, and
 * their rebuild. The writes that keep them ride in each case write's transaction (open-figure-updates.ts).
 *
 * | item         | pk           | sk            | attributes                                                    |
 * | ------------ | ------------ | ------------- | ------------------------------------------------------------- |
 * | open figures | `STATS#OPEN` | `SHARD#<n>`   | one number per counter name (domain/open-figures.ts FigureName) |
 * | department's | `STATS#OPEN` | `SHARD#<n>#<dept>` | the counters of that shard's cases the department holds (open-figure-updates.ts) |
 * | due figures  | `STATS#DUE`  | `<yyyy-mm-dd>`| one number per department, and `total`                        |
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { figuresOf, type FigureCase } from '../domain/open-figures';
import type { OpenFigures } from '../usecases/dashboard';
import type { CaseSummary } from '../usecases/ports';
import { OPEN_STATUSES } from '../domain/case';
import { queryAll, summaryQuery } from './case-queues';
import { groupByItem, readOpenCounters } from './open-figure-updates';
import { caseNoOf, summariesOf } from './case-summaries';
import { CaseEntity, GSIS, isConditionFailure, OpenFiguresEntity, type IndexedCaseState } from './table';

import type { Item } from './table';
export class DynamoOpenFigures {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Steps:
   * 1. the counter shards (one Query) and the due days before `today` (one Query of the small due items);
   * 2. today's deadlines up to `now`, from gsi10's keys (DUE and each escalation level): the cases that fell
   *    overdue today, by department;
   * 3. each escalation level's first page (deadline order) and DUE's first page below `now`: the first
   *    `listSize` escalated entries (highest level first) and the oldest `listSize` overdue ones (merged by
   *    deadline), then their summaries by key (BatchGetItem).
   */
  async read(now: string, listSize: number, levels: readonly number[]): Promise<OpenFigures> {
    const today = now.slice(0, 10);
    const attention = [CaseEntity.duePartition, ...levels.map((l) => CaseEntity.escalatedPartition(l))];
    const [counters, pastDays, dueToday, dueHead, escalatedHeads] = await Promise.all([
      readOpenCounters(this.ddb, this.tableName),
      queryAll(this.ddb, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk AND sk < :today', ExpressionAttributeValues: { ':pk': OpenFiguresEntity.duePartition, ':today': today } }),
      Promise.all(attention.map((p) => queryAll(this.ddb, this.attentionQuery(p, { from: today, upTo: now })))),
      this.ddb.send(new QueryCommand({ ...this.attentionQuery(CaseEntity.duePartition, { below: now }), Limit: listSize })),
      Promise.all(levels.map((l) => this.ddb.send(new QueryCommand({ ...this.attentionQuery(CaseEntity.escalatedPartition(l)), Limit: listSize })))),
    ]);
    const overdueByDepartment: Record<string, number> = {};
    for (const day of pastDays) for (const [k, v] of Object.entries(day)) if (typeof v === 'number' && k !== OpenFiguresEntity.dueTotal) overdueByDepartment[k] = (overdueByDepartment[k] ?? 0) + v;
    for (const item of dueToday.flat()) {
      const { department } = CaseEntity.attentionOf(String(item[GSIS.gsi10.sortKey]));
      overdueByDepartment[department] = (overdueByDepartment[department] ?? 0) + 1;
    }
    const bySortKey = (a: Item, b: Item) => (String(a[GSIS.gsi10.sortKey]) < String(b[GSIS.gsi10.sortKey]) ? -1 : 1);
    // A level's first page, in deadline order, begins with its oldest overdue cases: no second Query for them.
    const escalatedOverdue = escalatedHeads.flatMap((o) => (o.Items ?? []).filter((i) => String(i[GSIS.gsi10.sortKey]) < now));
    const overdue = [...(dueHead.Items ?? []), ...escalatedOverdue].sort(bySortKey).slice(0, listSize);
    const escalated = escalatedHeads.flatMap((o) => o.Items ?? []).slice(0, listSize);
    // One BatchGetItem for both lists: a case overdue and escalated is fetched once.
    const summaries = new Map((await summariesOf(this.ddb, this.tableName, [...overdue, ...escalated])).map((c) => [c.caseNo, c]));
    const shown = (list: Item[]) => list.map((i) => summaries.get(caseNoOf(i))).filter((c): c is CaseSummary => c !== undefined);
    return { counters, overdueByDepartment, overdue: shown(overdue), escalated: shown(escalated) };
  }

  /** gsi10 entries of a partition, oldest deadline first: all, those below an instant, or from a day up to one. */
  private attentionQuery(partition: string, range: { below?: string; from?: string; upTo?: string } = {}) {
    const condition = range.from !== undefined ? ' AND #sk BETWEEN :from AND :upTo' : range.below !== undefined ? ' AND #sk < :below' : '';
    return {
      TableName: this.tableName,
      IndexName: GSIS.gsi10.indexName,
      KeyConditionExpression: `#pk = :pk${condition}`,
      ExpressionAttributeNames: { '#pk': GSIS.gsi10.partitionKey, ...(condition ? { '#sk': GSIS.gsi10.sortKey } : {}) },
      ExpressionAttributeValues: { ':pk': partition, ...(range.from !== undefined ? { ':from': range.from, ':upTo': range.upTo } : range.below !== undefined ? { ':below': range.below } : {}) },
    };
  }

  /**
   * Rebuilds the figures from the open cases, for a table whose cases were written before the figures existed
   * (a deploy that adds them, an old local data folder) or to repair drifted counters.
   * Steps:
   * 1. every open or resolved case, from those statuses' queues (gsi2, which projects what the figures depend on);
   * 2. each one without its gsi10 (attention) keys gets them, on condition that what they derive from is unchanged
   *    (a case written since has them from its own write);
   * 3. the counters and due days replaced by the figures of those cases (`replace`).
   * Run it while no case is written: a case write between steps 1 and 3 would be missing from the figures.
   */
  async rebuild(): Promise<{ openCases: number; keyed: number; days: number }> {
    // Resolved cases too: they count in their department's RESOLVED queue until they close.
    const pages = await Promise.all([...OPEN_STATUSES, 'RESOLVED' as const].map((s) => queryAll(this.ddb, summaryQuery(this.tableName, GSIS.gsi2, CaseEntity.statusPartition(s)))));
    const cases = pages.flat() as unknown as Array<FigureCase & IndexedCaseState & Item>;
    let keyed = 0;
    for (const c of cases) {
      const keys = CaseEntity.attentionKeys(c);
      if (!keys.gsi10pk) continue;
      try {
        await this.ddb.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: CaseEntity.key(c.caseNo),
            UpdateExpression: 'SET #pk = :pk, #sk = :sk',
            // Unchanged since read, and not keyed already (a rerun writes nothing).
            ConditionExpression: '#status = :status AND #level = :level AND (attribute_not_exists(#pk) OR #pk <> :pk OR #sk <> :sk)',
            ExpressionAttributeNames: { '#pk': GSIS.gsi10.partitionKey, '#sk': GSIS.gsi10.sortKey, '#status': 'status', '#level': 'escalationLevel' },
            ExpressionAttributeValues: { ':pk': keys.gsi10pk, ':sk': keys.gsi10sk, ':status': c.status, ':level': c.escalationLevel },
          }),
        );
        keyed++;
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
    }
    const { days } = await this.replace(cases);
    return { openCases: cases.length, keyed, days };
  }

  /**
   * Writes the figures of `cases` (every open case) over whatever the items held: the migration of a table whose
   * cases were written before the counters existed, and the repair of drifted ones. Run it while no case is
   * written (a write between the read of the cases and these puts would be lost from the figures).
   */
  async replace(cases: Iterable<FigureCase>): Promise<{ shards: number; days: number }> {
    const figures = figuresOf(cases);
    // Sums are what is read, so all of a rebuild's counts can sit in the first shard (its item and its departments'
    // items); later writes spread again. Every other item of the partition is emptied, departments' included.
    const written = new Map(groupByItem(0, figures.counters).map(([key, counts]) => [key.sk, { key, counts }]));
    for (let i = 0; i < OpenFiguresEntity.shards; i++) if (!written.has(OpenFiguresEntity.key(i).sk)) written.set(OpenFiguresEntity.key(i).sk, { key: OpenFiguresEntity.key(i), counts: {} });
    const stored = await queryAll(this.ddb, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ProjectionExpression: 'pk, sk', ExpressionAttributeValues: { ':pk': OpenFiguresEntity.partition } });
    for (const item of stored) if (!written.has(String(item.sk))) written.set(String(item.sk), { key: { pk: OpenFiguresEntity.partition, sk: String(item.sk) }, counts: {} });
    for (const { key, counts } of written.values()) await this.ddb.send(new PutCommand({ TableName: this.tableName, Item: { ...key, entity: 'STATS', ...counts } }));
    const existing = await queryAll(this.ddb, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ProjectionExpression: 'sk', ExpressionAttributeValues: { ':pk': OpenFiguresEntity.duePartition } });
    const days = new Set([...existing.map((i) => String(i.sk)), ...Object.keys(figures.due)]);
    for (const day of days) {
      const byDepartment = figures.due[day] ?? {};
      const total = Object.values(byDepartment).reduce((n, v) => n + v, 0);
      await this.ddb.send(new PutCommand({ TableName: this.tableName, Item: { ...OpenFiguresEntity.dueKey(day), entity: 'STATS', ...byDepartment, [OpenFiguresEntity.dueTotal]: total } }));
    }
    return { shards: OpenFiguresEntity.shards, days: days.size };
  }

  /** Deletes the due days before `today` that hold no open case any more, so the overdue read stays short. */
  async dropEmptyDays(today: string): Promise<number> {
    const empty = await queryAll(this.ddb, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk < :today',
      FilterExpression: '#total = :zero',
      ProjectionExpression: 'pk, sk',
      ExpressionAttributeNames: { '#total': OpenFiguresEntity.dueTotal },
      ExpressionAttributeValues: { ':pk': OpenFiguresEntity.duePartition, ':today': today, ':zero': 0 },
    });
    let dropped = 0;
    for (const item of empty) {
      try {
        await this.ddb.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: item.pk, sk: item.sk },
            ConditionExpression: '#total = :zero',
            ExpressionAttributeNames: { '#total': OpenFiguresEntity.dueTotal },
            ExpressionAttributeValues: { ':zero': 0 },
          }),
        );
        dropped++;
      } catch (e) {
        // A case came due that day again in between (a reopened case routed with a past deadline): the day stays.
        if (!isConditionFailure(e)) throw e;
      }
    }
    return dropped;
  }
}
