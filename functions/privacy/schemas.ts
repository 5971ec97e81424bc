/**
 * Requests and responses of the privacy routes, in zod like functions/api/schemas.ts: the handlers
 * validate with them, and `PRIVACY_ROUTE_SCHEMAS` documents them in OpenAPI.
 */
import * as z from 'zod';
import { caseNoPath, caseSummaryView, pageQuery, twPhone, type RouteSchemas } from '../api/schemas';
import { REASON_MAX, REASON_MIN } from './access-requests';

const reason = /* @__PURE__ */ z
  .string()
  .trim()
  .min(REASON_MIN, `must say why, in at least ${REASON_MIN} characters`)
  .max(REASON_MAX, `must be at most ${REASON_MAX} characters`)
  .meta({ description: 'Why the data is needed (kept on the timeline or in the audit log; no personal data)' });

export const piiAccessRequestBody = /* @__PURE__ */ z.strictObject({ reason }).meta({ id: 'PiiAccessRequestInput' });

export const piiAccessApprovalBody = /* @__PURE__ */ z
  .strictObject({
    minutes: z.number().int('must be a whole number').min(1, 'must be at least 1').optional().meta({ description: 'How long the access lasts (default and maximum: the stage settings)' }),
  })
  .meta({ id: 'PiiAccessApprovalInput' });

export const piiAccessRequestPath = /* @__PURE__ */ caseNoPath.extend({ requestId: z.uuid('must be a request id') });

/** A deny or a revoke: the reason is kept on the timeline. */
export const piiAccessDecisionBody = /* @__PURE__ */ z.strictObject({ reason }).meta({ id: 'PiiAccessDecisionInput' });

export const piiAccessQueueQuery = /* @__PURE__ */ pageQuery.extend({
  status: z.enum(['pending', 'approved']).optional().meta({ description: 'pending (default): requests to decide, oldest first; approved: running approvals, soonest to end first' }),
});

export const phoneSearchBody = /* @__PURE__ */ z
  .strictObject({ phone: twPhone, reason, limit: z.number().int().min(1).max(200).optional(), cursor: z.string().max(2048).optional() })
  .meta({ id: 'PhoneSearchInput' });

export const phoneSearchAuditQuery = /* @__PURE__ */ pageQuery.extend({
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a Taipei date such as 2026-11-27')
    .optional()
    .meta({ description: 'Taipei day (default: today)' }),
});

export const piiAccessRequestView = /* @__PURE__ */ z
  .object({
    id: z.string(),
    by: z.string(),
    department: z.string().optional(),
    reason: z.string(),
    requestedAt: z.string(),
    status: z.enum(['pending', 'approved']),
    approvedBy: z.string().optional(),
    approvedAt: z.string().optional(),
    expiresAt: z.string().optional(),
  })
  .meta({ id: 'PiiAccessRequest' });

export const piiAccessResultView = /* @__PURE__ */ z
  .object({ caseNo: z.string(), version: z.number().int(), request: piiAccessRequestView, created: z.boolean() })
  .meta({ id: 'PiiAccessResult' });

export const piiAccessDecisionView = /* @__PURE__ */ z
  .object({ caseNo: z.string(), version: z.number().int(), request: piiAccessRequestView, decision: z.enum(['denied', 'revoked']) })
  .meta({ id: 'PiiAccessDecision' });

export const piiAccessQueueView = /* @__PURE__ */ z
  .object({ items: z.array(z.object({ caseNo: z.string(), request: piiAccessRequestView })), cursor: z.string().optional() })
  .meta({ id: 'PiiAccessQueue' });

export const phoneSearchAuditView = /* @__PURE__ */ z
  .object({
    day: z.string(),
    items: z.array(
      z.object({ id: z.string(), at: z.string(), by: z.string(), role: z.string(), reason: z.string(), phoneHash: z.string(), caseNos: z.array(z.string()) }),
    ),
    cursor: z.string().optional(),
  })
  .meta({ id: 'PhoneSearchAudit' });

export const phoneSearchView = /* @__PURE__ */ z.object({ items: z.array(caseSummaryView), cursor: z.string().optional() }).meta({ id: 'PhoneSearchResult' });

/** The caller's number as the agent typed it; the reason ("intake") is recorded by the API, not typed. */
export const callerHistoryBody = /* @__PURE__ */ z.strictObject({ phone: twPhone }).meta({ id: 'CallerHistoryInput' });
export const callerHistoryView = /* @__PURE__ */ z
  .object({ items: z.array(caseSummaryView), since: z.string().meta({ description: 'Cases logged from this instant on are listed' }) })
  .meta({ id: 'CallerHistory' });

export const PRIVACY_ROUTE_SCHEMAS: Record<string, RouteSchemas> = {
  requestPiiAccess: {
    path: caseNoPath,
    body: piiAccessRequestBody,
    responses: {
      201: { description: 'Request recorded (pii-access-requested)', schema: piiAccessResultView },
      200: { description: 'The requester already has a pending request or a running approval', schema: piiAccessResultView },
    },
  },
  approvePiiAccess: {
    path: piiAccessRequestPath,
    body: piiAccessApprovalBody,
    responses: { 200: { description: 'Approved until expiresAt (pii-access-approved)', schema: piiAccessResultView } },
  },
  denyPiiAccess: {
    path: piiAccessRequestPath,
    body: piiAccessDecisionBody,
    responses: { 200: { description: 'Denied (pii-access-denied); a request already approved is a 409 naming its status', schema: piiAccessDecisionView } },
  },
  revokePiiAccess: {
    path: piiAccessRequestPath,
    body: piiAccessDecisionBody,
    responses: { 200: { description: "Revoked (pii-access-revoked): the requester's next read is masked; a pending request is a 409 naming its status", schema: piiAccessDecisionView } },
  },
  listPiiAccessRequests: { query: piiAccessQueueQuery, responses: { 200: { description: 'Live access requests in one status, a page at a time', schema: piiAccessQueueView } } },
  searchByPhone: { body: phoneSearchBody, responses: { 200: { description: "The caller's cases, newest first (audited)", schema: phoneSearchView } } },
  callerHistory: { body: callerHistoryBody, responses: { 200: { description: "The caller's cases of the last 12 months, newest first, masked (audited with the reason intake)", schema: callerHistoryView } } },
  listPhoneSearchAudit: { query: phoneSearchAuditQuery, responses: { 200: { description: "A day's phone searches", schema: phoneSearchAuditView } } },
};
