/**
 * Writing articles, the use cases alone (the store in memory, conditional like the table's): who may write which
 * department's article, what each change stores, what a publish and a retirement do to the published copy, and
 * that a refused change writes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../functions/domain/actor';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../../functions/domain/errors';
import { headOf, type ArticleContent, type ArticleHead, type ArticleVersion } from '../../functions/kb/article';
import {
  createArticleDraft,
  editArticle,
  listArticlesForEditing,
  publishArticle,
  retireArticle,
  type ArticleChange,
  type ArticleEditorPorts,
  type ArticleEditorStore,
} from '../../functions/usecases/edit-article';
import { ACTORS } from './support/fakes';

/** Every change conditional on the head's version, as the table's transaction is. */
class InMemoryArticleStore implements ArticleEditorStore {
  readonly changes: ArticleChange[] = [];
  private readonly heads_ = new Map<string, ArticleHead>();
  private readonly versions_ = new Map<string, ArticleVersion[]>();

  async head(id: string) {
    return this.heads_.get(id);
  }
  async heads() {
    return [...this.heads_.values()];
  }
  async version(id: string, version: number) {
    return this.versions_.get(id)?.find((v) => v.version === version);
  }
  async versions(id: string) {
    return [...(this.versions_.get(id) ?? [])];
  }
  async append(change: ArticleChange) {
    const { version: next, expectedVersion, published } = change;
    const head = this.heads_.get(next.id);
    if (expectedVersion === undefined && head) throw new ConflictError(`Article ${next.id} already exists`, { field: 'id' });
    if (expectedVersion !== undefined && head?.version !== expectedVersion) throw new PreconditionFailedError('stale', head?.version, 'If-Match');
    this.changes.push(change);
    this.versions_.set(next.id, [...(this.versions_.get(next.id) ?? []), next]);
    this.heads_.set(next.id, headOf(next, published === 'retire' ? undefined : published ? published.version : change.publishedVersion));
  }
}

const CONTENT: ArticleContent = {
  title: { zh: '水溝蓋鬆動' },
  questions: ['水溝蓋鬆動一直響'],
  answer: { zh: '請告知地點，工務局派員固定。' },
  department: 'PWD',
  categories: ['pothole'],
  links: [],
  tags: [],
  reviewBy: '2027-06-30',
};

let store: InMemoryArticleStore;
let invalidated: number;
let ports: ArticleEditorPorts;
let restoreClock: () => void;

beforeEach(() => {
  restoreClock = useClock(new ManualClock('2026-12-03T02:00:00.000Z'));
  store = new InMemoryArticleStore();
  invalidated = 0;
  ports = {
    articles: store,
    library: { invalidate: () => void invalidated++ },
    reference: { departments: new Set(['PWD', 'EPD']), categories: new Set(['pothole', 'litter']) },
  };
});
afterEach(() => restoreClock());

const draft = (over: Partial<ArticleContent> = {}, actor: Actor = ACTORS.staffPwd, id = 'loose-drain-cover') => createArticleDraft(ports, actor, { ...CONTENT, ...over, id, reason: '新文章' });

describe('drafting and editing', () => {
  it('a draft is version 1, by its editor, with the reason; nothing is published', async () => {
    await draft();

    expect(store.changes).toEqual([{ version: { ...CONTENT, id: 'loose-drain-cover', version: 1, status: 'draft', at: '2026-12-03T02:00:00.000Z', by: 'staff-pwd', reason: '新文章' } }]);
    expect(invalidated).toBe(0);
  });

  it("department staff draft only for their own department, and move none of theirs to another; an admin does both", async () => {
    await expect(draft({ department: 'EPD', categories: [] })).rejects.toBeInstanceOf(ForbiddenError);
    await draft();
    await expect(editArticle(ports, ACTORS.staffPwd, 'loose-drain-cover', 1, { ...CONTENT, department: 'EPD', reason: '移' })).rejects.toBeInstanceOf(ForbiddenError);
    expect(store.changes).toHaveLength(1);

    await editArticle(ports, ACTORS.admin, 'loose-drain-cover', 1, { ...CONTENT, department: 'EPD', reason: '移' });
    expect((await store.head('loose-drain-cover'))?.department).toBe('EPD');
  });

  it("another department's article is out of a department editor's reach: 404, like an unknown id", async () => {
    await draft({ department: 'EPD', categories: [] }, ACTORS.admin, 'litter-fine');

    await expect(editArticle(ports, ACTORS.staffPwd, 'litter-fine', 1, { ...CONTENT, reason: '改' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(editArticle(ports, ACTORS.staffEpd, 'litter-fine', 1, { ...CONTENT, department: 'EPD', categories: [], reason: '改' })).resolves.toBeDefined();
  });

  it('a stale version is a 412 naming If-Match with the current version, and nothing is written', async () => {
    await draft();
    await editArticle(ports, ACTORS.staffPwd, 'loose-drain-cover', 1, { ...CONTENT, reason: '一' });

    const err = await editArticle(ports, ACTORS.staffPwd, 'loose-drain-cover', 1, { ...CONTENT, reason: '二' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(PreconditionFailedError);
    expect(err).toMatchObject({ currentVersion: 2, field: 'If-Match' });
    expect(store.changes).toHaveLength(2);
  });

  it('an unknown department or category and a past review-by date are 400s naming each field', async () => {
    const err = await draft({ department: 'NOPE', categories: ['pothole', 'nope'], reviewBy: '2026-12-02' }, ACTORS.admin).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields.map((f) => f.path)).toEqual(['department', 'categories.1', 'reviewBy']);
    expect(store.changes).toEqual([]);
  });
});

describe('publishing and retiring', () => {
  it("a publish stores the draft's content as the next version and as the published copy, by the supervisor, and tells this container's search", async () => {
    await draft();

    await publishArticle(ports, ACTORS.supervisor, 'loose-drain-cover', 1, '已核對');

    const change = store.changes[1];
    expect(change.version).toMatchObject({ version: 2, status: 'published', by: 'sup-1', reason: '已核對' });
    expect(change.published).toEqual({ ...CONTENT, id: 'loose-drain-cover', version: 2, publishedAt: '2026-12-03T02:00:00.000Z', publishedBy: 'sup-1' });
    expect(invalidated).toBe(1);
  });

  it('an edit of a published article is a draft beside the live version; publishing it replaces the live one', async () => {
    await draft();
    await publishArticle(ports, ACTORS.supervisor, 'loose-drain-cover', 1, '上線');

    const edited = await editArticle(ports, ACTORS.staffPwd, 'loose-drain-cover', 2, { ...CONTENT, answer: { zh: '新答案' }, reason: '更新' });

    expect(edited).toMatchObject({ article: { version: 3, status: 'draft' }, publishedVersion: 2 });
    expect(store.changes[2]).toMatchObject({ publishedVersion: 2 });
    expect(store.changes[2].published).toBeUndefined();
    await publishArticle(ports, ACTORS.supervisor, 'loose-drain-cover', 3, '更新上線');
    expect(store.changes[3].published).toMatchObject({ version: 4, answer: { zh: '新答案' } });
  });

  it('only a draft is published (409 naming status), and a draft past its review-by date is not (400 naming reviewBy)', async () => {
    await draft();
    await publishArticle(ports, ACTORS.supervisor, 'loose-drain-cover', 1, '上線');
    await expect(publishArticle(ports, ACTORS.supervisor, 'loose-drain-cover', 2, '再一次')).rejects.toMatchObject({ details: { field: 'status' } });

    await draft({}, ACTORS.staffPwd, 'drain-cover-old');
    useClock(new ManualClock('2027-07-01T02:00:00.000Z'));
    const err = await publishArticle(ports, ACTORS.supervisor, 'drain-cover-old', 1, '上線').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields.map((f) => f.path)).toEqual(['reviewBy']);
  });

  it('a retirement removes the published copy and is not repeated', async () => {
    await draft();
    await publishArticle(ports, ACTORS.supervisor, 'loose-drain-cover', 1, '上線');

    await retireArticle(ports, ACTORS.supervisor, 'loose-drain-cover', 2, '停用');

    expect(store.changes[2]).toMatchObject({ version: { version: 3, status: 'retired', reason: '停用' }, published: 'retire' });
    expect((await store.head('loose-drain-cover'))?.publishedVersion).toBeUndefined();
    expect(invalidated).toBe(2);
    await expect(retireArticle(ports, ACTORS.supervisor, 'loose-drain-cover', 3, '再一次')).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('the editors list', () => {
  it('staff get their own department whatever they ask; supervisors filter by department, status and past review-by', async () => {
    await draft();
    await draft({ department: 'EPD', categories: [] }, ACTORS.admin, 'litter-fine');
    await publishArticle(ports, ACTORS.supervisor, 'litter-fine', 1, '上線');
    useClock(new ManualClock('2027-07-01T02:00:00.000Z'));

    const staff = await listArticlesForEditing(ports, ACTORS.staffPwd, { department: 'EPD' });
    const published = await listArticlesForEditing(ports, ACTORS.supervisor, { status: 'published' });
    const overdue = await listArticlesForEditing(ports, ACTORS.supervisor, { department: 'EPD', pastReview: true });

    expect(staff.items.map((a) => a.id)).toEqual(['loose-drain-cover']);
    expect(published.items.map((a) => a.id)).toEqual(['litter-fine']);
    expect(overdue.items).toMatchObject([{ id: 'litter-fine', pastReview: true }]);
  });
});
