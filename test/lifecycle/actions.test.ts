/**
 * The case actions as use cases, against the real repository on dynalite and Step-Functions-like task tokens:
 * each is valid only in its state (409 naming the current one), hides other departments' cases (404), writes
 * once, and a retry after a failed send completes the job without recording anything twice.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { DynamoCaseStatistics } from '../../functions/adapters/case-statistics';
import { loadConfig } from '../../functions/config/load';
import type { Actor } from '../../functions/domain/actor';
import type { Case } from '../../functions/domain/case';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { ConflictError, IllegalTransitionError, NotFoundError, ValidationError } from '../../functions/domain/errors';
import { acknowledgeCase } from '../../functions/usecases/lifecycle/acknowledge-case';
import { cancelCase } from '../../functions/usecases/lifecycle/cancel-case';
import { mergeCase } from '../../functions/usecases/lifecycle/merge-case';
import { reassignCase } from '../../functions/usecases/lifecycle/reassign-case';
import { recordSurvey } from '../../functions/usecases/lifecycle/record-survey';
import { reportProgress } from '../../functions/usecases/lifecycle/report-progress';
import { resolveCase } from '../../functions/usecases/lifecycle/resolve-case';
import { returnCase } from '../../functions/usecases/lifecycle/return-case';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { TaskTokens } from '../workflow/support/fakes';

const PWD_STAFF: Actor = { id: 'staff-pwd', role: 'staff', department: 'PWD' };
const EPD_STAFF: Actor = { id: 'staff-epd', role: 'staff', department: 'EPD' };
const AGENT: Actor = { id: 'agent-1', role: 'agent' };
const SUPERVISOR: Actor = { id: 'sup-1', role: 'supervisor' };
const config = loadConfig();

let local: LocalTable;
let cases: DynamoCaseRepository;
let statistics: DynamoCaseStatistics;
let tokens: TaskTokens;
let restoreClock: () => void;
let seq = 0;

beforeAll(async () => {
  local = await startDynalite();
  cases = new DynamoCaseRepository(local.ddb, local.tableName);
  statistics = new DynamoCaseStatistics(local.ddb, local.tableName);
  restoreClock = useClock(new ManualClock('2026-11-27T02:00:00.000Z'));
});
afterAll(async () => {
  restoreClock();
  await local.close();
});
beforeEach(() => {
  tokens = new TaskTokens();
});

const ports = () => ({ cases, workflow: tokens, statistics });

/** A case in the given state; with `waitingFor`, the workflow is waiting on a live task token. */
async function aCase(state: Partial<Case> & Pick<Case, 'status'>): Promise<{ c: Case; token?: string; answer?: Promise<unknown> }> {
  seq += 1;
  const token = state.waitingFor ? `live-${seq}` : undefined;
  const c = await cases.create(
    {
      caseNo: `20261127-${String(seq).padStart(5, '0')}`,
      category: 'pothole',
      description: '坑洞',
      location: { district: 'zhongli', address: '中山路 1 號' },
      reporter: { name: '王小明', phone: '0912345678', anonymous: false, notify: 'sms' },
      channel: 'phone',
      priority: 'normal',
      attributes: {},
      department: 'PWD',
      sopVersion: 1,
      acknowledgeDueAt: '2026-11-27T03:00:00.000Z',
      resolveDueAt: '2026-12-02T01:00:00.000Z',
      escalationLevel: 0,
      createdAt: '2026-11-27T01:00:00.000Z',
      createdBy: AGENT.id,
      updatedAt: '2026-11-27T01:00:00.000Z',
      version: 1,
      ...(token ? { pendingTaskToken: token } : {}),
      ...state,
    },
    { type: 'created', by: AGENT.id },
  );
  return { c, token, answer: token ? tokens.open(token) : undefined };
}

async function types(caseNo: string): Promise<string[]> {
  return (await cases.timeline(caseNo, { limit: 100 })).items.map((e) => e.type);
}

describe('acknowledge', () => {
  it('an assigned case becomes ACKNOWLEDGED and the workflow gets the resolution wait', async () => {
    const { c, answer } = await aCase({ status: 'ASSIGNED', waitingFor: 'acknowledgement' });

    const acked = await acknowledgeCase(ports(), PWD_STAFF, c.caseNo);

    expect(acked).toMatchObject({ status: 'ACKNOWLEDGED', acknowledgedAt: '2026-11-27T02:00:00.000Z', version: 2, pendingTaskToken: c.pendingTaskToken });
    await expect(answer).resolves.toEqual({ waitingFor: 'resolution', level: 0, dueAt: '2026-12-02T01:00:00.000Z', seconds: 428400, event: 'waiting' });
    expect(await types(c.caseNo)).toEqual(['created', 'acknowledged']);
  });

  it("another department's case is a 404 and nothing is written", async () => {
    const { c } = await aCase({ status: 'ASSIGNED', waitingFor: 'acknowledgement' });

    await expect(acknowledgeCase(ports(), EPD_STAFF, c.caseNo)).rejects.toBeInstanceOf(NotFoundError);

    expect(await cases.get(c.caseNo)).toMatchObject({ status: 'ASSIGNED', version: 1 });
    expect(tokens.answers).toEqual([]);
  });

  it('a resolved case cannot be acknowledged: 409 naming the current status, nothing written', async () => {
    const { c } = await aCase({ status: 'RESOLVED', waitingFor: 'survey' });

    const err = await acknowledgeCase(ports(), PWD_STAFF, c.caseNo).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(IllegalTransitionError);
    expect(err).toMatchObject({ from: 'RESOLVED', to: 'ACKNOWLEDGED' });
    expect((await cases.get(c.caseNo))?.version).toBe(1);
  });

  it('a retry after the send failed sends again and records nothing twice', async () => {
    const { c, answer } = await aCase({ status: 'ASSIGNED', waitingFor: 'acknowledgement' });
    tokens.failNextAnswers = 1;

    await expect(acknowledgeCase(ports(), PWD_STAFF, c.caseNo)).rejects.toThrow('socket hang up');
    expect(await cases.get(c.caseNo)).toMatchObject({ status: 'ACKNOWLEDGED', version: 2, pendingTaskToken: c.pendingTaskToken });
    const retried = await acknowledgeCase(ports(), PWD_STAFF, c.caseNo);

    expect(retried.version).toBe(2);
    await expect(answer).resolves.toMatchObject({ waitingFor: 'resolution' });
    expect(tokens.answers).toHaveLength(1);
    expect(await types(c.caseNo)).toEqual(['created', 'acknowledged']);
  });

  it('once the workflow has moved on, acknowledging again is a 409', async () => {
    const { c } = await aCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution' });

    await expect(acknowledgeCase(ports(), PWD_STAFF, c.caseNo)).rejects.toMatchObject({ from: 'ACKNOWLEDGED' });
  });

  it('between two workflow steps (no token stored) the change is written; the next wait answers itself', async () => {
    const { c } = await aCase({ status: 'ASSIGNED' });

    const acked = await acknowledgeCase(ports(), PWD_STAFF, c.caseNo);

    expect(acked.status).toBe('ACKNOWLEDGED');
    expect(tokens.answers).toEqual([]);
  });

  it('a task that is already over (timed out) keeps the change: the escalation step sees it', async () => {
    const { c, token } = await aCase({ status: 'ASSIGNED', waitingFor: 'acknowledgement' });
    tokens.expire(token!);

    const acked = await acknowledgeCase(ports(), PWD_STAFF, c.caseNo);

    expect(acked.status).toBe('ACKNOWLEDGED');
  });
});

describe('progress and resolve', () => {
  it('progress is a timeline entry on an acknowledged case and a 409 before', async () => {
    const { c } = await aCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution' });
    const { c: fresh } = await aCase({ status: 'ASSIGNED', waitingFor: 'acknowledgement' });

    await reportProgress(ports(), PWD_STAFF, c.caseNo, { note: '已排定明日施工' });

    expect((await cases.timeline(c.caseNo, {})).items.at(-1)).toMatchObject({ type: 'progress', by: PWD_STAFF.id, text: '已排定明日施工' });
    await expect(reportProgress(ports(), PWD_STAFF, fresh.caseNo, { note: 'x' })).rejects.toMatchObject({ from: 'ASSIGNED', to: 'progress' });
  });

  it('resolving needs a resolution text, records it and tells the workflow', async () => {
    const { c, answer } = await aCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution' });

    await expect(resolveCase(ports(), PWD_STAFF, c.caseNo, { resolution: '   ' })).rejects.toMatchObject({ fields: [{ path: 'resolution', message: 'must not be empty' }] });
    const resolved = await resolveCase(ports(), PWD_STAFF, c.caseNo, { resolution: '已填補坑洞' });

    expect(resolved).toMatchObject({ status: 'RESOLVED', resolution: '已填補坑洞', resolvedAt: '2026-11-27T02:00:00.000Z' });
    await expect(answer).resolves.toEqual({ outcome: 'resolved' });
  });

  it('an assigned case cannot be resolved before it is acknowledged', async () => {
    const { c } = await aCase({ status: 'ASSIGNED', waitingFor: 'acknowledgement' });

    await expect(resolveCase(ports(), PWD_STAFF, c.caseNo, { resolution: '好了' })).rejects.toMatchObject({ from: 'ASSIGNED', to: 'RESOLVED' });
  });

  it('a resolve retried after a failed send answers once and records one resolution', async () => {
    const { c, answer } = await aCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution' });
    tokens.failNextAnswers = 1;

    await expect(resolveCase(ports(), PWD_STAFF, c.caseNo, { resolution: '已填補' })).rejects.toThrow();
    await resolveCase(ports(), PWD_STAFF, c.caseNo, { resolution: '已填補' });

    await expect(answer).resolves.toEqual({ outcome: 'resolved' });
    expect(await types(c.caseNo)).toEqual(['created', 'resolved']);
  });
});

describe('return and reassign', () => {
  it('a department returns a case with a reason: RETURNED, and the workflow task fails with Case.Returned', async () => {
    const { c, answer } = await aCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution' });

    await expect(returnCase(ports(), PWD_STAFF, c.caseNo, { reason: '' })).rejects.toBeInstanceOf(ValidationError);
    const returned = await returnCase(ports(), PWD_STAFF, c.caseNo, { reason: '非本局權責，應屬區公所' });

    expect(returned.status).toBe('RETURNED');
    await expect(answer).rejects.toMatchObject({ name: 'Case.Returned', message: '非本局權責，應屬區公所' });
    expect((await cases.timeline(c.caseNo, {})).items.at(-1)).toMatchObject({ type: 'returned', data: { department: 'PWD', reason: '非本局權責，應屬區公所' } });
  });

  it('a supervisor reassigns a returned case to a department that receives cases', async () => {
    const { c, answer } = await aCase({ status: 'RETURNED', waitingFor: 'reassignment' });

    await expect(reassignCase(ports(), config, SUPERVISOR, c.caseNo, { department: 'MAYOR' })).rejects.toMatchObject({ fields: [{ path: 'department' }] });
    const reassigned = await reassignCase(ports(), config, SUPERVISOR, c.caseNo, { department: 'DIST-ZHONGLI' });

    expect(reassigned).toMatchObject({ status: 'ASSIGNED', department: 'DIST-ZHONGLI' });
    await expect(answer).resolves.toEqual({ outcome: 'reassigned', department: 'DIST-ZHONGLI' });
    expect((await cases.timeline(c.caseNo, {})).items.at(-1)).toMatchObject({ type: 'reassigned', data: { from: 'PWD', to: 'DIST-ZHONGLI' } });
  });

  it('a supervisor takes an open case from its department, with a reason: ASSIGNED to the new one, and the wait fails with Case.Reassigned', async () => {
    const { c, answer } = await aCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution', acknowledgedAt: '2026-11-27T01:30:00.000Z' });

    await expect(reassignCase(ports(), config, SUPERVISOR, c.caseNo, { department: 'DIST-ZHONGLI' })).rejects.toMatchObject({ fields: [{ path: 'reason' }] });
    await expect(reassignCase(ports(), config, SUPERVISOR, c.caseNo, { department: 'PWD', reason: '逾期未處理' })).rejects.toMatchObject({ fields: [{ path: 'department' }] });
    const reassigned = await reassignCase(ports(), config, SUPERVISOR, c.caseNo, { department: 'DIST-ZHONGLI', reason: '逾期未處理，改由區公所處理' });
    const again = await reassignCase(ports(), config, SUPERVISOR, c.caseNo, { department: 'DIST-ZHONGLI', reason: '逾期未處理，改由區公所處理' });

    expect(reassigned).toMatchObject({ status: 'ASSIGNED', department: 'DIST-ZHONGLI', rerouteTo: 'DIST-ZHONGLI', waitingFor: 'resolution' });
    expect(reassigned).not.toHaveProperty('acknowledgedAt');
    expect(again.version).toBe(reassigned.version);
    await expect(answer).rejects.toMatchObject({ name: 'Case.Reassigned', message: '逾期未處理，改由區公所處理' });
    const events = (await cases.timeline(c.caseNo, {})).items;
    expect(events.filter((e) => e.type === 'reassigned')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'reassigned', by: SUPERVISOR.id, data: { from: 'PWD', to: 'DIST-ZHONGLI', reason: '逾期未處理，改由區公所處理' } });
  });

  it('an open case is reassigned only while its department holds it: not resolved, not between steps', async () => {
    const { c: resolved } = await aCase({ status: 'RESOLVED', waitingFor: 'survey', resolvedAt: '2026-11-27T01:30:00.000Z', resolution: '已填補' });
    const { c: betweenSteps } = await aCase({ status: 'ASSIGNED' });

    await expect(reassignCase(ports(), config, SUPERVISOR, resolved.caseNo, { department: 'EPD', reason: '改派' })).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION', from: 'RESOLVED' });
    await expect(reassignCase(ports(), config, SUPERVISOR, betweenSteps.caseNo, { department: 'EPD', reason: '改派' })).rejects.toMatchObject({ from: 'ASSIGNED' });
    await expect(reassignCase(ports(), config, SUPERVISOR, '20261127-99999', { department: 'EPD', reason: '改派' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('survey', () => {
  it('satisfied closes the case; unsatisfied reopens it without the old resolution', async () => {
    const { c: happy, answer: happyAnswer } = await aCase({ status: 'RESOLVED', waitingFor: 'survey', resolvedAt: '2026-11-27T01:30:00.000Z', resolution: '已填補' });
    const { c: unhappy, answer: unhappyAnswer } = await aCase({ status: 'RESOLVED', waitingFor: 'survey', resolvedAt: '2026-11-27T01:30:00.000Z', resolution: '已填補' });

    const closed = await recordSurvey(ports(), AGENT, happy.caseNo, { answer: 'satisfied', comment: '很快' });
    const reopened = await recordSurvey(ports(), AGENT, unhappy.caseNo, { answer: 'unsatisfied' });

    expect(closed).toMatchObject({ status: 'CLOSED', closedAt: '2026-11-27T02:00:00.000Z', survey: { answer: 'satisfied', comment: '很快' } });
    expect(reopened).toMatchObject({ status: 'REOPENED', survey: { answer: 'unsatisfied' } });
    expect(reopened.resolution).toBeUndefined();
    expect(reopened.resolvedAt).toBeUndefined();
    await expect(happyAnswer).resolves.toEqual({ outcome: 'surveyed', answer: 'satisfied' });
    // Unsatisfied is the failure the ASL catches to route the case back (AwaitSurvey ends the execution otherwise).
    await expect(unhappyAnswer).rejects.toMatchObject({ name: 'Case.Reopened', message: 'unsatisfied' });
  });

  it('a survey before the follow-up is due is a 409; a different answer on retry is a 409 too', async () => {
    const { c: early } = await aCase({ status: 'RESOLVED' });
    const { c } = await aCase({ status: 'RESOLVED', waitingFor: 'survey' });
    tokens.failNextAnswers = 1;

    await expect(recordSurvey(ports(), AGENT, early.caseNo, { answer: 'satisfied' })).rejects.toMatchObject({ from: 'RESOLVED', to: 'CLOSED' });
    await expect(recordSurvey(ports(), AGENT, c.caseNo, { answer: 'satisfied' })).rejects.toThrow();
    await expect(recordSurvey(ports(), AGENT, c.caseNo, { answer: 'unsatisfied' })).rejects.toMatchObject({ from: 'CLOSED' });
    await recordSurvey(ports(), AGENT, c.caseNo, { answer: 'satisfied' });
    expect(await types(c.caseNo)).toEqual(['created', 'survey']);
  });
});

describe('cancel and merge', () => {
  it('cancelling an open case ends its workflow; a closed case cannot be cancelled', async () => {
    const { c, answer } = await aCase({ status: 'RETURNED', waitingFor: 'reassignment' });
    const { c: closed } = await aCase({ status: 'CLOSED' });

    await cancelCase(ports(), AGENT, c.caseNo, { reason: '民眾撤案' });

    await expect(answer).rejects.toMatchObject({ name: 'Case.Cancelled' });
    expect(await cases.get(c.caseNo)).toMatchObject({ status: 'CANCELLED' });
    await expect(cancelCase(ports(), AGENT, closed.caseNo, { reason: 'x' })).rejects.toMatchObject({ from: 'CLOSED', to: 'CANCELLED' });
  });

  it('merging records the duplicate on the parent and ends the duplicate workflow; a retry adds nothing twice', async () => {
    const { c: parent } = await aCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution' });
    const { c: dup, answer } = await aCase({ status: 'ASSIGNED', waitingFor: 'acknowledgement' });
    tokens.failNextAnswers = 1;

    await expect(mergeCase(ports(), AGENT, dup.caseNo, { parentCaseNo: parent.caseNo })).rejects.toThrow('socket hang up');
    await mergeCase(ports(), AGENT, dup.caseNo, { parentCaseNo: parent.caseNo });
    await mergeCase(ports(), AGENT, dup.caseNo, { parentCaseNo: parent.caseNo });

    await expect(answer).rejects.toMatchObject({ name: 'Case.Merged', message: parent.caseNo });
    expect(await cases.get(dup.caseNo)).toMatchObject({ status: 'MERGED', parentCaseNo: parent.caseNo, version: 2 });
    expect(await cases.get(parent.caseNo)).toMatchObject({ duplicates: [dup.caseNo], version: 2 });
    expect(await types(parent.caseNo)).toEqual(['created', 'merged']);
    expect(await types(dup.caseNo)).toEqual(['created', 'merged']);
  });

  it('a case cannot be merged into itself, into a closed case, or into a second parent', async () => {
    const { c: parent } = await aCase({ status: 'ASSIGNED' });
    const { c: other } = await aCase({ status: 'ASSIGNED' });
    const { c: closed } = await aCase({ status: 'CLOSED' });
    const { c: dup } = await aCase({ status: 'ASSIGNED' });

    await expect(mergeCase(ports(), AGENT, dup.caseNo, { parentCaseNo: dup.caseNo })).rejects.toMatchObject({ fields: [{ path: 'parentCaseNo' }] });
    await expect(mergeCase(ports(), AGENT, dup.caseNo, { parentCaseNo: closed.caseNo })).rejects.toMatchObject({ fields: [{ path: 'parentCaseNo' }] });
    await mergeCase(ports(), AGENT, dup.caseNo, { parentCaseNo: parent.caseNo });
    await expect(mergeCase(ports(), AGENT, dup.caseNo, { parentCaseNo: other.caseNo })).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('an action that ends the case ends the wait in the same write', () => {
  it('a satisfied survey, a cancel and a merge leave no waitingFor, only the spent token, in one write with one timeline event', async () => {
    const { c: surveyed } = await aCase({ status: 'RESOLVED', waitingFor: 'survey' });
    const { c: cancelled } = await aCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution' });
    const { c: parent } = await aCase({ status: 'ACKNOWLEDGED', waitingFor: 'resolution' });
    const { c: dup } = await aCase({ status: 'ASSIGNED', waitingFor: 'acknowledgement' });

    const answered = [
      await recordSurvey(ports(), AGENT, surveyed.caseNo, { answer: 'satisfied' }),
      await cancelCase(ports(), AGENT, cancelled.caseNo, { reason: '民眾撤案' }),
      await mergeCase(ports(), AGENT, dup.caseNo, { parentCaseNo: parent.caseNo }),
    ];

    for (const [i, [before, event]] of ([[surveyed, 'survey'], [cancelled, 'cancelled'], [dup, 'merged']] as const).entries()) {
      const stored = await cases.get(before.caseNo);
      expect(stored?.waitingFor).toBeUndefined();
      expect(stored?.pendingTaskToken).toBe(before.pendingTaskToken);
      // The ending change is the only write: no cleanup after the answer.
      expect(stored?.version).toBe(before.version + 1);
      expect(answered[i]).toEqual(stored);
      expect(await types(before.caseNo)).toEqual(['created', event]);
    }
    expect(tokens.answers.map((a) => a.token)).toEqual([surveyed.pendingTaskToken, cancelled.pendingTaskToken, dup.pendingTaskToken]);
  });

  it('the token stays while the send fails; the retry answers, and a later retry is still a 200 that answers nothing twice', async () => {
    const { c, answer } = await aCase({ status: 'RESOLVED', waitingFor: 'survey' });
    tokens.failNextAnswers = 1;

    await expect(recordSurvey(ports(), AGENT, c.caseNo, { answer: 'satisfied' })).rejects.toThrow('socket hang up');
    const written = await cases.get(c.caseNo);
    expect(written).toMatchObject({ status: 'CLOSED', pendingTaskToken: c.pendingTaskToken });
    expect(written?.waitingFor).toBeUndefined();
    await recordSurvey(ports(), AGENT, c.caseNo, { answer: 'satisfied' });
    const again = await recordSurvey(ports(), AGENT, c.caseNo, { answer: 'satisfied' });

    await expect(answer).resolves.toEqual({ outcome: 'surveyed', answer: 'satisfied' });
    expect(tokens.answers).toHaveLength(1);
    expect(again.status).toBe('CLOSED');
    expect(again.waitingFor).toBeUndefined();
    expect(again.version).toBe(written?.version);
    expect(await types(c.caseNo)).toEqual(['created', 'survey']);
  });

  it('a task that is already over still ends its wait on the case; an unsatisfied survey keeps the token for the next step', async () => {
    const { c: over } = await aCase({ status: 'ASSIGNED', waitingFor: 'acknowledgement', pendingTaskToken: 'spent-token' });
    const { c: unhappy } = await aCase({ status: 'RESOLVED', waitingFor: 'survey' });

    await cancelCase(ports(), AGENT, over.caseNo, { reason: '重複' });
    await recordSurvey(ports(), AGENT, unhappy.caseNo, { answer: 'unsatisfied' });

    expect(await cases.get(over.caseNo)).toMatchObject({ status: 'CANCELLED' });
    expect((await cases.get(over.caseNo))?.waitingFor).toBeUndefined();
    expect(await cases.get(unhappy.caseNo)).toMatchObject({ status: 'REOPENED', waitingFor: 'survey', pendingTaskToken: unhappy.pendingTaskToken });
  });
});
