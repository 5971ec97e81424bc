/**
 * Inquiries through POST /cases against dynalite, Step Functions mocked: a call answered from an article (or with
 * no article fitting) closes on the spot in one state transition without a workflow, is counted, and a question
 * no article answered becomes an article request for the department; an escalated inquiry runs as any case.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { startDynalite, guardAgainstScan, type LocalTable } from '../support/dynalite';
import type { ApiHandler } from '../../functions/api/http';
import { DynamoInquiryLog } from '../../functions/adapters/inquiry-log';
import { DynamoCaseStatistics } from '../../functions/adapters/case-statistics';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { apiEvent, call, CLAIMS } from './support/events';

const STATE_MACHINE = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:case-lifecycle';
const sfnMock = mockClient(SFNClient);
const clock = new ManualClock('2026-12-02T02:00:00.000Z');

let local: LocalTable;
let restoreClock: () => void;
let log: DynamoInquiryLog;
let h: Record<'createCase' | 'timeline' | 'kbDesk', ApiHandler>;

beforeAll(async () => {
  restoreClock = useClock(clock);
  local = await startDynalite({ tableName: 'citydesk-inquiry-test', seedKnowledgeBase: true });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.TABLE_NAME = local.tableName;
  process.env.CASE_WORKFLOW_ARN = STATE_MACHINE;
  guardAgainstScan((await import('../../functions/adapters/clients')).ddb());
  log = new DynamoInquiryLog(local.ddb, local.tableName);
  h = {
    createCase: (await import('../../functions/api/handlers/create-case')).handler,
    timeline: (await import('../../functions/api/handlers/get-timeline')).handler,
    kbDesk: (await import('../../functions/api/handlers/kb-desk')).handler,
  };
});
afterAll(async () => {
  sfnMock.restore();
  restoreClock();
  await local.close();
});
beforeEach(() => {
  sfnMock.reset();
  sfnMock.on(StartExecutionCommand).callsFake((input: { name: string }) => ({ executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${input.name}`, startDate: new Date(0) }));
});

const question = (inquiry: unknown, category = 'epidemic-info') => ({
  category,
  description: '民眾詢問流感疫苗哪裡可以打',
  location: { district: 'zhongli', address: '中壢區' },
  reporter: { anonymous: true, notify: 'none' },
  channel: 'phone',
  inquiry,
});

type CaseBody = { caseNo: string; status: string; version: number; closedAt?: string; department?: string; inquiry?: Record<string, unknown> };
type Events = { items: Array<{ type: string; data?: Record<string, unknown> }> };

describe('an inquiry answered on the call', () => {
  it('closes at once from a published article: NEW -> CLOSED in one write, no workflow, no department, counted for the article', async () => {
    const before = await log.figures('2026-12');

    const res = await call(h.createCase, apiEvent('createCase', { body: question({ outcome: 'answered', articleId: 'flu-vaccine' }), claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(201);
    const c = res.body as CaseBody;
    expect(c.status).toBe('CLOSED');
    expect(c.closedAt).toBe('2026-12-02T02:00:00.000Z');
    expect(c.version).toBe(2);
    expect(c.department).toBeUndefined();
    expect(c.inquiry).toEqual({ outcome: 'answered', articleId: 'flu-vaccine', articleVersion: 1 });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
    const timeline = (await call(h.timeline, apiEvent('getCaseTimeline', { pathParameters: { caseNo: c.caseNo }, claims: CLAIMS.agent }))).body as Events;
    expect(timeline.items.map((e) => e.type)).toEqual(['created', 'closed']);
    expect(timeline.items[1].data).toMatchObject({ from: 'NEW', to: 'CLOSED', firstContact: true, articleId: 'flu-vaccine' });
    const after = await log.figures('2026-12');
    expect(after.answered).toBe(before.answered + 1);
    // Never routed, still counted in its intake hour for the early warnings.
    const hour = await new DynamoCaseStatistics(local.ddb, local.tableName).hourlyCounts(['2026-12-02T02']);
    expect(hour.find((r) => r.category === 'epidemic-info')?.count).toBeGreaterThanOrEqual(1);
    expect(after.articles['flu-vaccine']).toBe((before.articles['flu-vaccine'] ?? 0) + 1);
  });

  it('closes with no article fitting, and keeps the question as an article request for the SOP department', async () => {
    const res = await call(h.createCase, apiEvent('createCase', { body: question({ outcome: 'no-article', question: '寵物可以一起去疫苗接種站嗎' }), claims: CLAIMS.agent }));

    const c = res.body as CaseBody;
    expect(c.status).toBe('CLOSED');
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
    const requests = await log.articleRequests('2026-12', 'HEALTH', 10);
    expect(requests).toContainEqual(expect.objectContaining({ caseNo: c.caseNo, category: 'epidemic-info', question: '寵物可以一起去疫苗接種站嗎' }));
    expect((await log.figures('2026-12')).noArticle).toBeGreaterThanOrEqual(1);
  });

  it('a replay with the same Idempotency-Key returns the closed case and counts nothing twice', async () => {
    const headers = { 'idempotency-key': 'inquiry-replay-1' };
    const body = question({ outcome: 'answered', articleId: 'covid-vaccine' });
    const first = await call(h.createCase, apiEvent('createCase', { body, headers, claims: CLAIMS.agent }));
    const counted = await log.figures('2026-12');

    const again = await call(h.createCase, apiEvent('createCase', { body, headers, claims: CLAIMS.agent }));

    expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
    expect((again.body as CaseBody).caseNo).toBe((first.body as CaseBody).caseNo);
    expect(await log.figures('2026-12')).toEqual(counted);
  });
});

describe('an escalated inquiry', () => {
  it('runs as any case: stays NEW with its workflow started, counted as escalated', async () => {
    const before = (await log.figures('2026-12')).escalated;

    const res = await call(h.createCase, apiEvent('createCase', { body: question({ outcome: 'escalated', question: '接種後發燒要去哪裡看診' }), claims: CLAIMS.agent }));

    const c = res.body as CaseBody;
    expect(res.statusCode, JSON.stringify(res.body)).toBe(201);
    expect(c.status).toBe('NEW');
    expect(sfnMock.commandCalls(StartExecutionCommand).map((x) => x.args[0].input.name)).toEqual([c.caseNo]);
    expect((await log.figures('2026-12')).escalated).toBe(before + 1);
  });
});

describe('bad inquiries name the field', () => {
  it('an inquiry on a category that is not one is a 400 naming inquiry; nothing is created', async () => {
    const res = await call(h.createCase, apiEvent('createCase', { body: question({ outcome: 'answered', articleId: 'flu-vaccine' }, 'pothole'), claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.body)).toContain('"inquiry"');
  });

  it('an answer from a draft or unknown article is a 400 naming inquiry.articleId', async () => {
    for (const articleId of ['draft-water-rationing', 'no-such-article']) {
      const res = await call(h.createCase, apiEvent('createCase', { body: question({ outcome: 'answered', articleId }), claims: CLAIMS.agent }));
      expect(res.statusCode, articleId).toBe(400);
      expect(JSON.stringify(res.body), articleId).toContain('inquiry.articleId');
    }
  });

  it('no article without the question, or an unknown outcome, is a 400 naming the field', async () => {
    const noQuestion = await call(h.createCase, apiEvent('createCase', { body: question({ outcome: 'no-article' }), claims: CLAIMS.agent }));
    const unknown = await call(h.createCase, apiEvent('createCase', { body: question({ outcome: 'ignored' }), claims: CLAIMS.agent }));

    expect(noQuestion.statusCode).toBe(400);
    expect(JSON.stringify(noQuestion.body)).toContain('inquiry.question');
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('inquiry');
  });
});

describe('figures and article requests', () => {
  type Figures = { inquiries: number; closedOnCall: number; escalated: number; firstContactResolution: number | null; topArticles: Array<{ articleId: string; title?: string; calls: number }>; questionsWithoutArticle: Array<{ question: string }> };

  it('gives supervisors first-contact resolution, the most used articles with titles and the questions no article answered', async () => {
    const res = await call(h.kbDesk, apiEvent('getKbFigures', { query: { month: '2026-12' }, claims: CLAIMS.supervisor }));

    expect(res.statusCode).toBe(200);
    const f = res.body as Figures;
    expect(f.inquiries).toBe(f.closedOnCall + f.escalated);
    expect(f.firstContactResolution).toBeCloseTo(f.closedOnCall / f.inquiries);
    expect(f.topArticles).toContainEqual({ articleId: 'flu-vaccine', title: expect.any(String) as string, calls: 1 });
    expect(f.questionsWithoutArticle.map((q) => q.question)).toContain('寵物可以一起去疫苗接種站嗎');
  });

  it("a month without inquiries has no first-contact resolution rather than a made-up one", async () => {
    const res = await call(h.kbDesk, apiEvent('getKbFigures', { query: { month: '2026-01' }, claims: CLAIMS.admin }));

    expect(res.body).toMatchObject({ inquiries: 0, firstContactResolution: null, topArticles: [] });
  });

  it("department staff read their own department's article requests only; agents may not read figures (403)", async () => {
    const epd = await call(h.kbDesk, apiEvent('listArticleRequests', { query: { month: '2026-12', department: 'HEALTH' }, claims: CLAIMS.staffEpd }));
    const supervisor = await call(h.kbDesk, apiEvent('listArticleRequests', { query: { month: '2026-12', department: 'HEALTH' }, claims: CLAIMS.supervisor }));
    const agent = await call(h.kbDesk, apiEvent('getKbFigures', { claims: CLAIMS.agent }));
    const badMonth = await call(h.kbDesk, apiEvent('getKbFigures', { query: { month: '2026-13' }, claims: CLAIMS.supervisor }));

    expect((epd.body as { items: unknown[] }).items).toEqual([]);
    expect((supervisor.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
    expect(agent.statusCode).toBe(403);
    expect(badMonth.statusCode).toBe(400);
    expect(JSON.stringify(badMonth.body)).toContain('month');
  });
});

describe('articles due for review', () => {
  type Due = { items: Array<{ id: string; department: string; reviewBy: string }> };

  it("lists published articles past their review-by date: staff their department's, supervisors any", async () => {
    const all = (await call(h.kbDesk, apiEvent('listArticlesDueForReview', { claims: CLAIMS.supervisor }))).body as Due;
    const epd = (await call(h.kbDesk, apiEvent('listArticlesDueForReview', { query: { department: 'HEALTH' }, claims: CLAIMS.staffEpd }))).body as Due;
    const agent = await call(h.kbDesk, apiEvent('listArticlesDueForReview', { claims: CLAIMS.agent }));

    expect(all.items.length).toBeGreaterThan(0);
    for (const a of all.items) expect(a.reviewBy < '2026-12-02').toBe(true);
    expect(epd.items.map((a) => a.id)).toEqual(['holiday-waste-schedule']);
    expect(agent.statusCode).toBe(403);
  });
});
