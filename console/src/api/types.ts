/**
 * The API's shapes as the console reads them. Case, event, SOP and department come from the API's own schemas
 * (type-only imports: nothing of zod reaches the bundle); the console additions follow the contract in the team
 * brief ("Console API contract").
 */
import type { z } from 'zod';
import type { attachmentListView, placeCandidatesView, recordedAttachmentView, uploadGrantView } from '../../../functions/api/schemas';
import type { bulkAcknowledgeView, bulkAssignView, bulkReassignView, caseEventView, caseSummaryView, caseView, departmentView, sopView, userProfileView, warningView, dashboardView, meetingPackView, notificationListView } from '../../../functions/api/schemas';

export type CaseView = z.infer<typeof caseView>;
export type UploadGrant = z.infer<typeof uploadGrantView>;
export type RecordedAttachment = z.infer<typeof recordedAttachmentView>;
export type AttachmentView = z.infer<typeof attachmentListView>['items'][number];
export type AttachmentKind = RecordedAttachment['attachment']['kind'];
export type CaseSummary = z.infer<typeof caseSummaryView>;
export type Warning = z.infer<typeof warningView>;
export type MeetingPack = z.infer<typeof meetingPackView>;
export type CaseEvent = z.infer<typeof caseEventView>;
export type SopView = z.infer<typeof sopView>;
export type DepartmentView = z.infer<typeof departmentView>;
export type UserProfile = z.infer<typeof userProfileView>;
export type BulkAcknowledgeResult = z.infer<typeof bulkAcknowledgeView>;
export type NotificationList = z.infer<typeof notificationListView>;
export type ConsoleNotification = NotificationList['items'][number];
export type BulkAssignResult = z.infer<typeof bulkAssignView>;
export type BulkReassignResult = z.infer<typeof bulkReassignView>;
export type PiiAccessRequestView = NonNullable<CaseView['piiAccess']>[number];
/** GET /privacy/access-requests: live requests in one status, each with its case. */
export type PiiAccessQueue = Page<{ caseNo: string; request: PiiAccessRequestView }>;

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export type InboxStatus = 'ASSIGNED' | 'ACKNOWLEDGED' | 'REOPENED';
export const INBOX_STATUSES: readonly InboxStatus[] = ['ASSIGNED', 'ACKNOWLEDGED', 'REOPENED'];

export interface DepartmentQueue extends Page<CaseSummary> {
  counts: Partial<Record<InboxStatus | 'RESOLVED', number>>;
}

export interface SlaFigures {
  onTime: number;
  late: number;
  rate: number | null;
}

export type DashboardWindow = 'today' | '7d' | '30d';
export const DASHBOARD_WINDOWS: readonly DashboardWindow[] = ['today', '7d', '30d'];

export interface Dashboard {
  openByStatus: Record<string, number>;
  openByDepartment: Array<{ department: string; name?: { zh: string; en: string } | string; counts: Record<string, number> }>;
  overdue: CaseSummary[];
  escalated: CaseSummary[];
  slaCompliance: Array<{ department: string; week: SlaFigures; month: SlaFigures; overdueOpen?: number }>;
  window?: { name: DashboardWindow; from: string; to: string };
  /** Each department's figures in the window, as the API's schema has them. */
  byDepartment?: z.infer<typeof dashboardView>['byDepartment'];
  topCategories: Array<{ category: string; count: number }>;
  topDistricts: Array<{ district: string; count: number }>;
  /** Open cases per district and the window's trend lines, as the API's schema has them. */
  openByDistrict?: z.infer<typeof dashboardView>['openByDistrict'];
  trends?: z.infer<typeof dashboardView>['trends'];
  generatedAt: string;
}

export interface OutboxEntry {
  id: string;
  at: string;
  protocol: string;
  endpoint: string;
  topicArn?: string;
  subject?: string;
  message: string;
  status: string;
  httpStatus?: number;
  error?: string;
}

export interface CreateCaseBody {
  category: string;
  description: string;
  location: { district: string; address: string; lat?: number; lng?: number };
  reporter: { name?: string; phone?: string; email?: string; anonymous: boolean; notify: 'sms' | 'email' | 'none' };
  channel: string;
  priorityOverride?: 'normal' | 'urgent';
  attributes?: Record<string, string | number | boolean | string[]>;
  /** How the agent handled a call of an inquiry SOP: answered and no-article close the case on the call. */
  inquiry?: InquiryBody;
  /** A pinned surge topic the call belongs to. */
  surgeTopic?: string;
}

export type InquiryBody = { outcome: 'answered'; articleId: string } | { outcome: 'no-article'; question: string } | { outcome: 'escalated'; articleId?: string; question?: string };

/** `[start, end)` of matched words in a text. */
export type TextRange = [number, number];

/** A published article the intake side panel offers for the caller's words (GET /kb/search). */
export interface ArticleHit {
  id: string;
  title: { zh: string; en?: string };
  titleHighlights: TextRange[];
  department: string;
  categories: string[];
  version: number;
  reviewBy: string;
  /** Past its review-by date: the agent double-checks before reading it aloud. */
  pastReview: boolean;
  snippet: { text: string; highlights: TextRange[]; cutStart: boolean; cutEnd: boolean };
  answer: { zh: string; en?: string };
  links: Array<{ title: string; url: string }>;
  internalNote?: string;
  publishedAt: string;
}

/** GET /kb/figures: a month of inquiries. */
export interface KbFigures {
  month: string;
  inquiries: number;
  closedOnCall: number;
  answered: number;
  noArticle: number;
  escalated: number;
  firstContactResolution: number | null;
  topArticles: Array<{ articleId: string; title?: string; calls: number }>;
  questionsWithoutArticle: Array<{ department: string; at: string; caseNo: string; category: string; question: string }>;
  callsPerSurgeTopic: Array<{ topic: string; calls: number }>;
}

/** GET /kb/surge-topics: a topic pinned for the intake screen. */
export interface SurgeTopicView {
  id: string;
  title: string;
  script: string;
  articleIds: string[];
  expiresAt: string;
  articles: Array<{ id: string; title: string }>;
}

export type ArticleStatus = 'draft' | 'published' | 'retired';

/** What an editor writes (functions/kb/article.ts articleContentSchema). */
export interface ArticleContentView {
  title: { zh: string; en?: string };
  questions: string[];
  answer: { zh: string; en?: string };
  department: string;
  categories: string[];
  links: Array<{ title: string; url: string }>;
  tags: string[];
  reviewBy: string;
  internalNote?: string;
}

/** One stored version of an article: its content, its status from then on, who, when and why. */
export interface ArticleVersionView extends ArticleContentView {
  id: string;
  version: number;
  status: ArticleStatus;
  at: string;
  by: string;
  reason: string;
}

export interface ArticleForEditing {
  article: ArticleVersionView;
  /** The version the public and the agents see, while one is published. */
  publishedVersion?: number;
  pastReview: boolean;
}

export interface ArticleListItem {
  id: string;
  version: number;
  status: ArticleStatus;
  title: { zh: string; en?: string };
  department: string;
  reviewBy: string;
  pastReview: boolean;
  updatedAt: string;
  updatedBy: string;
  publishedVersion?: number;
}

/** GET /kb/article-requests: a question no article answered, for the department to write one. */
export type ArticleRequestView = KbFigures['questionsWithoutArticle'][number];

/** A place the stage's place index found for an address, in the city, with its district (GET /places/geocode). */
export type PlaceCandidate = z.infer<typeof placeCandidatesView>['items'][number];
