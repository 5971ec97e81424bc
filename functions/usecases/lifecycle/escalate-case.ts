/**
 * Workflow steps `EscalateAck`, `EscalateResolve`, `EscalateDispatch`: a wait timed out at its deadline.
 * Steps:
 * 1. read the case; if what the wait was for happened meanwhile (an action came while no token was stored),
 *    escalate nothing: return the same wait due at once, and the wait answers itself (await-action.ts);
 * 2. the next level (1 department supervisor, 2 RDEC, 3 mayor's office, then a reminder at 3 each period) and
 *    its deadline: one more SOP period on the working-day calendar, counted from the missed deadline (or from
 *    now when the workflow ran late, so a backlog does not fire a burst of reminders);
 * 3. tell who must act: the escalation topic (message attribute `level` for subscription filters) and, at
 *    level 1, the department's own topic (RDEC and the mayor's office follow the escalation topic);
 * 4. count the breach (`SlaBreaches` by department and level, `Escalations` by level);
 * 5. return the next wait; the Await step records it on the timeline (`escalated`) with its new token.
 * Writes nothing itself, so a retry at worst repeats the notice (SNS delivery is at-least-once anyway).
 */
import { now as clockNow } from '../../domain/clock';
import { escalationPeriod, escalationTarget, nextEscalationLevel, planWait, type WorkflowWait } from '../../domain/escalation';
import { dedupeId, escalationNotice } from '../../domain/messages';
import { NOTICE_ATTRIBUTE, NOTICES } from '../../domain/email-delivery';
import { ESCALATION_LEVEL_ATTRIBUTE } from '../../domain/notification-plan';
import { caseFacts, loadCase, sopOf, type LifecyclePorts, type LifecycleSettings } from './context';
import { awaitedOutcome } from './task-results';

export interface EscalateInput {
  caseNo: string;
  /** The wait that timed out. */
  wait: WorkflowWait;
}

export async function escalateCase(ports: LifecyclePorts, settings: LifecycleSettings, input: EscalateInput): Promise<WorkflowWait> {
  const { wait } = input;
  const c = await loadCase(ports.cases, input.caseNo);
  const now = clockNow();
  if (awaitedOutcome(c, wait.waitingFor, now).settled) return { ...wait, seconds: 1 };

  const next = nextEscalationLevel(wait.waitingFor, wait.level);
  const sop = await sopOf(ports.sops, c);
  const missed = new Date(wait.dueAt);
  const from = missed.getTime() > now.getTime() ? missed : now;
  const nextDueAt = settings.calendar.addDeadline(from, escalationPeriod(wait.waitingFor, sop, c.priority)).toISOString();
  const target = escalationTarget(next.level as 1 | 2 | 3, c.department, settings.config.departments);

  const notice = escalationNotice(
    caseFacts(c, sop, settings.config),
    { level: target.level, reminder: next.reminder, waitingFor: wait.waitingFor, mustAct: target.role, missedDueAt: wait.dueAt, nextDueAt },
    settings.consoleUrl,
  );
  const message = { default: notice.default, email: notice.email, sms: notice.sms, https: notice.https };
  // `notice`: the e-mail subscribers of a group in digest mode filter escalations out (domain/email-delivery.ts).
  const attributes = { [ESCALATION_LEVEL_ATTRIBUTE]: target.level, [NOTICE_ATTRIBUTE]: NOTICES.escalation, waitingFor: wait.waitingFor, dedupeId: dedupeId(c.caseNo, 'escalated', wait.waitingFor, target.level, wait.dueAt) };
  await ports.notifier.publish(settings.escalationTopicArn, message, notice.subject, attributes);
  const { level2, level3 } = settings.config.departments.escalationDepartments;
  const departmentTopic = settings.departmentTopicArn(target.notifyDepartment);
  if (departmentTopic && target.notifyDepartment !== level2 && target.notifyDepartment !== level3)
    await ports.notifier.publish(departmentTopic, message, notice.subject, attributes);
  const level = String(target.level);
  // A case still waiting for dispatch has no department yet: the breach is the dispatch desk's.
  ports.metrics?.count('slaBreaches', { department: c.department ?? target.notifyDepartment, level });
  ports.metrics?.count('escalations', { level });

  return planWait(wait.waitingFor, nextDueAt, now, 'escalated', {
    level: target.level,
    reminder: next.reminder,
    mustAct: target.role,
    notifyDepartment: target.notifyDepartment,
    missedDueAt: wait.dueAt,
  });
}
