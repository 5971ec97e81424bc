/**
 * GET /warnings, POST /warnings/{warningId}/acknowledge | close — the supervisors' early warnings
 * (functions/usecases/early-warnings.ts). 400 naming the field for a bad month, status or id; 404 for an unknown
 * warning; 409 naming the current status when the action does not fit it.
 */
import { warningStore } from '../../composition';
import { actOnWarning, listWarnings } from '../../usecases/early-warnings';
import { httpHandler, routeDispatcher } from '../http';
import { warningActionBody, warningIdPath, warningsQuery } from '../schemas';

const store = warningStore();

export const handler = routeDispatcher({
  listWarnings: httpHandler('listWarnings', { query: warningsQuery }, async ({ query }) => ({ body: { items: await listWarnings(store, query) } })),
  acknowledgeWarning: httpHandler('acknowledgeWarning', { path: warningIdPath, body: warningActionBody }, async ({ actor, pathParameters, body }) => ({
    body: await actOnWarning(store, actor, pathParameters.warningId, 'acknowledge', body?.reason),
  })),
  closeWarning: httpHandler('closeWarning', { path: warningIdPath, body: warningActionBody }, async ({ actor, pathParameters, body }) => ({
    body: await actOnWarning(store, actor, pathParameters.warningId, 'close', body?.reason),
  })),
});
