/**
 * Workflow step `RouteCase`: apply the SOP. Runs first for every case, and again after a category change
 * (Case.Rerouted), a supervisor's reassignment, or an unsatisfied survey (reopen).
 * Steps:
 * 0. a restarted execution (`resume`, the stalled-workflow sweeper) goes on at the step the case is at: a
 *    ResumeSignal, which the ASL's `Resume.<state>` catches take there with the input intact;
 * 1. read the case; a cancelled or merged case ends the workflow (CaseSignalError, caught by the ASL);
 * 2. why we route, from `$.signal`: first routing, reroute, reassigned, reopened;
 * 3. whether that routing is still to do: a NEW case, or a case still holding the token of the wait that ended
 *    (the invariant in task-results.ts). Otherwise this is a retry: the result is rebuilt from the case. The
 *    case read in step 1 is the one decided on; only a lost race reads it again;
 * 4. decideRouting on the SOP (the version recorded at intake; the current one after a category change; a
 *    version is read once per container): department (the SOP's, or the supervisor's choice on reassignment, or
 *    the same department on reopen), priority, acknowledge and resolve deadlines from now on the working-day
 *    calendar. A first routing that cannot be decided (a case nobody could place) sends the receipt SMS on its
 *    own before the error ends the step (send-receipt.ts);
 * 5. ONE conditional write: ASSIGNED (a reopened case stays REOPENED), deadlines, SOP version, escalation level
 *    0, the consumed token removed, event `routed`; on the first routing also the receipt SMS's `receiptAt` and
 *    event (before `routed`) with the number's daily cap, and the insight counts (insight-counters.ts): the
 *    intake hour and `created` for the first department. The receipt is sent once the write went through (a
 *    full cap: written again without it, recorded as capped; a failed send: its event revised to the failure);
 * 6. the insight counts the write did not carry, each on its own and once: the intake hour on every other run
 *    (a cancelled case counts too; so does a run that throws), `created` on a retry of the first routing,
 *    `reopened` when routed back;
 * 7. publish the department's notice to its topic (a failure is returned as `route.notifyError`, not thrown) and
 *    return the state machine's state: the routing and the acknowledgement wait (AwaitAck).
 * DynamoDB calls of a first routing: the read and the write (a third only when the SMS cap is full, or a send
 * failed); a SOP version not read before in the container is one more.
 */
import type { Case } from '../../domain/case';
import { assertTransition } from '../../domain/case';
import { now as clockNow } from '../../domain/clock';
import { ConfigError, LimitReachedError, ValidationError } from '../../domain/errors';
import { planWait, type WorkflowWait } from '../../domain/escalation';
import { NOTICE_ATTRIBUTE, NOTICES } from '../../domain/email-delivery';
import { dedupeId, departmentNotice, type DispatchReason, type TopicMessage } from '../../domain/messages';
import { logger } from '../../shared/logger';
import { decideRouting } from '../../domain/sop';
import { WORKFLOW_ACTOR } from '../../domain/actor';
import type { VersionedSop } from '../../config/schema';
import { countIntake, countReopened, countRouted, intakeOf, routedOf } from '../insight-counters';
import { caseFacts, changeCase, loadCase, sopOf, type LifecyclePorts, type LifecycleSettings } from './context';
import type { CaseChange, ResumePoint } from '../ports';
import { receiptCapped, receiptChange, receiptWithRouting, sendReceipt, sendRecordedReceipt, type ReceiptWithRouting } from './send-receipt';
import { CASE_SIGNALS, CaseSignalError, endedWaitHeld, isCaughtError, ResumeSignal, type CaughtError, type Signal } from './task-results';

export interface RouteInput {
  caseNo: string;
  /** Why the previous wait ended; absent on the first run. */
  signal?: Signal;
  /** A restarted execution (the stalled-workflow sweeper): the step to go on at, routing nothing. */
  resume?: ResumePoint;
}

export interface RouteOutput {
  caseNo: string;
  route: {
    department: string;
    /** Why the department's notice could not be published (after the SDK's retries); AwaitAck records it. */
    notifyError: CaughtError | null;
    /** The notice's `dedupeId` message attribute: one per routing of the case. */
    dedupeId: string;
  };
  wait: WorkflowWait;
}

export function routeReason(signal: Signal | undefined): DispatchReason {
  if (!signal) return 'assigned';
  if (isCaughtError(signal)) {
    if (signal.Error === CASE_SIGNALS.reopened) return 'reopened';
    return signal.Error === CASE_SIGNALS.rerouted ? 'rerouted' : signal.Error === CASE_SIGNALS.reassigned ? 'reassigned' : 'assigned';
  }
  if (signal.outcome === 'reassigned') return 'reassigned';
  // An execution started before unsatisfied answers became Case.Reopened still sends this.
  if (signal.outcome === 'surveyed' && signal.answer === 'unsatisfied') return 'reopened';
  return 'assigned';
}

export async function routeCase(ports: LifecyclePorts, settings: LifecycleSettings, input: RouteInput): Promise<RouteOutput> {
  if (input.resume) throw new ResumeSignal(input.resume);
  const reason = routeReason(input.signal);
  const first = await loadCase(ports.cases, input.caseNo);
  // Every call counts the intake, the cancelled ones too; a retry counts nothing twice. A first routing counts it
  // in its own write; every other run on its own, once it knows it wrote none (or before it throws).
  let counted = false;
  let routed: Case;
  let sop: VersionedSop;
  let receipt: ReceiptWithRouting | undefined;
  try {
    endIfTerminal(first);
    // A new case runs under the version its answers were checked against at intake (read once per container); a
    // changed category under that category's current version.
    const found = reason === 'rerouted' ? await ports.sops.current(first.category) : await sopOf(ports.sops, first);
    if (!found) throw new ValidationError(`No SOP for category ${first.category}`, [{ path: 'category', message: 'has no SOP' }]);
    sop = found;
    let capped: Error | undefined;
    let written: CaseChange | undefined;
    let undecidable = false;
    const decide = (c: Case): CaseChange | undefined => {
      endIfTerminal(c);
      if (!stillToRoute(c, reason)) return undefined;
      let change: CaseChange;
      try {
        change = routingChange(settings, sop, c, reason);
      } catch (e) {
        undecidable = true;
        throw e;
      }
      if (reason !== 'assigned') return (written = change);
      // The first routing: the case is NEW; its receipt and its first counts go in the same write.
      receipt = receiptWithRouting(ports.notifier, settings, c, sop);
      const intake = intakeOf(c);
      const created = routedOf({ caseNo: c.caseNo, createdAt: c.createdAt, department: change.set!.department });
      const counts = [...(intake ? [{ intake }] : []), ...(created ? [{ departmentEvent: created }] : [])];
      if (!receipt) return (written = { ...change, counts });
      const r = receiptChange(receipt, capped);
      return (written = { ...change, set: { ...change.set, receiptAt: r.receiptAt }, precededBy: [r.event], counts, ...(r.take ? { take: r.take } : {}) });
    };
    let result: { case: Case; written: boolean };
    try {
      result = await changeCase(ports.cases, input.caseNo, decide, first);
    } catch (e) {
      // A routing that cannot be decided (a case nobody could place) writes nothing: the receipt goes out on its
      // own before the error ends the step.
      if (undecidable) {
        if (reason === 'assigned') await sendReceipt(ports, settings, first, sop);
        throw e;
      }
      if (!(e instanceof LimitReachedError) || !receipt?.cap) throw e;
      // The number's SMS cap is full: route, recording the receipt as stopped by it (nothing is sent).
      capped = receiptCapped(receipt, ports.metrics);
      result = await changeCase(ports.cases, input.caseNo, decide, first);
    }
    routed = result.case;
    counted = result.written && written?.counts !== undefined;
    if (result.written && written?.precededBy && !capped) {
      // The receipt event is the write's first, one version before the routing's.
      await sendRecordedReceipt(ports, routed, receipt!.message, { at: routed.updatedAt, version: routed.version - 1 });
    }
  } catch (e) {
    if (!counted) await countIntake(ports.statistics, first);
    throw e;
  }
  if (!counted) {
    await countIntake(ports.statistics, first);
    if (reason === 'assigned') await countRouted(ports.statistics, routed);
  }
  if (reason === 'reopened') await countReopened(ports.statistics, routed);

  const department = routed.department!;
  const topicArn = settings.departmentTopicArn(department);
  if (!topicArn) throw new ConfigError('config/departments.json', [{ path: department, message: 'no topic for this department' }]);
  const notice = departmentNotice(caseFacts(routed, sop, settings.config), reason, settings.consoleUrl);
  const id = dedupeId(routed.caseNo, 'dispatched', department, routed.acknowledgeDueAt ?? '');
  const notifyError = await notifyDepartment(ports, topicArn, notice, id);
  return {
    caseNo: routed.caseNo,
    route: { department, notifyError, dedupeId: id },
    wait: planWait('acknowledgement', routed.acknowledgeDueAt!, clockNow(), 'notified'),
  };
}

/**
 * Step 4's write: ASSIGNED (a reopened case stays REOPENED), deadlines, SOP version, escalation level 0, the
 * consumed token removed, event `routed`.
 */
function routingChange(settings: LifecycleSettings, sop: VersionedSop, c: Case, reason: DispatchReason): CaseChange {
  const at = clockNow();
  // A reassignment or a reopening keeps the department a person chose (a case the desk placed has no district).
  const chosen = reason === 'reassigned' || reason === 'reopened' ? c.department : undefined;
  const decision = decideRouting(sop, { district: c.location.district, priorityOverride: c.priorityOverride, ...(chosen ? { department: chosen } : {}) }, at, settings.calendar);
  const department = decision.department;
  const status = reason === 'reopened' ? c.status : 'ASSIGNED';
  if (status !== c.status) assertTransition(c.caseNo, c.status, status);
  return {
    set: {
      status,
      department,
      priority: decision.priority,
      sopVersion: decision.sopVersion,
      acknowledgeDueAt: decision.acknowledgeDueAt,
      resolveDueAt: decision.resolveDueAt,
      escalationLevel: 0,
    },
    // Routed to another department: the old department's assignee is not the new one's.
    remove: ['pendingTaskToken', 'waitingFor', 'rerouteTo', ...(department !== c.department ? (['assignee', 'assignedAt'] as const) : [])],
    event: {
      type: 'routed',
      by: WORKFLOW_ACTOR,
      text: `${ROUTED_TEXT[reason]}：${departmentName(settings, department).zh} / ${ROUTED_TEXT_EN[reason]}: ${departmentName(settings, department).en}`,
      data: {
        reason,
        department,
        priority: decision.priority,
        sopVersion: decision.sopVersion,
        acknowledgeDueAt: decision.acknowledgeDueAt,
        resolveDueAt: decision.resolveDueAt,
      },
    },
  };
}

/**
 * Step 6's notice, published here rather than by a state of its own (a state transition per routing). A retried
 * RouteCase publishes again with the same `dedupeId`, as a retried publish state did. A notice that still fails
 * after the SDK's retries does not fail the routing: the case waits in the department's queue, and AwaitAck
 * records the failure on the timeline.
 */
async function notifyDepartment(ports: Pick<LifecyclePorts, 'notifier'>, topicArn: string, notice: TopicMessage, id: string): Promise<CaughtError | null> {
  try {
    // `notice`: the e-mail subscribers of a group in digest mode filter on it (domain/email-delivery.ts).
    const attributes = { dedupeId: id, [NOTICE_ATTRIBUTE]: NOTICES.dispatch };
    await ports.notifier.publish(topicArn, { default: notice.default, email: notice.email, sms: notice.sms, https: notice.https }, notice.subject, attributes);
    return null;
  } catch (e) {
    const error = e instanceof Error ? e.name : 'Error';
    logger.warn('Department notice not published', { error });
    return { Error: error.startsWith('SNS.') ? error : `SNS.${error}`, Cause: e instanceof Error ? e.message.slice(0, 256) : String(e).slice(0, 256) };
  }
}

/** First routing happens to a NEW case; every later one consumes the token of the wait that ended. */
function stillToRoute(c: Case, reason: DispatchReason): boolean {
  switch (reason) {
    case 'assigned':
      return c.status === 'NEW';
    case 'rerouted':
      return c.waitingFor !== undefined;
    case 'reassigned':
      // A returned case's reassignment ends AwaitReassign; an open case's (Case.Reassigned) leaves `rerouteTo`.
      return endedWaitHeld(c, 'reassignment') || (c.rerouteTo !== undefined && c.waitingFor !== undefined);
    case 'reopened':
      return endedWaitHeld(c, 'survey') && c.status === 'REOPENED';
  }
}

function endIfTerminal(c: Case): void {
  if (c.status === 'CANCELLED') throw new CaseSignalError(CASE_SIGNALS.cancelled, `Case ${c.caseNo} is cancelled`);
  if (c.status === 'MERGED') throw new CaseSignalError(CASE_SIGNALS.merged, `Case ${c.caseNo} is merged into ${c.parentCaseNo ?? 'another case'}`);
}

function departmentName(settings: LifecycleSettings, code: string): { zh: string; en: string } {
  return settings.config.departments.departments.find((d) => d.code === code)?.name ?? { zh: code, en: code };
}

const ROUTED_TEXT: Record<DispatchReason, string> = {
  assigned: '依 SOP 派案',
  rerouted: '類別變更，依 SOP 改派',
  reassigned: '改派',
  reopened: '民眾不滿意，重新派案',
};
const ROUTED_TEXT_EN: Record<DispatchReason, string> = {
  assigned: 'Routed by the SOP to',
  rerouted: 'Category changed; re-routed by the SOP to',
  reassigned: 'Reassigned to',
  reopened: 'Reopened; back to',
};
