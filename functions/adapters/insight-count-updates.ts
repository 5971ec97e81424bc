/**
 * The insight counters' conditional ADD (case-statistics.ts countOnce) as an UpdateItem input or a transaction's
 * Update action, apart so that the case repository can carry counts in a case change's transaction.
 */
import type { ChangeCount } from '../usecases/ports';
import { HourlyCountEntity, SlaStatisticsEntity, type ItemKey, type UpdateAction } from './table';

/** A count is always conditional: its marker not yet in the counted set. */
export type CountUpdate = UpdateAction & { ConditionExpression: string };

/** The conditional ADD of countOnce, as an UpdateItem input or a transaction's Update action. */
export function countOnceUpdate(tableName: string, key: ItemKey, counter: string, marker: string, attributes: Record<string, string>): CountUpdate {
  const names: Record<string, string> = { '#entity': 'entity', '#counter': counter, '#counted': 'counted' };
  const values: Record<string, unknown> = { ':entity': 'STATS', ':one': 1, ':markers': new Set([marker]), ':marker': marker };
  const sets = ['#entity = :entity'];
  for (const [name, value] of Object.entries(attributes)) {
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  return {
    TableName: tableName,
    Key: key,
    UpdateExpression: `SET ${sets.join(', ')} ADD #counter :one, #counted :markers`,
    ConditionExpression: 'attribute_not_exists(#counted) OR NOT contains(#counted, :marker)',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** An insight count that rides in a case change's transaction (CaseChange.counts): the same conditional ADD. */
export function changeCountUpdate(tableName: string, count: ChangeCount): CountUpdate {
  if ('intake' in count) {
    const e = count.intake;
    return countOnceUpdate(tableName, HourlyCountEntity.key(e.bucket, e.category, e.district), HourlyCountEntity.countAttribute, HourlyCountEntity.marker(e.caseNo), { bucket: e.bucket, category: e.category, district: e.district });
  }
  const e = count.departmentEvent;
  return countOnceUpdate(tableName, SlaStatisticsEntity.key(e.day, e.department), e.counter, SlaStatisticsEntity.eventMarker(e), { day: e.day, department: e.department });
}
