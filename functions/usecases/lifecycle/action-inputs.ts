/**
 * Request bodies of the case actions (POST /cases/{caseNo}/<action>), as zod schemas: the handler validates with
 * them (400 naming the field) and OpenAPI can document them (CASE_ACTION_BODIES by route id).
 */
import * as z from 'zod';
import { isCaseNo } from '../../domain/case-number';

const TEXT_MAX = 2000;
const RESOLUTION_MAX = 4000;
const REASON_MAX = 500;

const text = (what: string, max = TEXT_MAX) =>
  z.string({ error: `${what} is required` }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const acknowledgeBody = /* @__PURE__ */ z.strictObject({ note: text('note').optional() }).meta({ id: 'AcknowledgeCase' });
export const progressBody = /* @__PURE__ */ z.strictObject({ note: text('note') }).meta({ id: 'ReportProgress' });
export const resolveBody = /* @__PURE__ */ z.strictObject({ resolution: text('resolution', RESOLUTION_MAX) }).meta({ id: 'ResolveCase' });
export const returnBody = /* @__PURE__ */ z.strictObject({ reason: text('reason') }).meta({ id: 'ReturnCase' });
export const reassignBody = /* @__PURE__ */ z
  .strictObject({
    department: z.string().regex(/^[A-Z][A-Z0-9_-]*$/, 'must be a department code such as PWD'),
    reason: text('reason', REASON_MAX).optional().meta({ description: 'Why; required to take an open case from the department that holds it' }),
  })
  .meta({ id: 'ReassignCase' });
/** A user id (the Cognito `sub`): what the staff directory (GET /users) names people by. */
const assignee = /* @__PURE__ */ z
  .string({ error: 'assignee is required' })
  .trim()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .meta({ description: "The user id of a staff member of the case's department (as in the staff directory)" });
export const assignBody = /* @__PURE__ */ z.strictObject({ assignee, reason: text('reason', REASON_MAX).optional() }).meta({ id: 'AssignCase' });
export const surveyBody = /* @__PURE__ */ z
  .strictObject({
    answer: z.enum(['satisfied', 'unsatisfied']),
    rating: z.number().int('must be a whole number').min(1, 'must be 1 to 5').max(5, 'must be 1 to 5').optional().meta({ description: "The caller's rating, 1 (poor) to 5 (very good)" }),
    comment: text('comment').optional(),
  })
  .meta({ id: 'RecordSurvey' });
/** A satisfaction call nobody answered; `retryAt` is when to call again (default: CALLBACK_RETRY_HOURS later). */
export const noAnswerBody = /* @__PURE__ */ z
  .strictObject({ retryAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant' }).optional(), note: text('note', 500).optional() })
  .meta({ id: 'RecordNoAnswer' });
export const cancelBody = /* @__PURE__ */ z.strictObject({ reason: text('reason') }).meta({ id: 'CancelCase' });
export const mergeBody = /* @__PURE__ */ z
  .strictObject({ parentCaseNo: z.string().refine(isCaseNo, 'must be a case number such as 20261127-00042') })
  .meta({ id: 'MergeCase' });

export const workflowDecisionBody = /* @__PURE__ */ z
  .discriminatedUnion('decision', [
    z.strictObject({ decision: z.literal('retry'), note: text('note').optional() }),
    z.strictObject({ decision: z.literal('reassign'), department: z.string().regex(/^[A-Z][A-Z0-9_-]*$/, 'must be a department code such as PWD'), note: text('note').optional() }),
    z.strictObject({ decision: z.literal('close'), reason: text('reason') }),
  ], { error: 'decision must be one of retry, reassign, close' })
  .meta({ id: 'DecideWorkflowFailure' });

/** Body schema by route id (functions/api/routes.ts). An acknowledgement may come without a body. */
/** Cases per bulk request: a queue page, answered well within one Lambda invocation. */
export const BULK_CASES_MAX = 50;

export const bulkAcknowledgeBody = /* @__PURE__ */ z
  .strictObject({
    caseNos: z
      .array(z.string().refine(isCaseNo, 'must be a case number such as 20261127-00042'), { error: 'caseNos is required' })
      .min(1, 'must name at least one case')
      .max(BULK_CASES_MAX, `must name at most ${BULK_CASES_MAX} cases`)
      .refine((nos) => new Set(nos).size === nos.length, 'must not name a case twice'),
    note: text('note').optional(),
  })
  .meta({ id: 'BulkAcknowledge' });

export const bulkAssignBody = /* @__PURE__ */ z
  .strictObject({ caseNos: bulkAcknowledgeBody.shape.caseNos, assignee, reason: text('reason', REASON_MAX).optional() })
  .meta({ id: 'BulkAssign' });

/** One reason for every case: taking an open case from its department needs one (reassign-case.ts). */
export const bulkReassignBody = /* @__PURE__ */ z
  .strictObject({ caseNos: bulkAcknowledgeBody.shape.caseNos, department: reassignBody.shape.department, reason: text('reason', REASON_MAX) })
  .meta({ id: 'BulkReassign' });

export const CASE_ACTION_BODIES = {
  acknowledgeCase: acknowledgeBody.optional(),
  reportProgress: progressBody,
  resolveCase: resolveBody,
  returnCase: returnBody,
  reassignCase: reassignBody,
  assignCase: assignBody,
  recordSurvey: surveyBody,
  recordNoAnswer: noAnswerBody.optional(),
  cancelCase: cancelBody,
  mergeCase: mergeBody,
  decideWorkflowFailure: workflowDecisionBody,
} as const;
