/**
 * The reporter of a case merged into the resolved parent hears the outcome too: run by `TellCitizen` for each
 * duplicate (and by the step `TellDuplicate`, one Map iteration of executions started under the earlier definition).
 * Steps:
 * 1. read the duplicate and the parent; a case no longer merged into this parent is skipped;
 * 2. the duplicate records the parent's resolution (`resolvedAt`, `resolution`) when its reporter is told, so a
 *    duplicate already carrying this resolution was told before (a retry): skipped;
 * 3. send the message, then ONE conditional write on the duplicate: the parent's resolution and a
 *    `citizen-notified` event (channel and outcome, no address). It stays MERGED.
 */
import { WORKFLOW_ACTOR } from '../../domain/actor';
import { citizenMergedResolved } from '../../domain/messages';
import { changeCase, citizenFacts, loadCase, sopOf, type LifecyclePorts, type LifecycleSettings } from './context';
import { deliverToCitizen, deliveryText, type CitizenDelivery } from './notify-citizen';

export interface TellDuplicateInput {
  caseNo: string;
  parentCaseNo: string;
}

export type TellDuplicateOutput = { caseNo: string; told: true; delivery: CitizenDelivery } | { caseNo: string; told: false; reason: string };

export async function tellDuplicate(ports: LifecyclePorts, settings: LifecycleSettings, input: TellDuplicateInput): Promise<TellDuplicateOutput> {
  const [dup, parent] = await Promise.all([loadCase(ports.cases, input.caseNo), loadCase(ports.cases, input.parentCaseNo)]);
  if (dup.status !== 'MERGED' || dup.parentCaseNo !== parent.caseNo) return { caseNo: dup.caseNo, told: false, reason: 'not-merged-into-parent' };
  if (!parent.resolvedAt) return { caseNo: dup.caseNo, told: false, reason: 'parent-not-resolved' };
  if (dup.resolvedAt === parent.resolvedAt) return { caseNo: dup.caseNo, told: false, reason: 'already-told' };

  const sop = await sopOf(ports.sops, dup);
  const facts = { ...citizenFacts({ ...dup, resolution: parent.resolution, department: parent.department }, sop, settings.config), parentCaseNo: parent.caseNo };
  const delivery: CitizenDelivery =
    sop?.notifyCitizen === false ? { channel: 'none', delivered: false, reason: 'sop' } : await deliverToCitizen(ports.notifier, dup.reporter, citizenMergedResolved(facts), ports.metrics);
  await changeCase(ports.cases, dup.caseNo, (c) =>
    c.resolvedAt === parent.resolvedAt
      ? undefined
      : {
          set: { resolvedAt: parent.resolvedAt, ...(parent.resolution ? { resolution: parent.resolution } : {}) },
          event: {
            type: 'citizen-notified',
            by: WORKFLOW_ACTOR,
            text: `主案 ${parent.caseNo} 已處理完成；${deliveryText(delivery)} / Parent case ${parent.caseNo} resolved`,
            data: { ...delivery, parentCaseNo: parent.caseNo },
          },
        },
  );
  return { caseNo: dup.caseNo, told: true, delivery };
}
