/**
 * /kb/editor/articles... — department editors and admins draft and edit articles, a supervisor publishes and
 * retires them; each change is a new version (If-Match: the version read), and its ETag is the new version.
 */
import { articleReferences, articleStore, knowledgeBase } from '../../composition';
import { articleChangeBody, articleDraftBody, articleEditBody, articleIdPath, editorArticlesQuery } from '../../kb/api-schemas';
import {
  articleVersions,
  createArticleDraft,
  editArticle,
  getArticleForEditing,
  listArticlesForEditing,
  publishArticle,
  retireArticle,
  type ArticleEditorPorts,
  type ArticleForEditing,
} from '../../usecases/edit-article';
import { etag, httpHandler, requireIfMatch, routeDispatcher, type HttpResponse } from '../http';

const ports: ArticleEditorPorts = { articles: articleStore(), library: knowledgeBase(), reference: articleReferences() };

const withEtag = (edited: ArticleForEditing, statusCode = 200): HttpResponse => ({ statusCode, body: edited, headers: { etag: etag(edited.article.version) } });

export const handler = routeDispatcher({
  listArticlesForEditing: httpHandler('listArticlesForEditing', { query: editorArticlesQuery }, async ({ actor, query }) => ({ body: await listArticlesForEditing(ports, actor, query) })),
  createArticleDraft: httpHandler('createArticleDraft', { body: articleDraftBody }, async ({ actor, body }) => withEtag(await createArticleDraft(ports, actor, body), 201)),
  getArticleForEditing: httpHandler('getArticleForEditing', { path: articleIdPath }, async ({ actor, pathParameters }) => withEtag(await getArticleForEditing(ports, actor, pathParameters.articleId))),
  editArticle: httpHandler('editArticle', { path: articleIdPath, body: articleEditBody }, async ({ actor, pathParameters, body, headers }) =>
    withEtag(await editArticle(ports, actor, pathParameters.articleId, requireIfMatch(headers, 'article'), body)),
  ),
  publishArticle: httpHandler('publishArticle', { path: articleIdPath, body: articleChangeBody }, async ({ actor, pathParameters, body, headers }) =>
    withEtag(await publishArticle(ports, actor, pathParameters.articleId, requireIfMatch(headers, 'article'), body.reason)),
  ),
  retireArticle: httpHandler('retireArticle', { path: articleIdPath, body: articleChangeBody }, async ({ actor, pathParameters, body, headers }) =>
    withEtag(await retireArticle(ports, actor, pathParameters.articleId, requireIfMatch(headers, 'article'), body.reason)),
  ),
  listArticleVersions: httpHandler('listArticleVersions', { path: articleIdPath }, async ({ actor, pathParameters }) => ({ body: await articleVersions(ports, actor, pathParameters.articleId) })),
});
