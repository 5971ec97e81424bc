/** Every API call the console makes, by name. Paths follow functions/api/routes.ts and the console contract. */
import { actionPath, type CaseAction } from '../logic/actions';
import { parseIsoDuration, type ClockReading } from '../logic/time';
import type { ApiClient } from './client';
import type { AttachmentKind, AttachmentView, PlaceCandidate, RecordedAttachment, UploadGrant } from './types';
import type { ArticleForEditing, ArticleHit, BulkAcknowledgeResult, BulkAssignResult, BulkReassignResult, ArticleListItem, ArticleRequestView, ArticleStatus, ArticleVersionView, CaseEvent, CaseSummary, CaseView, CreateCaseBody, Dashboard, DashboardWindow, DepartmentQueue, DepartmentView, InboxStatus, KbFigures, MeetingPack, NotificationList, SurgeTopicView, OutboxEntry, Page, PiiAccessQueue, SopView, UserProfile, Warning } from './types';

/** Ids per directory look-up (the API's limit). */
const USERS_PER_LOOKUP = 100;

const enc = encodeURIComponent;

export function endpoints(api: ApiClient) {
  return {
    async getCase(caseNo: string): Promise<CaseView> {
      return api.get<CaseView>(`/cases/${enc(caseNo)}`);
    },
    /** Every page of the timeline, oldest first. */
    async timeline(caseNo: string): Promise<CaseEvent[]> {
      const all: CaseEvent[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await api.get<Page<CaseEvent>>(`/cases/${enc(caseNo)}/timeline`, { limit: 200, cursor });
        all.push(...page.items);
        cursor = page.cursor;
        if (!cursor) break;
      }
      return all;
    },
    listCases(query: { status?: string; district?: string; category?: string; department?: string; cursor?: string; limit?: number }): Promise<Page<CaseSummary>> {
      return api.get<Page<CaseSummary>>('/cases', { limit: 25, ...query });
    },
    /** Search by the caller's phone with the reason (agents and supervisors; audited). The number goes in the body, never in a URL. */
    async searchByPhone(phone: string, reason: string, cursor?: string): Promise<Page<CaseSummary>> {
      return (await api.request<Page<CaseSummary>>('POST', '/cases/phone-search', { body: { phone, reason, limit: 25, ...(cursor ? { cursor } : {}) } })).data;
    },
    /** The caller's cases of the last 12 months while logging the call (agents; audited as reason intake). */
    async callerHistory(phone: string): Promise<{ items: CaseSummary[]; since: string }> {
      return (await api.request<{ items: CaseSummary[]; since: string }>('POST', '/cases/caller-history', { body: { phone } })).data;
    },
    /** Department staff ask to see the reporter's personal data, saying why. */
    async requestPiiAccess(caseNo: string, reason: string): Promise<unknown> {
      return (await api.request<unknown>('POST', `/cases/${enc(caseNo)}/pii-access-requests`, { body: { reason } })).data;
    },
    /** A supervisor approves a request (for the stage's default time). */
    async approvePiiAccess(caseNo: string, requestId: string): Promise<unknown> {
      return (await api.request<unknown>('POST', `/cases/${enc(caseNo)}/pii-access-requests/${enc(requestId)}/approve`, { body: {} })).data;
    },
    /** The signed-in person's notifications, newest first, with the unread count. */
    notifications(cursor?: string): Promise<NotificationList> {
      return api.get<NotificationList>('/notifications', { limit: 50, ...(cursor ? { cursor } : {}) });
    },
    /** Everything up to this notification (the newest shown) is read. */
    async markNotificationsRead(upTo: string): Promise<{ readUpTo: string }> {
      return (await api.request<{ readUpTo: string }>('POST', '/notifications/read', { body: { upTo } })).data;
    },
    /** The supervisors' queue: pending requests oldest first, or running approvals by expiry. */
    piiAccessQueue(status: 'pending' | 'approved', cursor?: string): Promise<PiiAccessQueue> {
      return api.get<PiiAccessQueue>('/privacy/access-requests', { status, limit: 50, ...(cursor ? { cursor } : {}) });
    },
    /** A supervisor denies a pending request or revokes a running approval, saying why (kept on the timeline). */
    async endPiiAccess(caseNo: string, requestId: string, decision: 'deny' | 'revoke', reason: string): Promise<unknown> {
      return (await api.request<unknown>('POST', `/cases/${enc(caseNo)}/pii-access-requests/${enc(requestId)}/${decision}`, { body: { reason } })).data;
    },
    async createCase(body: CreateCaseBody, idempotencyKey: string): Promise<CaseView> {
      return (await api.request<CaseView>('POST', '/cases', { body, idempotencyKey })).data;
    },
    async attachReport(caseNo: string, body: Omit<CreateCaseBody, 'category' | 'location'>, idempotencyKey: string): Promise<unknown> {
      return (await api.request<unknown>('POST', `/cases/${enc(caseNo)}/reports`, { body, idempotencyKey })).data;
    },
    /** Where an address typed at intake may be (only where the stage has a place index: config.geocoding). */
    geocode(address: string): Promise<{ items: PlaceCandidate[] }> {
      return api.get<{ items: PlaceCandidate[] }>('/places/geocode', { address });
    },
    duplicates(q: { category: string; district: string; lat?: number; lng?: number }): Promise<Page<CaseSummary>> {
      return api.get<Page<CaseSummary>>('/cases/duplicates', q);
    },
    async act(caseNo: string, action: CaseAction, body: Record<string, string | number>, version: number): Promise<unknown> {
      return (await api.request<unknown>('POST', `/cases/${enc(caseNo)}/${actionPath(action)}`, { body, ifMatch: version })).data;
    },
    /** PATCH with the version read: a stale one is a 412 and nothing changes. */
    async correct(caseNo: string, body: Record<string, unknown>, version: number): Promise<CaseView> {
      return (await api.request<CaseView>('PATCH', `/cases/${enc(caseNo)}`, { body, ifMatch: version })).data;
    },
    /** Step 1 of an attachment: a signed upload for a key the API chooses (type and size checked first). */
    async requestUpload(caseNo: string, body: { contentType: string; size: number; kind: AttachmentKind }): Promise<UploadGrant> {
      return (await api.request<UploadGrant>('POST', `/cases/${enc(caseNo)}/attachments/uploads`, { body })).data;
    },
    /** Step 3: the API checks what was uploaded and records it on the case. */
    async completeUpload(caseNo: string, body: { attachmentId: string; kind: AttachmentKind }): Promise<RecordedAttachment> {
      return (await api.request<RecordedAttachment>('POST', `/cases/${enc(caseNo)}/attachments`, { body })).data;
    },
    /** The case's files, each with a read URL valid for a minute. */
    async attachments(caseNo: string): Promise<AttachmentView[]> {
      return (await api.get<{ items: AttachmentView[] }>(`/cases/${enc(caseNo)}/attachments`)).items;
    },
    async addNote(caseNo: string, text: string): Promise<unknown> {
      return (await api.request<unknown>('POST', `/cases/${enc(caseNo)}/notes`, { body: { text } })).data;
    },
    /** With `mine`, only the cases assigned to the signed-in person (any working status). */
    departmentQueue(status: InboxStatus, department?: string, cursor?: string, limit?: number, mine?: boolean): Promise<DepartmentQueue> {
      return api.get<DepartmentQueue>('/queues/department', { status, department, cursor, limit, ...(mine ? { mine: 'true' } : {}) });
    },
    /** Assigns several cases to one staff member of their department; each case has its own outcome. */
    async assignCases(caseNos: readonly string[], assignee: string, reason?: string): Promise<BulkAssignResult> {
      return (await api.request<BulkAssignResult>('POST', '/queues/department/assign', { body: { caseNos, assignee, ...(reason ? { reason } : {}) } })).data;
    },
    /** Sends several cases to one department with one reason (supervisors); each case has its own outcome. */
    async reassignCases(caseNos: readonly string[], department: string, reason: string): Promise<BulkReassignResult> {
      return (await api.request<BulkReassignResult>('POST', '/queues/reassign', { body: { caseNos, department, reason } })).data;
    },
    /** The department's staff who signed in, by name: whom its cases can be assigned to. */
    departmentStaff(department?: string): Promise<Page<UserProfile>> {
      return api.get<Page<UserProfile>>('/users/staff', { department });
    },
    /** Acknowledges several cases of the department's queue; each case has its own outcome. */
    async acknowledgeCases(caseNos: readonly string[]): Promise<BulkAcknowledgeResult> {
      return (await api.request<BulkAcknowledgeResult>('POST', '/queues/department/acknowledge', { body: { caseNos } })).data;
    },
    callbackQueue(cursor?: string, limit?: number): Promise<Page<CaseSummary>> {
      return api.get<Page<CaseSummary>>('/queues/callback', { cursor, limit });
    },
    dispatchQueue(cursor?: string, limit?: number): Promise<Page<CaseSummary>> {
      return api.get<Page<CaseSummary>>('/queues/dispatch', { cursor, limit });
    },
    /** The three likeliest categories for the caller's words, with their confidence. */
    async suggestCategory(text: string): Promise<{ suggestions: Array<{ category: string; confidence: number }>; source: 'model' | 'keywords'; modelVersion?: string }> {
      return (await api.request<{ suggestions: Array<{ category: string; confidence: number }>; source: 'model' | 'keywords'; modelVersion?: string }>('POST', '/suggestions/category', { body: { text } })).data;
    },
    /** A Taipei month's improvement-meeting pack (supervisors, admins); this month when none is given. */
    meetingPack(month?: string): Promise<MeetingPack> {
      return api.get<MeetingPack>('/reports/meeting', month ? { month } : {});
    },
    /** Early warnings (supervisors), newest first. */
    async warnings(query: { status?: string; kind?: string; district?: string; category?: string; month?: string } = {}): Promise<Warning[]> {
      return (await api.get<{ items: Warning[] }>('/warnings', query)).items;
    },
    async actOnWarning(id: string, action: 'acknowledge' | 'close', reason?: string): Promise<Warning> {
      return (await api.request<Warning>('POST', `/warnings/${enc(id)}/${action}`, { body: reason ? { reason } : {} })).data;
    },
    dashboard(window?: DashboardWindow): Promise<Dashboard> {
      return api.get<Dashboard>('/dashboard', window ? { window } : {});
    },
    sops(): Promise<Page<SopView>> {
      return api.get<Page<SopView>>('/sops');
    },
    sopVersions(category: string): Promise<Page<SopView>> {
      return api.get<Page<SopView>>(`/sops/${enc(category)}/versions`);
    },
    async putSop(category: string, body: Record<string, unknown>, version: number): Promise<SopView> {
      return (await api.request<SopView>('PUT', `/sops/${enc(category)}`, { body, ifMatch: version })).data;
    },
    /** Tells the staff directory the signed-in person's name (from the token), so timelines can show it. */
    async recordSignIn(): Promise<UserProfile> {
      return (await api.request<UserProfile>('PUT', '/me')).data;
    },
    /** Display names of people by id; an id nobody signed in as is absent. */
    async users(ids: readonly string[]): Promise<UserProfile[]> {
      const out: UserProfile[] = [];
      for (let i = 0; i < ids.length; i += USERS_PER_LOOKUP) out.push(...(await api.get<{ items: UserProfile[] }>('/users', { ids: ids.slice(i, i + USERS_PER_LOOKUP).join(',') })).items);
      return out;
    },
    /** Published articles best matching the caller's words; the intake's category ranks its articles higher. */
    searchArticles(q: string, category?: string): Promise<Page<ArticleHit>> {
      return api.get<Page<ArticleHit>>('/kb/search', { q, category: category || undefined, limit: 5 });
    },
    surgeTopics(): Promise<Page<SurgeTopicView>> {
      return api.get<Page<SurgeTopicView>>('/kb/surge-topics');
    },
    /** Pin a surge topic for every agent's intake screen (supervisors and admins). */
    async pinSurgeTopic(body: { id: string; title: string; script: string; articleIds: string[]; expiresAt: string }): Promise<SurgeTopicView> {
      return (await api.request<SurgeTopicView>('POST', '/kb/surge-topics', { body })).data;
    },
    async unpinSurgeTopic(id: string): Promise<void> {
      await api.request<unknown>('DELETE', `/kb/surge-topics/${enc(id)}`);
    },
    /** Articles as the editors see them (staff: their department's). */
    editorArticles(query: { status?: ArticleStatus; department?: string; pastReview?: boolean }): Promise<Page<ArticleListItem>> {
      return api.get<Page<ArticleListItem>>('/kb/editor/articles', { status: query.status, department: query.department, pastReview: query.pastReview ? 'true' : undefined });
    },
    /** This month's questions no article answered (staff: their department's). */
    articleRequests(department?: string): Promise<Page<ArticleRequestView>> {
      return api.get<Page<ArticleRequestView>>('/kb/article-requests', { department, limit: 50 });
    },
    editorArticle(id: string): Promise<ArticleForEditing> {
      return api.get<ArticleForEditing>(`/kb/editor/articles/${enc(id)}`);
    },
    articleVersions(id: string): Promise<Page<ArticleVersionView>> {
      return api.get<Page<ArticleVersionView>>(`/kb/editor/articles/${enc(id)}/versions`);
    },
    async createArticle(body: Record<string, unknown>): Promise<ArticleForEditing> {
      return (await api.request<ArticleForEditing>('POST', '/kb/editor/articles', { body })).data;
    },
    /** Save an edit as a new draft version; `version` is the one read (If-Match). */
    async editArticle(id: string, body: Record<string, unknown>, version: number): Promise<ArticleForEditing> {
      return (await api.request<ArticleForEditing>('PUT', `/kb/editor/articles/${enc(id)}`, { body, ifMatch: version })).data;
    },
    /** Publish or retire (supervisors), with the reason; `version` is the one read (If-Match). */
    async changeArticleStatus(id: string, change: 'publish' | 'retire', reason: string, version: number): Promise<ArticleForEditing> {
      return (await api.request<ArticleForEditing>('POST', `/kb/editor/articles/${enc(id)}/${change}`, { body: { reason }, ifMatch: version })).data;
    },
    kbFigures(month?: string): Promise<KbFigures> {
      return api.get<KbFigures>('/kb/figures', { month });
    },
    departments(): Promise<Page<DepartmentView>> {
      return api.get<Page<DepartmentView>>('/departments');
    },

    // Local cloud only.
    async outbox(): Promise<OutboxEntry[]> {
      const json = await api.get<{ entries?: OutboxEntry[]; items?: OutboxEntry[] } | OutboxEntry[]>('/_local/outbox');
      return Array.isArray(json) ? json : (json.entries ?? json.items ?? []);
    },
    async clock(): Promise<ClockReading> {
      return toReading(await api.get<unknown>('/_local/clock'));
    },
    async advanceClock(duration: string): Promise<ClockReading> {
      if (parseIsoDuration(duration) === undefined) throw new Error(`not an ISO 8601 duration: ${duration}`);
      return toReading((await api.request<unknown>('POST', '/_local/clock', { body: { advance: duration } })).data);
    },
  };
}

export type Endpoints = ReturnType<typeof endpoints>;

/** `{ now, nowMs?, scale? }` from the local clock endpoints. */
export function toReading(json: unknown): ClockReading {
  const j = (json ?? {}) as { now?: unknown; nowMs?: unknown; scale?: unknown };
  const nowMs = typeof j.nowMs === 'number' ? j.nowMs : typeof j.now === 'string' ? Date.parse(j.now) : Number.NaN;
  if (!Number.isFinite(nowMs)) throw new Error('the clock answered without a time');
  return { nowMs, scale: typeof j.scale === 'number' ? j.scale : 1 };
}
