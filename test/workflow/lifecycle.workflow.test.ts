/**
 * The case lifecycle state machine, path by path: workflows/case-lifecycle.asl.json run by aws-local-stepfunctions
 * with the real workflow steps, the real case actions and the real repository on dynalite (support/harness.ts).
 * Each test asserts the case record, the timeline and the messages sent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Case } from '../../functions/domain/case';
import { acknowledgeCase } from '../../functions/usecases/lifecycle/acknowledge-case';
import { cancelCase } from '../../functions/usecases/lifecycle/cancel-case';
import { mergeCase } from '../../functions/usecases/lifecycle/merge-case';
import { reassignCase } from '../../functions/usecases/lifecycle/reassign-case';
import { recordSurvey } from '../../functions/usecases/lifecycle/record-survey';
import { resolveCase } from '../../functions/usecases/lifecycle/resolve-case';
import { returnCase } from '../../functions/usecases/lifecycle/return-case';
import { updateCase } from '../../functions/usecases/update-case';
import { AGENT, SUPERVISOR, WorkflowHarness, functionArn, staffOf, substitutedAsl, topicArn } from './support/harness';
import { STEP_RUNNERS } from '../../functions/workflow/steps';

const ZHONGLI = 'DIST-ZHONGLI';
// RouteCase publishes the department notice itself, the survey wait carries its follow-up delay and a satisfied
// survey ends the execution at AwaitSurvey: no publish state, no Wait state, no Choice and Succeed at the end.
const HAPPY_PATH = ['RouteCase', 'AwaitAck', 'AwaitResolve', 'TellCitizen', 'AwaitSurvey'];

let h: WorkflowHarness;
beforeEach(async () => {
  h = await WorkflowHarness.start();
});
afterEach(async () => {
  await h.close();
});

/** The case actions as the scripted answers to a wait. */
const act = {
  acknowledge: (c: Case, department = ZHONGLI) => () => acknowledgeCase(h.actionPorts, staffOf(department), c.caseNo),
  resolve: (c: Case, resolution = '已更換燈泡，路燈恢復正常', department = ZHONGLI) => () =>
    resolveCase(h.actionPorts, staffOf(department), c.caseNo, { resolution }),
  survey: (c: Case, answer: 'satisfied' | 'unsatisfied') => () => recordSurvey(h.actionPorts, AGENT, c.caseNo, { answer }),
};

function sentTo(topic: string) {
  return h.outbox.published.filter((p) => p.topicArn === topicArn(topic));
}

function noPersonalData(): void {
  const everything = JSON.stringify(h.outbox.published);
  for (const secret of ['林美華', '0912345678', 'meihua@example.org', '陳志強', '0922333444']) expect(everything).not.toContain(secret);
}

describe('happy path', () => {
  it('routes, notifies, waits for acknowledgement and resolution, tells the citizen by SMS and closes on a satisfied survey in 5 state transitions', async () => {
    const c = await h.newCase();

    const run = await h.run(c.caseNo, {
      AwaitAck: [act.acknowledge(c)],
      AwaitResolve: [act.resolve(c)],
      AwaitSurvey: [act.survey(c, 'satisfied')],
    });

    expect(run.entered).toEqual(HAPPY_PATH);
    expect(run.transitions).toBe(5);
    expect(await h.case(c.caseNo)).toMatchObject({
      status: 'CLOSED',
      department: ZHONGLI,
      priority: 'normal',
      sopVersion: 1,
      acknowledgeDueAt: '2026-11-27T03:00:00.000Z', // Friday 11:00 Taipei: 2 working hours
      resolveDueAt: '2026-12-02T01:00:00.000Z', // Wednesday 09:00: 3 working days
      acknowledgedAt: '2026-11-27T01:00:00.000Z',
      resolvedAt: '2026-11-27T01:00:00.000Z',
      resolution: '已更換燈泡，路燈恢復正常',
      closedAt: '2026-12-02T01:00:00.000Z', // the follow-up call, 3 working days after resolution
      survey: { answer: 'satisfied', at: '2026-12-02T01:00:00.000Z' },
      escalationLevel: 0,
    });
    expect(h.tokens.isWaiting((await h.case(c.caseNo)).pendingTaskToken ?? '')).toBe(false);
    expect(await h.case(c.caseNo)).not.toHaveProperty('waitingFor');
    expect(await h.timelineTypes(c.caseNo)).toEqual([
      'created',
      'citizen-notified',
      'routed',
      'notified',
      'acknowledged',
      'waiting',
      'resolved',
      'citizen-notified',
      'follow-up',
      'survey',
    ]);
    expect(run.waits.map((w) => [w.state, w.wait.dueAt])).toEqual([
      ['AwaitAck', '2026-11-27T03:00:00.000Z'],
      ['AwaitResolve', '2026-12-02T01:00:00.000Z'],
      ['AwaitSurvey', '2026-12-07T01:00:00.000Z'], // survey window: 3 more working days
    ]);

    expect(h.outbox.published).toHaveLength(1);
    const [notice] = h.outbox.published;
    expect(notice).toMatchObject({ topicArn: topicArn(`dept-${ZHONGLI}`), via: 'lambda', subject: `[1999 新派案] ${c.caseNo} 路燈故障 / New case` });
    expect(notice.message.sms).toBe(`1999新派案 ${c.caseNo} 路燈故障 中壢區 11/27 11:00前簽收`);
    expect(notice.message.email).toBe(
      [
        `【1999 新派案】案件 ${c.caseNo}`,
        '類別：路燈故障',
        '地點：中壢區 中正路 100 號前',
        '承辦單位：中壢區公所',
        '優先等級：一般',
        '請於 2026-11-27 11:00 前簽收，2026-12-02 09:00 前完成處理。',
        `處理頁面：https://console.citydesk.example.org/#/cases/${c.caseNo}`,
        '',
        `[1999 New case] Case ${c.caseNo}`,
        'Category: Street light out',
        'Location: Zhongli District, 中正路 100 號前',
        'Department: Zhongli District Office',
        'Priority: normal',
        'Acknowledge by 2026-11-27 11:00, resolve by 2026-12-02 09:00 (Taipei time).',
        `Console: https://console.citydesk.example.org/#/cases/${c.caseNo}`,
      ].join('\n'),
    );
    expect(JSON.parse(notice.message.https!)).toMatchObject({ type: 'case.dispatched', reason: 'assigned', caseNo: c.caseNo, department: ZHONGLI, status: 'ASSIGNED' });
    expect(h.outbox.texts).toEqual([
      { phone: '+886912345678', text: `桃園市1999：已受理您反映的案件${c.caseNo}（路燈故障），處理完成後將再通知您。` },
      { phone: '+886912345678', text: `桃園市1999：您反映的案件${c.caseNo}（路燈故障）已處理完成，謝謝您。` },
    ]);
    expect(h.outbox.mails).toEqual([]);
    noPersonalData();
  });

  it("counts the resolution once in the department's SLA statistics, on time, even when TellCitizen is retried", async () => {
    const c = await h.newCase();

    await h.run(c.caseNo, {
      AwaitAck: [act.acknowledge(c)],
      AwaitResolve: [act.resolve(c)],
      AwaitSurvey: [act.survey(c, 'satisfied')],
    });
    await STEP_RUNNERS.TellCitizen(h.deps, { caseNo: c.caseNo });

    expect(await h.statistics.resolutions('2026-11-01', '2026-11-30')).toEqual([{ day: '2026-11-27', department: ZHONGLI, onTime: 1, late: 0 }]);
  });
});

describe('escalation', () => {
  it('an unacknowledged case escalates to the department supervisor, then to RDEC, each told who must act and recorded', async () => {
    const c = await h.newCase();

    const run = await h.run(c.caseNo, {
      AwaitAck: ['timeout', 'timeout', act.acknowledge(c)],
      AwaitResolve: [act.resolve(c)],
      AwaitSurvey: [act.survey(c, 'satisfied')],
    });

    expect(run.entered.slice(0, 6)).toEqual(['RouteCase', 'AwaitAck', 'EscalateAck', 'AwaitAck', 'EscalateAck', 'AwaitAck']);
    expect(run.transitions).toBe(9); // two more per escalation
    const escalations = (await h.timeline(c.caseNo)).filter((e) => e.type === 'escalated');
    expect(escalations.map((e) => ({ at: e.at, data: e.data }))).toEqual([
      {
        at: '2026-11-27T03:00:00.000Z',
        data: { waitingFor: 'acknowledgement', level: 1, dueAt: '2026-11-27T06:30:00.000Z', missedDueAt: '2026-11-27T03:00:00.000Z', mustAct: 'Section chief, Zhongli District Office', notifyDepartment: ZHONGLI, reminder: false },
      },
      {
        at: '2026-11-27T06:30:00.000Z',
        data: { waitingFor: 'acknowledgement', level: 2, dueAt: '2026-11-27T08:30:00.000Z', missedDueAt: '2026-11-27T06:30:00.000Z', mustAct: '1999 hotline supervisor, RDEC', notifyDepartment: 'RDEC', reminder: false },
      },
    ]);
    expect(escalations[0].text).toBe('逾期升級第1級：請中壢區公所承辦課課長處理，下次通報 2026-11-27 14:30 / Escalated to level 1: Section chief, Zhongli District Office must act; next notice 2026-11-27 14:30');

    // Level 1: the escalation topic and the department's own topic; level 2: the escalation topic (RDEC follows it).
    const level1 = sentTo('escalation')[0];
    // dedupeId: case, event, wait, level and the missed deadline — the same on a retry, new for the next notice.
    expect(level1.attributes).toEqual({ level: 1, waitingFor: 'acknowledgement', notice: 'escalation', dedupeId: `${c.caseNo}:escalated:acknowledgement:1:2026-11-27T03:00:00.000Z` });
    expect(level1.subject).toBe(`[1999 逾期 第1級] ${c.caseNo} 逾期未簽收 / Escalation level 1: not acknowledged`);
    expect(level1.message.sms).toBe(`1999逾期L1 ${c.caseNo} 逾期未簽收 請中壢區公所承辦課課長處理`);
    expect(level1.message.email).toContain('應處理：中壢區公所承辦課課長\n原因：逾期未簽收（期限 2026-11-27 11:00）');
    expect(level1.message.email).toContain('Must act: Section chief, Zhongli District Office\nReason: not acknowledged by 2026-11-27 11:00 (Taipei time)');
    expect(sentTo(`dept-${ZHONGLI}`).map((p) => p.subject)).toEqual([
      `[1999 新派案] ${c.caseNo} 路燈故障 / New case`,
      `[1999 逾期 第1級] ${c.caseNo} 逾期未簽收 / Escalation level 1: not acknowledged`,
    ]);
    const level2 = sentTo('escalation')[1];
    expect(level2.attributes).toEqual({ level: 2, waitingFor: 'acknowledgement', notice: 'escalation', dedupeId: `${c.caseNo}:escalated:acknowledgement:2:2026-11-27T06:30:00.000Z` });
    expect(level2.message.sms).toBe(`1999逾期L2 ${c.caseNo} 逾期未簽收 請研考會 1999 督導處理`);
    expect(sentTo('escalation')).toHaveLength(2);
    expect(sentTo('dept-RDEC')).toEqual([]);

    // Acknowledged late, the case starts its resolution wait with a clean ladder.
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'CLOSED', escalationLevel: 0, acknowledgedAt: '2026-11-27T06:30:00.000Z' });
    expect(await h.timelineTypes(c.caseNo)).toEqual([
      'created',
      'citizen-notified',
      'routed',
      'notified',
      'escalated',
      'escalated',
      'acknowledged',
      'waiting',
      'resolved',
      'citizen-notified',
      'follow-up',
      'survey',
    ]);
    noPersonalData();
  });

  it("keeps reminding the mayor's office at level 3 each period", async () => {
    const c = await h.newCase();

    const run = await h.run(c.caseNo, {
      AwaitAck: ['timeout', 'timeout', 'timeout', 'timeout', async () => cancelCase(h.actionPorts, SUPERVISOR, c.caseNo, { reason: '重複通報' })],
    });

    expect(run.transitions).toBe(11);
    const escalations = (await h.timeline(c.caseNo)).filter((e) => e.type === 'escalated');
    expect(escalations.map((e) => [e.data?.level, e.data?.reminder, e.data?.notifyDepartment])).toEqual([
      [1, false, ZHONGLI],
      [2, false, 'RDEC'],
      [3, false, 'MAYOR'],
      [3, true, 'MAYOR'],
    ]);
    expect(sentTo('escalation').map((p) => p.message.sms)).toEqual([
      `1999逾期L1 ${c.caseNo} 逾期未簽收 請中壢區公所承辦課課長處理`,
      `1999逾期L2 ${c.caseNo} 逾期未簽收 請研考會 1999 督導處理`,
      `1999逾期L3 ${c.caseNo} 逾期未簽收 請市長室處理`,
      `1999逾期再提醒L3 ${c.caseNo} 逾期未簽收 請市長室處理`,
    ]);
    expect(sentTo('escalation').map((p) => p.attributes?.level)).toEqual([1, 2, 3, 3]);
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'CANCELLED', escalationLevel: 3 });
  });

  it('an unresolved case escalates on its own ladder from the resolve deadline', async () => {
    const c = await h.newCase();

    const run = await h.run(c.caseNo, {
      AwaitAck: [act.acknowledge(c)],
      AwaitResolve: ['timeout', act.resolve(c)],
      AwaitSurvey: [act.survey(c, 'satisfied')],
    });

    expect(run.entered).toContain('EscalateResolve');
    expect(run.transitions).toBe(7);
    const [escalated] = (await h.timeline(c.caseNo)).filter((e) => e.type === 'escalated');
    expect(escalated).toMatchObject({
      at: '2026-12-02T01:00:00.000Z',
      data: { waitingFor: 'resolution', level: 1, missedDueAt: '2026-12-02T01:00:00.000Z', dueAt: '2026-12-07T01:00:00.000Z', mustAct: 'Section chief, Zhongli District Office' },
    });
    expect(sentTo('escalation').map((p) => p.message.sms)).toEqual([`1999逾期L1 ${c.caseNo} 逾期未完成 請中壢區公所承辦課課長處理`]);
    expect(sentTo('escalation')[0].message.email).toContain('原因：逾期未完成（期限 2026-12-02 09:00）');
    expect(await h.timelineTypes(c.caseNo)).toEqual([
      'created',
      'citizen-notified',
      'routed',
      'notified',
      'acknowledged',
      'waiting',
      'escalated',
      'resolved',
      'citizen-notified',
      'follow-up',
      'survey',
    ]);
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'CLOSED', resolvedAt: '2026-12-02T01:00:00.000Z' });
  });
});

describe('routing again', () => {
  it('a supervisor takes an acknowledged, overdue case from its department: the workflow routes it to the chosen one with fresh deadlines', async () => {
    const c = await h.newCase();

    const run = await h.run(c.caseNo, {
      AwaitAck: [act.acknowledge(c), act.acknowledge(c, 'PWD')],
      AwaitResolve: [
        async () => {
          h.clock.set('2026-12-03T01:00:00.000Z'); // past the resolve deadline, Thursday 09:00 Taipei
          await reassignCase(h.actionPorts, h.config, SUPERVISOR, c.caseNo, { department: 'PWD', reason: '逾期未處理，改由工務局處理' });
        },
        act.resolve(c, '已修復', 'PWD'),
      ],
      AwaitSurvey: [act.survey(c, 'satisfied')],
    });

    expect(run.entered.slice(0, 6)).toEqual(['RouteCase', 'AwaitAck', 'AwaitResolve', 'RouteCase', 'AwaitAck', 'AwaitResolve']);
    expect(h.tokens.answers.find((a) => a.kind === 'failure')).toMatchObject({ error: 'Case.Reassigned', cause: '逾期未處理，改由工務局處理' });
    const routed = (await h.timeline(c.caseNo)).filter((e) => e.type === 'routed');
    expect(routed.map((e) => e.data?.reason)).toEqual(['assigned', 'reassigned']);
    expect(routed[1].data).toMatchObject({ department: 'PWD', acknowledgeDueAt: '2026-12-03T03:00:00.000Z' });
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'CLOSED', department: 'PWD', escalationLevel: 0 });
    expect(await h.case(c.caseNo)).not.toHaveProperty('rerouteTo');
    expect(sentTo('dept-PWD').map((p) => p.subject)).toEqual([`[1999 改派] ${c.caseNo} 路燈故障 / Reassigned`]);
    // The citizen got the receipt once, at logging, and the outcome once.
    expect(h.outbox.texts).toHaveLength(2);
  });

  it('a returned case waits in the dispatch queue until a supervisor reassigns it; the new department gets it with fresh deadlines', async () => {
    const c = await h.newCase();

    const run = await h.run(c.caseNo, {
      AwaitAck: [
        async () => {
          h.clock.set('2026-11-27T02:00:00.000Z');
          await returnCase(h.actionPorts, staffOf(ZHONGLI), c.caseNo, { reason: '此為省道路燈，非本所權責' });
        },
        act.acknowledge(c, 'PWD'),
      ],
      AwaitReassign: [
        async () => {
          h.clock.set('2026-11-27T05:30:00.000Z'); // 13:30 Taipei
          await reassignCase(h.actionPorts, h.config, SUPERVISOR, c.caseNo, { department: 'PWD' });
        },
      ],
      AwaitResolve: [act.resolve(c, '已修復', 'PWD')],
      AwaitSurvey: [act.survey(c, 'satisfied')],
    });

    expect(run.entered.slice(0, 6)).toEqual(['RouteCase', 'AwaitAck', 'DispatchCase', 'AwaitReassign', 'RouteCase', 'AwaitAck']);
    expect(run.transitions).toBe(9);
    expect(run.waits[1]).toEqual({ state: 'AwaitReassign', wait: { waitingFor: 'reassignment', level: 0, dueAt: '2026-11-30T02:00:00.000Z', seconds: 259200, event: 'waiting' } });
    expect(await h.timelineTypes(c.caseNo)).toEqual([
      'created',
      'citizen-notified',
      'routed',
      'notified',
      'returned',
      'waiting',
      'reassigned',
      'routed',
      'notified',
      'acknowledged',
      'waiting',
      'resolved',
      'citizen-notified',
      'follow-up',
      'survey',
    ]);
    const routed = (await h.timeline(c.caseNo)).filter((e) => e.type === 'routed');
    expect(routed[1].data).toMatchObject({ reason: 'reassigned', department: 'PWD', acknowledgeDueAt: '2026-11-27T07:30:00.000Z' });
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'CLOSED', department: 'PWD', acknowledgeDueAt: '2026-11-27T07:30:00.000Z', resolveDueAt: '2026-12-02T05:30:00.000Z' });
    expect(sentTo('dept-PWD').map((p) => p.subject)).toEqual([`[1999 改派] ${c.caseNo} 路燈故障 / Reassigned`]);
    expect(sentTo('dept-PWD')[0].message.sms).toBe(`1999改派 ${c.caseNo} 路燈故障 中壢區 11/27 15:30前簽收`);
    expect(sentTo(`dept-${ZHONGLI}`)).toHaveLength(1);
  });

  it('a category change while the department has not acknowledged re-routes the case by the new SOP', async () => {
    const c = await h.newCase();

    const run = await h.run(c.caseNo, {
      AwaitAck: [
        async () => {
          const current = await h.case(c.caseNo);
          await updateCase({ cases: h.cases, sops: h.deps.ports.sops, workflow: h.tokens }, AGENT, c.caseNo, current.version, { category: 'litter' });
        },
        act.acknowledge(c, 'EPD'),
      ],
      AwaitResolve: [act.resolve(c, '已清除', 'EPD')],
      AwaitSurvey: [act.survey(c, 'satisfied')],
    });

    expect(run.entered.slice(0, 4)).toEqual(['RouteCase', 'AwaitAck', 'RouteCase', 'AwaitAck']);
    expect(run.transitions).toBe(7);
    expect(h.tokens.answers[0]).toMatchObject({ kind: 'failure', error: 'Case.Rerouted' });
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'CLOSED', category: 'litter', department: 'EPD' });
    expect(await h.timelineTypes(c.caseNo)).toEqual([
      'created',
      'citizen-notified',
      'routed',
      'notified',
      'updated',
      'routed',
      'notified',
      'acknowledged',
      'waiting',
      'resolved',
      'citizen-notified',
      'follow-up',
      'survey',
    ]);
    expect(sentTo('dept-EPD').map((p) => p.message.sms)).toEqual([`1999改派（類別變更） ${c.caseNo} 環境髒亂、垃圾 中壢區 11/27 11:00前簽收`]);
    // The receipt went out once, under the category the case was logged with; re-routing sends no second one.
    expect(h.outbox.texts.map((t) => t.text)).toEqual([
      `桃園市1999：已受理您反映的案件${c.caseNo}（路燈故障），處理完成後將再通知您。`,
      `桃園市1999：您反映的案件${c.caseNo}（環境髒亂、垃圾）已處理完成，謝謝您。`,
    ]);
  });
});

describe('follow-up', () => {
  it('an unsatisfied citizen reopens the case: back to the department with fresh deadlines, resolved again and told again', async () => {
    const c = await h.newCase();

    const run = await h.run(c.caseNo, {
      AwaitAck: [act.acknowledge(c), act.acknowledge(c)],
      AwaitResolve: [act.resolve(c, '已更換燈泡'), act.resolve(c, '已更換整組燈具')],
      AwaitSurvey: [act.survey(c, 'unsatisfied'), act.survey(c, 'satisfied')],
    });

    // Unsatisfied: AwaitSurvey's Case.Reopened catch goes straight back to RouteCase.
    expect(run.entered.slice(4, 7)).toEqual(['AwaitSurvey', 'RouteCase', 'AwaitAck']);
    expect(run.entered.at(-1)).toBe('AwaitSurvey');
    expect(run.transitions).toBe(10);
    const reopened = (await h.timeline(c.caseNo)).filter((e) => e.type === 'routed')[1];
    // The follow-up call came on Wednesday 2 December 09:00: fresh deadlines from then.
    expect(reopened).toMatchObject({ at: '2026-12-02T01:00:00.000Z', data: { reason: 'reopened', department: ZHONGLI, acknowledgeDueAt: '2026-12-02T03:00:00.000Z', resolveDueAt: '2026-12-07T01:00:00.000Z' } });
    expect(await h.timelineTypes(c.caseNo)).toEqual([
      'created',
      'citizen-notified',
      'routed',
      'notified',
      'acknowledged',
      'waiting',
      'resolved',
      'citizen-notified',
      'follow-up',
      'survey',
      'routed',
      'notified',
      'acknowledged',
      'waiting',
      'resolved',
      'citizen-notified',
      'follow-up',
      'survey',
    ]);
    expect(sentTo(`dept-${ZHONGLI}`).map((p) => p.subject)).toEqual([
      `[1999 新派案] ${c.caseNo} 路燈故障 / New case`,
      `[1999 民眾不滿意重新處理] ${c.caseNo} 路燈故障 / Reopened: the citizen is not satisfied`,
    ]);
    // The receipt once, then each resolution: reopening sends no second receipt.
    expect(h.outbox.texts.map((t) => t.text.slice(0, 12))).toEqual(['桃園市1999：已受理您', '桃園市1999：您反映的', '桃園市1999：您反映的']);
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'CLOSED', resolution: '已更換整組燈具', survey: { answer: 'satisfied' } });
  });

  it('no survey answer by the survey deadline closes the case as unanswered', async () => {
    const c = await h.newCase();

    const run = await h.run(c.caseNo, {
      AwaitAck: [act.acknowledge(c)],
      AwaitResolve: [act.resolve(c)],
      AwaitSurvey: ['timeout'],
    });

    expect(run.entered.slice(-2)).toEqual(['AwaitSurvey', 'CloseUnanswered']);
    expect(run.transitions).toBe(6);
    const closed = await h.case(c.caseNo);
    expect(closed).toMatchObject({ status: 'CLOSED', closedAt: '2026-12-07T01:00:00.000Z', survey: { answer: 'unanswered', at: '2026-12-07T01:00:00.000Z' } });
    expect(closed.pendingTaskToken).toBeUndefined();
    expect(closed.waitingFor).toBeUndefined();
    const last = (await h.timeline(c.caseNo)).at(-1);
    expect(last).toMatchObject({ type: 'closed', by: 'workflow', data: { answer: 'unanswered' } });
  });
});

describe('ending early', () => {
  it('cancelling a case while the department has not acknowledged ends the workflow cleanly', async () => {
    const c = await h.newCase();

    const run = await h.run(c.caseNo, { AwaitAck: [async () => cancelCase(h.actionPorts, AGENT, c.caseNo, { reason: '民眾來電撤案' })] });

    expect(run.entered).toEqual(['RouteCase', 'AwaitAck', 'Cancelled']);
    expect(h.tokens.answers).toEqual([{ token: 'token-1', kind: 'failure', error: 'Case.Cancelled', cause: '民眾來電撤案' }]);
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'CANCELLED' });
    expect(h.tokens.isWaiting((await h.case(c.caseNo)).pendingTaskToken ?? '')).toBe(false);
    expect(await h.case(c.caseNo)).not.toHaveProperty('waitingFor');
    expect(await h.timelineTypes(c.caseNo)).toEqual(['created', 'citizen-notified', 'routed', 'notified', 'cancelled']);
    expect(h.outbox.texts.map((t) => t.text)).toEqual([`桃園市1999：已受理您反映的案件${c.caseNo}（路燈故障），處理完成後將再通知您。`]);
  });

  it('a merged duplicate ends; when the parent is resolved, the duplicate reporter is told too', async () => {
    const parent = await h.newCase();
    const dup = await h.newCase({ reporter: { name: '陳志強', phone: '0922333444', anonymous: false, notify: 'sms' } });

    const dupRun = await h.run(dup.caseNo, { AwaitAck: [async () => mergeCase(h.actionPorts, AGENT, dup.caseNo, { parentCaseNo: parent.caseNo })] });
    const parentRun = await h.run(parent.caseNo, {
      AwaitAck: [act.acknowledge(parent)],
      AwaitResolve: [act.resolve(parent)],
      AwaitSurvey: [act.survey(parent, 'satisfied')],
    });

    expect(dupRun.entered).toEqual(['RouteCase', 'AwaitAck', 'Merged']);
    // TellCitizen tells the duplicate's reporter itself: no state of its own, the parent's path is the happy one.
    expect(parentRun.entered).toEqual(HAPPY_PATH);
    expect(await h.case(parent.caseNo)).toMatchObject({ status: 'CLOSED', duplicates: [dup.caseNo] });
    expect(await h.case(dup.caseNo)).toMatchObject({ status: 'MERGED', parentCaseNo: parent.caseNo, resolvedAt: '2026-11-27T01:00:00.000Z', resolution: '已更換燈泡，路燈恢復正常' });
    expect(h.tokens.isWaiting((await h.case(dup.caseNo)).pendingTaskToken ?? '')).toBe(false);
    expect(await h.case(dup.caseNo)).not.toHaveProperty('waitingFor');
    expect(h.tokens.isWaiting((await h.case(parent.caseNo)).pendingTaskToken ?? '')).toBe(false);
    expect(await h.timelineTypes(dup.caseNo)).toEqual(['created', 'citizen-notified', 'routed', 'notified', 'merged', 'citizen-notified']);
    expect((await h.timeline(dup.caseNo)).at(-1)).toMatchObject({ by: 'workflow', data: { channel: 'sms', delivered: true, parentCaseNo: parent.caseNo } });
    expect(await h.timelineTypes(parent.caseNo)).toContain('merged');
    expect(h.outbox.texts).toEqual([
      { phone: '+886922333444', text: `桃園市1999：已受理您反映的案件${dup.caseNo}（路燈故障），處理完成後將再通知您。` },
      { phone: '+886912345678', text: `桃園市1999：已受理您反映的案件${parent.caseNo}（路燈故障），處理完成後將再通知您。` },
      { phone: '+886912345678', text: `桃園市1999：您反映的案件${parent.caseNo}（路燈故障）已處理完成，謝謝您。` },
      { phone: '+886922333444', text: `桃園市1999：您反映的案件${dup.caseNo}已併入${parent.caseNo}處理完成，謝謝您。` },
    ]);
    noPersonalData();
  });
});

/** Today's definition with the FollowUp Wait state that came before the survey wait carried its follow-up delay. */
function withFollowUpWait(d: { States: Record<string, Record<string, unknown>> }): void {
  d.States.TellCitizen.Next = 'FollowUp';
  d.States.FollowUp = { Type: 'Wait', TimestampPath: '$.told.followUpAt', Next: 'AwaitSurvey' };
  const survey = d.States.AwaitSurvey as { Parameters: { Payload: Record<string, string> }; TimeoutSecondsPath: string };
  survey.Parameters.Payload['wait.$'] = '$.told.wait';
  survey.TimeoutSecondsPath = '$.told.wait.seconds';
}

describe('executions started under the earlier definition', () => {
  it('one with the FollowUp Wait before AwaitSurvey, run with today\'s functions, waits for the survey from the follow-up time to the same deadline', async () => {
    const earlier = JSON.parse(substitutedAsl()) as { States: Record<string, Record<string, unknown>> };
    withFollowUpWait(earlier);
    const c = await h.newCase();

    const run = await h.run(
      c.caseNo,
      { AwaitAck: [act.acknowledge(c)], AwaitResolve: [act.resolve(c)], AwaitSurvey: [act.survey(c, 'satisfied')] },
      { definition: JSON.stringify(earlier) },
    );

    expect(run.entered).toEqual([...HAPPY_PATH.slice(0, 4), 'FollowUp', 'AwaitSurvey']);
    // The payload it hands AwaitAction is the one it always did: the wait planned for after FollowUp, no `from`.
    const [survey] = run.waits.filter((w) => w.state === 'AwaitSurvey').map((w) => w.wait);
    expect(survey).toEqual({ waitingFor: 'survey', level: 0, dueAt: '2026-12-07T01:00:00.000Z', seconds: 432000, event: 'follow-up' });
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'CLOSED', closedAt: '2026-12-02T01:00:00.000Z', survey: { answer: 'satisfied' } });
    expect((await h.timeline(c.caseNo)).find((e) => e.type === 'follow-up')).toMatchObject({
      at: '2026-12-02T01:00:00.000Z',
      text: '待回訪：請於 2026-12-07 09:00 前致電民眾了解滿意度 / In the callback queue: ask the citizen by 2026-12-07 09:00',
    });
  });

  it('one with the TellDuplicates Map after TellCitizen tells each duplicate reporter once: TellCitizen tells them, the Map finds them told', async () => {
    // What such an execution runs: its own definition (Step Functions keeps it) with today's functions.
    const earlier = JSON.parse(substitutedAsl()) as { States: Record<string, Record<string, unknown>> };
    withFollowUpWait(earlier);
    earlier.States.TellCitizen.Next = 'TellDuplicates';
    earlier.States.TellDuplicates = {
      Type: 'Map',
      ItemsPath: '$.told.duplicates',
      ItemSelector: { 'caseNo.$': '$$.Map.Item.Value', 'parentCaseNo.$': '$.caseNo' },
      MaxConcurrency: 5,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'TellDuplicate', States: { TellDuplicate: { Type: 'Task', Resource: functionArn('TellDuplicateFunctionArn'), End: true } } },
      ResultPath: null,
      Next: 'FollowUp',
    };
    const parent = await h.newCase();
    const dup = await h.newCase({ reporter: { name: '陳志強', phone: '0922333444', anonymous: false, notify: 'sms' } });
    await h.run(dup.caseNo, { AwaitAck: [async () => mergeCase(h.actionPorts, AGENT, dup.caseNo, { parentCaseNo: parent.caseNo })] });

    const parentRun = await h.run(
      parent.caseNo,
      { AwaitAck: [act.acknowledge(parent)], AwaitResolve: [act.resolve(parent)], AwaitSurvey: [act.survey(parent, 'satisfied')] },
      { definition: JSON.stringify(earlier) },
    );

    expect(parentRun.entered).toEqual([...HAPPY_PATH.slice(0, 4), 'TellDuplicates', 'TellDuplicate', 'FollowUp', 'AwaitSurvey']);
    expect(await h.timelineTypes(dup.caseNo)).toEqual(['created', 'citizen-notified', 'routed', 'notified', 'merged', 'citizen-notified']);
    expect(h.outbox.texts.filter((t) => t.phone === '+886922333444').map((t) => t.text)).toEqual([
      `桃園市1999：已受理您反映的案件${dup.caseNo}（路燈故障），處理完成後將再通知您。`,
      `桃園市1999：您反映的案件${dup.caseNo}已併入${parent.caseNo}處理完成，謝謝您。`,
    ]);
  });
});

describe('notifications', () => {
  it('RouteCase publishes the department notice itself, once per routing, with the routing as its dedupeId', async () => {
    const c = await h.newCase();

    const run = await h.run(c.caseNo, {
      AwaitAck: [act.acknowledge(c)],
      AwaitResolve: [act.resolve(c)],
      AwaitSurvey: [act.survey(c, 'satisfied')],
    });

    expect(run.retries).toEqual([]);
    expect(sentTo(`dept-${ZHONGLI}`)).toMatchObject([{ via: 'lambda', attributes: { dedupeId: `${c.caseNo}:dispatched:${ZHONGLI}:2026-11-27T03:00:00.000Z`, notice: 'dispatch' } }]);
    expect((await h.timeline(c.caseNo)).find((e) => e.type === 'notified')?.data).toMatchObject({ delivered: true });
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'CLOSED' });
  });

  it('a department notice that still fails after the retries is recorded, and the case waits in the queue anyway', async () => {
    const c = await h.newCase();
    // The notifier's SNS client retries on its own; what reaches RouteCase has failed for good.
    h.outbox.failTopicPublishes = 1;

    const run = await h.run(c.caseNo, { AwaitAck: [async () => cancelCase(h.actionPorts, AGENT, c.caseNo, { reason: '測試' })] });

    expect(run.retries).toEqual([]);
    expect(run.entered).toEqual(['RouteCase', 'AwaitAck', 'Cancelled']);
    expect(h.outbox.published).toEqual([]);
    expect((await h.timeline(c.caseNo)).find((e) => e.type === 'notified')).toMatchObject({
      text: '通知中壢區公所失敗（SNS.InternalErrorException），案件仍在其待辦清單；請於 2026-11-27 11:00 前簽收 / Notifying Zhongli District Office failed (SNS.InternalErrorException); the case is in its queue; acknowledge by 2026-11-27 11:00',
      data: { delivered: false, error: 'SNS.InternalErrorException' },
    });
  });

  it('a reporter who chose e-mail is e-mailed the outcome and gets no receipt; an anonymous reporter is told nothing', async () => {
    const byMail = await h.newCase({ reporter: { name: '林美華', email: 'meihua@example.org', anonymous: false, notify: 'email' } });
    const anonymous = await h.newCase({ reporter: { anonymous: true, notify: 'none' } });

    for (const c of [byMail, anonymous])
      await h.run(c.caseNo, { AwaitAck: [act.acknowledge(c)], AwaitResolve: [act.resolve(c)], AwaitSurvey: ['timeout'] });

    expect(h.outbox.texts).toEqual([]);
    expect(h.outbox.mails).toHaveLength(1);
    expect(h.outbox.mails[0].to).toBe('meihua@example.org');
    expect(h.outbox.mails[0].subject).toBe(`桃園市 1999 案件 ${byMail.caseNo} 已處理完成 / Case resolved`);
    expect(h.outbox.mails[0].text.split('\n\n')[0]).toContain(`案件 ${byMail.caseNo}（路燈故障）已由中壢區公所處理完成。\n處理情形：已更換燈泡，路燈恢復正常`);
    expect((await h.timeline(anonymous.caseNo)).find((e) => e.type === 'citizen-notified')?.data).toEqual({ channel: 'none', delivered: false, reason: 'anonymous' });
    for (const c of [byMail, anonymous]) {
      expect((await h.timelineTypes(c.caseNo)).filter((t) => t === 'citizen-notified')).toHaveLength(1);
      expect(await h.case(c.caseNo)).not.toHaveProperty('receiptAt');
    }
  });
});
