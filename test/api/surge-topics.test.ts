/**
 * Surge topics through the API against dynalite: a supervisor pins one with its script and articles, every agent
 * reads it until it is unpinned or expires, calls logged under it are counted together; bad input names the field.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { startDynalite, guardAgainstScan, type LocalTable } from '../support/dynalite';
import type { ApiHandler } from '../../functions/api/http';
import { DynamoInquiryLog } from '../../functions/adapters/inquiry-log';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { apiEvent, call, CLAIMS } from './support/events';

const STATE_MACHINE = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:case-lifecycle';
const sfnMock = mockClient(SFNClient);
const clock = new ManualClock('2026-12-02T02:00:00.000Z');
let local: LocalTable;
let restoreClock: () => void;
let h: Record<'topics' | 'createCase' | 'kbDesk', ApiHandler>;

beforeAll(async () => {
  restoreClock = useClock(clock);
  local = await startDynalite({ tableName: 'citydesk-surge-test', seedKnowledgeBase: true });
  Object.assign(process.env, { AWS_ENDPOINT_URL_DYNAMODB: local.endpoint, TABLE_NAME: local.tableName, CASE_WORKFLOW_ARN: STATE_MACHINE });
  guardAgainstScan((await import('../../functions/adapters/clients')).ddb());
  h = {
    topics: (await import('../../functions/api/handlers/surge-topics')).handler,
    createCase: (await import('../../functions/api/handlers/create-case')).handler,
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
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE}:x`, startDate: new Date(0) });
});

const typhoon = {
  id: 'typhoon-krathon',
  title: '山陀兒颱風',
  script: '目前市府已宣布明日停班停課，垃圾車暫停收運一天。',
  articleIds: ['typhoon-day-off', 'holiday-waste-schedule'],
  expiresAt: '2026-12-04T00:00:00.000Z',
};
type Topics = { items: Array<{ id: string; script: string; articles: Array<{ id: string; title: string }> }> };

describe('surge topics', () => {
  it('a supervisor pins a topic; every agent sees it with its script and article titles', async () => {
    const pinned = await call(h.topics, apiEvent('pinSurgeTopic', { body: typhoon, claims: CLAIMS.supervisor }));
    const seen = await call(h.topics, apiEvent('listSurgeTopics', { claims: CLAIMS.agent }));

    expect(pinned.statusCode).toBe(201);
    const items = (seen.body as Topics).items;
    expect(items.map((t) => t.id)).toEqual(['typhoon-krathon']);
    expect(items[0].script).toBe(typhoon.script);
    expect(items[0].articles.map((a) => a.id)).toEqual(['typhoon-day-off', 'holiday-waste-schedule']);
  });

  it('counts the calls logged under the topic together, once per case', async () => {
    const body = {
      category: 'fallen-tree',
      description: '颱風把路樹吹倒了',
      location: { district: 'zhongli', address: '中壢區中正路' },
      reporter: { anonymous: true, notify: 'none' },
      channel: 'phone',
      attributes: { blockingRoad: 'partial' },
      surgeTopic: 'typhoon-krathon',
    };
    const headers = { 'idempotency-key': 'surge-1' };
    const first = await call(h.createCase, apiEvent('createCase', { body, headers, claims: CLAIMS.agent }));
    await call(h.createCase, apiEvent('createCase', { body, headers, claims: CLAIMS.agent }));
    const inquiry = await call(
      h.createCase,
      apiEvent('createCase', { body: { ...body, category: 'epidemic-info', attributes: {}, inquiry: { outcome: 'answered', articleId: 'typhoon-day-off' } }, claims: CLAIMS.agent }),
    );

    expect(first.statusCode, JSON.stringify(first.body)).toBe(201);
    expect((first.body as { surgeTopic?: string }).surgeTopic).toBe('typhoon-krathon');
    expect(inquiry.statusCode).toBe(201);
    expect((await new DynamoInquiryLog(local.ddb, local.tableName).figures('2026-12')).topics).toEqual({ 'typhoon-krathon': 2 });
    const figures = await call(h.kbDesk, apiEvent('getKbFigures', { query: { month: '2026-12' }, claims: CLAIMS.supervisor }));
    expect((figures.body as { callsPerSurgeTopic: unknown }).callsPerSurgeTopic).toEqual([{ topic: 'typhoon-krathon', calls: 2 }]);
  });

  it('leaves the intake screen when it expires or is unpinned; a call under it then names surgeTopic (400)', async () => {
    await call(h.topics, apiEvent('pinSurgeTopic', { body: { ...typhoon, id: 'water-outage-zhongli', title: '中壢停水', expiresAt: '2026-12-02T03:00:00.000Z' }, claims: CLAIMS.admin }));
    const both = (await call(h.topics, apiEvent('listSurgeTopics', { claims: CLAIMS.agent }))).body as Topics;
    clock.set('2026-12-02T03:00:01.000Z');
    const afterExpiry = (await call(h.topics, apiEvent('listSurgeTopics', { claims: CLAIMS.agent }))).body as Topics;
    const unpinned = await call(h.topics, apiEvent('unpinSurgeTopic', { pathParameters: { topicId: 'typhoon-krathon' }, claims: CLAIMS.supervisor }));
    const again = await call(h.topics, apiEvent('unpinSurgeTopic', { pathParameters: { topicId: 'typhoon-krathon' }, claims: CLAIMS.supervisor }));
    const none = (await call(h.topics, apiEvent('listSurgeTopics', { claims: CLAIMS.agent }))).body as Topics;
    const late = await call(
      h.createCase,
      apiEvent('createCase', { body: { category: 'fallen-tree', description: '路樹倒了', location: { district: 'zhongli', address: '中壢區' }, reporter: { anonymous: true, notify: 'none' }, channel: 'phone', surgeTopic: 'typhoon-krathon' }, claims: CLAIMS.agent }),
    );

    expect(both.items.map((t) => t.id).sort()).toEqual(['typhoon-krathon', 'water-outage-zhongli']);
    expect(afterExpiry.items.map((t) => t.id)).toEqual(['typhoon-krathon']);
    expect(unpinned.statusCode).toBe(204);
    expect(again.statusCode).toBe(404);
    expect(none.items).toEqual([]);
    expect(late.statusCode).toBe(400);
    expect(JSON.stringify(late.body)).toContain('surgeTopic');
  });

  it('only supervisors and admins pin (403); bad input names the field (400); an id used before is a 409', async () => {
    const agent = await call(h.topics, apiEvent('pinSurgeTopic', { body: { ...typhoon, id: 'agent-topic' }, claims: CLAIMS.agent }));
    const draft = await call(h.topics, apiEvent('pinSurgeTopic', { body: { ...typhoon, id: 'with-draft', articleIds: ['draft-water-rationing'], expiresAt: '2026-12-05T00:00:00.000Z' }, claims: CLAIMS.supervisor }));
    const past = await call(h.topics, apiEvent('pinSurgeTopic', { body: { ...typhoon, id: 'in-the-past', expiresAt: '2026-12-01T00:00:00.000Z' }, claims: CLAIMS.supervisor }));
    const empty = await call(h.topics, apiEvent('pinSurgeTopic', { body: { ...typhoon, id: 'empty-title', title: ' ' }, claims: CLAIMS.supervisor }));
    const reused = await call(h.topics, apiEvent('pinSurgeTopic', { body: { ...typhoon, expiresAt: '2026-12-05T00:00:00.000Z' }, claims: CLAIMS.supervisor }));

    expect(agent.statusCode).toBe(403);
    expect(draft.statusCode).toBe(400);
    expect(JSON.stringify(draft.body)).toContain('articleIds.0');
    expect(past.statusCode).toBe(400);
    expect(JSON.stringify(past.body)).toContain('expiresAt');
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('title');
    expect(reused.statusCode).toBe(409);
  });
});
