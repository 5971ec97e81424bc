/**
 * Workflow step `TellCitizen`: the case is resolved; tell the reporter and plan the follow-up.
 * Steps:
 * 1. read the case; while it still holds the token of the resolution wait (see task-results.ts) the reporter
 *    has not been told yet: send the message (unless the SOP says citizens are not notified), then ONE
 *    conditional write removing the token with a `citizen-notified` event (channel and outcome, no address).
 *    Without the token this is a retry: nothing is sent twice;
 * 2. count the resolution in the department's SLA statistics (on time or late; a retry counts nothing twice);
 * 3. the reporters of the cases merged into this one hear the outcome (tellDuplicate, at most
 *    DUPLICATE_CONCURRENCY at a time; each skips a duplicate already told, so a retry tells nobody twice). At
 *    most DUPLICATES_PER_RUN a run, so a large cluster never nears the function's timeout: with more left it
 *    throws `Resume.TellCitizen`, which the state retries (this step again, the citizen already told). The first
 *    duplicate that fails stops the others from starting and fails the step with its own error;
 * 4. plan the follow-up on the working-day calendar: the satisfaction call is due the SOP's follow-up delay
 *    after resolution, and the survey stays open for the SOP's survey window after that;
 * 5. return { survey, followUpAt, wait, duplicates }. `survey` is AwaitSurvey's wait, which starts now: due from
 *    followUpAt, timing out at the survey deadline (its `seconds` count the follow-up delay too). The rest is
 *    read by executions started under earlier definitions: a `FollowUp` Wait state until `followUpAt`, then
 *    AwaitSurvey with `wait` (counted from when that Wait ends, so the deadline is the same); a `TellDuplicates`
 *    Map over `duplicates`, where every duplicate is then skipped as told.
 */
import type { Case } from '../../domain/case';
import { WORKFLOW_ACTOR } from '../../domain/actor';
import { now as clockNow } from '../../domain/clock';
import { planWait, type WorkflowWait } from '../../domain/escalation';
import { citizenResolved } from '../../domain/messages';
import { changeCase, citizenFacts, loadCase, sopOf, type LifecyclePorts, type LifecycleSettings } from './context';
import { recordResolution } from '../dashboard';
import { deliverToCitizen, deliveryText, type CitizenDelivery } from './notify-citizen';
import { endedWaitHeld, ResumeSignal } from './task-results';
import { tellDuplicate } from './tell-duplicate';

/** As many at once as the Map that told them before (MaxConcurrency 5). */
export const DUPLICATE_CONCURRENCY = 5;
/** About ten rounds of a read, a message and a write each: a few seconds of the function's 30. */
export const DUPLICATES_PER_RUN = 50;

export interface TellCitizenOutput {
  survey: WorkflowWait;
  followUpAt: string;
  wait: WorkflowWait;
  duplicates: string[];
}

const notToldYet = (c: Case): boolean => c.status === 'RESOLVED' && endedWaitHeld(c, 'resolution');

export async function tellCitizen(
  ports: LifecyclePorts,
  settings: LifecycleSettings,
  input: { caseNo: string },
  duplicatesPerRun = DUPLICATES_PER_RUN,
): Promise<TellCitizenOutput> {
  let c = await loadCase(ports.cases, input.caseNo);
  const sop = await sopOf(ports.sops, c);
  if (notToldYet(c)) {
    const delivery: CitizenDelivery =
      sop?.notifyCitizen === false
        ? { channel: 'none', delivered: false, reason: 'sop' }
        : await deliverToCitizen(ports.notifier, c.reporter, citizenResolved(citizenFacts(c, sop, settings.config)), ports.metrics);
    ({ case: c } = await changeCase(
      ports.cases,
      input.caseNo,
      (current) =>
        notToldYet(current)
          ? {
              remove: ['pendingTaskToken', 'waitingFor'],
              event: { type: 'citizen-notified', by: WORKFLOW_ACTOR, text: deliveryText(delivery), data: { ...delivery } },
            }
          : undefined,
      c,
    ));
  }

  await recordResolution(ports, c);
  await tellDuplicates(ports, settings, c, duplicatesPerRun);

  const resolvedAt = new Date(c.resolvedAt ?? clockNow());
  const followUpAfter = sop?.followUpAfter ?? { amount: 3, unit: 'workingDays' as const };
  const surveyWindow = sop?.surveyWindow ?? { amount: 3, unit: 'workingDays' as const };
  const followUpAt = settings.calendar.addDeadline(resolvedAt, followUpAfter);
  const surveyDueAt = settings.calendar.addDeadline(followUpAt, surveyWindow);
  const now = clockNow();
  // Under the earlier definition the survey wait starts when its FollowUp Wait ends: at followUpAt, or at once
  // when that is already past.
  const waitStarts = followUpAt.getTime() > now.getTime() ? followUpAt : now;
  return {
    survey: planWait('survey', surveyDueAt, now, 'follow-up', { from: followUpAt.toISOString() }),
    followUpAt: followUpAt.toISOString(),
    wait: planWait('survey', surveyDueAt, waitStarts, 'follow-up'),
    duplicates: c.duplicates ?? [],
  };
}

/** Tells at most `perRun` of the parent's duplicates; throws `Resume.TellCitizen` when more are left. */
async function tellDuplicates(ports: LifecyclePorts, settings: LifecycleSettings, parent: Case, perRun: number): Promise<void> {
  const pending = [...(parent.duplicates ?? [])];
  // Told or being told: one skipped as told already gives its place back, so a run after a retry makes progress.
  let taken = 0;
  let failure: Error | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && taken < perRun && pending.length) {
      const caseNo = pending.shift()!;
      taken++;
      try {
        const outcome = await tellDuplicate(ports, settings, { caseNo, parentCaseNo: parent.caseNo });
        if (!outcome.told) taken--;
      } catch (e) {
        failure ??= e instanceof Error ? e : new Error(String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: DUPLICATE_CONCURRENCY }, worker));
  if (failure !== undefined) throw failure;
  if (pending.length) throw new ResumeSignal('TellCitizen');
}
