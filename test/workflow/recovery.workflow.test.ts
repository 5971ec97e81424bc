/**
 * No silent workflow death: a Task that fails once is retried and the case goes on; a Task that fails for good
 * enters the one recovery path (WorkflowFailed) with the case intact — a `workflow-failed` event naming the step
 * and the error, the supervisors and operations told, the token of the decision stored — and a supervisor's
 * decision (retry the step, reassign, close) resumes or ends the execution. workflows/case-lifecycle.asl.json run
 * by aws-local-stepfunctions with the real steps and repository (support/harness.ts); faults are played into
 * named Task states.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Case } from '../../functions/domain/case';
import { IllegalTransitionError } from '../../functions/domain/errors';
import { acknowledgeCase } from '../../functions/usecases/lifecycle/acknowledge-case';
import { cancelCase } from '../../functions/usecases/lifecycle/cancel-case';
import { decideWorkflowFailure } from '../../functions/usecases/lifecycle/decide-workflow-failure';
import { recordSurvey } from '../../functions/usecases/lifecycle/record-survey';
import { resolveCase } from '../../functions/usecases/lifecycle/resolve-case';
import { planWait } from '../../functions/domain/escalation';
import { AGENT, SUPERVISOR, WorkflowHarness, staffOf, topicArn } from './support/harness';

const ZHONGLI = 'DIST-ZHONGLI';

let h: WorkflowHarness;
beforeEach(async () => {
  h = await WorkflowHarness.start();
});
afterEach(async () => {
  await h.close();
});

const act = {
  acknowledge: (c: Case) => () => acknowledgeCase(h.actionPorts, staffOf(ZHONGLI), c.caseNo),
  resolve: (c: Case) => () => resolveCase(h.actionPorts, staffOf(ZHONGLI), c.caseNo, { resolution: '已更換燈泡' }),
  survey: (c: Case) => () => recordSurvey(h.actionPorts, AGENT, c.caseNo, { answer: 'satisfied' }),
  decide: (c: Case, input: Parameters<typeof decideWorkflowFailure>[4]) => () => decideWorkflowFailure(h.actionPorts, h.config, SUPERVISOR, c.caseNo, input),
};

const sentTo = (topic: string) => h.outbox.published.filter((p) => p.topicArn === topicArn(topic));

describe('a Task that fails once', () => {
  it('is retried (a throttled EscalateCase) and the escalation and the rest of the lifecycle go on without the recovery path', async () => {
    const c = await h.newCase();

    const run = await h.run(
      c.caseNo,
      { AwaitAck: ['timeout', act.acknowledge(c)], AwaitResolve: [act.resolve(c)], AwaitSurvey: [act.survey(c)] },
      { faults: { EscalateAck: { times: 1, error: 'Lambda.TooManyRequestsException' } } },
    );

    expect(run.retries).toEqual([{ state: 'EscalateAck', attempt: 1 }]);
    expect(run.entered).not.toContain('WorkflowFailed');
    expect(run.entered.at(-1)).toBe('AwaitSurvey');
    expect((await h.timelineTypes(c.caseNo)).filter((t) => t === 'escalated')).toHaveLength(1);
  });

  it('is retried after a task timeout (TellCitizen) and the citizen is told once', async () => {
    const c = await h.newCase();

    const run = await h.run(
      c.caseNo,
      { AwaitAck: [act.acknowledge(c)], AwaitResolve: [act.resolve(c)], AwaitSurvey: [act.survey(c)] },
      { faults: { TellCitizen: { times: 1, error: 'States.Timeout' } } },
    );

    expect(run.retries).toEqual([{ state: 'TellCitizen', attempt: 1 }]);
    expect(run.entered.at(-1)).toBe('AwaitSurvey');
    // The receipt at routing, then the outcome once.
    expect(h.outbox.texts.map((t) => t.text.includes('已處理完成'))).toEqual([false, true]);
  });

  it('TellCitizen asking to be run again for a large cluster of duplicates (Resume.TellCitizen) is retried, not sent to the recovery path', async () => {
    const c = await h.newCase();

    const run = await h.run(
      c.caseNo,
      { AwaitAck: [act.acknowledge(c)], AwaitResolve: [act.resolve(c)], AwaitSurvey: [act.survey(c)] },
      { faults: { TellCitizen: { times: 2, error: 'Resume.TellCitizen' } } },
    );

    expect(run.retries).toEqual([
      { state: 'TellCitizen', attempt: 1 },
      { state: 'TellCitizen', attempt: 2 },
    ]);
    expect(run.entered).toEqual(['RouteCase', 'AwaitAck', 'AwaitResolve', 'TellCitizen', 'AwaitSurvey']);
    expect(h.outbox.texts.map((t) => t.text.includes('已處理完成'))).toEqual([false, true]);
  });
});

describe('a Task that fails for good', () => {
  it('lands in WorkflowFailed with the case intact, tells supervisors and operations, and a retry decision resumes the step', async () => {
    const c = await h.newCase();
    let seen: Case | undefined;

    const run = await h.run(
      c.caseNo,
      {
        AwaitAck: [act.acknowledge(c)],
        AwaitResolve: [act.resolve(c)],
        WorkflowFailed: [
          async (failure) => {
            expect(failure).toEqual({ step: 'TellCitizen', error: 'TypeError' });
            seen = await h.case(c.caseNo);
            await act.decide(c, { decision: 'retry', note: '簡訊服務已恢復' })();
          },
        ],
        AwaitSurvey: [act.survey(c)],
      },
      { faults: { TellCitizen: { times: 1, error: 'TypeError' } } },
    );

    // In the recovery path: the case as it was (RESOLVED, its resolution), waiting for a decision.
    expect(seen).toMatchObject({ status: 'RESOLVED', resolution: '已更換燈泡', department: ZHONGLI, waitingFor: 'decision' });
    expect(seen?.pendingTaskToken).toBeDefined();
    const failed = (await h.timeline(c.caseNo)).find((e) => e.type === 'workflow-failed');
    expect(failed).toMatchObject({ by: 'workflow', data: { step: 'TellCitizen', error: 'TypeError', status: 'RESOLVED' } });
    for (const topic of ['escalation', 'operations']) {
      const [notice] = sentTo(topic).filter((p) => p.subject?.includes('TellCitizen'));
      expect(notice, topic).toBeDefined();
      expect(notice.message.default).toContain(c.caseNo);
    }
    expect(sentTo('escalation').find((p) => p.subject?.includes('TellCitizen'))?.attributes).toMatchObject({ level: 2, waitingFor: 'decision', dedupeId: expect.stringMatching(new RegExp(`^${c.caseNo}:workflow-failed:TellCitizen:`)) as unknown });
    const everything = JSON.stringify(h.outbox.published);
    for (const secret of ['林美華', '0912345678', 'meihua@example.org']) expect(everything).not.toContain(secret);

    // The decision resumed the failed step: the citizen was told, then the case closed as on the happy path.
    expect(run.entered).toEqual([
      'RouteCase', 'AwaitAck', 'AwaitResolve', 'TellCitizen', 'CaughtTellCitizen', 'WorkflowFailed', 'RecoveryDecision',
      'TellCitizen', 'AwaitSurvey',
    ]);
    expect(h.outbox.texts.map((t) => t.text.includes('已處理完成'))).toEqual([false, true]);
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'CLOSED' });
    expect(await h.timelineTypes(c.caseNo)).toEqual([
      'created', 'citizen-notified', 'routed', 'notified', 'acknowledged', 'waiting', 'resolved', 'workflow-failed', 'workflow-decision', 'citizen-notified', 'follow-up', 'survey',
    ]);
  });

  it('transient errors past the retries end in the recovery path too; a reassignment routes the case afresh to the chosen department', async () => {
    const c = await h.newCase();

    const run = await h.run(
      c.caseNo,
      {
        AwaitAck: ['timeout', () => cancelCase(h.actionPorts, SUPERVISOR, c.caseNo, { reason: '測試結束' })],
        WorkflowFailed: [act.decide(c, { decision: 'reassign', department: 'PWD' })],
      },
      { faults: { EscalateAck: { times: 4, error: 'Lambda.ServiceException' } } },
    );

    expect(run.retries.map((r) => r.state)).toEqual(['EscalateAck', 'EscalateAck', 'EscalateAck']);
    expect(run.entered).toEqual([
      'RouteCase', 'AwaitAck', 'EscalateAck', 'CaughtEscalateAck', 'WorkflowFailed', 'RecoveryDecision', 'ReassignAfterFailure',
      'RouteCase', 'AwaitAck', 'Cancelled',
    ]);
    const routed = (await h.timeline(c.caseNo)).filter((e) => e.type === 'routed');
    expect(routed.map((e) => e.data?.department)).toEqual([ZHONGLI, 'PWD']);
    expect(routed[1].data?.reason).toBe('reassigned');
    expect(sentTo('dept-PWD')).toHaveLength(1);
  });

  it('a close decision cancels an unresolved case and ends the execution; the spent token is cleared', async () => {
    const c = await h.newCase();

    const run = await h.run(
      c.caseNo,
      { WorkflowFailed: [act.decide(c, { decision: 'close', reason: '重複陳情，另案處理' })] },
      { faults: { AwaitAck: { times: 1, error: 'Error' } } },
    );

    expect(run.entered.slice(-4)).toEqual(['CaughtAwaitAck', 'WorkflowFailed', 'RecoveryDecision', 'Cancelled']);
    const after = await h.case(c.caseNo);
    expect(after.status).toBe('CANCELLED');
    expect(h.tokens.isWaiting(after.pendingTaskToken ?? '')).toBe(false);
    expect(after).not.toHaveProperty('waitingFor');
    expect((await h.timeline(c.caseNo)).at(-1)).toMatchObject({ type: 'workflow-decision', by: SUPERVISOR.id, data: { decision: 'close', from: 'ASSIGNED', to: 'CANCELLED' } });
  });
});

describe('the supervisor decision', () => {
  it('is a 409 naming the current status while the workflow waits for something else', async () => {
    const c = await h.newCase();
    const run = h.run(c.caseNo, {
      AwaitAck: [
        async () => {
          await expect(act.decide(c, { decision: 'retry' })()).rejects.toMatchObject({ name: IllegalTransitionError.name, from: 'ASSIGNED' });
          await cancelCase(h.actionPorts, SUPERVISOR, c.caseNo, { reason: '測試結束' });
        },
      ],
    });
    expect((await run).entered.at(-1)).toBe('Cancelled');
  });
});

describe('a restarted execution (the stalled-workflow sweeper)', () => {
  it('resumes at the wait the case is in: an acknowledged case waits for its resolution again, and the lifecycle ends as usual', async () => {
    const c = await h.newCase();
    const routed = await h.cases.update(c.caseNo, c.version, {
      set: { status: 'ACKNOWLEDGED', department: ZHONGLI, sopVersion: 1, acknowledgeDueAt: '2026-11-27T03:00:00.000Z', resolveDueAt: '2026-12-02T01:00:00.000Z', acknowledgedAt: '2026-11-27T01:00:00.000Z' },
      event: { type: 'acknowledged', by: staffOf(ZHONGLI).id },
    });
    const input = { caseNo: c.caseNo, resume: 'AwaitResolve', wait: planWait('resolution', routed.resolveDueAt!, h.clock.now(), 'waiting') };

    const run = await h.run(c.caseNo, { AwaitResolve: [act.resolve(c)], AwaitSurvey: [act.survey(c)] }, { input });

    expect(run.entered).toEqual(['RouteCase', 'AwaitResolve', 'TellCitizen', 'AwaitSurvey']);
    expect((await h.timeline(c.caseNo)).filter((e) => e.type === 'routed')).toHaveLength(0);
    expect(h.outbox.texts).toHaveLength(1);
  });
});

