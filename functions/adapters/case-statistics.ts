/**
 * What the dashboard reads (usecases/dashboard.ts): the open cases, from the indexes, and the daily SLA
 * statistics, maintained here.
 *
 * | item                  | pk                    | sk                  | attributes                               |
 * | --------------------- | --------------------- | ------------------- | ---------------------------------------- |
 * | SLA statistics of day | `STATS#SLA#<yyyy-mm>` | `<yyyy-mm-dd>#<dept>` | onTime, late, counted (string set)     |
 *
 * One partition per Taipei month keeps a month's figures one Query away (a week that starts in the previous
 * month costs a second one). A day item holds one department's resolutions of that day: a few hundred bytes, at
 * most a few KB with the markers.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseStatistics, DailyResolutions, Resolution } from '../usecases/dashboard';
import { DEPARTMENT_OPEN_STATUSES } from '../usecases/dashboard';
import type { CaseSummary } from '../usecases/ports';
import { queryAll, summaryQuery } from './case-queues';
import { CaseEntity, GSIS, isConditionFailure, SlaStatisticsEntity } from './table';

/** Partitions read at once: enough to hide latency, few enough not to burst one Lambda's sockets. */
const READ_CONCURRENCY = 8;

export class DynamoCaseStatistics implements CaseStatistics {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Departments' open queues (gsi1) and the NEW status queue (gsi2), every page; a case read twice while it moved counts once. */
  async openCases(departments: readonly string[]): Promise<CaseSummary[]> {
    const partitions = [
      ...departments.flatMap((d) => DEPARTMENT_OPEN_STATUSES.map((s) => summaryQuery(this.tableName, GSIS.gsi1, CaseEntity.departmentQueue(d, s)))),
      summaryQuery(this.tableName, GSIS.gsi2, CaseEntity.statusPartition('NEW')),
    ];
    const pages = await mapWithConcurrency(partitions, READ_CONCURRENCY, (input) => queryAll(this.ddb, input));
    const byCaseNo = new Map<string, CaseSummary>();
    for (const item of pages.flat()) byCaseNo.set(String(item.caseNo), CaseEntity.toSummary(item));
    return [...byCaseNo.values()];
  }

  async resolutions(fromDay: string, toDay: string): Promise<DailyResolutions[]> {
    const months: string[] = [];
    for (let month = fromDay.slice(0, 7); month <= toDay.slice(0, 7); month = nextMonth(month)) months.push(month);
    const pages = await Promise.all(
      months.map((month) =>
        queryAll(this.ddb, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ProjectionExpression: '#day, #department, onTime, late',
          ExpressionAttributeNames: { '#day': 'day', '#department': 'department' },
          ExpressionAttributeValues: { ':pk': SlaStatisticsEntity.partition(month), ...SlaStatisticsEntity.dayRange(fromDay, toDay) },
        }),
      ),
    );
    return pages.flat().map((i) => ({ day: String(i.day), department: String(i.department), onTime: Number(i.onTime ?? 0), late: Number(i.late ?? 0) }));
  }

  /**
   * ONE UpdateItem: ADD 1 to `onTime` or `late` and the resolution's marker to the item's `counted` set, on the
   * condition that the set does not hold the marker yet. Counter and marker change together or not at all, so a
   * retried workflow task (or any second call) finds its marker and counts nothing; no separate marker item
   * could offer that without a transaction.
   */
  async countResolution(r: Resolution): Promise<boolean> {
    const marker = SlaStatisticsEntity.marker(r);
    try {
      await this.ddb.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: SlaStatisticsEntity.key(r.day, r.department),
          UpdateExpression: 'SET #entity = :entity, #day = :day, #department = :department ADD #counter :one, #counted :markers',
          ConditionExpression: 'attribute_not_exists(#counted) OR NOT contains(#counted, :marker)',
          ExpressionAttributeNames: { '#entity': 'entity', '#day': 'day', '#department': 'department', '#counter': r.onTime ? 'onTime' : 'late', '#counted': 'counted' },
          ExpressionAttributeValues: { ':entity': 'STATS', ':day': r.day, ':department': r.department, ':one': 1, ':markers': new Set([marker]), ':marker': marker },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
