/**
 * The knowledge-base routes against dynalite seeded from config/kb-articles.json, as the deploy step and the
 * local cloud seed it: the agents' search, the public list and article, and what the public never sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { startDynalite, guardAgainstScan, type LocalTable } from '../support/dynalite';
import type { ApiHandler } from '../../functions/api/http';
import { ArticleEntity } from '../../functions/adapters/table';
import { DynamoArticleStore } from '../../functions/adapters/article-store';
import { PublishedLibrary } from '../../functions/kb/published-library';
import { createChineseTokenizer } from '../../functions/kb/tokenizer';
import { loadKbLexicon } from '../../functions/kb/seed';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { apiEvent, call, CLAIMS } from './support/events';

let local: LocalTable;
let search: ApiHandler;
let publicReads: ApiHandler;
let restoreClock: () => void;
const clock = new ManualClock('2026-12-02T02:00:00.000Z');

beforeAll(async () => {
  restoreClock = useClock(clock);
  local = await startDynalite({ tableName: 'citydesk-kb-test', seedKnowledgeBase: true });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.TABLE_NAME = local.tableName;
  guardAgainstScan((await import('../../functions/adapters/clients')).ddb());
  search = (await import('../../functions/api/handlers/kb-search')).handler;
  publicReads = (await import('../../functions/api/handlers/kb-public')).handler;
});
afterAll(async () => {
  restoreClock();
  await local.close();
});

type Hit = { id: string; title: { zh: string }; answer: { zh: string }; internalNote?: string; pastReview: boolean; snippet: { text: string; highlights: [number, number][] } };
type PublicPage = { items: Array<{ id: string; snippet: string }>; page: number; limit: number; total: number };

describe('GET /kb/search (agents)', () => {
  it("ranks the published article answering the caller's words first, with its answer, internal note and the matched words", async () => {
    const res = await call(search, apiEvent('searchArticles', { query: { q: '拖吊的車要去哪裡領' }, claims: CLAIMS.agent }));

    expect(res.statusCode).toBe(200);
    const items = (res.body as { items: Hit[] }).items;
    expect(items[0].id).toBe('towed-vehicle');
    expect(items[0].answer.zh.length).toBeGreaterThan(20);
    expect(items[0].internalNote).toContain('車號');
    expect(items[0].snippet.highlights.length).toBeGreaterThan(0);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('never offers a draft or a retired article', async () => {
    const draft = await call(search, apiEvent('searchArticles', { query: { q: '限水期間分區供水', limit: '10' }, claims: CLAIMS.agent }));
    const retired = await call(search, apiEvent('searchArticles', { query: { q: '防疫旅館居家檢疫', limit: '10' }, claims: CLAIMS.agent }));

    const ids = [...(draft.body as { items: Hit[] }).items, ...(retired.body as { items: Hit[] }).items].map((h) => h.id);
    expect(ids).not.toContain('draft-water-rationing');
    expect(ids).not.toContain('quarantine-hotel-2022');
  });

  it('is for signed-in staff: an integration client is refused (403), and empty words name the field (400)', async () => {
    const integration = await call(search, apiEvent('searchArticles', { query: { q: '垃圾車' }, claims: CLAIMS.integration }));
    const empty = await call(search, apiEvent('searchArticles', { query: { q: '  ' }, claims: CLAIMS.agent }));
    const tooMany = await call(search, apiEvent('searchArticles', { query: { q: '垃圾車', limit: '11' }, claims: CLAIMS.agent }));

    expect(integration.statusCode).toBe(403);
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('q');
    expect(tooMany.statusCode).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('limit');
  });

  it('sees an article published after the index was built once the stored revision moves, without a Scan', async () => {
    const store = new DynamoArticleStore(local.ddb, local.tableName);
    const library = new PublishedLibrary(store, createChineseTokenizer(loadKbLexicon()), 1000);
    const before = await library.current();
    await local.ddb.send(
      new PutCommand({
        TableName: local.tableName,
        Item: {
          ...ArticleEntity.publishedKey('mooncake-fireworks'),
          entity: 'KB',
          id: 'mooncake-fireworks',
          version: 1,
          title: { zh: '中秋節河濱烤肉與煙火規定' },
          questions: ['中秋節可以在河濱烤肉嗎'],
          answer: { zh: '河濱公園開放烤肉區可烤肉，施放煙火須遵守時段。' },
          department: 'EPD',
          categories: [],
          links: [],
          tags: [],
          reviewBy: '2027-09-30',
          publishedAt: '2026-12-02T02:00:00.000Z',
          publishedBy: 'sup-1',
        },
      }),
    );

    const sameRevision = await library.current();
    await store.bumpRevision();
    const withinRecheck = await library.current();
    clock.advance(1001);
    const after = await library.current();

    expect(sameRevision).toBe(before);
    expect(withinRecheck).toBe(before);
    expect(after.articles.has('mooncake-fireworks')).toBe(true);
    expect(after.index.search('河濱烤肉', { today: '2026-12-02' })[0].id).toBe('mooncake-fireworks');
  });
});

describe('GET /kb/articles and /kb/articles/{articleId} (public)', () => {
  it('pages the published articles without sign-in, with public cache headers', async () => {
    const first = await call(publicReads, apiEvent('listPublicArticles', { query: { limit: '50' }, claims: null }));
    const second = await call(publicReads, apiEvent('listPublicArticles', { query: { limit: '50', page: '2' }, claims: null }));

    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    const [p1, p2] = [first.body as PublicPage, second.body as PublicPage];
    expect(p1.items).toHaveLength(50);
    expect(p1.total).toBe(p2.total);
    expect(new Set([...p1.items, ...p2.items].map((a) => a.id)).size).toBe(p1.total);
    expect([...p1.items, ...p2.items].map((a) => a.id)).not.toContain('draft-water-rationing');
  });

  it('searches the published articles with q', async () => {
    const res = await call(publicReads, apiEvent('listPublicArticles', { query: { q: '颱風假明天要上班嗎' }, claims: null }));

    expect((res.body as PublicPage).items[0].id).toBe('typhoon-day-off');
  });

  it('shows a published article without its internal note, review date or editor, with an ETag; a matching If-None-Match is a 304', async () => {
    const res = await call(publicReads, apiEvent('getPublicArticle', { pathParameters: { articleId: 'household-noise' }, claims: null }));
    const again = await call(publicReads, apiEvent('getPublicArticle', { pathParameters: { articleId: 'household-noise' }, headers: { 'if-none-match': res.headers.etag }, claims: null }));

    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers.etag).toBe('"1"');
    const body = res.body as Record<string, unknown>;
    expect(body.id).toBe('household-noise');
    expect(body).not.toHaveProperty('internalNote');
    expect(body).not.toHaveProperty('reviewBy');
    expect(body).not.toHaveProperty('publishedBy');
    expect(again.statusCode).toBe(304);
    expect(again.body).toBeUndefined();
  });

  it('answers a draft, a retired and an unknown article alike: 404, not cached', async () => {
    for (const articleId of ['draft-water-rationing', 'quarantine-hotel-2022', 'no-such-article']) {
      const res = await call(publicReads, apiEvent('getPublicArticle', { pathParameters: { articleId }, claims: null }));
      expect(res.statusCode, articleId).toBe(404);
      expect(res.headers['cache-control'], articleId).toBe('no-store');
      expect(JSON.stringify(res.body), articleId).not.toContain('限水');
    }
  });

  it('names the bad field: a malformed id, a page size over the limit (400)', async () => {
    const badId = await call(publicReads, apiEvent('getPublicArticle', { pathParameters: { articleId: 'X' }, claims: null }));
    const bigPage = await call(publicReads, apiEvent('listPublicArticles', { query: { limit: '51' }, claims: null }));

    expect(badId.statusCode).toBe(400);
    expect(JSON.stringify(badId.body)).toContain('articleId');
    expect(bigPage.statusCode).toBe(400);
    expect(JSON.stringify(bigPage.body)).toContain('limit');
  });

  it('never carries an internal note anywhere in the public list', async () => {
    const notes = (await new DynamoArticleStore(local.ddb, local.tableName).published()).flatMap((a) => (a.internalNote ? [a.internalNote] : []));
    const pages = await Promise.all([1, 2].map((page) => call(publicReads, apiEvent('listPublicArticles', { query: { limit: '50', page: String(page) }, claims: null }))));

    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) for (const p of pages) expect(JSON.stringify(p.body)).not.toContain(note.slice(0, 20));
  });
});
