/**
 * What the dashboard reads (usecases/dashboard.ts): the open-case figures (open-figures-store.ts) and the daily
 * SLA statistics, maintained here.
 *
 * | item                  | pk                    | sk                  | attributes                               |
 * | --------------------- | --------------------- | ------------------- | ---------------------------------------- |
 * | SLA statistics of day | `STATS#SLA#<yyyy-mm>` | `<yyyy-mm-dd>#<dept>` | onTime, late, created, reopened, satisfied, unsatisfied, counted (string set) |
 * | hourly intake         | `STATS#HOUR#<yyyy-mm-dd>` | `<HH>#<category>#<district>` | bucket, category, district, cases, counted (string set) |
 * | daily tally           | `STATS#DAY#<yyyy-mm>` | `<yyyy-mm-dd>`      | day, total, byCategory, byDistrict (maps) |
 *
 * One partition per Taipei month keeps a month's figures one Query away (a week that starts in the previous
 * month costs a second one). A day item holds one department's resolutions of that day: a few hundred bytes, at
 * most a few KB with the markers.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseStatistics, DailyResolutions, OpenFigures, Resolution } from '../usecases/dashboard';
import { DynamoOpenFigures } from './open-figures-store';
import type { DailyTally, DailyTallyStore } from '../usecases/daily-tallies';
import { addDays, nextMonth } from '../domain/case-number';
import { DEPARTMENT_COUNTERS, type DepartmentDay, type DepartmentEvent, type HourlyCount, type IntakeCount } from '../usecases/insight-counters';
import { queryAll } from './case-queues';
import { DailyTallyEntity, HourlyCountEntity, isConditionFailure, SlaStatisticsEntity, type ItemKey } from './table';
import { changeCountUpdate, countOnceUpdate, type CountUpdate } from './insight-count-updates';

/** Partitions read at once: enough to hide latency, few enough not to burst one Lambda's sockets. */
const READ_CONCURRENCY = 8;

export class DynamoCaseStatistics implements CaseStatistics {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.figures = new DynamoOpenFigures(ddb, tableName);
  }

  private readonly figures: DynamoOpenFigures;

  /** The maintained open-case figures (open-figures-store.ts): counters and two bounded lists, never every case. */
  openFigures(now: string, listSize: number, levels: readonly number[]): Promise<OpenFigures> {
    return this.figures.read(now, listSize, levels);
  }

  dropEmptyDueDays(today: string): Promise<number> {
    return this.figures.dropEmptyDays(today);
  }

  async resolutions(fromDay: string, toDay: string): Promise<DailyResolutions[]> {
    const items = await this.days(fromDay, toDay, ['onTime', 'late']);
    return items.map((i) => ({ day: String(i.day), department: String(i.department), onTime: Number(i.onTime ?? 0), late: Number(i.late ?? 0) }));
  }

  async departmentDays(fromDay: string, toDay: string): Promise<DepartmentDay[]> {
    const counters = ['onTime', 'late', ...DEPARTMENT_COUNTERS] as const;
    const items = await this.days(fromDay, toDay, counters);
    return items.map((i) => ({
      day: String(i.day),
      department: String(i.department),
      ...(Object.fromEntries(counters.map((c) => [c, Number(i[c] ?? 0)])) as Record<(typeof counters)[number], number>),
    }));
  }

  /** The day items of every department, Taipei days `fromDay`..`toDay`: one Query per month, markers left out. */
  private async days(fromDay: string, toDay: string, counters: readonly string[]): Promise<Array<Record<string, unknown>>> {
    const months = monthsBetween(fromDay, toDay);
    const names = Object.fromEntries(['day', 'department', ...counters].map((n) => [`#${n}`, n]));
    const pages = await Promise.all(
      months.map((month) =>
        queryAll(this.ddb, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ProjectionExpression: Object.keys(names).join(', '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':pk': SlaStatisticsEntity.partition(month), ...SlaStatisticsEntity.dayRange(fromDay, toDay) },
        }),
      ),
    );
    return pages.flat();
  }

  /**
   * ONE UpdateItem: ADD 1 to `onTime` or `late` and the resolution's marker to the item's `counted` set, on the
   * condition that the set does not hold the marker yet. Counter and marker change together or not at all, so a
   * retried workflow task (or any second call) finds its marker and counts nothing; no separate marker item
   * could offer that without a transaction.
   */
  countResolution(r: Resolution): Promise<boolean> {
    return this.countOnce(SlaStatisticsEntity.key(r.day, r.department), r.onTime ? 'onTime' : 'late', SlaStatisticsEntity.marker(r), { day: r.day, department: r.department });
  }

  /** The same single conditional ADD, on the same day item, for the day's other events. */
  countDepartmentEvent(e: DepartmentEvent): Promise<boolean> {
    return this.counted(changeCountUpdate(this.tableName, { departmentEvent: e }));
  }

  countIntake(e: IntakeCount): Promise<boolean> {
    return this.counted(changeCountUpdate(this.tableName, { intake: e }));
  }

  async hourlyCounts(buckets: readonly string[]): Promise<HourlyCount[]> {
    const pages = await mapWithConcurrency([...new Set(buckets)], READ_CONCURRENCY, (bucket) =>
      queryAll(this.ddb, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :hour)',
        ProjectionExpression: '#bucket, #category, #district, #count',
        ExpressionAttributeNames: { '#bucket': 'bucket', '#category': 'category', '#district': 'district', '#count': HourlyCountEntity.countAttribute },
        ExpressionAttributeValues: { ':pk': HourlyCountEntity.partition(bucket.slice(0, 10)), ':hour': HourlyCountEntity.hourPrefix(bucket) },
      }),
    );
    return pages.flat().map((i) => ({ bucket: String(i.bucket), category: String(i.category), district: String(i.district), count: Number(i[HourlyCountEntity.countAttribute] ?? 0) }));
  }

  /** One Query per UTC day partition the hours span (a Taipei day spans two), bounded to those hours. */
  async hourlyCountsBetween(fromBucket: string, toBucket: string): Promise<HourlyCount[]> {
    const ranges: Array<{ day: string; from: string; to: string }> = [];
    for (let day = fromBucket.slice(0, 10); day <= toBucket.slice(0, 10); day = addDays(day, 1)) {
      ranges.push({ day, from: day === fromBucket.slice(0, 10) ? fromBucket.slice(11, 13) : '00', to: day === toBucket.slice(0, 10) ? toBucket.slice(11, 13) : '23' });
    }
    const pages = await Promise.all(
      ranges.map((r) =>
        queryAll(this.ddb, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ProjectionExpression: '#bucket, #category, #district, #count',
          ExpressionAttributeNames: { '#bucket': 'bucket', '#category': 'category', '#district': 'district', '#count': HourlyCountEntity.countAttribute },
          ExpressionAttributeValues: { ':pk': HourlyCountEntity.partition(r.day), ...HourlyCountEntity.hourRange(r.from, r.to) },
        }),
      ),
    );
    return pages.flat().map((i) => ({ bucket: String(i.bucket), category: String(i.category), district: String(i.district), count: Number(i[HourlyCountEntity.countAttribute] ?? 0) }));
  }

  private countOnce(key: ItemKey, counter: string, marker: string, attributes: Record<string, string>): Promise<boolean> {
    return countOnce(this.ddb, this.tableName, key, counter, marker, attributes);
  }

  private counted(update: CountUpdate): Promise<boolean> {
    return sendCountUpdate(this.ddb, update);
  }
}

/** The daily tallies (usecases/daily-tallies.ts): one Query per month, one Put per day. */
export class DynamoDailyTallies implements DailyTallyStore {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async tallies(fromDay: string, toDay: string): Promise<DailyTally[]> {
    if (fromDay > toDay) return [];
    const months = monthsBetween(fromDay, toDay);
    const pages = await Promise.all(
      months.map((month) =>
        queryAll(this.ddb, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': DailyTallyEntity.partition(month), ':from': fromDay, ':to': toDay },
        }),
      ),
    );
    return pages.flat().map((i) => ({
      day: String(i.day),
      total: Number(i.total ?? 0),
      byCategory: numbers(i.byCategory),
      byDistrict: numbers(i.byDistrict),
    }));
  }

  /** A plain Put: the tally is recomputed from the same counters, so writing it again writes the same figures. */
  async putTally(t: DailyTally): Promise<void> {
    await this.ddb.send(new PutCommand({ TableName: this.tableName, Item: { ...DailyTallyEntity.key(t.day), entity: 'STATS', ...t } }));
  }
}

function numbers(value: unknown): Record<string, number> {
  return typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Number(v)])) : {};
}

/** The months (yyyy-mm) the Taipei days `fromDay`..`toDay` fall in. */
function monthsBetween(fromDay: string, toDay: string): string[] {
  const months: string[] = [];
  for (let month = fromDay.slice(0, 7); month <= toDay.slice(0, 7); month = nextMonth(month)) months.push(month);
  return months;
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

/** ADD 1 to `counter` and `marker` to `counted` unless `counted` holds it: true when this call counted. */
export function countOnce(ddb: DynamoDBDocumentClient, tableName: string, key: ItemKey, counter: string, marker: string, attributes: Record<string, string>): Promise<boolean> {
  return sendCountUpdate(ddb, countOnceUpdate(tableName, key, counter, marker, attributes));
}

async function sendCountUpdate(ddb: DynamoDBDocumentClient, update: CountUpdate): Promise<boolean> {
  try {
    await ddb.send(new UpdateCommand(update));
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}
