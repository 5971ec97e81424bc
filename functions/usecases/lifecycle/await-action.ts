/**
 * Workflow steps `AwaitAck`, `AwaitResolve`, `AwaitSurvey`, `AwaitReassign` (a `.waitForTaskToken` Lambda):
 * store the task token on the case so the action that ends the wait can answer it.
 * Steps:
 * 1. read the case; the same token already stored means this is a retry: nothing to do;
 * 2. if what the wait is for already happened (an action came between two workflow steps, when no token was
 *    stored, so it could not answer), answer our own task now with the outcome it would have sent;
 * 3. otherwise ONE conditional write: `pendingTaskToken`, `waitingFor`, the escalation level in force, and the
 *    timeline event the wait starts with — `notified` (the department was notified, or the notice failed),
 *    `escalated` (who must act now, until when), `waiting` (resolution or reassignment due by), `follow-up`
 *    (in the agents' callback queue, or from when: a wait with a future `from`, the survey's follow-up delay,
 *    also records it as `callback.dueFrom`, before which nothing shows the case as due). A concurrent change
 *    re-reads and decides again.
 * The Task then waits until an action sends the result, or times out at `wait.dueAt`. The survey wait of an
 * execution started under the definition with a `FollowUp` Wait state comes without `from`, at followUpAt.
 */
import type { Case, CaseEventType } from '../../domain/case';
import { WORKFLOW_ACTOR } from '../../domain/actor';
import { now as clockNow } from '../../domain/clock';
import { ConflictError } from '../../domain/errors';
import type { WorkflowWait } from '../../domain/escalation';
import { formatTaipei } from '../../domain/messages';
import type { CaseChange } from '../ports';
import { changeCase, type LifecyclePorts, type LifecycleSettings } from './context';
import { awaitedOutcome, type CaughtError } from './task-results';

export interface AwaitInput {
  caseNo: string;
  token: string;
  wait: WorkflowWait;
  /** RouteCase's error when the department's notice could not be published (AwaitAck only). */
  notifyError?: CaughtError | null;
}

export type AwaitResult = 'recorded' | 'already-recorded' | 'answered';

export async function awaitAction(ports: LifecyclePorts, settings: LifecycleSettings, input: AwaitInput): Promise<AwaitResult> {
  let answered: (() => Promise<void>) | undefined;
  let retry = false;
  await changeCase(ports.cases, input.caseNo, (c) => {
    answered = undefined;
    retry = c.pendingTaskToken === input.token;
    if (retry) return undefined;
    const now = clockNow();
    const outcome = awaitedOutcome(c, input.wait.waitingFor, now);
    if (outcome.settled) {
      answered =
        outcome.kind === 'success'
          ? () => ports.workflow.sendSuccess(input.token, { ...outcome.output })
          : () => ports.workflow.sendFailure(input.token, outcome.error, outcome.cause);
      return undefined;
    }
    return tokenChange(c, input, settings, now);
  });
  if (retry) return 'already-recorded';
  if (answered) {
    try {
      await answered();
    } catch (e) {
      // Our own task was answered already (a retried invocation): nothing is waiting for this answer any more.
      if (!(e instanceof ConflictError)) throw e;
    }
    return 'answered';
  }
  return 'recorded';
}

function tokenChange(c: Case, input: AwaitInput, settings: LifecycleSettings, now: Date): CaseChange {
  const { wait } = input;
  const dueFrom = wait.from !== undefined && Date.parse(wait.from) > now.getTime() ? wait.from : undefined;
  const event = startEvent(c, input, settings, dueFrom);
  return {
    set: {
      pendingTaskToken: input.token,
      waitingFor: wait.waitingFor,
      escalationLevel: wait.level,
      waitDueAt: wait.dueAt,
      // Calls already made (a restarted execution waits again) stay counted.
      ...(dueFrom ? { callback: { ...c.callback, attempts: c.callback?.attempts ?? 0, dueFrom } } : {}),
    },
    event: { type: event.type, by: WORKFLOW_ACTOR, text: event.text, data: event.data },
  };
}

interface StartEvent {
  type: CaseEventType;
  text: string;
  data: Record<string, string | number | boolean | null>;
}

function startEvent(c: Case, { wait, notifyError }: AwaitInput, settings: LifecycleSettings, dueFrom: string | undefined): StartEvent {
  const due = formatTaipei(wait.dueAt, 'long');
  const dept = c.department ? settings.config.departments.departments.find((d) => d.code === c.department)?.name : undefined;
  const deptName = dept ?? { zh: c.department ?? '', en: c.department ?? '' };
  const base = { waitingFor: wait.waitingFor, dueAt: wait.dueAt, level: wait.level };
  switch (wait.event) {
    case 'escalated': {
      const who = wait.mustAct ?? { zh: '', en: '' };
      const label = wait.reminder ? { zh: `再次提醒（第${wait.level}級）`, en: `Reminder at level ${wait.level}` } : { zh: `逾期升級第${wait.level}級`, en: `Escalated to level ${wait.level}` };
      return {
        type: 'escalated',
        text: `${label.zh}：請${who.zh}處理，下次通報 ${due} / ${label.en}: ${who.en} must act; next notice ${due}`,
        data: {
          ...base,
          reminder: wait.reminder ?? false,
          mustAct: who.en,
          notifyDepartment: wait.notifyDepartment ?? null,
          missedDueAt: wait.missedDueAt ?? null,
        },
      };
    }
    case 'notified':
      if (notifyError)
        return {
          type: 'notified',
          text: `通知${deptName.zh}失敗（${notifyError.Error}），案件仍在其待辦清單；請於 ${due} 前簽收 / Notifying ${deptName.en} failed (${notifyError.Error}); the case is in its queue; acknowledge by ${due}`,
          data: { ...base, department: c.department ?? null, delivered: false, error: notifyError.Error },
        };
      return {
        type: 'notified',
        text: `已通知${deptName.zh}，請於 ${due} 前簽收 / ${deptName.en} notified; acknowledge by ${due}`,
        data: { ...base, department: c.department ?? null, delivered: true },
      };
    case 'follow-up': {
      if (!dueFrom)
        return {
          type: 'follow-up',
          text: `待回訪：請於 ${due} 前致電民眾了解滿意度 / In the callback queue: ask the citizen by ${due}`,
          data: base,
        };
      const from = formatTaipei(dueFrom, 'long');
      return {
        type: 'follow-up',
        text: `${from} 起待回訪：請於 ${due} 前致電民眾了解滿意度 / In the callback queue from ${from}: ask the citizen by ${due}`,
        data: { ...base, from: dueFrom },
      };
    }
    case 'waiting':
      return wait.waitingFor === 'reassignment'
        ? {
            type: 'waiting',
            text: `待 1999 改派，期限 ${due} / In the dispatch queue; reassign by ${due}`,
            data: base,
          }
        : {
            type: 'waiting',
            text: `待${deptName.zh}完成處理，期限 ${due} / Waiting for ${deptName.en} to resolve by ${due}`,
            data: { ...base, department: c.department ?? null },
          };
  }
}
