/**
 * A production stage must not deploy topics nobody hears: a department notice or an escalation published to a
 * topic without a subscriber is lost without a trace. Synth of a production stage stops, naming every department,
 * escalation level and the operations topic that would have no subscriber, unless `config/departments.json`
 * lists the stage in `subscriptionsManagedOutsideCdk`.
 */
import { CONFIG_FILES } from '../functions/config/load';
import type { DepartmentsFile, OperationsFile } from '../functions/config/schema';
import { subscriptionsInStage } from '../functions/domain/notification-plan';

/** Who would hear nothing in `stage`, one line each; empty when everyone has a subscriber. */
export function topicsWithoutSubscribers(departments: DepartmentsFile, operations: OperationsFile, stage: string): string[] {
  const missing: string[] = [];
  const heard = (code: string) => subscriptionsInStage(departments.departments.find((d) => d.code === code)?.subscriptions ?? [], stage).length > 0;
  for (const d of departments.departments)
    if (d.receivesCases && !heard(d.code)) missing.push(`department ${d.code} (${d.name.en}): its case notices and level-1 escalations`);
  const { level2, level3 } = departments.escalationDepartments;
  if (!heard(level2)) missing.push(`escalation level 2 (department ${level2}): every escalation`);
  if (!heard(level3)) missing.push(`escalation level 3 (department ${level3}): level-3 escalations`);
  if (subscriptionsInStage(operations.subscriptions, stage).length === 0) missing.push(`the operations topic (${CONFIG_FILES.operations}): every alarm`);
  return missing;
}

export class MissingSubscribersError extends Error {
  constructor(stage: string, readonly missing: readonly string[]) {
    super(
      [
        `Stage ${stage} is a production stage, and these topics would have no subscriber in it:`,
        ...missing.map((m) => `  - ${m}`),
        `Give each a subscription whose "stages" include "${stage}" (or has no "stages") in ${CONFIG_FILES.departments} / ${CONFIG_FILES.operations},`,
        `or, when subscriptions are made outside CDK, add "${stage}" to "subscriptionsManagedOutsideCdk" in ${CONFIG_FILES.departments}.`,
      ].join('\n'),
    );
    this.name = 'MissingSubscribersError';
  }
}

export function checkProductionSubscriptions(departments: DepartmentsFile, operations: OperationsFile, stage: string): void {
  if (departments.subscriptionsManagedOutsideCdk?.includes(stage)) return;
  const missing = topicsWithoutSubscribers(departments, operations, stage);
  if (missing.length) throw new MissingSubscribersError(stage, missing);
}
