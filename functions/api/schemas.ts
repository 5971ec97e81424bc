/**
 * The API's contract in zod: every request the handlers validate and every response they send. The OpenAPI
 * document (openapi.ts) is generated from these same schemas, so the two cannot drift.
 *
 * Checks that need the city's codes (district, category) read those the composition root installed
 * (reference-data.ts); checks that need a SOP's content (attribute answers fit the SOP) run in the use cases,
 * which own that port.
 */
import * as z from 'zod';
import { ATTACHMENT_KINDS, CASE_STATUSES, CHANNELS, EVENT_TYPES, INQUIRY_OUTCOMES, NOTIFY_PREFERENCES, PRIORITIES, WAITS } from '../domain/case';
import { isCaseNo } from '../domain/case-number';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES } from '../domain/attachment';
import { districtAt } from '../domain/district-boundaries';
import { ROLES } from '../domain/actor';
import { NOTIFICATION_KINDS } from '../domain/notifications';
import { referenceData } from './reference-data';
import { MAX_STRING_ATTRIBUTE, MAX_TEXT_ATTRIBUTE } from '../domain/sop';
import { sopSchema, departmentSchema } from '../config/schema';
import { DEPARTMENT_QUEUE_STATUSES } from '../usecases/queues';
import { bulkAcknowledgeBody, bulkAssignBody, bulkReassignBody } from '../usecases/lifecycle/action-inputs';
import { DASHBOARD_WINDOWS, DEPARTMENT_OPEN_STATUSES } from '../usecases/dashboard';
import { MAX_CLOSE_REASON, WARNING_STATUSES, warningMonth } from '../domain/early-warning';

// ------------------------------------------------------------------------------------------------ building blocks

export const DESCRIPTION_MAX = 4000;
export const NOTE_MAX = 2000;

/** Where Taiwan is (Taiwan, Penghu, Kinmen, Matsu): a pin outside it is a slip of the map, not a place. */
export const TAIWAN_BOUNDS = { lat: { min: 21.5, max: 26.5 }, lng: { min: 118, max: 122.5 } } as const;

const MOBILE = /^09\d{8}$/;
const LANDLINE = /^0[2-8]\d{7,8}$/;

/**
 * A Taiwanese phone number as people write it (`0912-345-678`, `+886 912 345 678`, `(03)425-1234`,
 * `02-2720-8889#123`), normalised to digits (`0912345678`, `034251234`, `0227208889#123`) so that masking,
 * SMS and search see one form.
 */
export function normaliseTwPhone(input: string): string | undefined {
  const [main = '', ext, ...rest] = input.split(/\s*(?:#|ext\.?|分機)\s*/i);
  if (rest.length || (ext !== undefined && !/^\d{1,6}$/.test(ext))) return undefined;
  if (!/^[\d\s()+-]+$/.test(main)) return undefined;
  let digits = main.replace(/[\s()-]/g, '');
  if (digits.startsWith('+886')) digits = '0' + digits.slice(4);
  else if (digits.startsWith('00886')) digits = '0' + digits.slice(5);
  if (digits.startsWith('00')) return undefined;
  if (MOBILE.test(digits)) return ext ? undefined : digits;
  if (LANDLINE.test(digits)) return ext ? `${digits}#${ext}` : digits;
  return undefined;
}

export function isMobilePhone(phone: string | undefined): boolean {
  return phone !== undefined && MOBILE.test(phone);
}

export const twPhone = /* @__PURE__ */ z
  .string()
  .trim()
  .transform((s, ctx) => {
    const phone = normaliseTwPhone(s);
    if (phone === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a Taiwanese phone number such as 0912-345-678 or 03-425-1234' });
      return z.NEVER;
    }
    return phone;
  })
  .meta({ description: 'Taiwanese mobile or landline; stored as digits (0912345678, 034251234#12)', examples: ['0912-345-678'] });

const districtCode = /* @__PURE__ */ z
  .string()
  .superRefine((code, ctx) => {
    const known = referenceData().districtCodes;
    if (!known.includes(code)) ctx.addIssue({ code: 'custom', message: `must be a district code: ${known.join(', ')}` });
  })
  .meta({ description: 'District code from config/districts.json', examples: ['zhongli'] });

const categoryCode = /* @__PURE__ */ z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be a category code such as street-light')
  .meta({ description: 'SOP category code (GET /sops)', examples: ['street-light'] });

const departmentCode = /* @__PURE__ */ z.string().regex(/^[A-Z][A-Z0-9_-]*$/, 'must be a department code such as PWD');

/** Shapes only; the SOP decides what each answer must be (domain/sop.ts readAttributes). */
export const attributeValue = /* @__PURE__ */ z.union([z.string().max(MAX_TEXT_ATTRIBUTE), z.number(), z.boolean(), z.array(z.string().max(MAX_STRING_ATTRIBUTE)).max(50)]);

/** Answers to the SOP's extra questions, keyed by attribute code; checked against the SOP by the use case. */
export const attributeAnswers = /* @__PURE__ */ z.record(z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, 'must be an attribute code'), attributeValue);

const isoInstant = /* @__PURE__ */ z.iso.datetime({ offset: true });

// ------------------------------------------------------------------------------------------------ requests

/** A case's address, and the longest text a place index is asked to search (Amazon Location takes 200 too). */
export const ADDRESS_MAX = 200;

export const locationSchema = /* @__PURE__ */ z
  .strictObject({
    district: districtCode,
    address: z.string().trim().min(1, 'must not be empty').max(ADDRESS_MAX, `must be at most ${ADDRESS_MAX} characters`),
    lat: z.number().min(TAIWAN_BOUNDS.lat.min, 'must be within Taiwan').max(TAIWAN_BOUNDS.lat.max, 'must be within Taiwan').optional(),
    lng: z.number().min(TAIWAN_BOUNDS.lng.min, 'must be within Taiwan').max(TAIWAN_BOUNDS.lng.max, 'must be within Taiwan').optional(),
  })
  .superRefine((l, ctx) => {
    if (l.lat !== undefined && l.lng === undefined) ctx.addIssue({ code: 'custom', path: ['lng'], message: 'is required with lat' });
    if (l.lng !== undefined && l.lat === undefined) ctx.addIssue({ code: 'custom', path: ['lat'], message: 'is required with lng' });
    const boundaries = referenceData().districtBoundaries;
    if (l.lat !== undefined && l.lng !== undefined && boundaries && districtAt({ lat: l.lat, lng: l.lng }, boundaries) === undefined)
      ctx.addIssue({ code: 'custom', path: ['lat'], message: `is outside the city: no district's boundary holds ${l.lat}, ${l.lng}` });
  });

/**
 * The citizen who reported. sms needs a mobile number, email needs an address; an anonymous reporter gives no
 * name and no phone (an e-mail address for updates is allowed).
 */
export const reporterSchema = /* @__PURE__ */ z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(100).optional(),
    phone: twPhone.optional(),
    email: z.email('must be an e-mail address').max(254).optional(),
    anonymous: z.boolean().default(false),
    notify: z.enum(NOTIFY_PREFERENCES).default('none'),
  })
  .superRefine((r, ctx) => {
    if (r.anonymous && r.name !== undefined) ctx.addIssue({ code: 'custom', path: ['name'], message: 'must be absent for an anonymous reporter' });
    if (r.anonymous && r.phone !== undefined) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'must be absent for an anonymous reporter' });
    if (r.notify === 'sms' && r.phone === undefined && !r.anonymous) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'is required when notify is sms' });
    if (r.notify === 'sms' && r.anonymous) ctx.addIssue({ code: 'custom', path: ['notify'], message: 'cannot be sms for an anonymous reporter' });
    if (r.notify === 'sms' && r.phone !== undefined && !isMobilePhone(r.phone))
      ctx.addIssue({ code: 'custom', path: ['phone'], message: 'must be a mobile number (09xx) when notify is sms' });
    if (r.notify === 'email' && r.email === undefined) ctx.addIssue({ code: 'custom', path: ['email'], message: 'is required when notify is email' });
  });

/** The longest question kept as an article request. */
export const INQUIRY_QUESTION_MAX = 300;
const inquiryArticleId = /* @__PURE__ */ z
  .string()
  .regex(/^[a-z][a-z0-9-]{2,63}$/, 'must be an article id (GET /kb/search)')
  .meta({ description: 'The published article read to the caller', examples: ['typhoon-day-off'] });
const inquiryQuestion = /* @__PURE__ */ z
  .string()
  .trim()
  .min(1, 'must say what the caller asked')
  .max(INQUIRY_QUESTION_MAX, `must be at most ${INQUIRY_QUESTION_MAX} characters`)
  .meta({ description: 'What the caller asked, in the agent\'s words (no personal data); collected as an article request' });

/** How the agent handled a call of an inquiry SOP (only those: 400 on any other category). */
export const inquiryBody = /* @__PURE__ */ z
  .discriminatedUnion('outcome', [
    z.strictObject({ outcome: z.literal('answered'), articleId: inquiryArticleId }),
    z.strictObject({ outcome: z.literal('no-article'), question: inquiryQuestion }),
    z.strictObject({ outcome: z.literal('escalated'), articleId: inquiryArticleId.optional(), question: inquiryQuestion.optional() }),
  ])
  .meta({
    id: 'Inquiry',
    description: '`answered` (from an article) and `no-article` close the case on the call: no routing, no department notice, no workflow; `escalated` runs it as a normal case',
  });

export const createCaseBody = /* @__PURE__ */ z
  .strictObject({
    category: categoryCode,
    description: z.string().trim().min(1, 'must not be empty').max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`),
    location: locationSchema,
    reporter: reporterSchema,
    channel: z.enum(CHANNELS),
    priorityOverride: z.enum(PRIORITIES).optional().meta({ description: "Overrides the SOP's priority" }),
    attributes: attributeAnswers.default({}),
    inquiry: inquiryBody.optional(),
    surgeTopic: z
      .string()
      .regex(/^[a-z][a-z0-9-]{2,63}$/, 'must be a surge topic id (GET /kb/surge-topics)')
      .optional()
      .meta({ description: 'A pinned surge topic the call belongs to; its calls are counted together' }),
  })
  .meta({ id: 'CreateCase' });
export type CreateCaseInput = z.output<typeof createCaseBody>;

/** What a correction may change. Reporter identity is not patchable; only how they want to hear back. */
export const updateCaseBody = /* @__PURE__ */ z
  .strictObject({
    category: categoryCode.optional(),
    description: z.string().trim().min(1, 'must not be empty').max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`).optional(),
    location: locationSchema.optional(),
    priorityOverride: z.enum(PRIORITIES).optional(),
    attributes: attributeAnswers.optional(),
    reporter: z.strictObject({ notify: z.enum(NOTIFY_PREFERENCES) }).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'must change at least one field' })
  .meta({ id: 'UpdateCase' });
export type UpdateCaseInput = z.output<typeof updateCaseBody>;

export const addNoteBody = /* @__PURE__ */ z
  .strictObject({ text: z.string().trim().min(1, 'must not be empty').max(NOTE_MAX, `must be at most ${NOTE_MAX} characters`) })
  .meta({ id: 'AddNote' });
export type AddNoteInput = z.output<typeof addNoteBody>;

/** Bare dates are Taipei days: `createdFrom=2026-11-27` starts at 00:00 and `createdTo=2026-11-27` ends at 23:59:59.999 there. */
const createdBound = (end: 'start' | 'end') =>
  z
    .string()
    .transform((s, ctx) => {
      const iso = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T${end === 'start' ? '00:00:00.000' : '23:59:59.999'}+08:00` : s;
      const t = Date.parse(iso);
      if (!isoInstant.safeParse(iso).success || Number.isNaN(t)) {
        ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD, Taipei) or an ISO 8601 date-time with offset' });
        return z.NEVER;
      }
      return new Date(t).toISOString();
    })
    .optional();

const queryInt = /* @__PURE__ */ z
  .string()
  .regex(/^\d+$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200'));

export const listCasesQuery = /* @__PURE__ */ z
  .strictObject({
    status: z.enum(CASE_STATUSES).optional(),
    department: departmentCode.optional(),
    district: districtCode.optional(),
    category: categoryCode.optional(),
    createdFrom: createdBound('start'),
    createdTo: createdBound('end'),
    limit: queryInt.optional(),
    cursor: z.string().max(2048).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.createdFrom && q.createdTo && q.createdFrom > q.createdTo)
      ctx.addIssue({ code: 'custom', path: ['createdFrom'], message: 'must not be after createdTo' });
  });
export type ListCasesQuery = z.output<typeof listCasesQuery>;

export const pageQuery = /* @__PURE__ */ z.strictObject({ limit: queryInt.optional(), cursor: z.string().max(2048).optional() });

export const caseNoPath = /* @__PURE__ */ z.object({
  caseNo: z.string().refine(isCaseNo, 'must be a case number such as 20261127-00042').meta({ examples: ['20261127-00042'] }),
});
export const categoryPath = /* @__PURE__ */ z.object({ category: categoryCode });
/** `?ids=a,b,c`: the user ids (Cognito subs, client ids) a timeline names. */
export const departmentStaffQuery = /* @__PURE__ */ z.strictObject({
  department: departmentCode.optional().meta({ description: 'Supervisors and admins name the department; staff always get their own' }),
});

export const userIdsQuery = /* @__PURE__ */ z.strictObject({
  ids: z
    .string()
    .max(100 * 64)
    .transform((v) => v.split(',').map((id) => id.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(128).regex(/^[\w.@:-]+$/, 'must be user ids separated by commas')).min(1, 'must name at least one user').max(100, 'names at most 100 users')),
});

// ------------------------------------------------------------------------------------------------ responses

export const reporterView = /* @__PURE__ */ z
  .object({
    name: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
    anonymous: z.boolean(),
    notify: z.enum(NOTIFY_PREFERENCES),
    masked: z.boolean().meta({ description: 'true when name, phone and email are shown masked (王○明, 0912-***-678)' }),
    erasedAt: isoInstant.optional().meta({ description: 'When the retention job erased name, phone and e-mail' }),
  })
  .meta({ id: 'Reporter' });

const locationView = /* @__PURE__ */ z.object({ district: z.string(), address: z.string(), lat: z.number().optional(), lng: z.number().optional() });

const callbackView = /* @__PURE__ */ z
  .object({ attempts: z.number().int(), lastAttemptAt: isoInstant, retryAt: isoInstant.optional() })
  .meta({ description: 'Satisfaction calls nobody answered so far, and when to call again' });

const attachmentView = /* @__PURE__ */ z
  .object({
    id: z.string(),
    kind: z.enum(ATTACHMENT_KINDS),
    contentType: z.enum(ATTACHMENT_TYPES),
    size: z.number().int(),
    at: isoInstant,
    by: z.string(),
  })
  .meta({ id: 'Attachment' });
export const caseView = /* @__PURE__ */ z
  .object({
    caseNo: z.string(),
    status: z.enum(CASE_STATUSES),
    category: z.string(),
    description: z.string(),
    location: locationView,
    reporter: reporterView,
    channel: z.enum(CHANNELS),
    priority: z.enum(PRIORITIES),
    priorityOverride: z.enum(PRIORITIES).optional(),
    attributes: z.record(z.string(), attributeValue),
    department: z.string().optional(),
    sopVersion: z.number().int().optional(),
    acknowledgeDueAt: isoInstant.optional(),
    resolveDueAt: isoInstant.optional(),
    acknowledgedAt: isoInstant.optional(),
    resolvedAt: isoInstant.optional(),
    closedAt: isoInstant.optional(),
    inquiry: z
      .object({ outcome: z.enum(INQUIRY_OUTCOMES), articleId: z.string().optional(), articleVersion: z.number().int().optional(), question: z.string().optional() })
      .optional()
      .meta({ description: 'How an inquiry was handled on the call' }),
    surgeTopic: z.string().optional(),
    escalationLevel: z.number().int().min(0).max(3),
    resolution: z.string().optional(),
    parentCaseNo: z.string().optional(),
    duplicates: z.array(z.string()).optional(),
    survey: z.object({ answer: z.enum(['satisfied', 'unsatisfied', 'unanswered']), comment: z.string().optional(), at: isoInstant, rating: z.number().int().optional() }).optional(),
    callback: callbackView.optional(),
    waitDueAt: isoInstant.optional(),
    executionArn: z.string().optional(),
    waitingFor: z.enum(WAITS).optional(),
    assignee: z.string().optional().meta({ description: "The user id of the department's staff member working the case (GET /users names them)" }),
    assignedAt: isoInstant.optional(),
    attachments: z.array(attachmentView).optional().meta({ description: 'Checked photos and PDFs (GET /cases/{caseNo}/attachments signs reads)' }),
    createdAt: isoInstant,
    createdBy: z.string(),
    updatedAt: isoInstant,
    version: z.number().int().meta({ description: 'Send as If-Match to change the case; also the ETag' }),
    piiAccess: z
      .array(
        z.object({
          id: z.string(),
          by: z.string(),
          department: z.string().optional(),
          reason: z.string(),
          requestedAt: isoInstant,
          status: z.enum(['pending', 'approved']),
          approvedBy: z.string().optional(),
          approvedAt: isoInstant.optional(),
          expiresAt: isoInstant.optional(),
        }),
      )
      .optional()
      .meta({ description: 'Open requests to see the reporter (pending, or approved until expiresAt); not shown to machine clients' }),
    personalDataAccess: z
      .object({ reason: z.enum(['supervisor', 'intake', 'follow-up-call', 'approved-request']), until: isoInstant.optional() })
      .optional()
      .meta({ description: 'Present when this read shows the reporter unmasked: why (recorded as pii-viewed), and until when' }),
  })
  .meta({ id: 'Case' });
export type CaseView = z.infer<typeof caseView>;

export const caseSummaryView = /* @__PURE__ */ z
  .object({
    caseNo: z.string(),
    status: z.enum(CASE_STATUSES),
    category: z.string(),
    department: z.string().optional(),
    priority: z.enum(PRIORITIES),
    escalationLevel: z.number().int(),
    acknowledgeDueAt: isoInstant.optional(),
    resolveDueAt: isoInstant.optional(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    channel: z.enum(CHANNELS),
    waitingFor: z.string().optional(),
    waitDueAt: isoInstant.optional().meta({ description: 'When the current wait ends: the callback deadline in the callback queue' }),
    callback: callbackView.optional(),
    resolution: z.string().optional().meta({ description: "The department's resolution (the callback queue reads it to the caller)" }),
    callerPhone: z.string().optional().meta({ description: "The caller's phone, masked (callback queue only)" }),
    district: z.string(),
    address: z.string(),
    lat: z.number().optional().meta({ description: 'The map point, when the case has one (queue maps)' }),
    lng: z.number().optional(),
  })
  .meta({ id: 'CaseSummary' });

export const casePageView = /* @__PURE__ */ z.object({ items: z.array(caseSummaryView), cursor: z.string().optional() }).meta({ id: 'CasePage' });

export const caseEventView = /* @__PURE__ */ z
  .object({
    id: z.string(),
    at: isoInstant,
    type: z.enum(EVENT_TYPES),
    by: z.string(),
    text: z.string().optional(),
    data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  })
  .meta({ id: 'CaseEvent' });
/**
 * A file the browser means to upload. The type and size are checked by the domain rule (checkUploadRequest), which
 * names the way out for a HEIC photo; here only their shape.
 */
export const attachmentUploadBody = /* @__PURE__ */ z
  .strictObject({
    contentType: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').meta({ description: `One of ${ATTACHMENT_TYPES.join(', ')}`, examples: ['image/jpeg'] }),
    size: z.number().meta({ description: `Bytes, 1 to ${ATTACHMENT_MAX_BYTES}` }),
    kind: z.enum(ATTACHMENT_KINDS).meta({ description: 'intake (agents), progress, before or after (department staff); supervisors any' }),
  })
  .meta({ id: 'AttachmentUploadRequest' });
export const attachmentCompleteBody = /* @__PURE__ */ z
  .strictObject({
    attachmentId: z.uuid('must be the attachmentId the upload request returned'),
    kind: z.enum(ATTACHMENT_KINDS),
  })
  .meta({ id: 'AttachmentComplete' });
export const uploadGrantView = /* @__PURE__ */ z
  .object({
    attachmentId: z.string(),
    upload: z.object({
      url: z.string().meta({ description: 'POST a multipart form here: the fields below, then the file as the part named `file`' }),
      fields: z.record(z.string(), z.string()),
      expiresAt: isoInstant,
    }),
  })
  .meta({ id: 'AttachmentUploadGrant' });
export const recordedAttachmentView = /* @__PURE__ */ z
  .object({ caseNo: z.string(), version: z.number().int().meta({ description: 'The case version after the attachment' }), attachment: attachmentView })
  .meta({ id: 'RecordedAttachment' });
export const attachmentListView = /* @__PURE__ */ z
  .object({
    items: z.array(attachmentView.extend({ url: z.string().meta({ description: 'A GET of the file, valid for a minute' }), urlExpiresAt: isoInstant })),
  })
  .meta({ id: 'AttachmentList' });

export const noteView = /* @__PURE__ */ z
  .object({
    caseNo: z.string(),
    version: z.number().int().meta({ description: 'The case version after the note' }),
    note: z.object({ type: z.literal('note'), at: isoInstant, by: z.string(), text: z.string() }),
  })
  .meta({ id: 'RecordedNote' });
export const userProfileView = /* @__PURE__ */ z
  .object({ id: z.string(), name: z.string(), role: z.enum(ROLES), department: z.string().optional() })
  .meta({ id: 'UserProfile' });
export const userProfilesView = /* @__PURE__ */ z.object({ items: z.array(userProfileView) }).meta({ id: 'UserProfiles' });

export const notificationView = /* @__PURE__ */ z
  .object({
    id: z.string(),
    at: z.string(),
    kind: z.enum(NOTIFICATION_KINDS),
    caseNo: z.string().optional(),
    warningId: z.string().optional(),
    department: z.string().optional(),
    detail: z.string().optional(),
  })
  .meta({ id: 'Notification' });
export const notificationListView = /* @__PURE__ */ z
  .object({ items: z.array(notificationView), cursor: z.string().optional(), unread: z.number().int(), readUpTo: z.string().optional() })
  .meta({ id: 'NotificationList' });
export const notificationsReadBody = /* @__PURE__ */ z
  .strictObject({ upTo: z.string().regex(/^\d{4}-\d{2}-\d{2}T[^\s]{1,200}$/, 'must be the id of a notification shown (it starts with its time)') })
  .meta({ id: 'NotificationsReadInput' });
export const timelinePageView = /* @__PURE__ */ z.object({ items: z.array(caseEventView), cursor: z.string().optional() }).meta({ id: 'TimelinePage' });

export const sopView = /* @__PURE__ */ z
  .object({
    ...sopSchema.shape,
    version: z.number().int(),
    updatedAt: z.string().optional(),
    updatedBy: z.string().optional().meta({ description: 'Who stored this version: a user id, or `config` (`config@<commit>`) for config/sops.json' }),
    origin: z.enum(['config', 'console']).optional().meta({ description: 'Seeded from config/sops.json, or edited through the API' }),
    reason: z.string().optional().meta({ description: 'Why this version was stored' }),
    contentHash: z.string().optional().meta({ description: "sha-256 of the SOP's canonical JSON" }),
  })
  .meta({ id: 'Sop' });
export const sopListView = /* @__PURE__ */ z.object({ items: z.array(sopView) }).meta({ id: 'SopList' });

/** Departments as the API shows them: who they are, not where their notifications go. */
export const departmentView = /* @__PURE__ */ departmentSchema.omit({ subscriptions: true }).meta({ id: 'Department' });
export const departmentListView = /* @__PURE__ */ z.object({ items: z.array(departmentView) }).meta({ id: 'DepartmentList' });

export const errorView = /* @__PURE__ */ z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      requestId: z.string().optional(),
      currentStatus: z.enum(CASE_STATUSES).optional(),
      requested: z.string().optional(),
      currentVersion: z.number().int().optional(),
      details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    }),
  })
  .meta({ id: 'Error' });

// ---------------------------------------------------------------------------------------------------------- console

/** A category of the SOP catalogue (config/sops.json): an unknown one is a 400, not an empty list. */
const knownCategory = /* @__PURE__ */ categoryCode.superRefine((code, ctx) => {
  if (!referenceData().categories.includes(code)) ctx.addIssue({ code: 'custom', message: 'is not a known category (GET /sops)' });
});

const queryCoordinate = (axis: 'lat' | 'lng') =>
  z
    .string()
    .regex(/^-?\d{1,3}(\.\d+)?$/, 'must be a decimal number')
    .transform(Number)
    .pipe(z.number().min(TAIWAN_BOUNDS[axis].min, 'must be within Taiwan').max(TAIWAN_BOUNDS[axis].max, 'must be within Taiwan'));

export const duplicatesQuery = /* @__PURE__ */ z
  .strictObject({
    category: knownCategory,
    district: districtCode,
    lat: queryCoordinate('lat').optional().meta({ description: 'With lng: nearest cases first' }),
    lng: queryCoordinate('lng').optional(),
  })
  .superRefine((q, ctx) => {
    if (q.lat !== undefined && q.lng === undefined) ctx.addIssue({ code: 'custom', path: ['lng'], message: 'is required with lat' });
    if (q.lng !== undefined && q.lat === undefined) ctx.addIssue({ code: 'custom', path: ['lat'], message: 'is required with lng' });
  });

/** An address typed at intake, to be placed on the map (GET /places/geocode). */
export const geocodeQuery = /* @__PURE__ */ z.strictObject({
  address: z.string().trim().min(1, 'must not be empty').max(ADDRESS_MAX, `must be at most ${ADDRESS_MAX} characters`),
});
export const placeCandidatesView = /* @__PURE__ */ z
  .object({
    items: z.array(
      z.object({
        label: z.string().meta({ description: "The place as the place index names it" }),
        lat: z.number(),
        lng: z.number(),
        district: z.string().meta({ description: 'The district whose boundary holds the point (the intake derives the same)' }),
        relevance: z.number().optional(),
      }),
    ),
  })
  .meta({ id: 'PlaceCandidates' });

/** Another caller's report of a problem already logged: an intake without category and location. */
export const addReportBody = /* @__PURE__ */ z
  .strictObject({
    description: z.string().trim().min(1, 'must not be empty').max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`),
    reporter: reporterSchema,
    channel: z.enum(CHANNELS),
    priorityOverride: z.enum(PRIORITIES).optional().meta({ description: 'What the caller says; recorded, the case priority does not change' }),
    attributes: attributeAnswers.default({}),
  })
  .meta({ id: 'AddReport' });

export const departmentQueueQuery = /* @__PURE__ */ z.strictObject({
  status: z.enum(DEPARTMENT_QUEUE_STATUSES).default('ASSIGNED'),
  department: departmentCode.optional().meta({ description: "Supervisors name the department; staff always get their own" }),
  mine: z.enum(['true', 'false'], { error: 'must be true or false' }).optional().transform((v) => v === 'true').meta({ description: "true: only the cases assigned to the caller, in any working status (status is then ignored)" }),
  limit: queryInt.optional(),
  cursor: z.string().max(2048).optional(),
});

export const SOP_CHANGE_REASON_MAX = 500;

/**
 * An edited SOP: the fields of config/sops.json and why it changes (kept on the version beside its author);
 * `version`, `updatedAt`, `updatedBy`, `origin`, `contentHash` (as read) are ignored.
 */
export const sopEditBody = /* @__PURE__ */ sopSchema
  .safeExtend({
    reason: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required: say why the SOP changes' : 'must be text') })
      .trim()
      .min(1, 'is required: say why the SOP changes')
      .max(SOP_CHANGE_REASON_MAX, `must be at most ${SOP_CHANGE_REASON_MAX} characters`)
      .meta({ description: 'Why the SOP changes; stored with the new version and its author' }),
  })
  .meta({ id: 'SopEdit' });

export const duplicateCandidateView = /* @__PURE__ */ caseSummaryView
  .extend({ distanceMeters: z.number().int().min(0).optional().meta({ description: 'From the given lat/lng, when both points are known' }) })
  .meta({ id: 'DuplicateCandidate' });
export const duplicateListView = /* @__PURE__ */ z.object({ items: z.array(duplicateCandidateView) }).meta({ id: 'DuplicateList' });

export const attachedReportView = /* @__PURE__ */ z
  .object({
    caseNo: z.string(),
    status: z.enum(CASE_STATUSES),
    version: z.number().int().meta({ description: 'The case version after the note' }),
    note: z.object({ type: z.literal('note'), at: isoInstant, by: z.string(), text: z.string() }),
  })
  .meta({ id: 'AttachedReport' });

const queueCounts = /* @__PURE__ */ z.object(Object.fromEntries(DEPARTMENT_QUEUE_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof DEPARTMENT_QUEUE_STATUSES)[number], z.ZodNumber>);
export const departmentQueueView = /* @__PURE__ */ z
  .object({
    items: z.array(caseSummaryView),
    cursor: z.string().optional(),
    department: z.string(),
    status: z.enum(DEPARTMENT_QUEUE_STATUSES),
    mine: z.literal(true).optional().meta({ description: 'The page holds only the cases assigned to the caller (mine=true)' }),
    counts: queueCounts,
  })
  .meta({ id: 'DepartmentQueue' });

const compliance = /* @__PURE__ */ z.object({
  onTime: z.number().int(),
  late: z.number().int(),
  rate: z.number().min(0).max(1).nullable().meta({ description: 'onTime / (onTime + late); null when nothing was resolved' }),
});
const period = /* @__PURE__ */ z.object({ from: z.string(), to: z.string() });
/** A department's counters over some days, with the rates (the dashboard's window, the meeting pack's month). */
const departmentFigures = /* @__PURE__ */ z.object({
  department: z.string(),
  created: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  reopened: z.number().int(),
  satisfied: z.number().int(),
  unsatisfied: z.number().int(),
  compliance: z.number().min(0).max(1).nullable(),
  reopenRate: z.number().min(0).nullable(),
  satisfactionRate: z.number().min(0).max(1).nullable(),
});
const trendSeries = /* @__PURE__ */ z.object({ code: z.string(), total: z.number().int(), counts: z.array(z.number().int()) });
export const dashboardQuery = /* @__PURE__ */ z.strictObject({ window: z.enum(DASHBOARD_WINDOWS).default('7d').meta({ description: 'today, 7d (the last 7 days) or 30d' }) });

export const dashboardView = /* @__PURE__ */ z
  .object({
    openByStatus: z.record(z.string(), z.number().int()),
    openByDepartment: z.array(
      z.object({
        department: z.string(),
        name: z.object({ zh: z.string(), en: z.string() }),
        counts: z.object(Object.fromEntries(DEPARTMENT_OPEN_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof DEPARTMENT_OPEN_STATUSES)[number], z.ZodNumber>),
      }),
    ),
    overdue: z.array(caseSummaryView).meta({ description: 'Open cases past their next deadline, most overdue first (at most 50)' }),
    escalated: z.array(caseSummaryView).meta({ description: 'Open cases with escalationLevel > 0, highest level first (at most 50)' }),
    slaCompliance: z.array(z.object({ department: z.string(), week: compliance, month: compliance, overdueOpen: z.number().int() })),
    window: z.object({ name: z.enum(DASHBOARD_WINDOWS), from: z.string(), to: z.string() }).meta({ description: 'The chosen time window, Taipei days (inclusive)' }),
    byDepartment: z
      .array(departmentFigures.extend({ overdueOpen: z.number().int() }))
      .meta({ description: "Each department's figures in the window, from its day counters" }),
    topCategories: z.array(z.object({ category: z.string(), count: z.number().int() })).meta({ description: 'Categories with the most open cases' }),
    topDistricts: z.array(z.object({ district: z.string(), count: z.number().int() })).meta({ description: 'Districts with the most open cases' }),
    openByDistrict: z.record(z.string(), z.number().int()).meta({ description: 'Open cases per district (every district with any)' }),
    trends: z
      .object({
        unit: z.enum(['hour', 'day']),
        labels: z.array(z.string()).meta({ description: "Taipei hours ('00'..) today, or Taipei days (yyyy-mm-dd), oldest first" }),
        categories: z.array(trendSeries),
        districts: z.array(trendSeries),
      })
      .meta({ description: 'Cases reported in the window per category and per district (one count per label), most cases first' }),
    totals: z.object({ open: z.number().int(), overdue: z.number().int(), escalated: z.number().int() }),
    periods: z.object({ week: period, month: period }).meta({ description: 'Taipei days (inclusive) of the SLA figures; weeks start on Monday' }),
    generatedAt: isoInstant,
  })
  .meta({ id: 'Dashboard' });

// ------------------------------------------------------------------------------------------------ per route

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  /** Response headers worth documenting (ETag, Location). */
  headers?: Record<string, string>;
}

export interface RouteSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  path?: z.ZodType;
  /** Request headers the route reads (Idempotency-Key, If-Match). */
  headers?: Record<string, { required: boolean; description: string }>;
  /** Success responses by status; the error responses are added for every route. */
  responses: Record<number, RouteResponse>;
}

// ------------------------------------------------------------------------------------------- early warnings

/** `2026-12`: a month since the system could have a warning. */
export const monthParam = /* @__PURE__ */ z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
  .refine((m) => m >= '2020-01' && m <= '2100-12', 'must be a month between 2020-01 and 2100-12');

export const meetingPackQuery = /* @__PURE__ */ z
  .strictObject({ month: monthParam.optional().meta({ description: 'The Taipei month (YYYY-MM); default this month' }) })
  .meta({ id: 'MeetingPackQuery' });

const volumeRow = /* @__PURE__ */ z.object({
  code: z.string(),
  count: z.number().int(),
  previous: z.number().int().meta({ description: 'The month before' }),
  change: z.number().nullable().meta({ description: '(count - previous) / previous; null when the month before had none' }),
  daily: z.array(z.number().int()).meta({ description: 'One count per day of `volumes.days`' }),
});
export const meetingPackView = /* @__PURE__ */ z
  .object({
    month: z.string(),
    from: z.string(),
    to: z.string().meta({ description: 'The last day covered: the month end, or today for the current month' }),
    previousMonth: z.string(),
    volumes: z.object({ days: z.array(z.string()), total: z.number().int(), previousTotal: z.number().int(), byCategory: z.array(volumeRow), byDistrict: z.array(volumeRow) }),
    departments: z.array(departmentFigures.extend({ dissatisfactionRate: z.number().min(0).max(1).nullable() })),
    warnings: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(['spike', 'recurring-place']),
        category: z.string(),
        district: z.string().optional(),
        department: z.string().optional(),
        raisedAt: z.string(),
        status: z.enum(WARNING_STATUSES),
        count: z.number().int(),
        address: z.string().optional(),
        lastChange: z.object({ status: z.enum(WARNING_STATUSES), by: z.string(), at: z.string(), reason: z.string().optional() }).optional(),
      }),
    ),
    sopChanges: z.array(
      z.object({ category: z.string(), version: z.number().int(), updatedAt: z.string(), updatedBy: z.string().optional(), origin: z.string().optional(), reason: z.string().optional() }),
    ),
    generatedAt: isoInstant,
  })
  .meta({ id: 'MeetingPack' });

export const warningsQuery = /* @__PURE__ */ z
  .strictObject({
    month: monthParam.optional().meta({ description: 'The month the warnings were raised in (UTC); default this month and the last' }),
    status: z.enum(WARNING_STATUSES).optional(),
    kind: z.enum(['spike', 'recurring-place']).optional(),
    category: categoryCode.optional(),
    district: districtCode.optional(),
  })
  .meta({ id: 'WarningsQuery' });

export const warningIdPath = /* @__PURE__ */ z.object({
  warningId: z
    .string()
    .max(400)
    .refine((id) => warningMonth(id) !== undefined, 'must be a warning id such as spike:street-light@bade:2026-12-03T05')
    .meta({ examples: ['spike:street-light@bade:2026-12-03T05'] }),
});

export const warningActionBody = /* @__PURE__ */ z
  .strictObject({ reason: z.string().max(MAX_CLOSE_REASON, `must be at most ${MAX_CLOSE_REASON} characters`).optional() })
  .meta({ id: 'WarningAction' });

const warningChangeView = /* @__PURE__ */ z.object({ status: z.enum(WARNING_STATUSES), by: z.string(), at: z.string(), reason: z.string().optional() });
export const warningView = /* @__PURE__ */ z
  .object({
    id: z.string(),
    kind: z.enum(['spike', 'recurring-place']),
    category: z.string(),
    district: z.string().optional(),
    department: z.string().optional(),
    seriesKey: z.string(),
    status: z.enum(WARNING_STATUSES),
    history: z.array(warningChangeView),
    raisedAt: z.string(),
    lastSeenAt: z.string(),
    notifiedAt: z.string().optional(),
    evidence: z.looseObject({ from: z.string(), to: z.string(), count: z.number(), caseNos: z.array(z.string()) }),
  })
  .meta({ id: 'Warning' });
export const warningListView = /* @__PURE__ */ z.object({ items: z.array(warningView) }).meta({ id: 'WarningList' });

// --------------------------------------------------------------------------------------- category suggestion

export const suggestCategoryBody = /* @__PURE__ */ z
  .strictObject({ text: z.string().trim().min(1, 'must not be empty').max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`) })
  .meta({ id: 'SuggestCategory' });
export const categorySuggestionsView = /* @__PURE__ */ z
  .object({
    suggestions: z.array(z.object({ category: z.string(), confidence: z.number().min(0).max(1) })).max(3),
    source: z.enum(['model', 'keywords']),
    modelVersion: z.string().optional(),
  })
  .meta({ id: 'CategorySuggestions' });

/** A bulk action's answer (usecases/lifecycle/bulk.ts): each case's outcome in the order asked, and the counts. */
function bulkView<Done extends string>(done: Done, id: string) {
  const outcomes = [done, 'not-found', 'conflict', 'failed'] as const;
  return z
    .object({
      results: z.array(
        z.object({
          caseNo: z.string(),
          outcome: z.enum(outcomes),
          status: z.string().optional().meta({ description: `The status after (${done}) or the one that did not allow it (conflict)` }),
          version: z.number().int().optional(),
          error: z.string().optional().meta({ description: "The error's code (failed): the single action on that case again finishes the job" }),
        }),
      ),
      counts: z.record(z.enum(outcomes), z.number().int()),
    })
    .meta({ id });
}
export const bulkAcknowledgeView = /* @__PURE__ */ bulkView('acknowledged', 'BulkAcknowledgeResult');
export const bulkAssignView = /* @__PURE__ */ bulkView('assigned', 'BulkAssignResult');
export const bulkReassignView = /* @__PURE__ */ bulkView('reassigned', 'BulkReassignResult');

const notificationsReadView = /* @__PURE__ */ z.object({ readUpTo: z.string() }).meta({ id: 'NotificationsRead' });

/**
 * Schemas by route id: the handlers validate with them and OpenAPI documents them. Routes of other areas (case
 * actions, Open311) add their entry here or in a module merged by openapi.ts; a route without one is documented
 * with a generic body.
 */
export const ROUTE_SCHEMAS: Record<string, RouteSchemas> = {
  createCase: {
    body: createCaseBody,
    headers: { 'Idempotency-Key': { required: false, description: 'Retries with the same key and body return the same case (200)' } },
    responses: {
      201: { description: 'Case created', schema: caseView, headers: { Location: 'URL of the case', ETag: 'The case version' } },
      200: { description: 'Replay of an earlier request with the same Idempotency-Key and body', schema: caseView },
    },
  },
  listCases: { query: listCasesQuery, responses: { 200: { description: 'A page of cases', schema: casePageView } } },
  assignCases: { body: bulkAssignBody, responses: { 200: { description: "Each case's outcome, in the order asked, and the count of each", schema: bulkAssignView } } },
  reassignCases: { body: bulkReassignBody, responses: { 200: { description: "Each case's outcome, in the order asked, and the count of each", schema: bulkReassignView } } },
  acknowledgeCases: { body: bulkAcknowledgeBody, responses: { 200: { description: "Each case's outcome, in the order asked, and the count of each", schema: bulkAcknowledgeView } } },
  getCase: { path: caseNoPath, responses: { 200: { description: 'The case', schema: caseView, headers: { ETag: 'The case version' } } } },
  updateCase: {
    path: caseNoPath,
    body: updateCaseBody,
    headers: { 'If-Match': { required: true, description: 'The version read (the ETag of GET /cases/{caseNo})' } },
    responses: { 200: { description: 'The corrected case', schema: caseView, headers: { ETag: 'The new version' } } },
  },
  getCaseTimeline: { path: caseNoPath, query: pageQuery, responses: { 200: { description: 'A page of timeline events, oldest first', schema: timelinePageView } } },
  addCaseNote: { path: caseNoPath, body: addNoteBody, responses: { 201: { description: 'The note as recorded on the timeline', schema: noteView } } },
  requestAttachmentUpload: {
    path: caseNoPath,
    body: attachmentUploadBody,
    responses: { 201: { description: 'A presigned POST for a key the API chose: only this type and 1 byte to 10 MB pass, for 5 minutes', schema: uploadGrantView } },
  },
  addAttachment: {
    path: caseNoPath,
    body: attachmentCompleteBody,
    responses: {
      201: { description: 'The uploaded file, checked (size, leading bytes) and recorded with an attachment-added event', schema: recordedAttachmentView },
      200: { description: 'The same attachment completed again: as recorded', schema: recordedAttachmentView },
    },
  },
  listAttachments: { path: caseNoPath, responses: { 200: { description: "The case's files, each with a GET valid for a minute", schema: attachmentListView } } },
  listSops: { responses: { 200: { description: 'Current SOP of every category', schema: sopListView } } },
  getSop: { path: categoryPath, responses: { 200: { description: "The category's current SOP", schema: sopView } } },
  listDepartments: { responses: { 200: { description: 'Departments', schema: departmentListView } } },
  getOpenApi: { responses: { 200: { description: 'This document' } } },
  recordSignIn: { responses: { 200: { description: "The caller's profile as the directory now holds it (name, role and department from the ID token)", schema: userProfileView } } },
  listNotifications: { query: pageQuery, responses: { 200: { description: "The caller's notifications, newest first, with the unread count (at most 100)", schema: notificationListView } } },
  markNotificationsRead: {
    body: notificationsReadBody,
    responses: { 200: { description: 'Where the marker stands (it never moves back)', schema: notificationsReadView } },
  },
  listDepartmentStaff: { query: departmentStaffQuery, responses: { 200: { description: "The department's staff who signed in, by name", schema: userProfilesView } } },
  listUsers: { query: userIdsQuery, responses: { 200: { description: 'Profiles of the ids that have signed in; other ids are absent', schema: userProfilesView } } },

  findDuplicateCases: { query: duplicatesQuery, responses: { 200: { description: 'Open cases of the category in the district, nearest then newest (at most 10)', schema: duplicateListView } } },
  geocodeAddress: {
    query: geocodeQuery,
    responses: { 200: { description: 'Places in the city for the address, best first (at most 5; none is an empty list); 404 where the stage has no place index', schema: placeCandidatesView } },
  },
  addCaseReport: {
    path: caseNoPath,
    body: addReportBody,
    responses: { 201: { description: 'The report, recorded on the open case as a note', schema: attachedReportView, headers: { ETag: 'The case version' } } },
  },
  callbackQueue: { query: pageQuery, responses: { 200: { description: 'Resolved cases due for the satisfaction call, oldest first', schema: casePageView } } },
  dispatchQueue: { query: pageQuery, responses: { 200: { description: 'Returned cases waiting for reassignment, oldest first', schema: casePageView } } },
  departmentQueue: { query: departmentQueueQuery, responses: { 200: { description: "A department's cases in one status by due time, and its counts", schema: departmentQueueView } } },
  suggestCategory: { body: suggestCategoryBody, responses: { 200: { description: 'The three likeliest categories with their confidence', schema: categorySuggestionsView } } },
  listWarnings: { query: warningsQuery, responses: { 200: { description: 'Early warnings, newest first', schema: warningListView } } },
  acknowledgeWarning: { path: warningIdPath, body: warningActionBody, responses: { 200: { description: 'The acknowledged warning', schema: warningView } } },
  closeWarning: { path: warningIdPath, body: warningActionBody, responses: { 200: { description: 'The closed warning (a reason is required)', schema: warningView } } },
  getDashboard: { query: dashboardQuery, responses: { 200: { description: 'Open cases, deadlines, escalations and SLA compliance now', schema: dashboardView } } },
  getMeetingPack: { query: meetingPackQuery, responses: { 200: { description: "The month's figures for the improvement meeting", schema: meetingPackView } } },
  listSopVersions: { path: categoryPath, responses: { 200: { description: 'Every version of the SOP, oldest first', schema: sopListView } } },
  editSop: {
    path: categoryPath,
    body: sopEditBody,
    headers: { 'If-Match': { required: true, description: 'The current version of the SOP (its `version`)' } },
    responses: { 200: { description: 'The new version; it applies to cases routed from now on', schema: sopView, headers: { ETag: 'The new version' } } },
  },
};
