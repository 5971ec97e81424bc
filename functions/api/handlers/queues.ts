/** GET /queues/callback, /queues/dispatch, /queues/department — the console's work queues. */
import { caseQueues, caseRepository, departmentDirectory } from '../../composition';
import { callbackQueue, departmentQueue, dispatchQueue, type DepartmentQueuePorts } from '../../usecases/queues';
import { httpHandler, routeDispatcher } from '../http';
import { departmentQueueQuery, pageQuery } from '../schemas';

const ports: DepartmentQueuePorts = {
  queues: caseQueues(),
  cases: caseRepository(),
  departments: departmentDirectory(),
};

export const handler = routeDispatcher({
  callbackQueue: httpHandler('callbackQueue', { query: pageQuery }, async ({ query }) => ({ body: await callbackQueue(ports, query) })),
  dispatchQueue: httpHandler('dispatchQueue', { query: pageQuery }, async ({ query }) => ({ body: await dispatchQueue(ports, query) })),
  departmentQueue: httpHandler('departmentQueue', { query: departmentQueueQuery }, async ({ actor, query }) => ({
    body: await departmentQueue(ports, actor, query),
  })),
});
