/**
 * Personal-data access, each step audited: a department handler's request to see a reporter, a supervisor's approval,
 * their denials and revocations, the supervisors' queue, and the audit of phone searches. One Lambda serves them all.
 */
import { caseRepository, personalDataAudit } from '../../composition';
import { piiAccessApprovalBody, piiAccessDecisionBody, piiAccessQueueQuery, piiAccessRequestBody, piiAccessRequestPath, phoneSearchAuditQuery } from '../../privacy/schemas';
import { denyPiiAccess, listPiiAccessRequests, revokePiiAccess } from '../../usecases/decide-pii-access';
import { approvePiiAccess } from '../../usecases/approve-pii-access';
import { requestPiiAccess } from '../../usecases/request-pii-access';
import { phoneSearchAudit } from '../../usecases/search-by-phone';
import { httpHandler, routeDispatcher } from '../http';
import { caseNoPath } from '../schemas';

const ports = { cases: caseRepository(), accessQueue: caseRepository(), audit: personalDataAudit() };

export const handler = routeDispatcher({
  requestPiiAccess: httpHandler('requestPiiAccess', { path: caseNoPath, body: piiAccessRequestBody }, async ({ actor, pathParameters, body }) => {
    const result = await requestPiiAccess(ports, actor, pathParameters.caseNo, body);
    return { statusCode: result.created ? 201 : 200, body: result };
  }),
  approvePiiAccess: httpHandler('approvePiiAccess', { path: piiAccessRequestPath, body: piiAccessApprovalBody }, async ({ actor, pathParameters, body }) => ({
    body: await approvePiiAccess(ports, actor, pathParameters.caseNo, pathParameters.requestId, body ?? {}),
  })),
  denyPiiAccess: httpHandler('denyPiiAccess', { path: piiAccessRequestPath, body: piiAccessDecisionBody }, async ({ actor, pathParameters, body }) => ({
    body: await denyPiiAccess(ports, actor, pathParameters.caseNo, pathParameters.requestId, body),
  })),
  revokePiiAccess: httpHandler('revokePiiAccess', { path: piiAccessRequestPath, body: piiAccessDecisionBody }, async ({ actor, pathParameters, body }) => ({
    body: await revokePiiAccess(ports, actor, pathParameters.caseNo, pathParameters.requestId, body),
  })),
  listPiiAccessRequests: httpHandler('listPiiAccessRequests', { query: piiAccessQueueQuery }, async ({ query }) => ({
    body: await listPiiAccessRequests(ports, query),
  })),
  listPhoneSearchAudit: httpHandler('listPhoneSearchAudit', { query: phoneSearchAuditQuery }, async ({ query }) => ({
    body: await phoneSearchAudit(ports, query),
  })),
});
