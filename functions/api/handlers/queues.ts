/** GET /queues/callback, /queues/dispatch, /queues/department — the console's work queues. */
import { ddb } from '../../adapters/clients';
import { DynamoCaseQueues } from '../../adapters/case-queues';
import { DynamoCaseRepository } from '../../adapters/case-repository';
import { ConfigDepartmentDirectory } from '../../adapters/department-directory';
import { env } from '../../config/environment';
import { callbackQueue, departmentQueue, dispatchQueue, type DepartmentQueuePorts } from '../../usecases/queues';
import { httpHandler, routeDispatcher } from '../http';
import { departmentQueueQuery, pageQuery } from '../schemas';

const ports: DepartmentQueuePorts = {
  queues: new DynamoCaseQueues(ddb, env.tableName()),
  cases: new DynamoCaseRepository(ddb, env.tableName()),
  departments: new ConfigDepartmentDirectory(),
};

export const handler = routeDispatcher({
  callbackQueue: httpHandler('callbackQueue', { query: pageQuery }, async ({ query }) => ({ body: await callbackQueue(ports, query) })),
  dispatchQueue: httpHandler('dispatchQueue', { query: pageQuery }, async ({ query }) => ({ body: await dispatchQueue(ports, query) })),
  departmentQueue: httpHandler('departmentQueue', { query: departmentQueueQuery }, async ({ actor, query }) => ({
    body: await departmentQueue(ports, actor, query),
  })),
});
