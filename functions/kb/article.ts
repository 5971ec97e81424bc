/**
 * A knowledge-base article: what an agent reads aloud to a caller and what the city website shows. The same
 * limits hold for the seed file, the editor's API and the stored items, so the seed cannot carry an article the
 * editor would refuse.
 */
import * as z from 'zod';

export const ARTICLE_LIMITS = {
  title: 80,
  question: 120,
  questions: 20,
  answer: 4000,
  tag: 30,
  tags: 20,
  links: 10,
  linkTitle: 80,
  internalNote: 1000,
} as const;

export const ARTICLE_STATUSES = ['draft', 'published', 'retired'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((d) => {
    const [y, m, day] = d.split('-').map(Number);
    const t = new Date(Date.UTC(y, m - 1, day));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day;
  }, 'is not a calendar date');

export const articleIdSchema = z.string().regex(/^[a-z][a-z0-9-]{2,63}$/, 'must be 3-64 lower-case letters, digits or -');
export const departmentCodeSchema = z.string().regex(/^[A-Z][A-Z0-9_-]*$/, 'must be a department code');
export const categoryCodeSchema = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a SOP category');

export const articleLinkSchema = z.object({
  title: text(ARTICLE_LIMITS.linkTitle),
  url: z.url({ protocol: /^https$/, error: 'must be an https URL' }),
});
export type ArticleLink = z.infer<typeof articleLinkSchema>;

function unique(list: readonly string[]): boolean {
  return new Set(list).size === list.length;
}

/** What an editor writes. Everything else (id, status, version, who and when) is the system's. */
export const articleContentSchema = z.object({
  title: z.object({ zh: text(ARTICLE_LIMITS.title), en: text(ARTICLE_LIMITS.title).optional() }),
  /** How callers ask it; indexed for search alongside the title. */
  questions: z
    .array(text(ARTICLE_LIMITS.question))
    .min(1, 'needs at least one question')
    .max(ARTICLE_LIMITS.questions, `at most ${ARTICLE_LIMITS.questions} questions`)
    .refine(unique, 'questions must not repeat'),
  answer: z.object({ zh: text(ARTICLE_LIMITS.answer), en: text(ARTICLE_LIMITS.answer).optional() }),
  /** The department that owns the content and reviews it. */
  department: departmentCodeSchema,
  /** SOP categories the article answers for (the intake side panel shows it under them). */
  categories: z.array(categoryCodeSchema).max(13).refine(unique, 'categories must not repeat').default([]),
  links: z.array(articleLinkSchema).max(ARTICLE_LIMITS.links, `at most ${ARTICLE_LIMITS.links} links`).default([]),
  tags: z
    .array(text(ARTICLE_LIMITS.tag))
    .max(ARTICLE_LIMITS.tags, `at most ${ARTICLE_LIMITS.tags} tags`)
    .refine(unique, 'tags must not repeat')
    .default([]),
  /** After this date the owning department must review the article; agents see it flagged. */
  reviewBy: isoDate,
  /** For agents only: never shown to the public. */
  internalNote: text(ARTICLE_LIMITS.internalNote).optional(),
});
export type ArticleContent = z.infer<typeof articleContentSchema>;

/** An article in the seed file: content plus the identity and state the stored item starts from. */
export const seedArticleSchema = articleContentSchema.extend({
  id: articleIdSchema,
  status: z.enum(ARTICLE_STATUSES),
  version: z.number().int().min(1),
});
export type SeedArticle = z.infer<typeof seedArticleSchema>;

export const kbSeedFileSchema = z
  .object({ articles: z.array(seedArticleSchema).min(1) })
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    file.articles.forEach((a, i) => {
      if (ids.has(a.id)) ctx.addIssue({ code: 'custom', path: ['articles', i, 'id'], message: `duplicate article id "${a.id}"` });
      ids.add(a.id);
    });
  });
export type KbSeedFile = z.infer<typeof kbSeedFileSchema>;

/** Whether an article is past its review-by date on the given day (YYYY-MM-DD in the city's time zone). */
export function isPastReview(article: Pick<ArticleContent, 'reviewBy'>, today: string): boolean {
  return article.reviewBy < today;
}

/** A published article as it is stored for search and for the public: the content of the version published. */
export interface PublishedArticle extends ArticleContent {
  id: string;
  version: number;
  publishedAt: string;
  publishedBy: string;
}

/** One stored version of an article: what it said, its status from then on, who changed it, when and why. */
export interface ArticleVersion extends ArticleContent {
  id: string;
  version: number;
  status: ArticleStatus;
  at: string;
  by: string;
  reason: string;
}

/** What the public sees: no internal note, no review bookkeeping, no editors' names. */
export type PublicArticle = Omit<PublishedArticle, 'internalNote' | 'reviewBy' | 'publishedBy'>;

export function publicViewOf({ internalNote: _note, reviewBy: _review, publishedBy: _by, ...article }: PublishedArticle): PublicArticle {
  return article;
}

/**
 * An article's current state, one small item per article: the editors' list reads these (one Query), and every
 * change is conditional on the head's version, so two editors cannot both build on the same version.
 */
export interface ArticleHead {
  id: string;
  /** The newest stored version. */
  version: number;
  status: ArticleStatus;
  title: ArticleContent['title'];
  department: string;
  reviewBy: string;
  updatedAt: string;
  updatedBy: string;
  /** The version the public and the agents see, while one is published (an edit of it is a newer draft). */
  publishedVersion?: number;
}

export function headOf(version: ArticleVersion, publishedVersion: number | undefined): ArticleHead {
  const { id, status, title, department, reviewBy, at, by } = version;
  return { id, version: version.version, status, title, department, reviewBy, updatedAt: at, updatedBy: by, ...(publishedVersion === undefined ? {} : { publishedVersion }) };
}

/** The content of a stored version, without its identity and bookkeeping. */
export function contentOf({ id: _id, version: _v, status: _s, at: _at, by: _by, reason: _r, ...content }: ArticleVersion): ArticleContent {
  return content;
}
