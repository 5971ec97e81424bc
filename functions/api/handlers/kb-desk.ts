/** GET /kb/article-requests, GET /kb/review-due, GET /kb/figures — what the knowledge base is missing or owes a review, and how the desk used it. */
import { inquiryLog, knowledgeBase } from '../../composition';
import { articleRequestsQuery, kbFiguresQuery, reviewDueQuery } from '../../kb/api-schemas';
import { articlesDueForReview } from '../../usecases/knowledge-base';
import { inquiryFigures, listArticleRequests, type InquiryFiguresPorts } from '../../usecases/inquiry-figures';
import { httpHandler, routeDispatcher } from '../http';

const ports: InquiryFiguresPorts = { inquiries: inquiryLog(), library: knowledgeBase() };

export const handler = routeDispatcher({
  listArticleRequests: httpHandler('listArticleRequests', { query: articleRequestsQuery }, async ({ actor, query }) => ({ body: await listArticleRequests(ports, actor, query) })),
  listArticlesDueForReview: httpHandler('listArticlesDueForReview', { query: reviewDueQuery }, async ({ actor, query }) => ({ body: await articlesDueForReview(ports, actor, query.department) })),
  getKbFigures: httpHandler('getKbFigures', { query: kbFiguresQuery }, async ({ query }) => ({ body: await inquiryFigures(ports, query.month) })),
});
