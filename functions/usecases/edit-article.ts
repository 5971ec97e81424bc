/**
 * Writing the knowledge base: department editors (department staff) and admins draft and edit articles, a
 * supervisor publishes or retires them; every change is a new stored version with who made it, when and why.
 *
 * Who may do what (the route table allows the roles; the department rule is here, once):
 *   staff        drafts and edits their own department's articles only (403 otherwise), and may not move one to
 *                another department; reads only their own department's (another's is a 404);
 *   admin        drafts and edits any article;
 *   supervisor   publishes and retires any article (the route table refuses everyone else: 403).
 *
 * Every change is conditional on the version the writer read (If-Match): a stale version is a 412 naming
 * `If-Match`, and nothing is written. A publish or a retirement moves the revision token in the same write, so
 * every container's search index is rebuilt on its next search (functions/kb/published-library.ts).
 */
import type { Actor } from '../domain/actor';
import { taipeiDate } from '../domain/case-number';
import { now } from '../domain/clock';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError, type FieldProblem } from '../domain/errors';
import {
  contentOf,
  isPastReview,
  type ArticleContent,
  type ArticleHead,
  type ArticleStatus,
  type ArticleVersion,
  type PublishedArticle,
} from '../kb/article';

/** One change: the next version, the version it builds on, and what it does to the published copy. */
export interface ArticleChange {
  version: ArticleVersion;
  /** The head's version the writer read; undefined for a new article. */
  expectedVersion?: number;
  /** The published version that stays live (an edit of a published article is a newer draft beside it). */
  publishedVersion?: number;
  /** A publish puts this as the published item; a retirement deletes the published item. */
  published?: PublishedArticle | 'retire';
}

export interface ArticleEditorStore {
  head(id: string): Promise<ArticleHead | undefined>;
  heads(): Promise<ArticleHead[]>;
  version(id: string, version: number): Promise<ArticleVersion | undefined>;
  versions(id: string): Promise<ArticleVersion[]>;
  /** 409 (ConflictError) when a new article's id is taken, 412 (PreconditionFailedError) when the head moved. */
  append(change: ArticleChange): Promise<void>;
}

export interface ArticleEditorPorts {
  articles: ArticleEditorStore;
  /** This container's search library: a publish here is seen by the very next search here. */
  library: { invalidate(): void };
  /** What an article may name. */
  reference: { departments: ReadonlySet<string>; categories: ReadonlySet<string> };
}

export interface ArticleDraft extends ArticleContent {
  id: string;
  reason: string;
}
export type ArticleEdit = ArticleContent & { reason: string };

/** An article as the editor opens it: its newest version, and which version is live. */
export interface ArticleForEditing {
  article: ArticleVersion;
  publishedVersion?: number;
  pastReview: boolean;
}

export type ArticleListItem = ArticleHead & { pastReview: boolean };

/**
 * Steps: 1. staff draft only for their own department (403); 2. the department and categories must exist and
 * the review-by date must not be past (400 naming each field); 3. store version 1 as a draft, conditional on the
 * id being new (409 naming `id`).
 */
export async function createArticleDraft(ports: ArticleEditorPorts, actor: Actor, input: ArticleDraft): Promise<ArticleForEditing> {
  const { id, reason, ...content } = input;
  assertMayWrite(actor, content.department);
  checkContent(ports.reference, content);
  const version: ArticleVersion = { ...content, id, version: 1, status: 'draft', at: now().toISOString(), by: actor.id, reason };
  await ports.articles.append({ version });
  return { article: version, pastReview: false };
}

/**
 * Steps: 1. the head (404), within the actor's reach: staff only their department's article, and only to keep it
 * there (403); 2. If-Match must be the head's version (412); 3. the content checks of a draft (400);
 * 4. store the next version as a draft, conditional on the head still being at If-Match (412). A published
 * article stays live at its published version until the draft is published.
 */
export async function editArticle(ports: ArticleEditorPorts, actor: Actor, id: string, expectedVersion: number, input: ArticleEdit): Promise<ArticleForEditing> {
  const { reason, ...content } = input;
  const head = await requireHead(ports, actor, id);
  assertMayWrite(actor, head.department);
  assertMayWrite(actor, content.department);
  assertCurrent(head, expectedVersion);
  checkContent(ports.reference, content);
  const version: ArticleVersion = { ...content, id, version: head.version + 1, status: 'draft', at: now().toISOString(), by: actor.id, reason };
  await ports.articles.append({ version, expectedVersion, publishedVersion: head.publishedVersion });
  return { article: version, publishedVersion: head.publishedVersion, pastReview: false };
}

/**
 * Steps: 1. the head (404) at If-Match (412); 2. only a draft is published (409 naming `status`); 3. its
 * review-by date must not be past (400 naming `reviewBy`: agents would see it flagged from the start);
 * 4. one write: the next version as published, the published item, the revision token (412 if the head moved);
 * 5. this container's library re-reads the revision on its next search.
 */
export async function publishArticle(ports: ArticleEditorPorts, actor: Actor, id: string, expectedVersion: number, reason: string): Promise<ArticleForEditing> {
  const { head, latest } = await currentVersion(ports, actor, id, expectedVersion);
  if (head.status !== 'draft') throw new ConflictError(`Article ${id} is ${head.status}; only a draft is published`, { field: 'status', status: head.status });
  if (isPastReview(latest, today()))
    throw new ValidationError('The article is past its review-by date', [{ path: 'reviewBy', message: `${latest.reviewBy} is past: set a new review-by date before publishing` }]);
  const at = now().toISOString();
  const version: ArticleVersion = { ...contentOf(latest), id, version: head.version + 1, status: 'published', at, by: actor.id, reason };
  await ports.articles.append({ version, expectedVersion, published: { ...contentOf(latest), id, version: version.version, publishedAt: at, publishedBy: actor.id } });
  ports.library.invalidate();
  return { article: version, publishedVersion: version.version, pastReview: false };
}

/**
 * Steps: 1. the head (404) at If-Match (412); 2. a retired article is not retired again (409 naming `status`);
 * 3. one write: the next version as retired, the published item deleted, the revision token (412 if the head
 * moved); 4. this container's library re-reads the revision. The public read is a 404 from then on.
 */
export async function retireArticle(ports: ArticleEditorPorts, actor: Actor, id: string, expectedVersion: number, reason: string): Promise<ArticleForEditing> {
  const { head, latest } = await currentVersion(ports, actor, id, expectedVersion);
  if (head.status === 'retired') throw new ConflictError(`Article ${id} is already retired`, { field: 'status', status: head.status });
  const version: ArticleVersion = { ...contentOf(latest), id, version: head.version + 1, status: 'retired', at: now().toISOString(), by: actor.id, reason };
  await ports.articles.append({ version, expectedVersion, published: 'retire' });
  ports.library.invalidate();
  return { article: version, pastReview: isPastReview(version, today()) };
}

/** Steps: the head (404 outside the actor's reach), its newest version. */
export async function getArticleForEditing(ports: ArticleEditorPorts, actor: Actor, id: string): Promise<ArticleForEditing> {
  const head = await requireHead(ports, actor, id);
  const article = await ports.articles.version(id, head.version);
  if (!article) throw new NotFoundError(`No article ${id}`);
  return { article, publishedVersion: head.publishedVersion, pastReview: isPastReview(article, today()) };
}

/** Every version, newest first: who changed what, when and why (404 outside the actor's reach). */
export async function articleVersions(ports: ArticleEditorPorts, actor: Actor, id: string): Promise<{ items: ArticleVersion[] }> {
  await requireHead(ports, actor, id);
  const versions = await ports.articles.versions(id);
  return { items: versions.sort((a, b) => b.version - a.version) };
}

export interface EditorListing {
  status?: ArticleStatus;
  department?: string;
  /** Only articles past their review-by date. */
  pastReview?: boolean;
}

/**
 * Steps: 1. one Query of the heads; 2. staff get their own department's (supervisors and admins a named one or
 * all); 3. by status and past review when asked; most recently changed first.
 */
export async function listArticlesForEditing(ports: ArticleEditorPorts, actor: Actor, listing: EditorListing): Promise<{ items: ArticleListItem[] }> {
  if (actor.role === 'staff' && !actor.department) throw new ForbiddenError('Department staff without a department');
  const department = actor.role === 'staff' ? actor.department : listing.department;
  const day = today();
  const items = (await ports.articles.heads())
    .filter((h) => (!department || h.department === department) && (!listing.status || h.status === listing.status))
    .map((h) => ({ ...h, pastReview: isPastReview(h, day) }))
    .filter((h) => !listing.pastReview || h.pastReview)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
  return { items };
}

function assertMayWrite(actor: Actor, department: string): void {
  if (actor.role === 'staff' && actor.department !== department)
    throw new ForbiddenError(`Department editors write their own department's articles (${actor.department ?? 'none'}), not ${department}'s`);
}

async function requireHead(ports: ArticleEditorPorts, actor: Actor, id: string): Promise<ArticleHead> {
  const head = await ports.articles.head(id);
  // Another department's drafts are not staff's business: the same answer as an unknown id.
  if (!head || (actor.role === 'staff' && head.department !== actor.department)) throw new NotFoundError(`No article ${id}`);
  return head;
}

function assertCurrent(head: ArticleHead, expectedVersion: number): void {
  if (head.version !== expectedVersion)
    throw new PreconditionFailedError(`Article ${head.id} is at version ${head.version}, not ${expectedVersion}: read it again`, head.version, 'If-Match');
}

async function currentVersion(ports: ArticleEditorPorts, actor: Actor, id: string, expectedVersion: number): Promise<{ head: ArticleHead; latest: ArticleVersion }> {
  const head = await requireHead(ports, actor, id);
  assertCurrent(head, expectedVersion);
  const latest = await ports.articles.version(id, head.version);
  if (!latest) throw new NotFoundError(`No article ${id}`);
  return { head, latest };
}

/** The department and categories must exist, and a new review-by date must not be past. */
function checkContent(reference: ArticleEditorPorts['reference'], content: ArticleContent): void {
  const problems: FieldProblem[] = [];
  if (!reference.departments.has(content.department)) problems.push({ path: 'department', message: `"${content.department}" is not a department` });
  content.categories.forEach((c, i) => {
    if (!reference.categories.has(c)) problems.push({ path: `categories.${i}`, message: `"${c}" is not a SOP category` });
  });
  if (isPastReview(content, today())) problems.push({ path: 'reviewBy', message: 'must be today or later' });
  if (problems.length) throw new ValidationError(`The article is invalid: ${problems.map((p) => p.path).join(', ')}`, problems);
}

function today(): string {
  return taipeiDate(now());
}
