/**
 * Requests and responses of the knowledge-base routes, in zod like functions/api/schemas.ts: the handlers validate
 * with them, and `KB_ROUTE_SCHEMAS` documents them in OpenAPI.
 */
import * as z from 'zod';
import type { RouteSchemas } from '../api/schemas';
import { pinSurgeTopicBody, surgeTopicIdSchema } from './surge-topic';
import { articleContentSchema, articleIdSchema, articleLinkSchema, ARTICLE_LIMITS, ARTICLE_STATUSES, categoryCodeSchema, departmentCodeSchema } from './article';

/** What a caller says is short; longer text is the agent pasting a whole note, and is cut, not refused. */
export const SEARCH_TEXT_MAX = 200;
export const PUBLIC_PAGE_MAX = 50;

const boundedInt = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1').max(max, `must be at most ${max}`));

const searchText = /* @__PURE__ */ z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .transform((q) => q.slice(0, SEARCH_TEXT_MAX))
  .meta({ description: `What the caller says, as typed (the first ${SEARCH_TEXT_MAX} characters count)`, examples: ['颱風天垃圾車會來嗎'] });

export const agentSearchQuery = /* @__PURE__ */ z.strictObject({
  q: searchText,
  category: categoryCodeSchema.optional().meta({ description: "The intake's category: its articles rank higher" }),
  limit: boundedInt(10).optional(),
});

export const publicArticlesQuery = /* @__PURE__ */ z.strictObject({
  q: searchText.optional(),
  page: boundedInt(1000).default(1),
  limit: boundedInt(PUBLIC_PAGE_MAX).default(20),
});

const month = /* @__PURE__ */ z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM')
  .meta({ description: 'Taipei calendar month (default: this month)', examples: ['2026-12'] });

export const articleRequestsQuery = /* @__PURE__ */ z.strictObject({
  month: month.optional(),
  department: departmentCodeSchema.optional().meta({ description: "Supervisors and admins name a department (default: all); staff always get their own" }),
  limit: boundedInt(500).optional(),
});

export const reviewDueQuery = /* @__PURE__ */ z.strictObject({
  department: departmentCodeSchema.optional().meta({ description: 'Supervisors and admins name a department (default: all); staff always get their own' }),
});

export const kbFiguresQuery = /* @__PURE__ */ z.strictObject({ month: month.optional() });

export const articleIdPath = /* @__PURE__ */ z.object({ articleId: articleIdSchema.meta({ examples: ['waste-collection-times'] }) });

const localizedView = /* @__PURE__ */ z.object({ zh: z.string(), en: z.string().optional() });
const highlights = /* @__PURE__ */ z.array(z.tuple([z.number().int(), z.number().int()])).meta({ description: '[start, end) of matched words' });

export const agentArticleHitView = /* @__PURE__ */ z
  .object({
    id: z.string(),
    title: localizedView,
    titleHighlights: highlights,
    department: z.string(),
    categories: z.array(z.string()),
    version: z.number().int(),
    reviewBy: z.string(),
    pastReview: z.boolean().meta({ description: 'Past its review-by date: double-check the answer' }),
    score: z.number(),
    snippet: z.object({ text: z.string(), highlights, cutStart: z.boolean(), cutEnd: z.boolean() }),
    answer: localizedView,
    links: z.array(articleLinkSchema),
    internalNote: z.string().max(ARTICLE_LIMITS.internalNote).optional(),
    publishedAt: z.string(),
  })
  .meta({ id: 'AgentArticleHit' });

export const publicArticleView = /* @__PURE__ */ z
  .object({
    id: z.string(),
    title: localizedView,
    questions: z.array(z.string()),
    answer: localizedView,
    department: z.string(),
    categories: z.array(z.string()),
    links: z.array(articleLinkSchema),
    tags: z.array(z.string()),
    version: z.number().int(),
    publishedAt: z.string(),
  })
  .meta({ id: 'PublicArticle' });

const publicArticleSummaryView = /* @__PURE__ */ z
  .object({
    id: z.string(),
    title: localizedView,
    department: z.string(),
    categories: z.array(z.string()),
    tags: z.array(z.string()),
    version: z.number().int(),
    publishedAt: z.string(),
    snippet: z.string(),
  })
  .meta({ id: 'PublicArticleSummary' });

const articleRequestView = /* @__PURE__ */ z
  .object({ department: z.string(), at: z.string(), caseNo: z.string(), category: z.string(), question: z.string() })
  .meta({ id: 'ArticleRequest' });

export const kbFiguresView = /* @__PURE__ */ z
  .object({
    month: z.string(),
    inquiries: z.number().int(),
    closedOnCall: z.number().int(),
    answered: z.number().int(),
    noArticle: z.number().int(),
    escalated: z.number().int(),
    firstContactResolution: z.number().nullable().meta({ description: 'closedOnCall / inquiries' }),
    topArticles: z.array(z.object({ articleId: z.string(), title: z.string().optional(), calls: z.number().int() })),
    questionsWithoutArticle: z.array(articleRequestView),
    callsPerSurgeTopic: z.array(z.object({ topic: z.string(), calls: z.number().int() })),
  })
  .meta({ id: 'KbFigures' });

/** Why the change is made: every version keeps it, next to who made it and when. */
export const CHANGE_REASON_MAX = 500;
const changeReason = /* @__PURE__ */ z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(CHANGE_REASON_MAX, `must be at most ${CHANGE_REASON_MAX} characters`)
  .meta({ description: 'Why this change is made (kept with the version)', examples: ['Collection times change on 2027-01-01'] });

export const articleDraftBody = /* @__PURE__ */ articleContentSchema.extend({ id: articleIdSchema, reason: changeReason }).strict().meta({ id: 'ArticleDraft' });
export const articleEditBody = /* @__PURE__ */ articleContentSchema.extend({ reason: changeReason }).strict().meta({ id: 'ArticleEdit' });
export const articleChangeBody = /* @__PURE__ */ z.strictObject({ reason: changeReason }).meta({ id: 'ArticleStatusChange' });

export const editorArticlesQuery = /* @__PURE__ */ z.strictObject({
  status: z.enum(ARTICLE_STATUSES).optional().meta({ description: "The article's current status (a published article with a newer draft is a draft)" }),
  department: departmentCodeSchema.optional().meta({ description: "Supervisors and admins name a department (default: all); staff always get their own" }),
  pastReview: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'Only articles past their review-by date' }),
});

const articleVersionView = /* @__PURE__ */ publicArticleView
  .omit({ publishedAt: true })
  .extend({
    status: z.enum(ARTICLE_STATUSES),
    reviewBy: z.string(),
    internalNote: z.string().optional(),
    at: z.string(),
    by: z.string().meta({ description: 'Who made this version' }),
    reason: z.string().meta({ description: 'Why' }),
  })
  .meta({ id: 'ArticleVersion' });

const articleForEditingView = /* @__PURE__ */ z
  .object({
    article: articleVersionView,
    publishedVersion: z.number().int().optional().meta({ description: 'The version the public and the agents see' }),
    pastReview: z.boolean(),
  })
  .meta({ id: 'ArticleForEditing' });

const articleListItemView = /* @__PURE__ */ z
  .object({
    id: z.string(),
    version: z.number().int(),
    status: z.enum(ARTICLE_STATUSES),
    title: localizedView,
    department: z.string(),
    reviewBy: z.string(),
    pastReview: z.boolean(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    publishedVersion: z.number().int().optional(),
  })
  .meta({ id: 'ArticleListItem' });

const ifMatch = { 'If-Match': { required: true, description: 'The version read (the ETag of GET /kb/editor/articles/{articleId})' } };
const editedArticle = (description: string) => ({ description, schema: articleForEditingView, headers: { ETag: 'The new version (send it as If-Match next time)' } });

export const topicIdPath = /* @__PURE__ */ z.object({ topicId: surgeTopicIdSchema });

const surgeTopicView = /* @__PURE__ */ z
  .object({
    id: z.string(),
    title: z.string(),
    script: z.string(),
    articleIds: z.array(z.string()),
    expiresAt: z.string(),
    pinnedBy: z.string(),
    pinnedAt: z.string(),
    articles: z.array(z.object({ id: z.string(), title: z.string() })).optional(),
  })
  .meta({ id: 'SurgeTopic' });

export const KB_ROUTE_SCHEMAS: Record<string, RouteSchemas> = {
  listArticlesForEditing: { query: editorArticlesQuery, responses: { 200: { description: 'Articles as the editors see them, last changed first', schema: /* @__PURE__ */ z.object({ items: z.array(articleListItemView) }) } } },
  createArticleDraft: { body: articleDraftBody, responses: { 201: /* @__PURE__ */ editedArticle('The draft, version 1 (an id already used is a 409 naming id)') } },
  getArticleForEditing: { path: articleIdPath, responses: { 200: { description: 'The newest version', schema: articleForEditingView, headers: { ETag: 'Its version' } } } },
  editArticle: { path: articleIdPath, headers: ifMatch, body: articleEditBody, responses: { 200: /* @__PURE__ */ editedArticle('The new draft version (a stale If-Match is a 412 naming If-Match)') } },
  publishArticle: { path: articleIdPath, headers: ifMatch, body: articleChangeBody, responses: { 200: /* @__PURE__ */ editedArticle('Published: the public and the agents see this version') } },
  retireArticle: { path: articleIdPath, headers: ifMatch, body: articleChangeBody, responses: { 200: /* @__PURE__ */ editedArticle('Retired: gone from search and the public reads') } },
  listArticleVersions: { path: articleIdPath, responses: { 200: { description: 'Every version, newest first', schema: /* @__PURE__ */ z.object({ items: z.array(articleVersionView) }) } } },
  listSurgeTopics: { responses: { 200: { description: 'Active surge topics, newest first, with their articles', schema: /* @__PURE__ */ z.object({ items: z.array(surgeTopicView) }) } } },
  pinSurgeTopic: { body: pinSurgeTopicBody, responses: { 201: { description: 'The pinned topic', schema: surgeTopicView } } },
  unpinSurgeTopic: { path: topicIdPath, responses: { 204: { description: 'Unpinned' } } },
  listArticlesDueForReview: {
    query: reviewDueQuery,
    responses: {
      200: {
        description: 'Published articles past their review-by date, oldest date first',
        schema: /* @__PURE__ */ z.object({ items: z.array(z.object({ id: z.string(), title: localizedView, department: z.string(), reviewBy: z.string(), version: z.number().int(), publishedAt: z.string() })) }),
      },
    },
  },
  listArticleRequests: {
    query: articleRequestsQuery,
    responses: { 200: { description: 'The questions, newest first', schema: /* @__PURE__ */ z.object({ items: z.array(articleRequestView) }) } },
  },
  getKbFigures: { query: kbFiguresQuery, responses: { 200: { description: "The month's knowledge-base figures", schema: kbFiguresView } } },
  searchArticles: {
    query: agentSearchQuery,
    responses: { 200: { description: 'The best-matching published articles, best first', schema: /* @__PURE__ */ z.object({ items: z.array(agentArticleHitView) }) } },
  },
  listPublicArticles: {
    query: publicArticlesQuery,
    responses: {
      200: {
        description: 'A page of published articles (ranked with q, else by id)',
        schema: /* @__PURE__ */ z.object({ items: z.array(publicArticleSummaryView), page: z.number().int(), limit: z.number().int(), total: z.number().int() }),
        headers: { 'Cache-Control': 'Public caching for a short time' },
      },
    },
  },
  getPublicArticle: {
    path: articleIdPath,
    responses: {
      200: { description: 'The published article (a draft or retired one is a 404)', schema: publicArticleView, headers: { 'Cache-Control': 'Public caching', ETag: 'The article version' } },
    },
  },
};
