/**
 * The route table: the single list of API routes. CDK builds the HTTP API and one function per handler module
 * from it, the local gateway dispatches with it, the authorization policy enforces each row's `policy`, the console
 * offers actions by it, and the OpenAPI document and docs/security.md are generated from it. Adding a route here
 * (and its handler module) is all it takes to expose it everywhere.
 */
import { ValidationError } from '../domain/errors';
import { ALL_STAFF, DEPARTMENT_WORK, DESK_WORK, KB_EDITORS, SCOPES, type Policy } from '../auth/route-policy';

export { ROLES, type Role } from '../domain/actor';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What the handler module may touch; CDK grants exactly this, nothing more. */
export interface HandlerAccess {
  table: 'RO' | 'RW';
  /** start: StartExecution on the case workflow; send: SendTask* results. */
  workflow?: ReadonlyArray<'start' | 'send'>;
  /** Publishes to SNS (citizen SMS caps, etc.). */
  sns?: boolean;
  /**
   * The attachment bucket: `read` signs GETs of case files; `upload` also signs uploads and checks what was
   * uploaded (HeadObject, a ranged GetObject: the same read permission); `erase` deletes a case's files.
   */
  attachments?: 'read' | 'upload' | 'erase';
  /** Searches the stage's Amazon Location place index, when the stage names one (nothing otherwise). */
  geocoding?: true;
}

export interface RouteDef {
  /** Stable id: OpenAPI operationId and log key. */
  id: string;
  method: HttpMethod;
  /** API Gateway path syntax, e.g. `/cases/{caseNo}`. */
  path: string;
  /** Handler module under functions/, without extension; it exports `handler`. */
  handler: string;
  /** Who may call it (roles, integration scope, reach into cases), or `public` for routes without the JWT authorizer. */
  policy: Policy;
  access: HandlerAccess;
  summary: string;
  /** Tag for OpenAPI grouping. */
  tag: 'cases' | 'workflow' | 'reference' | 'open311' | 'privacy' | 'admin' | 'meta' | 'kb';
  /** Largest request body the handler reads (413 above it); DEFAULT_MAX_BODY_BYTES when absent. */
  maxBodyBytes?: number;
}

/**
 * Bodies are bounded before they are parsed: API Gateway lets 10 MB through, and parsing megabytes of JSON costs a
 * warm container (and, locally, every other request) a second of CPU. The default holds any note, action or
 * search with room to spare; routes carrying case text and answers, or a whole SOP, get more.
 */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const LARGE_BODY_BYTES = 256 * 1024;
/**
 * An Open311 request with its `media` photo: Lambda takes at most 6 MB of request payload, and API Gateway sends a
 * multipart body base64-encoded (4 characters per 3 bytes), so about 4 MB of form; larger photos go by media_url.
 */
const OPEN311_MEDIA_BODY_BYTES = 4 * 1024 * 1024;
/** Deepest JSON nesting a body may have (no request shape needs more than a handful of levels). */
export const MAX_JSON_DEPTH = 32;

const OPEN311_READ = { handler: 'open311/read-handler', policy: 'public', access: { table: 'RO' }, tag: 'open311' } satisfies Partial<RouteDef>;
const CASE_ACTION = { handler: 'api/handlers/case-actions', access: { table: 'RW', workflow: ['send'] }, tag: 'workflow' } satisfies Partial<RouteDef>;

export const ROUTES: readonly RouteDef[] = [
  { id: 'createCase', method: 'POST', path: '/cases', handler: 'api/handlers/create-case', policy: { reach: 'none', allow: ['agent', 'supervisor', 'admin', 'integration'], scope: SCOPES.casesWrite }, access: { table: 'RW', workflow: ['start'] }, summary: 'Log a new case', tag: 'cases', maxBodyBytes: LARGE_BODY_BYTES },
  { id: 'listCases', method: 'GET', path: '/cases', handler: 'api/handlers/list-cases', policy: { reach: 'cases', allow: ALL_STAFF }, access: { table: 'RO' }, summary: 'List cases by status, department, district, category or created date', tag: 'cases' },
  // Literal before parameter: findRoute takes the first match (API Gateway prefers the literal path by itself).
  { id: 'findDuplicateCases', method: 'GET', path: '/cases/duplicates', handler: 'api/handlers/duplicates', policy: { reach: 'cases', allow: ['agent', 'supervisor'] }, access: { table: 'RO' }, summary: 'Open cases of a category in a district, nearest then newest (duplicate check at intake)', tag: 'cases' },
  { id: 'getCase', method: 'GET', path: '/cases/{caseNo}', handler: 'api/handlers/get-case', policy: { reach: 'case', allow: [...ALL_STAFF, 'integration'], scope: SCOPES.casesRead }, access: { table: 'RW' }, summary: 'Read one case', tag: 'cases' },
  { id: 'updateCase', method: 'PATCH', path: '/cases/{caseNo}', handler: 'api/handlers/update-case', policy: { reach: 'case', allow: DESK_WORK }, access: { table: 'RW', workflow: ['send'] }, summary: 'Correct a case (If-Match: version)', tag: 'cases', maxBodyBytes: LARGE_BODY_BYTES },
  { id: 'getCaseTimeline', method: 'GET', path: '/cases/{caseNo}/timeline', handler: 'api/handlers/get-timeline', policy: { reach: 'case', allow: ALL_STAFF }, access: { table: 'RO' }, summary: "Read a case's timeline", tag: 'cases' },
  { id: 'requestAttachmentUpload', method: 'POST', path: '/cases/{caseNo}/attachments/uploads', handler: 'api/handlers/attachments', policy: { reach: 'case', allow: ['agent', 'staff', 'supervisor'] }, access: { table: 'RO', attachments: 'upload' }, summary: 'Sign a browser upload of a photo or PDF for the case', tag: 'cases' },
  { id: 'addAttachment', method: 'POST', path: '/cases/{caseNo}/attachments', handler: 'api/handlers/attachments', policy: { reach: 'case', allow: ['agent', 'staff', 'supervisor'] }, access: { table: 'RW', attachments: 'upload' }, summary: 'Record an uploaded photo or PDF once its bytes are checked', tag: 'cases' },
  { id: 'listAttachments', method: 'GET', path: '/cases/{caseNo}/attachments', handler: 'api/handlers/attachments', policy: { reach: 'case', allow: ALL_STAFF }, access: { table: 'RO', attachments: 'read' }, summary: "The case's photos and PDFs, each with a short-lived read URL", tag: 'cases' },
  { id: 'addCaseNote', method: 'POST', path: '/cases/{caseNo}/notes', handler: 'api/handlers/add-note', policy: { reach: 'case', allow: [...ALL_STAFF, 'integration'], scope: SCOPES.casesWrite }, access: { table: 'RW' }, summary: 'Add a note to the timeline', tag: 'cases' },
  { id: 'addCaseReport', method: 'POST', path: '/cases/{caseNo}/reports', handler: 'api/handlers/case-reports', policy: { reach: 'case', allow: ['agent', 'supervisor'] }, access: { table: 'RW' }, summary: "Attach another caller's report to an open case", tag: 'cases', maxBodyBytes: LARGE_BODY_BYTES },

  // Personal data (who may reach it: functions/auth/policy.ts). The phone travels in a POST body, never in a URL.
  { id: 'searchByPhone', method: 'POST', path: '/cases/phone-search', handler: 'api/handlers/phone-search', policy: { reach: 'cases', allow: ['agent', 'supervisor'] }, access: { table: 'RW' }, summary: "Find a caller's cases by phone number (audited)", tag: 'privacy' },
  { id: 'callerHistory', method: 'POST', path: '/cases/caller-history', handler: 'api/handlers/phone-search', policy: { reach: 'cases', allow: ['agent'] }, access: { table: 'RW' }, summary: "The caller's cases of the last 12 months while logging a call (audited, reason intake)", tag: 'privacy' },
  { id: 'requestPiiAccess', method: 'POST', path: '/cases/{caseNo}/pii-access-requests', handler: 'api/handlers/privacy', policy: { reach: 'case', allow: ['staff'] }, access: { table: 'RW' }, summary: "Ask to see the reporter's personal data (reason)", tag: 'privacy' },
  { id: 'approvePiiAccess', method: 'POST', path: '/cases/{caseNo}/pii-access-requests/{requestId}/approve', handler: 'api/handlers/privacy', policy: { reach: 'case', allow: ['supervisor'] }, access: { table: 'RW' }, summary: 'Approve an access request for some minutes', tag: 'privacy' },
  { id: 'denyPiiAccess', method: 'POST', path: '/cases/{caseNo}/pii-access-requests/{requestId}/deny', handler: 'api/handlers/privacy', policy: { reach: 'case', allow: ['supervisor'] }, access: { table: 'RW' }, summary: 'Deny a pending access request, with the reason', tag: 'privacy' },
  { id: 'revokePiiAccess', method: 'POST', path: '/cases/{caseNo}/pii-access-requests/{requestId}/revoke', handler: 'api/handlers/privacy', policy: { reach: 'case', allow: ['supervisor'] }, access: { table: 'RW' }, summary: 'End a running approval at once, with the reason', tag: 'privacy' },
  { id: 'listPiiAccessRequests', method: 'GET', path: '/privacy/access-requests', handler: 'api/handlers/privacy', policy: { reach: 'none', allow: ['supervisor'] }, access: { table: 'RO' }, summary: 'The supervisors\' queue: pending access requests (oldest first) or running approvals (by expiry)', tag: 'privacy' },
  { id: 'listPhoneSearchAudit', method: 'GET', path: '/privacy/phone-searches', handler: 'api/handlers/privacy', policy: { reach: 'none', allow: ['supervisor', 'admin'] }, access: { table: 'RO' }, summary: "A day's phone searches: who, why, what was found", tag: 'privacy' },

  { id: 'callbackQueue', method: 'GET', path: '/queues/callback', handler: 'api/handlers/queues', policy: { reach: 'cases', allow: ['agent', 'supervisor'] }, access: { table: 'RO' }, summary: 'Resolved cases due for the satisfaction call, oldest first', tag: 'cases' },
  { id: 'dispatchQueue', method: 'GET', path: '/queues/dispatch', handler: 'api/handlers/queues', policy: { reach: 'cases', allow: ['supervisor', 'admin'] }, access: { table: 'RO' }, summary: 'Returned cases waiting for reassignment, oldest first', tag: 'cases' },
  { id: 'departmentQueue', method: 'GET', path: '/queues/department', handler: 'api/handlers/queues', policy: { reach: 'cases', allow: ['staff', 'supervisor'] }, access: { table: 'RO' }, summary: "A department's cases in one status by due time, with its counts", tag: 'cases' },
  { id: 'geocodeAddress', method: 'GET', path: '/places/geocode', handler: 'api/handlers/places', policy: { reach: 'none', allow: ['agent', 'supervisor'] }, access: { table: 'RO', geocoding: true }, summary: "Map points and their districts for an address typed at intake (the stage's Amazon Location place index; 404 where it has none)", tag: 'reference' },
  { id: 'suggestCategory', method: 'POST', path: '/suggestions/category', handler: 'api/handlers/suggestions', policy: { reach: 'none', allow: ['agent', 'supervisor'] }, access: { table: 'RO' }, summary: "The three likeliest categories for the caller's words (trained model, SOP keywords before one exists)", tag: 'cases' },
  { id: 'listWarnings', method: 'GET', path: '/warnings', handler: 'api/handlers/warnings', policy: { reach: 'none', allow: ['supervisor', 'admin'] }, access: { table: 'RO' }, summary: 'Early warnings (spikes, recurring places) with their evidence and status', tag: 'admin' },
  { id: 'acknowledgeWarning', method: 'POST', path: '/warnings/{warningId}/acknowledge', handler: 'api/handlers/warnings', policy: { reach: 'none', allow: ['supervisor'] }, access: { table: 'RW' }, summary: 'A supervisor acknowledges an early warning', tag: 'admin' },
  { id: 'closeWarning', method: 'POST', path: '/warnings/{warningId}/close', handler: 'api/handlers/warnings', policy: { reach: 'none', allow: ['supervisor'] }, access: { table: 'RW' }, summary: 'A supervisor closes an early warning, with the reason', tag: 'admin' },
  { id: 'getDashboard', method: 'GET', path: '/dashboard', handler: 'api/handlers/dashboard', policy: { reach: 'cases', allow: ['supervisor', 'admin'] }, access: { table: 'RO' }, summary: 'Open cases by status and department, overdue, escalated, SLA compliance, hot spots', tag: 'admin' },
  { id: 'getMeetingPack', method: 'GET', path: '/reports/meeting', handler: 'api/handlers/dashboard', policy: { reach: 'none', allow: ['supervisor', 'admin'] }, access: { table: 'RO' }, summary: "A month's improvement-meeting pack: volumes and their change by category and district, departments' deadlines, reopen and dissatisfaction rates, the month's warnings and SOP changes", tag: 'admin' },

  { id: 'acknowledgeCase', method: 'POST', path: '/cases/{caseNo}/acknowledge', policy: { reach: 'case', allow: DEPARTMENT_WORK }, summary: 'Department acknowledges the case', ...CASE_ACTION },
  { id: 'reportProgress', method: 'POST', path: '/cases/{caseNo}/progress', policy: { reach: 'case', allow: DEPARTMENT_WORK }, summary: 'Department reports progress', ...CASE_ACTION },
  { id: 'resolveCase', method: 'POST', path: '/cases/{caseNo}/resolve', policy: { reach: 'case', allow: DEPARTMENT_WORK }, summary: 'Department resolves the case', ...CASE_ACTION },
  { id: 'returnCase', method: 'POST', path: '/cases/{caseNo}/return', policy: { reach: 'case', allow: DEPARTMENT_WORK }, summary: 'Department returns a wrongly routed case', ...CASE_ACTION },
  { id: 'acknowledgeCases', method: 'POST', path: '/queues/department/acknowledge', policy: { reach: 'each-case', allow: DEPARTMENT_WORK }, summary: "Department acknowledges several cases from its queue; each case's outcome is reported (acknowledged, not-found, conflict, failed)", ...CASE_ACTION },
  { id: 'assignCase', method: 'POST', path: '/cases/{caseNo}/assign', policy: { reach: 'case', allow: DEPARTMENT_WORK, staffLead: true }, summary: "Department lead (or supervisor) assigns the case to a staff member of its department", ...CASE_ACTION },
  { id: 'assignCases', method: 'POST', path: '/queues/department/assign', policy: { reach: 'each-case', allow: DEPARTMENT_WORK, staffLead: true }, summary: "Department lead (or supervisor) assigns several cases to a staff member; each case's outcome is reported (assigned, not-found, conflict, failed)", ...CASE_ACTION },
  { id: 'reassignCase', method: 'POST', path: '/cases/{caseNo}/reassign', policy: { reach: 'case', allow: ['supervisor', 'admin'] }, summary: 'Supervisor reassigns the case to a department', ...CASE_ACTION },
  { id: 'reassignCases', method: 'POST', path: '/queues/reassign', policy: { reach: 'each-case', allow: ['supervisor', 'admin'] }, summary: "Supervisor reassigns several cases (from the dispatch queue or an inbox) to one department with one reason; each case's outcome is reported (reassigned, not-found, conflict, failed)", ...CASE_ACTION },
  { id: 'decideWorkflowFailure', method: 'POST', path: '/cases/{caseNo}/workflow-decision', policy: { reach: 'case', allow: ['supervisor'] }, summary: "Supervisor decides about a case whose workflow step failed for good: retry the step, reassign, or close", ...CASE_ACTION },
  { id: 'recordSurvey', method: 'POST', path: '/cases/{caseNo}/survey', policy: { reach: 'case', allow: DESK_WORK }, summary: "Record the citizen's satisfaction answer", ...CASE_ACTION },
  { id: 'recordNoAnswer', method: 'POST', path: '/cases/{caseNo}/callback-attempts', policy: { reach: 'case', allow: DESK_WORK }, summary: "Record a satisfaction call nobody answered (If-Match); the SOP's last attempt closes the case as unanswered", ...CASE_ACTION },
  { id: 'cancelCase', method: 'POST', path: '/cases/{caseNo}/cancel', policy: { reach: 'case', allow: [...DESK_WORK, 'integration'], scope: SCOPES.casesWrite }, summary: 'Cancel the case', ...CASE_ACTION },
  { id: 'mergeCase', method: 'POST', path: '/cases/{caseNo}/merge', policy: { reach: 'case', allow: DESK_WORK }, summary: 'Merge the case into a parent case', ...CASE_ACTION },

  { id: 'listSops', method: 'GET', path: '/sops', handler: 'api/handlers/reference', policy: { reach: 'none', allow: [...ALL_STAFF, 'integration'], scope: SCOPES.casesRead }, access: { table: 'RO' }, summary: 'List SOP categories (current versions)', tag: 'reference' },
  { id: 'getSop', method: 'GET', path: '/sops/{category}', handler: 'api/handlers/reference', policy: { reach: 'none', allow: [...ALL_STAFF, 'integration'], scope: SCOPES.casesRead }, access: { table: 'RO' }, summary: "Read a category's current SOP", tag: 'reference' },
  { id: 'listSopVersions', method: 'GET', path: '/sops/{category}/versions', handler: 'api/handlers/sop-admin', policy: { reach: 'none', allow: ALL_STAFF }, access: { table: 'RO' }, summary: "Every version of a category's SOP", tag: 'reference' },
  { id: 'editSop', method: 'PUT', path: '/sops/{category}', handler: 'api/handlers/sop-admin', policy: { reach: 'none', allow: ['supervisor', 'admin'] }, access: { table: 'RW' }, summary: 'Save an edited SOP as a new version (If-Match: version); applies to new cases', tag: 'admin', maxBodyBytes: LARGE_BODY_BYTES },
  { id: 'listDepartments', method: 'GET', path: '/departments', handler: 'api/handlers/reference', policy: { reach: 'none', allow: [...ALL_STAFF, 'integration'], scope: SCOPES.casesRead }, access: { table: 'RO' }, summary: 'List departments', tag: 'reference' },

  // Knowledge base: the agents' search as they type what the caller says, and the public reads of published
  // articles for the city website and chatbots (no sign-in; a draft is a 404).
  { id: 'searchArticles', method: 'GET', path: '/kb/search', handler: 'api/handlers/kb-search', policy: { reach: 'none', allow: ALL_STAFF }, access: { table: 'RO' }, summary: "Published articles best matching the caller's words", tag: 'kb' },
  { id: 'listPublicArticles', method: 'GET', path: '/kb/articles', handler: 'api/handlers/kb-public', policy: 'public', access: { table: 'RO' }, summary: 'Published articles: search and paging (public, cacheable)', tag: 'kb' },
  { id: 'getPublicArticle', method: 'GET', path: '/kb/articles/{articleId}', handler: 'api/handlers/kb-public', policy: 'public', access: { table: 'RO' }, summary: 'One published article (public, cacheable)', tag: 'kb' },
  { id: 'listSurgeTopics', method: 'GET', path: '/kb/surge-topics', handler: 'api/handlers/surge-topics', policy: { reach: 'none', allow: ALL_STAFF }, access: { table: 'RO' }, summary: 'Surge topics pinned for the intake screen (active ones)', tag: 'kb' },
  { id: 'pinSurgeTopic', method: 'POST', path: '/kb/surge-topics', handler: 'api/handlers/surge-topics', policy: { reach: 'none', allow: ['supervisor', 'admin'] }, access: { table: 'RW' }, summary: 'Pin a surge topic (script, articles, expiry) for every agent', tag: 'kb' },
  { id: 'unpinSurgeTopic', method: 'DELETE', path: '/kb/surge-topics/{topicId}', handler: 'api/handlers/surge-topics', policy: { reach: 'none', allow: ['supervisor', 'admin'] }, access: { table: 'RW' }, summary: 'Unpin a surge topic', tag: 'kb' },
  // Writing articles: department editors (staff, their own department's) and admins draft and edit, a supervisor
  // publishes and retires (usecases/edit-article.ts); every change is a new version, conditional on If-Match.
  { id: 'listArticlesForEditing', method: 'GET', path: '/kb/editor/articles', handler: 'api/handlers/kb-editor', policy: { reach: 'none', allow: DEPARTMENT_WORK }, access: { table: 'RO' }, summary: "Articles with their status, version and review-by date (staff: their department's)", tag: 'kb' },
  { id: 'createArticleDraft', method: 'POST', path: '/kb/editor/articles', handler: 'api/handlers/kb-editor', policy: { reach: 'none', allow: KB_EDITORS }, access: { table: 'RW' }, summary: 'Draft a new article (staff: for their department), with the reason', tag: 'kb' },
  { id: 'getArticleForEditing', method: 'GET', path: '/kb/editor/articles/{articleId}', handler: 'api/handlers/kb-editor', policy: { reach: 'none', allow: DEPARTMENT_WORK }, access: { table: 'RO' }, summary: "An article's newest version, draft or not (ETag: its version)", tag: 'kb' },
  { id: 'editArticle', method: 'PUT', path: '/kb/editor/articles/{articleId}', handler: 'api/handlers/kb-editor', policy: { reach: 'none', allow: KB_EDITORS }, access: { table: 'RW' }, summary: 'Save an edit as a new draft version (If-Match: version), with the reason', tag: 'kb' },
  { id: 'publishArticle', method: 'POST', path: '/kb/editor/articles/{articleId}/publish', handler: 'api/handlers/kb-editor', policy: { reach: 'none', allow: ['supervisor'] }, access: { table: 'RW' }, summary: "Publish the article's draft (If-Match: version); search is rebuilt", tag: 'kb' },
  { id: 'retireArticle', method: 'POST', path: '/kb/editor/articles/{articleId}/retire', handler: 'api/handlers/kb-editor', policy: { reach: 'none', allow: ['supervisor'] }, access: { table: 'RW' }, summary: 'Retire the article (If-Match: version): gone from search and the public reads', tag: 'kb' },
  { id: 'listArticleVersions', method: 'GET', path: '/kb/editor/articles/{articleId}/versions', handler: 'api/handlers/kb-editor', policy: { reach: 'none', allow: DEPARTMENT_WORK }, access: { table: 'RO' }, summary: 'Every version of an article: who changed what, when and why', tag: 'kb' },
  { id: 'listArticlesDueForReview', method: 'GET', path: '/kb/review-due', handler: 'api/handlers/kb-desk', policy: { reach: 'none', allow: ['staff', 'supervisor', 'admin'] }, access: { table: 'RO' }, summary: "Published articles past their review-by date (staff: their department's)", tag: 'kb' },
  { id: 'listArticleRequests', method: 'GET', path: '/kb/article-requests', handler: 'api/handlers/kb-desk', policy: { reach: 'none', allow: ['staff', 'supervisor', 'admin'] }, access: { table: 'RO' }, summary: "Questions no article answered in a month (staff: their department's)", tag: 'kb' },
  { id: 'getKbFigures', method: 'GET', path: '/kb/figures', handler: 'api/handlers/kb-desk', policy: { reach: 'none', allow: ['supervisor', 'admin'] }, access: { table: 'RO' }, summary: 'First-contact resolution, most used articles, questions without an article, calls per surge topic', tag: 'kb' },

  // The staff directory: timelines name people by id; the console shows their names (usecases/user-directory.ts).
  { id: 'recordSignIn', method: 'PUT', path: '/me', handler: 'api/handlers/users', policy: { reach: 'none', allow: ALL_STAFF }, access: { table: 'RW' }, summary: "Record the signed-in person's display name, role and department from the ID token", tag: 'reference' },
  { id: 'listNotifications', method: 'GET', path: '/notifications', handler: 'api/handlers/users', policy: { reach: 'none', allow: ALL_STAFF }, access: { table: 'RO' }, summary: "The caller's notifications (their role's and department's inbox), newest first, with the unread count", tag: 'reference' },
  { id: 'markNotificationsRead', method: 'POST', path: '/notifications/read', handler: 'api/handlers/users', policy: { reach: 'none', allow: ALL_STAFF }, access: { table: 'RW' }, summary: 'Mark the caller\'s notifications read up to one shown', tag: 'reference' },
  { id: 'listDepartmentStaff', method: 'GET', path: '/users/staff', handler: 'api/handlers/users', policy: { reach: 'none', allow: DEPARTMENT_WORK }, access: { table: 'RO' }, summary: "A department's staff who signed in, by name: whom its cases can be assigned to (staff: their own department)", tag: 'reference' },
  { id: 'listUsers', method: 'GET', path: '/users', handler: 'api/handlers/users', policy: { reach: 'none', allow: ALL_STAFF }, access: { table: 'RO' }, summary: 'Display names of staff by id (?ids=a,b)', tag: 'reference' },
  { id: 'getOpenApi', method: 'GET', path: '/openapi.json', handler: 'api/handlers/openapi', policy: 'public', access: { table: 'RO' }, summary: 'This API as OpenAPI 3.1', tag: 'meta' },

  // Open311 GeoReport v2 (docs/open311.md). Public at the gateway: reads are open data, and a POST is checked
  // against its api_key in the handler. `{document}` etc. hold the whole last segment, `requests.json`, because
  // an HTTP API path parameter cannot end inside a segment; the handler splits off the format.
  { id: 'open311Document', method: 'GET', path: '/open311/v2/{document}', ...OPEN311_READ, summary: 'Open311: discovery, services, requests or servicerequestupdates (.xml or .json)' },
  { id: 'open311ServiceDefinition', method: 'GET', path: '/open311/v2/services/{service}', ...OPEN311_READ, summary: "Open311: a service's attributes (.xml or .json)" },
  { id: 'open311Request', method: 'GET', path: '/open311/v2/requests/{request}', ...OPEN311_READ, summary: 'Open311: one service request (.xml or .json)' },
  { id: 'open311Token', method: 'GET', path: '/open311/v2/tokens/{token}', ...OPEN311_READ, summary: 'Open311: service request id from a token (.xml or .json)' },
  { id: 'open311CreateRequest', method: 'POST', path: '/open311/v2/{document}', handler: 'open311/create-handler', policy: 'public', access: { table: 'RW', workflow: ['start'], attachments: 'upload' }, summary: 'Open311: file a service request, requests.xml or requests.json (api_key); multipart/form-data may carry a media file', tag: 'open311', maxBodyBytes: OPEN311_MEDIA_BODY_BYTES },
];

/** Routes without the JWT authorizer. */
export function isPublic(route: Pick<RouteDef, 'policy'>): boolean {
  return route.policy === 'public';
}

export function routeKey(r: Pick<RouteDef, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}

export function findRoute(method: string, path: string): { route: RouteDef; pathParameters: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const params = matchPath(route.path, path);
    if (params) return { route, pathParameters: params };
  }
  return undefined;
}

/**
 * Matches `/cases/{caseNo}` against `/cases/20261127-00042`; literal segments win over parameters by order. A
 * parameter that is not valid percent-encoded UTF-8 (`/cases/%ZZ`) is the client's mistake: a ValidationError
 * naming the parameter (400), thrown only once the rest of the path has matched.
 */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/').filter(Boolean);
  const p = path.split('/').filter(Boolean);
  if (t.length !== p.length) return undefined;
  const raw: Array<[string, string]> = [];
  for (let i = 0; i < t.length; i++) {
    const seg = t[i];
    if (seg.startsWith('{') && seg.endsWith('}')) raw.push([seg.slice(1, -1), p[i]]);
    else if (seg !== p[i]) return undefined;
  }
  const params: Record<string, string> = {};
  for (const [name, value] of raw) params[name] = decodePathParameter(name, value);
  return params;
}

/** A path parameter as its text; malformed percent-encoding is a 400 naming the parameter. */
export function decodePathParameter(name: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ValidationError(`Invalid path parameter: ${name}`, [{ path: name, message: 'is not valid percent-encoded UTF-8' }]);
  }
}

/** Distinct handler modules with the union of what their routes need. */
export function handlerModules(routes: readonly RouteDef[] = ROUTES): Array<{ handler: string; access: HandlerAccess; routes: RouteDef[] }> {
  const byHandler = new Map<string, { handler: string; access: HandlerAccess; routes: RouteDef[] }>();
  for (const r of routes) {
    const entry = byHandler.get(r.handler) ?? { handler: r.handler, access: { table: 'RO' }, routes: [] };
    entry.routes.push(r);
    if (r.access.table === 'RW') entry.access.table = 'RW';
    const wf = new Set([...(entry.access.workflow ?? []), ...(r.access.workflow ?? [])]);
    if (wf.size) entry.access.workflow = [...wf].sort();
    if (r.access.sns) entry.access.sns = true;
    if (r.access.geocoding) entry.access.geocoding = true;
    // read < upload (signing an upload needs PutObject besides the reads).
    if (r.access.attachments && entry.access.attachments !== 'upload') entry.access.attachments = r.access.attachments;
    byHandler.set(r.handler, entry);
  }
  return [...byHandler.values()];
}
