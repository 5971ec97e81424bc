/**
 * Personal-data access, each step audited: a department handler's request to see a reporter, a supervisor's approval,
 * and the audit of phone searches. One Lambda serves the three routes.
 */
import { caseRepository, personalDataAudit } from '../../composition';
import { piiAccessApprovalBody, piiAccessRequestBody, piiAccessRequestPath, phoneSearchAuditQuery } from '../../privacy/schemas';
import { approvePiiAccess } from '../../usecases/approve-pii-access';
import { requestPiiAccess } from '../../usecases/request-pii-access';
import { phoneSearchAudit } from '../../usecases/search-by-phone';
import { httpHandler, routeDispatcher } from '../http';
import { caseNoPath } from '../schemas';

const ports = { cases: caseRepository(), audit: personalDataAudit() };

export const handler = routeDispatcher({
  requestPiiAccess: httpHandler('requestPiiAccess', { path: caseNoPath, body: piiAccessRequestBody }, async ({ actor, pathParameters, body }) => {
    const result = await requestPiiAccess(ports, actor, pathParameters.caseNo, body);
    return { statusCode: result.created ? 201 : 200, body: result };
  }),
  approvePiiAccess: httpHandler('approvePiiAccess', { path: piiAccessRequestPath, body: piiAccessApprovalBody }, async ({ actor, pathParameters, body }) => ({
    body: await approvePiiAccess(ports, actor, pathParameters.caseNo, pathParameters.requestId, body ?? {}),
  })),
  listPhoneSearchAudit: httpHandler('listPhoneSearchAudit', { query: phoneSearchAuditQuery }, async ({ query }) => ({
    body: await phoneSearchAudit(ports, query),
  })),
});
