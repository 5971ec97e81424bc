/** GET, POST /kb/surge-topics, DELETE /kb/surge-topics/{topicId} — what every agent sees at the top of intake. */
import { articleStore, surgeTopics } from '../../composition';
import { topicIdPath } from '../../kb/api-schemas';
import { pinSurgeTopicBody } from '../../kb/surge-topic';
import { activeSurgeTopics, pinSurgeTopic, unpinSurgeTopic, type SurgeTopicPorts } from '../../usecases/surge-topics';
import { httpHandler, routeDispatcher } from '../http';

const ports: SurgeTopicPorts = { topics: surgeTopics(), articles: articleStore() };

export const handler = routeDispatcher({
  listSurgeTopics: httpHandler('listSurgeTopics', async () => ({ body: await activeSurgeTopics(ports) })),
  pinSurgeTopic: httpHandler('pinSurgeTopic', { body: pinSurgeTopicBody }, async ({ actor, body }) => ({ statusCode: 201, body: await pinSurgeTopic(ports, actor, body) })),
  unpinSurgeTopic: httpHandler('unpinSurgeTopic', { path: topicIdPath }, async ({ actor, pathParameters }) => {
    await unpinSurgeTopic(ports, actor, pathParameters.topicId);
    return { statusCode: 204 };
  }),
});
