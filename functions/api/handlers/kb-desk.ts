/** GET /kb/article-requests, GET /kb/figures — what the knowledge base is missing, and how the desk used it. */
import { inquiryLog, knowledgeBase } from '../../composition';
import { articleRequestsQuery, kbFiguresQuery } from '../../kb/api-schemas';
import { inquiryFigures, listArticleRequests, type InquiryFiguresPorts } from '../../usecases/inquiry-figures';
import { httpHandler, routeDispatcher } from '../http';

const ports: InquiryFiguresPorts = { inquiries: inquiryLog(), library: knowledgeBase() };

export const handler = routeDispatcher({
  listArticleRequests: httpHandler('listArticleRequests', { query: articleRequestsQuery }, async ({ actor, query }) => ({ body: await listArticleRequests(ports, actor, query) })),
  getKbFigures: httpHandler('getKbFigures', { query: kbFiguresQuery }, async ({ query }) => ({ body: await inquiryFigures(ports, query.month) })),
});
