/** GET /kb/search — the intake side panel's search over published articles as the agent types. */
import { articleStore, knowledgeBase } from '../../composition';
import { agentSearchQuery } from '../../kb/api-schemas';
import { searchArticlesForAgent, type KnowledgeBasePorts } from '../../usecases/knowledge-base';
import { httpHandler } from '../http';

const ports: KnowledgeBasePorts = { library: knowledgeBase(), articles: articleStore() };

// Not cacheable (the pipeline's no-store): a stale answer read aloud is worse than one more request.
export const handler = httpHandler('searchArticles', { query: agentSearchQuery }, async ({ query }) => ({ body: await searchArticlesForAgent(ports, query) }));
