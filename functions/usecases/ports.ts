/**
 * Ports: what the use cases need from the outside world. Adapters in functions/adapters implement them over
 * the AWS SDK; tests pass fakes or the real adapters against dynalite.
 */
import type { Case, CaseEvent, CaseStatus, Channel, EscalationLevel, InquiryOutcome, PiiAccessRequest, Priority, WaitingFor } from '../domain/case';
import type { Department, VersionedSop, Sop } from '../config/schema';
import type { AttachmentType } from '../domain/attachment';
import type { ConsoleNotification, Inbox } from '../domain/notifications';
import type { BusinessMetric, MetricDimensions } from '../shared/business-metrics';
import type { DepartmentEvent, IntakeCount } from './insight-counters';

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  cursor?: string;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

/** A case as queues and lists show it: no description, no personal data; the map point when it has one. */
export type CaseSummary = Pick<
  Case,
  | 'caseNo'
  | 'status'
  | 'category'
  | 'department'
  | 'priority'
  | 'escalationLevel'
  | 'acknowledgeDueAt'
  | 'resolveDueAt'
  | 'createdAt'
  | 'updatedAt'
  | 'channel'
  | 'waitingFor'
  | 'waitDueAt'
  | 'callback'
  | 'resolution'
> & { district: string; address: string; lat?: number; lng?: number; callerPhone?: string };

export interface CaseListFilter extends PageRequest {
  status?: CaseStatus;
  department?: string;
  district?: string;
  category?: string;
  /** Inclusive ISO instants on createdAt. */
  createdFrom?: string;
  createdTo?: string;
}

/** The timeline event a change records; the repository stamps `id` and `at`. */
export type NewCaseEvent = Omit<CaseEvent, 'id' | 'at'> & { at?: string };

export interface CaseChange {
  /** Attributes to set. `version` and `updatedAt` are managed by the repository. */
  set?: Partial<Omit<Case, 'caseNo' | 'version' | 'createdAt' | 'createdBy'>>;
  /** Attributes to remove (e.g. pendingTaskToken once used). */
  remove?: Array<'pendingTaskToken' | 'waitingFor' | 'acknowledgedAt' | 'resolvedAt' | 'resolution' | 'survey' | 'closedAt' | 'callback' | 'waitDueAt' | 'rerouteTo' | 'assignee' | 'assignedAt'>;
  /** Recorded on the timeline in the same (transactional) write. */
  event: NewCaseEvent;
  /**
   * Events recorded ahead of `event` in the same write, in this order. Each takes a version of its own (the case's
   * version moves on by one per event), so the timeline and its ids read as if they had been written one by one.
   */
  precededBy?: NewCaseEvent[];
  /**
   * Insight counts made in the same write (insight-counters.ts), each conditional on its marker as when counted
   * alone: one counted before is left out and the change written without it, so nothing counts twice.
   */
  counts?: ChangeCount[];
  /** A rate-limit hit taken in the same write: when the limit is reached nothing is written (LimitReachedError). */
  take?: RateTake;
}

export type ChangeCount = { intake: IntakeCount } | { departmentEvent: DepartmentEvent };

/** One hit on a fixed-window counter (privacy/rate-limits.ts): the RateCounters.take arguments. */
export interface RateTake {
  kind: string;
  subject: string;
  window: string;
  limit: number;
  /** Epoch seconds, for TTL. */
  expiresAt: number;
}

export interface CaseRepository {
  /** Allocates the next human-friendly number for the day of `at` in Asia/Taipei (atomic ADD on a counter). */
  nextCaseNo(at: Date): Promise<string>;
  /**
   * Conditional put (the number must be new) with the `created` event as the first timeline entry, in one
   * transaction. With `sopCurrent`, the same transaction also holds that no version after `version` of the
   * category's SOP is stored: a SopChangedError (nothing written) otherwise.
   */
  create(c: Case, event: NewCaseEvent, options?: { sopCurrent?: { category: string; version: number } }): Promise<Case>;
  get(caseNo: string): Promise<Case | undefined>;
  /**
   * One transactional write: succeeds only if the stored version equals `expectedVersion`; sets the changes,
   * increments the version, stamps updatedAt and appends the event. Throws PreconditionFailedError (nothing
   * written) when the version moved, NotFoundError when the case does not exist.
   */
  update(caseNo: string, expectedVersion: number, change: CaseChange): Promise<Case>;
  /**
   * What an event written by `update` says, replaced in place (its time and version, so its place on the timeline,
   * stay): for an outcome known only after the change was written, such as a message sent once the change that
   * records it (and takes its rate limit) went through. Conditional on the event being there with its type.
   */
  reviseEvent(caseNo: string, recorded: { at: string; version: number }, event: NewCaseEvent): Promise<void>;
  timeline(caseNo: string, page: PageRequest): Promise<Page<CaseEvent>>;
  /** Served by a GSI for every supported filter combination; others throw ValidationError. Never a Scan. */
  list(filter: CaseListFilter): Promise<Page<CaseSummary>>;
}

/** The supervisors' queue of live personal-data access requests (kept with the cases' `piiAccess`). */
export interface PiiAccessQueue {
  /** Pending requests oldest first, or running approvals soonest to expire first: one Query. */
  accessRequests(status: 'pending' | 'approved', page: PageRequest): Promise<Page<{ caseNo: string; request: PiiAccessRequest }>>;
}

/** Console notifications per inbox, and each person's "read up to" marker (functions/domain/notifications.ts). */
export interface NotificationStore {
  /** Newest first. */
  page(inbox: Inbox, page: PageRequest): Promise<Page<ConsoleNotification>>;
  /** How many notifications sort after `after` (the marker; all without one), counting at most `cap`. */
  countAfter(inbox: Inbox, after: string | undefined, cap: number): Promise<number>;
  readUpTo(userId: string): Promise<string | undefined>;
  /** Moves the marker forward only; returns where it stands. */
  markRead(userId: string, upTo: string): Promise<string>;
  /** Oldest first: the inbox's notifications whose id sorts after `after`, at most `limit`. */
  after(inbox: Inbox, after: string, limit: number): Promise<ConsoleNotification[]>;
}

/** How far each recipient group's e-mail digest went (functions/usecases/email-digests.ts). */
export interface DigestCursors {
  /** The last notification id a digest of the group listed; undefined before its first digest. */
  read(group: string): Promise<string | undefined>;
  /** Moves the cursor from `from` (undefined: none yet) to `to`; false when another run moved it first. */
  claim(group: string, from: string | undefined, to: string, at: string): Promise<boolean>;
  /** Puts back a claim whose digest could not be sent, if nothing moved the cursor since. */
  release(group: string, from: string | undefined, to: string): Promise<void>;
}

/** A browser upload the storage will take: where to POST and the signed form fields to send before the file. */
export interface PresignedUpload {
  url: string;
  /** Form fields the browser sends before the file part (key, type, policy, signature). */
  fields: Record<string, string>;
  expiresAt: string;
}

/** What the storage holds under a key: its size, its leading bytes and the type its upload was signed for. */
export interface StoredObject {
  size: number;
  head: Uint8Array;
  contentType?: string;
}

/** Case files in private storage (functions/adapters/attachment-store.ts); keys from domain/attachment.ts. */
export interface AttachmentStore {
  /** A POST only this key, this type and 1 byte to ATTACHMENT_MAX_BYTES can pass, for a few minutes. */
  presignUpload(key: string, contentType: AttachmentType): Promise<PresignedUpload>;
  /** Stores a file the API received whole (an Open311 `media` part), under a key it chose. */
  put(key: string, bytes: Uint8Array, contentType: AttachmentType): Promise<void>;
  /** Undefined when nothing was uploaded under the key (or the upload expired unused). */
  inspect(key: string): Promise<StoredObject | undefined>;
  /** A short-lived URL that reads the file. */
  presignRead(key: string, contentType: AttachmentType): Promise<{ url: string; expiresAt: string }>;
  /** Erases every version of every file of the case; how many were erased. */
  eraseCase(caseNo: string): Promise<number>;
}

export interface IdempotencyRecord {
  key: string;
  requestHash: string;
  caseNo: string;
  createdAt: string;
}

/** `Idempotency-Key` bookkeeping for POST /cases (and Open311 writes). */
export interface IdempotencyStore {
  /** Conditional put; returns the existing record instead when the key is already taken. */
  claim(record: IdempotencyRecord): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }>;
}

/** Who stores a SOP version, and why (both are kept on the version). */
export interface SopAuthor {
  by: string;
  reason: string;
}

/**
 * SOPs: stored versions only, the highest current; config/sops.json is seeded into it on deploy and start.
 * Cases record the version they ran under, and `version()` returns what was stored as that version.
 */
export interface SopCatalog {
  list(): Promise<VersionedSop[]>;
  /**
   * The newest stored version (strongly consistent). `seen`: the newest this container has read, when it read one,
   * with no read; only for a caller that makes its write conditional on it still being the newest (create's
   * `sopCurrent`).
   */
  current(category: string, options?: { seen?: boolean }): Promise<VersionedSop | undefined>;
  version(category: string, version: number): Promise<VersionedSop | undefined>;
  versions(category: string): Promise<VersionedSop[]>;
  /** Conditional on `expectedVersion` being the current one. */
  saveNewVersion(sop: Sop, expectedVersion: number, author: SopAuthor): Promise<VersionedSop>;
}

export interface DepartmentDirectory {
  list(): Promise<Department[]>;
  get(code: string): Promise<Department | undefined>;
}

/** The case's Step Functions execution. */
export interface CaseWorkflow {
  /** Starts `case-lifecycle` with the case number as execution name; a second start of the same case is a no-op. */
  start(caseNo: string): Promise<{ executionArn: string }>;
  sendSuccess(taskToken: string, output: Record<string, unknown>): Promise<void>;
  sendFailure(taskToken: string, error: string, cause: string): Promise<void>;
}

/** Where a dead execution is restarted: the step the case's status says it is at (RouteCase's `Resume.*` catches). */
export type ResumePoint = 'AwaitAck' | 'AwaitResolve' | 'DispatchCase' | 'TellCitizen';

/** What DescribeExecution says of an execution; MISSING when there is none by that ARN. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE' | 'MISSING';

/** The stalled-workflow sweeper's view of executions (functions/usecases/restart-stalled-workflows.ts). */
export interface WorkflowExecutions {
  /** DescribeExecution of the case workflow's execution named so. */
  status(executionName: string): Promise<ExecutionStatus>;
  /**
   * StartExecution named `executionName` with `input`; a start that already happened by that name (another run of
   * the sweeper) answers with that execution's ARN instead of starting a second one.
   */
  startNamed(executionName: string, input: Record<string, unknown>): Promise<{ executionArn: string }>;
}

/** What the workflow's Lambda tasks and use cases need to reach people. */
export interface Notifier {
  /**
   * `MessageStructure: json` publish. `attributes` become SNS message attributes (numbers as Number, strings as
   * String) for subscription filter policies, e.g. the escalation topic's `level`.
   */
  publish(
    topicArn: string,
    message: { default: string; email?: string; sms?: string; https?: string },
    subject?: string,
    attributes?: Record<string, string | number>,
  ): Promise<void>;
  /** `capTaken`: the caller dealt with the number's cap itself (`smsCap`, taken in its own write). */
  sms(phone: string, text: string, options?: { capTaken?: boolean }): Promise<void>;
  /**
   * The cap an SMS to `phone` counts against, for a caller that takes it in its own transaction and sends after
   * the commit; `reached()` gives the error to record when the transaction found the cap full. Undefined: no cap
   * (a notifier that caps nothing, or no phone-hash key).
   */
  smsCap?(phone: string): { take: RateTake; reached(): Error } | undefined;
  /** A citizen's e-mail (citizens never subscribe to topics). */
  email(to: string, subject: string, text: string): Promise<void>;
}

/**
 * Business figures for the operations dashboard, counted where the event happens (a case created, an SLA breach,
 * a citizen notice...). Dimensions are codes from the domain, never anything about a person. Counting never
 * fails the business action: an adapter swallows its own errors.
 */
export interface BusinessMetrics {
  count<M extends BusinessMetric>(metric: M, dimensions: MetricDimensions<M>): void;
}

export type { RoutingDecision } from '../domain/sop';

export type { Case, CaseEvent, CaseStatus, Channel, EscalationLevel, Priority, WaitingFor };

/** A question no published article answered, for the department that owns the category's answers. */
export interface ArticleRequest {
  department: string;
  at: string;
  caseNo: string;
  category: string;
  question: string;
}

/** One inquiry call to count (the case number makes the count idempotent). */
export interface InquiryCount {
  /** Taipei day, yyyy-mm-dd. */
  day: string;
  caseNo: string;
  outcome: InquiryOutcome;
  articleId?: string;
}

/** A month of inquiries: by outcome, calls per article. First-contact resolution = (answered + noArticle) / all. */
export interface InquiryFigures {
  month: string;
  answered: number;
  noArticle: number;
  escalated: number;
  articles: Record<string, number>;
  topics: Record<string, number>;
}

export interface InquiryLog {
  recordArticleRequest(r: ArticleRequest): Promise<void>;
  /** A Taipei month's (yyyy-mm) requests, of one department or all, newest first. */
  articleRequests(month: string, department: string | undefined, limit: number): Promise<ArticleRequest[]>;
  countInquiry(c: InquiryCount): Promise<void>;
  /** A call logged under a surge topic (idempotent by case). */
  countSurgeCall(c: { day: string; caseNo: string; topic: string }): Promise<void>;
  figures(month: string): Promise<InquiryFigures>;
}
