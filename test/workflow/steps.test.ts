/**
 * The workflow steps one by one (what each Lambda task does), against the real repository: Step Functions may
 * run a task twice (a retried invocation), so a retry must not record or send anything twice; and an action
 * that came between two steps, when no token was stored, must still reach the workflow.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkflowWait } from '../../functions/domain/escalation';
import { ConfigError } from '../../functions/domain/errors';
import { DistrictUnknownError, UNPLACED_DISTRICT } from '../../functions/domain/sop';
import { STEP_RUNNERS } from '../../functions/workflow/steps';
import { acknowledgeCase } from '../../functions/usecases/lifecycle/acknowledge-case';
import { recordNoAnswer } from '../../functions/usecases/lifecycle/record-no-answer';
import { recordSurvey } from '../../functions/usecases/lifecycle/record-survey';
import type { RouteOutput } from '../../functions/usecases/lifecycle/route-case';
import { tellCitizen, type TellCitizenOutput } from '../../functions/usecases/lifecycle/tell-citizen';
import { AGENT, WorkflowHarness, staffOf, topicArn } from './support/harness';

let h: WorkflowHarness;
beforeEach(async () => {
  h = await WorkflowHarness.start();
});
afterEach(async () => {
  await h.close();
});

const step = <T>(id: keyof typeof STEP_RUNNERS, input: unknown) => STEP_RUNNERS[id](h.deps, input) as Promise<T>;

async function routedAndWaiting(token = 'token-ack'): Promise<{ caseNo: string; route: RouteOutput }> {
  const c = await h.newCase();
  const route = await step<RouteOutput>('RouteCase', { caseNo: c.caseNo });
  void h.tokens.open(token); // the Task awaits the answer; the step under test only has to find it waiting
  await step('AwaitAction', { caseNo: c.caseNo, token, wait: route.wait, notifyError: null });
  return { caseNo: c.caseNo, route };
}

describe('retried steps record once', () => {
  it('Route run twice routes once and returns the same department, topic and deadline', async () => {
    const c = await h.newCase();

    const first = await step<RouteOutput>('RouteCase', { caseNo: c.caseNo });
    const again = await step<RouteOutput>('RouteCase', { caseNo: c.caseNo });

    expect(again.route).toEqual(first.route);
    expect(again.wait.dueAt).toBe(first.wait.dueAt);
    expect(await h.timelineTypes(c.caseNo)).toEqual(['created', 'citizen-notified', 'routed']);
    expect(h.outbox.texts).toHaveLength(1); // the receipt, not twice
  });

  it('AwaitAction run twice with the same token stores it once', async () => {
    const { caseNo, route } = await routedAndWaiting('token-9');

    const again = await step('AwaitAction', { caseNo, token: 'token-9', wait: route.wait, notifyError: null });

    expect(again).toBe('already-recorded');
    expect(await h.case(caseNo)).toMatchObject({ pendingTaskToken: 'token-9', waitingFor: 'acknowledgement' });
    expect(await h.timelineTypes(caseNo)).toEqual(['created', 'citizen-notified', 'routed', 'notified']);
  });

  it('TellCitizen run twice texts the citizen once and records one notification', async () => {
    const { caseNo } = await routedAndWaiting();
    await acknowledgeCase(h.actionPorts, staffOf('DIST-ZHONGLI'), caseNo);
    void h.tokens.open('token-res'); // the Task awaits the answer; the step under test only has to find it waiting
    await step('AwaitAction', { caseNo, token: 'token-res', wait: { waitingFor: 'resolution', level: 0, dueAt: '2026-12-02T01:00:00.000Z', seconds: 1, event: 'waiting' } });
    await h.cases.update(caseNo, (await h.case(caseNo)).version, { set: { status: 'RESOLVED', resolvedAt: '2026-11-27T01:00:00.000Z', resolution: '已修好' }, event: { type: 'resolved', by: 'staff' } });

    const first = await step<TellCitizenOutput>('TellCitizen', { caseNo });
    const again = await step<TellCitizenOutput>('TellCitizen', { caseNo });

    expect(again).toEqual(first);
    expect(first).toEqual({
      // AwaitSurvey's wait starts now: due from the follow-up time, timing out at the survey deadline 10 days on.
      survey: { waitingFor: 'survey', level: 0, dueAt: '2026-12-07T01:00:00.000Z', seconds: 864000, event: 'follow-up', from: '2026-12-02T01:00:00.000Z' },
      // For executions started under the definition with a FollowUp Wait: the same deadline, counted from its end.
      followUpAt: '2026-12-02T01:00:00.000Z',
      wait: { waitingFor: 'survey', level: 0, dueAt: '2026-12-07T01:00:00.000Z', seconds: 432000, event: 'follow-up' },
      duplicates: [],
    });
    // The receipt at routing, then the outcome once.
    expect(h.outbox.texts.map((t) => t.text.includes('已處理完成'))).toEqual([false, true]);
    expect((await h.timeline(caseNo)).filter((e) => e.type === 'citizen-notified' && e.data?.message !== 'receipt')).toHaveLength(1);
  });

  it('AwaitAction starts the survey wait right after TellCitizen, due only from the follow-up time', async () => {
    const c = await h.newCase({ status: 'RESOLVED', waitingFor: 'resolution', pendingTaskToken: 't', resolvedAt: '2026-11-27T01:00:00.000Z', department: 'PWD', sopVersion: 1 });
    const told = await step<TellCitizenOutput>('TellCitizen', { caseNo: c.caseNo });
    void h.tokens.open('token-survey');

    expect(await step('AwaitAction', { caseNo: c.caseNo, token: 'token-survey', wait: told.survey })).toBe('recorded');

    expect(await h.case(c.caseNo)).toMatchObject({
      pendingTaskToken: 'token-survey',
      waitingFor: 'survey',
      waitDueAt: '2026-12-07T01:00:00.000Z',
      callback: { attempts: 0, dueFrom: '2026-12-02T01:00:00.000Z' },
    });
    expect((await h.timeline(c.caseNo)).at(-1)).toMatchObject({
      type: 'follow-up',
      text: '2026-12-02 09:00 起待回訪：請於 2026-12-07 09:00 前致電民眾了解滿意度 / In the callback queue from 2026-12-02 09:00: ask the citizen by 2026-12-07 09:00',
      data: { waitingFor: 'survey', dueAt: '2026-12-07T01:00:00.000Z', level: 0, from: '2026-12-02T01:00:00.000Z' },
    });
  });

  it('a survey answer or an unanswered call before the follow-up time is refused (409), as when no wait had started: the task waits on and takes the answer once due', async () => {
    const c = await h.newCase({ status: 'RESOLVED', waitingFor: 'resolution', pendingTaskToken: 't', resolvedAt: '2026-11-27T01:00:00.000Z', resolution: '已修好', department: 'PWD', sopVersion: 1 });
    const told = await step<TellCitizenOutput>('TellCitizen', { caseNo: c.caseNo });
    const answered = h.tokens.open('token-survey');
    await step('AwaitAction', { caseNo: c.caseNo, token: 'token-survey', wait: told.survey });
    h.clock.set('2026-12-02T00:59:59.000Z'); // a second before the follow-up time
    const waiting = await h.case(c.caseNo);

    await expect(recordSurvey(h.actionPorts, AGENT, c.caseNo, { answer: 'satisfied' })).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION', from: 'RESOLVED' });
    await expect(recordNoAnswer({ ...h.actionPorts, sops: h.deps.ports.sops }, AGENT, c.caseNo, waiting.version, {})).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(await h.case(c.caseNo)).toEqual(waiting);
    expect(h.tokens.isWaiting('token-survey')).toBe(true);

    h.clock.set(told.followUpAt);
    await recordSurvey(h.actionPorts, AGENT, c.caseNo, { answer: 'satisfied' });

    expect(await answered).toEqual({ outcome: 'surveyed', answer: 'satisfied' });
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'CLOSED', closedAt: '2026-12-02T01:00:00.000Z' });
  });

  it("AwaitAction takes the survey wait of an execution started under the definition with a FollowUp Wait (no `from`, at the follow-up time) as before", async () => {
    const c = await h.newCase({ status: 'RESOLVED', waitingFor: 'resolution', pendingTaskToken: 't', resolvedAt: '2026-11-27T01:00:00.000Z', department: 'PWD', sopVersion: 1 });
    const told = await step<TellCitizenOutput>('TellCitizen', { caseNo: c.caseNo });
    h.clock.set(told.followUpAt);
    void h.tokens.open('token-survey');

    expect(await step('AwaitAction', { caseNo: c.caseNo, token: 'token-survey', wait: told.wait })).toBe('recorded');

    const waiting = await h.case(c.caseNo);
    expect(waiting).toMatchObject({ pendingTaskToken: 'token-survey', waitingFor: 'survey', waitDueAt: '2026-12-07T01:00:00.000Z' });
    expect(waiting).not.toHaveProperty('callback');
    expect((await h.timeline(c.caseNo)).at(-1)).toMatchObject({
      type: 'follow-up',
      text: '待回訪：請於 2026-12-07 09:00 前致電民眾了解滿意度 / In the callback queue: ask the citizen by 2026-12-07 09:00',
    });
  });

  it('a citizen message that cannot be delivered is recorded and the workflow goes on', async () => {
    const c = await h.newCase({ status: 'RESOLVED', waitingFor: 'resolution', pendingTaskToken: 't', resolvedAt: '2026-11-27T01:00:00.000Z', department: 'PWD', sopVersion: 1 });
    h.outbox.failCitizenMessages = true;

    await step('TellCitizen', { caseNo: c.caseNo });

    expect((await h.timeline(c.caseNo)).at(-1)).toMatchObject({ type: 'citizen-notified', data: { channel: 'sms', delivered: false, reason: 'SNS.InternalErrorException' } });
  });

  it('TellCitizen tells the reporter of every merged duplicate once, and a retried TellCitizen tells nobody twice', async () => {
    const parent = await h.newCase({ status: 'RESOLVED', waitingFor: 'resolution', pendingTaskToken: 't', resolvedAt: '2026-11-27T01:00:00.000Z', resolution: '已修好', department: 'PWD', sopVersion: 1 });
    const dups = [
      await h.newCase({ status: 'MERGED', parentCaseNo: parent.caseNo, reporter: { name: '陳志強', phone: '0922333444', anonymous: false, notify: 'sms' } }),
      await h.newCase({ status: 'MERGED', parentCaseNo: parent.caseNo, reporter: { name: '林美玲', phone: '0933444555', anonymous: false, notify: 'sms' } }),
    ];
    await h.cases.update(parent.caseNo, (await h.case(parent.caseNo)).version, { set: { duplicates: dups.map((d) => d.caseNo) }, event: { type: 'merged', by: 'agent' } });

    const first = await step<TellCitizenOutput>('TellCitizen', { caseNo: parent.caseNo });
    const again = await step<TellCitizenOutput>('TellCitizen', { caseNo: parent.caseNo });

    expect(again).toEqual(first);
    expect(first.duplicates).toEqual(dups.map((d) => d.caseNo));
    expect(h.outbox.texts.map((t) => t.phone).sort()).toEqual(['+886912345678', '+886922333444', '+886933444555']);
    for (const dup of dups) {
      expect(await h.case(dup.caseNo)).toMatchObject({ status: 'MERGED', resolvedAt: '2026-11-27T01:00:00.000Z', resolution: '已修好' });
      expect((await h.timeline(dup.caseNo)).filter((e) => e.type === 'citizen-notified')).toEqual([
        expect.objectContaining({ by: 'workflow', data: expect.objectContaining({ channel: 'sms', delivered: true, parentCaseNo: parent.caseNo }) }),
      ]);
    }
  });

  it('TellCitizen tells a large cluster a bounded number a run and asks to be run again for the rest (Resume.TellCitizen)', async () => {
    const parent = await h.newCase({ status: 'RESOLVED', waitingFor: 'resolution', pendingTaskToken: 't', resolvedAt: '2026-11-27T01:00:00.000Z', department: 'PWD', sopVersion: 1 });
    const dups = [await h.newCase({ status: 'MERGED', parentCaseNo: parent.caseNo }), await h.newCase({ status: 'MERGED', parentCaseNo: parent.caseNo })];
    await h.cases.update(parent.caseNo, (await h.case(parent.caseNo)).version, { set: { duplicates: dups.map((d) => d.caseNo) }, event: { type: 'merged', by: 'agent' } });

    const firstRun = tellCitizen(h.deps.ports, h.deps.settings, { caseNo: parent.caseNo }, 1);
    await expect(firstRun).rejects.toMatchObject({ name: 'Resume.TellCitizen' });
    const told = await Promise.all(dups.map(async (d) => (await h.case(d.caseNo)).resolvedAt !== undefined));
    expect(told.filter(Boolean)).toHaveLength(1);

    await tellCitizen(h.deps.ports, h.deps.settings, { caseNo: parent.caseNo }, 1);

    for (const dup of dups) expect(await h.case(dup.caseNo)).toMatchObject({ resolvedAt: '2026-11-27T01:00:00.000Z' });
    // The parent's reporter once, each duplicate's once.
    expect(h.outbox.texts).toHaveLength(3);
    expect((await h.timeline(parent.caseNo)).filter((e) => e.type === 'citizen-notified')).toHaveLength(1);
  });

  it('a duplicate that cannot be told fails TellCitizen with its own error (the recovery path), the citizen told once', async () => {
    const parent = await h.newCase({ status: 'RESOLVED', waitingFor: 'resolution', pendingTaskToken: 't', resolvedAt: '2026-11-27T01:00:00.000Z', department: 'PWD', sopVersion: 1 });
    await h.cases.update(parent.caseNo, (await h.case(parent.caseNo)).version, { set: { duplicates: ['20261127-99999'] }, event: { type: 'merged', by: 'agent' } });

    await expect(step('TellCitizen', { caseNo: parent.caseNo })).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(step('TellCitizen', { caseNo: parent.caseNo })).rejects.toMatchObject({ name: 'NotFoundError' });

    expect(h.outbox.texts).toHaveLength(1);
    expect((await h.timeline(parent.caseNo)).filter((e) => e.type === 'citizen-notified')).toHaveLength(1);
  });

  it('TellDuplicate (the Map iteration of executions under the earlier definition) run twice tells the duplicate reporter once', async () => {
    const parent = await h.newCase({ status: 'RESOLVED', resolvedAt: '2026-11-27T01:00:00.000Z', resolution: '已修好', department: 'PWD' });
    const dup = await h.newCase({ status: 'MERGED', parentCaseNo: parent.caseNo });

    const first = await step('TellDuplicate', { caseNo: dup.caseNo, parentCaseNo: parent.caseNo });
    const again = await step('TellDuplicate', { caseNo: dup.caseNo, parentCaseNo: parent.caseNo });

    expect(first).toMatchObject({ told: true });
    expect(again).toEqual({ caseNo: dup.caseNo, told: false, reason: 'already-told' });
    expect(h.outbox.texts).toHaveLength(1);
    expect(await h.case(dup.caseNo)).toMatchObject({ status: 'MERGED', resolvedAt: '2026-11-27T01:00:00.000Z', resolution: '已修好' });
  });

  it('Dispatch after a routing failure makes the case RETURNED once and plans a working day for reassignment', async () => {
    const c = await h.newCase();
    const signal = { Error: 'ConfigError', Cause: 'no topic' };

    const wait = await step<WorkflowWait>('DispatchCase', { caseNo: c.caseNo, signal });
    await step('DispatchCase', { caseNo: c.caseNo, signal });

    expect(wait).toEqual({ waitingFor: 'reassignment', level: 0, dueAt: '2026-11-30T01:00:00.000Z', seconds: 259200, event: 'waiting' });
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'RETURNED' });
    expect(await h.timelineTypes(c.caseNo)).toEqual(['created', 'returned']);
  });

  it('CloseUnanswered does not close over an answer recorded in the same moment', async () => {
    const c = await h.newCase({ status: 'REOPENED', survey: { answer: 'unsatisfied', at: '2026-11-27T01:00:00.000Z' } });

    // The unsatisfied answer wins: the ASL catches Case.Reopened and routes the case back.
    await expect(step('CloseUnanswered', { caseNo: c.caseNo })).rejects.toMatchObject({ name: 'Case.Reopened' });
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'REOPENED', version: 1 });
  });
});

describe('actions between two steps', () => {
  it('a wait whose outcome already happened answers its own task instead of storing the token', async () => {
    const c = await h.newCase();
    const route = await step<RouteOutput>('RouteCase', { caseNo: c.caseNo });
    await acknowledgeCase(h.actionPorts, staffOf('DIST-ZHONGLI'), c.caseNo); // before AwaitAck stored a token
    const answer = h.tokens.open('token-late');

    const result = await step('AwaitAction', { caseNo: c.caseNo, token: 'token-late', wait: route.wait });

    expect(result).toBe('answered');
    await expect(answer).resolves.toMatchObject({ waitingFor: 'resolution', dueAt: '2026-12-02T01:00:00.000Z' });
    expect((await h.case(c.caseNo)).pendingTaskToken).toBeUndefined();
  });

  it('a cancelled case fails the wait with Case.Cancelled, and Route ends it too', async () => {
    const c = await h.newCase({ status: 'CANCELLED' });
    const answer = h.tokens.open('token-x');

    await step('AwaitAction', { caseNo: c.caseNo, token: 'token-x', wait: { waitingFor: 'acknowledgement', level: 0, dueAt: '2026-11-27T03:00:00.000Z', seconds: 1, event: 'notified' } });

    await expect(answer).rejects.toMatchObject({ name: 'Case.Cancelled' });
    await expect(step('RouteCase', { caseNo: c.caseNo })).rejects.toMatchObject({ name: 'Case.Cancelled' });
  });

  it('an escalation finds the case acknowledged meanwhile: nobody is told, the wait comes due at once', async () => {
    const { caseNo, route } = await routedAndWaiting();
    await acknowledgeCase(h.actionPorts, staffOf('DIST-ZHONGLI'), caseNo);
    const dispatchNotice = [...h.outbox.published];

    const wait = await step<WorkflowWait>('EscalateCase', { caseNo, wait: route.wait });

    expect(wait).toEqual({ ...route.wait, seconds: 1 });
    // Only RouteCase's dispatch notice went out.
    expect(h.outbox.published).toEqual(dispatchNotice);
  });
});

describe('routing', () => {
  it('a department without a topic fails Route with a ConfigError (the ASL sends it to the dispatch desk)', async () => {
    const c = await h.newCase();
    h.settings.departmentTopicArn = (code) => (code === 'DIST-ZHONGLI' ? undefined : topicArn(`dept-${code}`));

    await expect(step('RouteCase', { caseNo: c.caseNo })).rejects.toBeInstanceOf(ConfigError);
  });

  it('a case nobody could place (no district) fails Route as DistrictUnknown, and DispatchCase gives it to the desk', async () => {
    const c = await h.newCase({ location: { district: UNPLACED_DISTRICT, address: '中山路100號' } });

    const failed = await step('RouteCase', { caseNo: c.caseNo }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DistrictUnknownError);
    expect((failed as Error).name).toBe('DistrictUnknown');
    await step('DispatchCase', { caseNo: c.caseNo, signal: { Error: 'DistrictUnknown', Cause: (failed as Error).message } });

    expect(await h.case(c.caseNo)).toMatchObject({ status: 'RETURNED' });
    expect(await h.timelineTypes(c.caseNo)).toEqual(['created', 'citizen-notified', 'returned']);
  });

  it('the desk assigns an unplaced case: Route after the reassignment keeps the department the supervisor chose', async () => {
    const c = await h.newCase({ location: { district: UNPLACED_DISTRICT, address: '中山路100號' } });
    await step('DispatchCase', { caseNo: c.caseNo, signal: { Error: 'DistrictUnknown', Cause: 'no district' } });
    const waiting = await h.case(c.caseNo);
    await h.cases.update(c.caseNo, waiting.version, { set: { department: 'PWD', waitingFor: 'reassignment' }, event: { type: 'reassigned', by: 'sup-1', data: { department: 'PWD' } } });

    const out = await step<RouteOutput>('RouteCase', { caseNo: c.caseNo, signal: { outcome: 'reassigned' } });

    expect(out.route.department).toBe('PWD');
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'ASSIGNED', department: 'PWD' });
  });

  it('an urgent override routes with the urgent deadlines and says so in the notice', async () => {
    const c = await h.newCase({ priorityOverride: 'urgent', createdBy: AGENT.id });

    const out = await step<RouteOutput>('RouteCase', { caseNo: c.caseNo });

    expect(await h.case(c.caseNo)).toMatchObject({ priority: 'urgent', acknowledgeDueAt: '2026-11-27T01:30:00.000Z', resolveDueAt: '2026-11-28T01:00:00.000Z' });
    expect(out.wait).toMatchObject({ dueAt: '2026-11-27T01:30:00.000Z', seconds: 1800 });
    // RouteCase publishes the notice to the department's topic itself, with the routing's dedupeId.
    const published = h.outbox.published.filter((m) => m.via === 'lambda' && m.topicArn.endsWith('dept-DIST-ZHONGLI'));
    expect(published).toHaveLength(1);
    expect(published[0].message.sms).toBe(`1999新派案【緊急】 ${c.caseNo} 路燈故障 中壢區 11/27 09:30前簽收`);
    expect(published[0].attributes).toEqual({ dedupeId: out.route.dedupeId, notice: 'dispatch' });
    expect(out.route.notifyError).toBeNull();
  });

  it('a department notice that cannot be published does not fail the routing: it is returned for AwaitAck to record', async () => {
    const c = await h.newCase({ reporter: { anonymous: true, notify: 'none' } });
    h.outbox.failTopicPublishes = 1;

    const out = await step<RouteOutput>('RouteCase', { caseNo: c.caseNo });

    expect(await h.case(c.caseNo)).toMatchObject({ status: 'ASSIGNED', department: 'DIST-ZHONGLI' });
    expect(out.route.notifyError).toMatchObject({ Error: 'SNS.InternalErrorException' });
    expect(h.outbox.published).toHaveLength(0);
  });
});
