/**
 * GET /kb/articles, GET /kb/articles/{articleId} — published articles for the city website and chatbots, without
 * sign-in. Short public caching: a publish shows within minutes; a conditional GET with the ETag is a 304.
 */
import { articleStore, knowledgeBase } from '../../composition';
import { articleIdPath, publicArticlesQuery } from '../../kb/api-schemas';
import { getPublicArticle, listPublicArticles, type KnowledgeBasePorts } from '../../usecases/knowledge-base';
import { etag, publicHttpHandler, routeDispatcher } from '../http';

const ports: KnowledgeBasePorts = { library: knowledgeBase(), articles: articleStore() };

export const PUBLIC_LIST_CACHE = 'public, max-age=60';
export const PUBLIC_ARTICLE_CACHE = 'public, max-age=300';

export const handler = routeDispatcher({
  listPublicArticles: publicHttpHandler('listPublicArticles', { query: publicArticlesQuery }, async ({ query }) => ({
    body: await listPublicArticles(ports, query),
    headers: { 'cache-control': PUBLIC_LIST_CACHE },
  })),
  getPublicArticle: publicHttpHandler('getPublicArticle', { path: articleIdPath }, async ({ pathParameters, headers }) => {
    const article = await getPublicArticle(ports, pathParameters.articleId);
    const tag = etag(article.version);
    if (headers['if-none-match'] === tag) return { statusCode: 304, headers: { etag: tag, 'cache-control': PUBLIC_ARTICLE_CACHE } };
    return { body: article, headers: { etag: tag, 'cache-control': PUBLIC_ARTICLE_CACHE } };
  }),
});
