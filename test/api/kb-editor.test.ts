/**
 * Writing the knowledge base through the API, against dynalite seeded from config/kb-articles.json: a department
 * editor drafts and edits their department's articles, a supervisor publishes and retires, every change is a
 * version with who and why, a stale version is a 412 naming If-Match, and what the public and the agents see
 * follows the published version only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, guardAgainstScan, type LocalTable } from '../support/dynalite';
import type { ApiHandler } from '../../functions/api/http';
import type { JwtClaims } from '../../functions/api/actor-from-claims';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { ARTICLE_LIMITS } from '../../functions/kb/article';
import { apiEvent, call, CLAIMS } from './support/events';

let local: LocalTable;
let editor: ApiHandler;
let search: ApiHandler;
let publicReads: ApiHandler;
let restoreClock: () => void;
const clock = new ManualClock('2026-12-02T02:00:00.000Z');

beforeAll(async () => {
  restoreClock = useClock(clock);
  local = await startDynalite({ tableName: 'citydesk-kb-editor-test', seedKnowledgeBase: true });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.TABLE_NAME = local.tableName;
  guardAgainstScan((await import('../../functions/adapters/clients')).ddb());
  editor = (await import('../../functions/api/handlers/kb-editor')).handler;
  search = (await import('../../functions/api/handlers/kb-search')).handler;
  publicReads = (await import('../../functions/api/handlers/kb-public')).handler;
});
afterAll(async () => {
  restoreClock();
  await local.close();
});

type Edited = { article: { id: string; version: number; status: string; by: string; reason: string; answer: { zh: string } }; publishedVersion?: number };
type ErrorBody = { error: { code: string; fields?: Array<{ path: string; message: string }>; currentVersion?: number; details?: Record<string, unknown> } };
type ListItem = { id: string; status: string; department: string; version: number; pastReview: boolean; publishedVersion?: number };

const content = (over: Record<string, unknown> = {}) => ({
  title: { zh: '騎樓地磚破損怎麼申請修繕' },
  questions: ['騎樓地磚翹起來誰要修', '騎樓地板壞掉可以報修嗎'],
  answer: { zh: '騎樓屬私人產權，由所有權人修繕；若影響通行，可通報工務局派員勘查並通知所有權人限期改善。' },
  department: 'PWD',
  categories: ['arcade-obstruction'],
  reviewBy: '2027-06-30',
  ...over,
});

function editorCall(routeId: string, claims: JwtClaims, input: { articleId?: string; body?: unknown; version?: number; query?: Record<string, string> } = {}) {
  return call(
    editor,
    apiEvent(routeId, {
      claims,
      ...(input.articleId ? { pathParameters: { articleId: input.articleId } } : {}),
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(input.version !== undefined ? { headers: { 'if-match': `"${input.version}"` } } : {}),
      ...(input.query ? { query: input.query } : {}),
    }),
  );
}

const draft = (id: string, claims: JwtClaims = CLAIMS.staffPwd, over: Record<string, unknown> = {}) =>
  editorCall('createArticleDraft', claims, { body: { id, reason: '民眾常問騎樓修繕', ...content(over) } });
const publish = (id: string, version: number, claims: JwtClaims = CLAIMS.supervisor) => editorCall('publishArticle', claims, { articleId: id, version, body: { reason: '內容已核對' } });
const publicArticle = (id: string) => call(publicReads, apiEvent('getPublicArticle', { pathParameters: { articleId: id }, claims: null }));
const agentSearch = async (q: string) =>
  ((await call(search, apiEvent('searchArticles', { query: { q, limit: '10' }, claims: CLAIMS.agent }))).body as { items: Array<{ id: string; version: number }> }).items;
const fieldsOf = (body: unknown) => ((body as ErrorBody).error.fields ?? []).map((f) => f.path);

describe('a department editor drafts, a supervisor publishes', () => {
  it('a draft is version 1 by its editor, invisible to the public and to the agents until a supervisor publishes it; then both see it', async () => {
    const created = await draft('arcade-tile-repair');

    expect(created.statusCode, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect((created.body as Edited).article).toMatchObject({ id: 'arcade-tile-repair', version: 1, status: 'draft', by: 'staff-pwd', reason: '民眾常問騎樓修繕' });
    expect((await publicArticle('arcade-tile-repair')).statusCode).toBe(404);
    expect((await agentSearch('騎樓地磚翹起來')).map((h) => h.id)).not.toContain('arcade-tile-repair');

    const published = await publish('arcade-tile-repair', 1);

    expect(published.statusCode, JSON.stringify(published.body)).toBe(200);
    expect(published.headers.etag).toBe('"2"');
    expect((published.body as Edited).article).toMatchObject({ version: 2, status: 'published', by: 'sup-1' });
    expect((await publicArticle('arcade-tile-repair')).body).toMatchObject({ id: 'arcade-tile-repair', version: 2 });
    expect((await agentSearch('騎樓地磚翹起來誰要修'))[0]).toMatchObject({ id: 'arcade-tile-repair', version: 2 });
  });

  it('an edit of a published article is a new draft: the public keeps the published version until the next publish, and every version says who and why', async () => {
    await draft('arcade-tile-fee');
    await publish('arcade-tile-fee', 1);

    const edited = await editorCall('editArticle', CLAIMS.staffPwd, {
      articleId: 'arcade-tile-fee',
      version: 2,
      body: { ...content({ answer: { zh: '自民國116年起，騎樓修繕可申請補助，最高新臺幣三萬元，請洽工務局。' } }), reason: '新增補助說明' },
    });

    expect(edited.statusCode, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ article: { version: 3, status: 'draft' }, publishedVersion: 2 });
    expect((await publicArticle('arcade-tile-fee')).body).toMatchObject({ version: 2 });

    await publish('arcade-tile-fee', 3);
    const versions = await editorCall('listArticleVersions', CLAIMS.staffPwd, { articleId: 'arcade-tile-fee' });

    expect((await publicArticle('arcade-tile-fee')).body).toMatchObject({ version: 4, answer: { zh: expect.stringContaining('補助') as string } });
    expect((versions.body as { items: Edited['article'][] }).items.map((v) => [v.version, v.status, v.by, v.reason])).toEqual([
      [4, 'published', 'sup-1', '內容已核對'],
      [3, 'draft', 'staff-pwd', '新增補助說明'],
      [2, 'published', 'sup-1', '內容已核對'],
      [1, 'draft', 'staff-pwd', '民眾常問騎樓修繕'],
    ]);
  });

  it('a retired article leaves the public reads and the search at once', async () => {
    expect((await agentSearch('路燈不亮要找誰報修')).map((h) => h.id)).toContain('street-light-report');
    const current = (await editorCall('getArticleForEditing', CLAIMS.supervisor, { articleId: 'street-light-report' })).headers.etag;

    const retired = await editorCall('retireArticle', CLAIMS.supervisor, { articleId: 'street-light-report', version: Number(current.replaceAll('"', '')), body: { reason: '併入路燈維修專頁' } });

    expect(retired.statusCode, JSON.stringify(retired.body)).toBe(200);
    expect((retired.body as Edited).article.status).toBe('retired');
    expect((await publicArticle('street-light-report')).statusCode).toBe(404);
    expect((await agentSearch('路燈不亮要找誰報修')).map((h) => h.id)).not.toContain('street-light-report');
  });
});

describe('who may do what', () => {
  it('only a supervisor publishes or retires: an editor, an admin and an agent get 403, and nothing is published', async () => {
    await draft('arcade-tile-who');

    for (const claims of [CLAIMS.staffPwd, CLAIMS.admin, CLAIMS.agent]) {
      expect((await publish('arcade-tile-who', 1, claims)).statusCode).toBe(403);
      expect((await editorCall('retireArticle', claims, { articleId: 'arcade-tile-who', version: 1, body: { reason: '不需要' } })).statusCode).toBe(403);
    }
    expect((await publicArticle('arcade-tile-who')).statusCode).toBe(404);
  });

  it("a department editor writes only their own department's articles; an admin writes any", async () => {
    const forOther = await draft('litter-tile-epd', CLAIMS.staffPwd, { department: 'EPD', categories: [] });
    const otherArticle = await editorCall('editArticle', CLAIMS.staffPwd, { articleId: 'waste-collection-times', version: 1, body: { ...content({ department: 'EPD' }), reason: '改' } });
    await draft('arcade-tile-move');
    const moved = await editorCall('editArticle', CLAIMS.staffPwd, { articleId: 'arcade-tile-move', version: 1, body: { ...content({ department: 'EPD' }), reason: '移給環保局' } });
    const byAdmin = await editorCall('editArticle', CLAIMS.admin, { articleId: 'arcade-tile-move', version: 1, body: { ...content({ department: 'EPD' }), reason: '移給環保局' } });

    expect(forOther.statusCode).toBe(403);
    // Another department's article is not in a department editor's reach at all: like an unknown id.
    expect(otherArticle.statusCode).toBe(404);
    expect(moved.statusCode).toBe(403);
    expect(byAdmin.statusCode, JSON.stringify(byAdmin.body)).toBe(200);
  });

  it("lists: an editor sees their department's articles, a supervisor filters by status and by past review-by date", async () => {
    const staff = ((await editorCall('listArticlesForEditing', CLAIMS.staffEpd, { query: { department: 'PWD' } })).body as { items: ListItem[] }).items;
    const drafts = ((await editorCall('listArticlesForEditing', CLAIMS.supervisor, { query: { status: 'draft' } })).body as { items: ListItem[] }).items;
    const overdue = ((await editorCall('listArticlesForEditing', CLAIMS.supervisor, { query: { pastReview: 'true' } })).body as { items: ListItem[] }).items;

    expect(staff.length).toBeGreaterThan(5);
    expect(staff.every((a) => a.department === 'EPD')).toBe(true);
    expect(drafts.map((a) => a.id)).toEqual(expect.arrayContaining(['draft-water-rationing', 'arcade-tile-who']));
    expect(drafts.every((a) => a.status === 'draft')).toBe(true);
    expect(overdue.map((a) => a.id).sort()).toEqual(['holiday-waste-schedule', 'isolation-rules', 'quarantine-hotel-2022']);
  });
});

describe('bad input names the field', () => {
  it.each([
    ['an empty title', { title: { zh: '  ' } }, 'title.zh'],
    ['an oversized answer', { answer: { zh: '答'.repeat(ARTICLE_LIMITS.answer + 1) } }, 'answer.zh'],
    ['an unknown department', { department: 'NOPE' }, 'department'],
    ['an unknown category', { categories: ['no-such-category'] }, 'categories.0'],
    ['a review-by date already past', { reviewBy: '2026-11-01' }, 'reviewBy'],
  ])('%s is a 400 naming %s', async (_what, over, field) => {
    const res = await draft('arcade-tile-bad', CLAIMS.admin, over);

    expect(res.statusCode, JSON.stringify(res.body)).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
  });

  it('a change without a reason is a 400 naming reason', async () => {
    const res = await editorCall('createArticleDraft', CLAIMS.admin, { body: { id: 'arcade-tile-why', ...content() } });

    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['reason']);
  });

  it('an id already used is a 409 naming id', async () => {
    const res = await draft('pothole-report');

    expect(res.statusCode).toBe(409);
    expect((res.body as ErrorBody).error.details).toMatchObject({ field: 'id' });
  });

  it('publishing what is not a draft is a 409 naming status', async () => {
    const res = await publish('pothole-report', 1);

    expect(res.statusCode).toBe(409);
    expect((res.body as ErrorBody).error.details).toMatchObject({ field: 'status', status: 'published' });
  });
});

describe('a stale version', () => {
  it('an edit against a version no longer current is a 412 naming If-Match with the current version, and writes nothing; without If-Match a 428', async () => {
    await draft('arcade-tile-stale');
    const first = await editorCall('editArticle', CLAIMS.staffPwd, { articleId: 'arcade-tile-stale', version: 1, body: { ...content(), reason: '第一次修改' } });

    const stale = await editorCall('editArticle', CLAIMS.staffPwd, { articleId: 'arcade-tile-stale', version: 1, body: { ...content(), reason: '沒看到別人的修改' } });
    const stalePublish = await publish('arcade-tile-stale', 1);
    const missing = await editorCall('editArticle', CLAIMS.staffPwd, { articleId: 'arcade-tile-stale', body: { ...content(), reason: '沒帶版本' } });
    const versions = (await editorCall('listArticleVersions', CLAIMS.staffPwd, { articleId: 'arcade-tile-stale' })).body as { items: unknown[] };

    expect(first.statusCode).toBe(200);
    expect(stale.statusCode).toBe(412);
    expect(stale.body).toMatchObject({ error: { code: 'PRECONDITION_FAILED', currentVersion: 2, fields: [{ path: 'If-Match' }] } });
    expect(stalePublish.statusCode).toBe(412);
    expect(missing.statusCode).toBe(428);
    expect(versions.items).toHaveLength(2);
  });

  it('two editors saving on the same version at once: one wins, the other gets a 412 (the conditional write decides)', async () => {
    await draft('arcade-tile-race');

    const results = await Promise.all(
      ['甲的修改', '乙的修改'].map((reason) => editorCall('editArticle', CLAIMS.staffPwd, { articleId: 'arcade-tile-race', version: 1, body: { ...content(), reason } })),
    );
    const versions = (await editorCall('listArticleVersions', CLAIMS.staffPwd, { articleId: 'arcade-tile-race' })).body as { items: unknown[] };

    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412]);
    expect(versions.items).toHaveLength(2);
  });
});
