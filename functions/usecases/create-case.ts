/**
 * Log a new case and start its workflow.
 * Steps:
 * 1. the category must have a current SOP, and the attribute answers must fit that SOP version (400 naming
 *    `category` or `attributes.<code>`); answers are stored normalised. The version is the newest this container
 *    has read (no read per call; answers it refuses are checked again against the stored newest): step 3's write
 *    holds that no newer one is stored, and when an edit stored one meanwhile, the answers are checked again
 *    against it and the case is created under it;
 * 2. with an Idempotency-Key: allocate a case number, then claim the key (conditional put of key -> request
 *    hash + case number) BEFORE creating anything. A key already claimed with another body is a 422; with the
 *    same body this is a replay of that case (the number just allocated is left unused: a gap in the day's
 *    sequence, never a duplicate case). Keys are scoped to the caller, so two clients cannot collide;
 * 3. create the case (status NEW, `created` event) with a conditional put; a machine caller is first held to
 *    the daily cap of cases per reporter phone (functions/privacy/rate-limits.ts, 429) when `caps` is given; a case
 *    this call created counts once in `CasesCreated` (channel, category). A replay creates it too when the
 *    first attempt died between claim and create; if two attempts race, the put lets exactly one win and the
 *    other reads the winner's case;
 * 4. start the workflow: execution name = case number, so a retry cannot start a second execution (an existing
 *    one counts as started). Nothing is written: the execution's ARN follows from the state machine's and the
 *    case number (case-workflow.ts `executionArnFor`), so the case records `executionArn` only when the
 *    stalled-workflow job starts or restarts it (then under another name, `<caseNo>-r<n>`). Writing it here cost a
 *    transaction per case and raced with the workflow's first step, which had to read the case again;
 * 5. replay -> { created: false } (the handler answers 200), otherwise { created: true } (201).
 *
 * An inquiry (a SOP of kind `inquiry`, with how the agent handled the call) answered from a published article,
 * or with no article fitting, closes on the call instead of step 4 (closeInquiryOnCall): ONE conditional write,
 * NEW -> CLOSED with its `closed` event; no routing, no department notice, no workflow. A question no article
 * answered becomes an article request for the SOP's department, and every inquiry is counted by outcome (and by
 * article), and one closed on the call in its intake hour (insight-counters.ts); all are idempotent, so a replay does them again safely (it is how a failure after the close is
 * recovered; a case left NEW by a crash before the close is started by the stalled-workflow job and reaches the
 * department like any case, so the caller's question is never lost). An escalated inquiry runs step 4 as any case.
 *
 * If starting the workflow fails, the error propagates (500) and the case stays NEW without an execution. A retry
 * with the same Idempotency-Key reaches step 4 again for that case and starts it: that is how a client recovers.
 * Without a key there is nothing to retry against: the stalled-workflow job (restart-stalled-workflows.ts, every
 * 5 minutes) finds the NEW case without a recorded execution and runs `ensureWorkflowStarted` for it.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../domain/actor';
import type { AttributeValue, Case, CaseInquiry, CaseLocation, Channel, Priority, Reporter } from '../domain/case';
import { taipeiDate } from '../domain/case-number';
import { now } from '../domain/clock';
import { ConflictError, IdempotencyConflictError, NotFoundError, PreconditionFailedError, SopChangedError, ValidationError } from '../domain/errors';
import { readAttributes, resolveDepartment } from '../domain/sop';
import type { VersionedSop } from '../config/schema';
import type { PublishedArticle } from '../kb/article';
import type { SurgeTopic } from '../kb/surge-topic';
import { activeTopic } from './surge-topics';
import { logger } from '../shared/logger';
import { enforceCaseCreationCap, type RateCounters } from '../privacy/rate-limits';
import { countIntake, type InsightCounters } from './insight-counters';
import type { BusinessMetrics, CaseRepository, CaseWorkflow, IdempotencyStore, InquiryLog, SopCatalog } from './ports';

export interface CreateCasePorts {
  cases: CaseRepository;
  idempotency: IdempotencyStore;
  sops: SopCatalog;
  workflow: CaseWorkflow;
  /** Abuse caps, so one machine caller cannot flood the desk: counts cases per reporter phone for machine callers. Optional so tests can leave it out. */
  caps?: RateCounters;
  /** Counts `CasesCreated` by channel and category. Optional: callers that count nothing (tests) leave it out. */
  metrics?: BusinessMetrics;
  /** Published articles, to check the one an inquiry was answered from. Required to log an inquiry. */
  articles?: { publishedArticle(id: string): Promise<PublishedArticle | undefined> };
  /** Article requests and inquiry figures. Required to log an inquiry or a call under a surge topic. */
  inquiries?: InquiryLog;
  /** The pinned surge topics. Required to log a call under one. */
  surgeTopics?: { all(): Promise<SurgeTopic[]> };
  /**
   * The insight counters: an inquiry closed on the call never reaches RouteCase, which counts every other case's
   * intake hour, so it is counted here (idempotent by case). Required to log an inquiry.
   */
  counters?: Pick<InsightCounters, 'countIntake'>;
}

export interface NewCase {
  category: string;
  description: string;
  location: CaseLocation;
  reporter: Reporter;
  channel: Channel;
  priorityOverride?: Priority;
  attributes: Record<string, AttributeValue>;
  /** Open311 `media_url`. */
  mediaUrl?: string;
  /** How the agent handled a call of an inquiry SOP. */
  inquiry?: InquiryInput;
  /** A pinned surge topic the call belongs to. */
  surgeTopic?: string;
}

export type InquiryInput =
  | { outcome: 'answered'; articleId: string }
  | { outcome: 'no-article'; question: string }
  | { outcome: 'escalated'; articleId?: string; question?: string };

export interface CreateCaseResult {
  case: Case;
  /** false when this was a replay of an earlier request with the same Idempotency-Key. */
  created: boolean;
}

/** Creates checked against a SOP version that an edit made stale meanwhile, before giving up. */
const SOP_ATTEMPTS = 3;

interface CheckedInput {
  sop: VersionedSop;
  attributes: Record<string, AttributeValue>;
  inquiry?: CaseInquiry;
}

/**
 * Step 1 against one SOP version: the category must have one, and the answers must fit it (400s name the field).
 * `beforeAnswers`: a check that comes between the inquiry's and the answers' (the surge topic).
 */
async function checkedAgainst(ports: CreateCasePorts, input: NewCase, sop: VersionedSop | undefined, beforeAnswers?: () => Promise<void>): Promise<CheckedInput> {
  if (!sop) throw new ValidationError(`Unknown category ${input.category}`, [{ path: 'category', message: 'is not a known category (GET /sops)' }]);
  const inquiry = input.inquiry ? await inquiryOf(ports, sop, input.inquiry) : undefined;
  await beforeAnswers?.();
  const { values: attributes, problems } = readAttributes(sop, input.attributes);
  if (problems.length) throw new ValidationError('The attribute answers do not fit the SOP', problems);
  return { sop, attributes, ...(inquiry ? { inquiry } : {}) };
}

/** Attempts to record the execution ARN when the workflow keeps changing the case under us. */
const RECORD_ATTEMPTS = 3;

export async function createCase(ports: CreateCasePorts, actor: Actor, input: NewCase, idempotencyKey?: string): Promise<CreateCaseResult> {
  // The newest version this container has read: the create below holds that it still is, in the same write. Answers
  // it refuses are checked again against the stored newest, so a container that missed an edit refuses nothing.
  const surgeTopicActive = async (): Promise<void> => {
    if (!input.surgeTopic) return;
    if (!ports.surgeTopics || !ports.inquiries) throw new Error('Logging a call under a surge topic needs the topics and the inquiry log');
    await activeTopic(ports.surgeTopics, input.surgeTopic);
  };
  let checked = await checkedAgainst(ports, input, await ports.sops.current(input.category, { seen: true }), surgeTopicActive).catch(async (e: unknown) => {
    if (!(e instanceof ValidationError)) throw e;
    return checkedAgainst(ports, input, await ports.sops.current(input.category), surgeTopicActive);
  });

  const at = now();
  let caseNo = await ports.cases.nextCaseNo(at);
  let replay = false;
  if (idempotencyKey !== undefined) {
    const requestHash = hashRequest(input);
    const claim = await ports.idempotency.claim({ key: scopedKey(actor, idempotencyKey), requestHash, caseNo, createdAt: at.toISOString() });
    if (!claim.claimed) {
      if (claim.existing.requestHash !== requestHash)
        throw new IdempotencyConflictError('This Idempotency-Key was already used with a different request body');
      caseNo = claim.existing.caseNo;
      replay = true;
    }
  }
  logger.appendKeys({ caseNo });

  const iso = at.toISOString();
  const fresh = ({ sop, attributes, inquiry }: CheckedInput): Case => ({
    caseNo,
    status: 'NEW',
    category: input.category,
    description: input.description,
    location: input.location,
    reporter: input.reporter,
    channel: input.channel,
    priority: sop.priority,
    ...(input.priorityOverride ? { priorityOverride: input.priorityOverride } : {}),
    attributes,
    ...(input.mediaUrl ? { mediaUrl: input.mediaUrl } : {}),
    ...(inquiry ? { inquiry } : {}),
    ...(input.surgeTopic ? { surgeTopic: input.surgeTopic } : {}),
    sopVersion: sop.version,
    escalationLevel: 0,
    createdAt: iso,
    createdBy: actor.id,
    updatedAt: iso,
    version: 1,
  });

  let c: Case | undefined = replay ? await ports.cases.get(caseNo) : undefined;
  let created = false;
  if (!c) {
    if (ports.caps) await enforceCaseCreationCap(ports.caps, actor, input.reporter.phone, at);
    try {
      const event = { type: 'created' as const, by: actor.id, at: iso, data: { channel: input.channel, category: input.category } };
      for (let attempt = 1; !c; attempt++) {
        try {
          c = await ports.cases.create(fresh(checked), event, { sopCurrent: { category: checked.sop.category, version: checked.sop.version } });
        } catch (e) {
          // An edit stored a newer version since this container read it: check the answers against that one.
          if (!(e instanceof SopChangedError) || attempt >= SOP_ATTEMPTS) throw e;
          checked = await checkedAgainst(ports, input, await ports.sops.current(input.category));
        }
      }
      created = true;
      logger.info('Case created', { category: input.category, channel: input.channel });
      ports.metrics?.count('casesCreated', { channel: input.channel, category: input.category });
    } catch (e) {
      // Only a replay can meet its own case number already taken: a concurrent attempt of the same request won.
      if (!(replay && e instanceof ConflictError)) throw e;
      c = await ports.cases.get(caseNo);
      if (!c) throw e;
    }
  }

  // Counted once per case (the marker), on a replay too: a count lost to a failure after the create is made up.
  if (c.surgeTopic) await ports.inquiries!.countSurgeCall({ day: taipeiDate(new Date(c.createdAt)), caseNo: c.caseNo, topic: c.surgeTopic });
  if (c.inquiry) {
    const closes = closesOnCall(c.inquiry);
    if (closes) c = await closeInquiryOnCall(ports.cases, c, actor);
    await recordInquiry(ports, checked.sop, c);
    if (closes && ports.counters) await countIntake(ports.counters, c);
    if (closes) return { case: c, created };
  }
  // A case restarted by the stalled-workflow job records its execution; a replay must not start another.
  if (!c.executionArn) await ports.workflow.start(c.caseNo);
  return { case: c, created };
}

function closesOnCall(inquiry: CaseInquiry): boolean {
  return inquiry.outcome !== 'escalated';
}

/** The inquiry as the case keeps it: only on an inquiry SOP, an answer only from a published article (400s name the field). */
async function inquiryOf(ports: CreateCasePorts, sop: VersionedSop, input: InquiryInput): Promise<CaseInquiry> {
  if (sop.kind !== 'inquiry')
    throw new ValidationError('Only an inquiry category closes on the call', [{ path: 'inquiry', message: `category ${sop.category} is not an inquiry; log it without inquiry` }]);
  if (!ports.articles || !ports.inquiries) throw new Error('Logging an inquiry needs the articles and the inquiry log');
  const articleId = 'articleId' in input ? input.articleId : undefined;
  let article: PublishedArticle | undefined;
  if (articleId) {
    article = await ports.articles.publishedArticle(articleId);
    if (!article) throw new ValidationError('Unknown article', [{ path: 'inquiry.articleId', message: `"${articleId}" is not a published article` }]);
  }
  return {
    outcome: input.outcome,
    ...(article ? { articleId: article.id, articleVersion: article.version } : {}),
    ...('question' in input && input.question ? { question: input.question } : {}),
  };
}

/** ONE conditional write: NEW -> CLOSED with its event. A replay finding it closed already writes nothing. */
async function closeInquiryOnCall(cases: CaseRepository, c: Case, actor: Actor): Promise<Case> {
  if (c.status !== 'NEW' || !c.inquiry) return c;
  const at = now().toISOString();
  const answered = c.inquiry.outcome === 'answered';
  return cases.update(c.caseNo, c.version, {
    set: { status: 'CLOSED', closedAt: at },
    event: {
      type: 'closed',
      by: actor.id,
      at,
      text: answered ? '於通話中以知識庫文章答復，結案 / Answered on the call from an article; closed' : '無合適文章，於通話中答復並記錄問題，結案 / No article fit; answered on the call, question recorded; closed',
      data: { from: 'NEW', to: 'CLOSED', firstContact: true, outcome: c.inquiry.outcome, ...(c.inquiry.articleId ? { articleId: c.inquiry.articleId } : {}) },
    },
  });
}

/** The question as an article request (no article fit) and the call in the figures; both idempotent by case. */
async function recordInquiry(ports: CreateCasePorts, sop: VersionedSop, c: Case): Promise<void> {
  const inquiry = c.inquiry!;
  const log = ports.inquiries!;
  if (inquiry.question && inquiry.outcome === 'no-article')
    await log.recordArticleRequest({
      department: resolveDepartment(sop, c.location.district),
      at: c.createdAt,
      caseNo: c.caseNo,
      category: c.category,
      question: inquiry.question,
    });
  await log.countInquiry({ day: taipeiDate(new Date(c.createdAt)), caseNo: c.caseNo, outcome: inquiry.outcome, articleId: inquiry.articleId });
}

/**
 * The stalled-workflow job's start of a NEW case left without a running workflow: starts the execution named
 * after the case (an existing one, even a dead one, is returned by its ARN) and records that ARN on the case, so
 * the job's next run describes it and restarts it under a new name if it died.
 */
export async function ensureWorkflowStarted(ports: Pick<CreateCasePorts, 'cases' | 'workflow'>, c: Case): Promise<Case> {
  if (c.executionArn) return c;
  const { executionArn } = await ports.workflow.start(c.caseNo);
  let current = c;
  for (let attempt = 1; ; attempt++) {
    try {
      return await ports.cases.update(current.caseNo, current.version, {
        set: { executionArn },
        event: { type: 'updated', by: c.createdBy, text: 'Case workflow started', data: { fields: 'executionArn' } },
      });
    } catch (e) {
      if (!(e instanceof PreconditionFailedError) || attempt >= RECORD_ATTEMPTS) throw e;
      const reread = await ports.cases.get(current.caseNo);
      if (!reread) throw new NotFoundError(`Case ${current.caseNo} not found`);
      if (reread.executionArn) return reread;
      current = reread;
    }
  }
}

function scopedKey(actor: Actor, key: string): string {
  return `${actor.id}:${key}`;
}

/** The request's fingerprint: SHA-256 of its canonical JSON (validated, normalised, keys sorted). */
export function hashRequest(input: NewCase): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

/** JSON with object keys sorted and undefined members dropped, so equal values give equal text. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, sortKeys(x)]),
    );
  }
  return v;
}
