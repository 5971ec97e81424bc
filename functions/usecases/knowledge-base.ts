/**
 * Reading the knowledge base: the agents' search as they type what the caller says, and the public's reads (the
 * city website, chatbots). Both read only published articles (functions/kb/published-library.ts): a draft, a
 * retired article and an article's internal note never reach the public.
 */
import { taipeiDate } from '../domain/case-number';
import { now } from '../domain/clock';
import type { Actor } from '../domain/actor';
import { ForbiddenError, NotFoundError } from '../domain/errors';
import { isPastReview, publicViewOf, type ArticleLink, type PublicArticle, type PublishedArticle } from '../kb/article';
import type { ArticleReader, PublishedLibrary } from '../kb/published-library';
import type { ArticleHit } from '../kb/search-index';

export interface KnowledgeBasePorts {
  library: Pick<PublishedLibrary, 'current'>;
  articles: Pick<ArticleReader, 'publishedArticle'>;
}

/** A hit as the agent's side panel shows it, with what the agent reads aloud when opening it. */
export interface AgentArticleHit extends ArticleHit {
  answer: PublishedArticle['answer'];
  links: ArticleLink[];
  internalNote?: string;
  publishedAt: string;
}

export interface AgentSearch {
  q: string;
  category?: string;
  limit?: number;
}

/**
 * Steps: 1. the current published library (rebuilt only when the stored revision moved); 2. rank for the
 * caller's words, the intake's category first; 3. each hit with its answer, links and internal note, flagged when
 * past its review-by date (Taipei today).
 */
export async function searchArticlesForAgent(ports: KnowledgeBasePorts, search: AgentSearch): Promise<{ items: AgentArticleHit[] }> {
  const { index, articles } = await ports.library.current();
  const hits = index.search(search.q, { limit: search.limit ?? 5, category: search.category, today: today() });
  return {
    items: hits.flatMap((hit) => {
      const article = articles.get(hit.id);
      if (!article) return [];
      return [{ ...hit, answer: article.answer, links: article.links, internalNote: article.internalNote, publishedAt: article.publishedAt }];
    }),
  };
}

export interface PublicListing {
  q?: string;
  page: number;
  limit: number;
}

export type PublicArticleSummary = Pick<PublicArticle, 'id' | 'title' | 'department' | 'categories' | 'tags' | 'version' | 'publishedAt'> & {
  /** The start of the answer, or the part matching the search. */
  snippet: string;
};

export interface PublicArticlePage {
  items: PublicArticleSummary[];
  page: number;
  limit: number;
  total: number;
}

/** Searches beyond this many hits are not paged further: a caller refines the words instead. */
export const PUBLIC_SEARCH_MAX_HITS = 100;
const SNIPPET_LENGTH = 80;

/**
 * Steps: 1. the current published library; 2. with `q`, the ranked hits (at most PUBLIC_SEARCH_MAX_HITS), without,
 * every published article in id order; 3. the requested page of summaries.
 */
export async function listPublicArticles(ports: KnowledgeBasePorts, listing: PublicListing): Promise<PublicArticlePage> {
  const { index, articles } = await ports.library.current();
  const summaries: PublicArticleSummary[] = listing.q
    ? index.search(listing.q, { limit: PUBLIC_SEARCH_MAX_HITS, today: today() }).flatMap((hit) => {
        const article = articles.get(hit.id);
        return article ? [summaryOf(article, hit.snippet.text)] : [];
      })
    : [...articles.values()].map((a) => summaryOf(a, a.answer.zh.slice(0, SNIPPET_LENGTH)));
  const start = (listing.page - 1) * listing.limit;
  return { items: summaries.slice(start, start + listing.limit), page: listing.page, limit: listing.limit, total: summaries.length };
}

/** Steps: read the published item (a draft or retired article has none: 404), present it without internals. */
export async function getPublicArticle(ports: KnowledgeBasePorts, id: string): Promise<PublicArticle> {
  const article = await ports.articles.publishedArticle(id);
  if (!article) throw new NotFoundError(`No published article ${id}`);
  return publicViewOf(article);
}

function summaryOf(article: PublishedArticle, snippet: string): PublicArticleSummary {
  const { id, title, department, categories, tags, version, publishedAt } = article;
  return { id, title, department, categories, tags, version, publishedAt, snippet };
}

function today(): string {
  return taipeiDate(now());
}

/**
 * Published articles past their review-by date (Taipei today), oldest date first: department staff get their own
 * department's, supervisors and admins a named department's or all.
 */
export async function articlesDueForReview(
  ports: Pick<KnowledgeBasePorts, 'library'>,
  actor: Actor,
  department?: string,
): Promise<{ items: Array<Pick<PublishedArticle, 'id' | 'title' | 'department' | 'reviewBy' | 'version' | 'publishedAt'>> }> {
  if (actor.role === 'staff' && !actor.department) throw new ForbiddenError('Department staff without a department');
  const owner = actor.role === 'staff' ? actor.department : department;
  const { articles } = await ports.library.current();
  const day = today();
  const items = [...articles.values()]
    .filter((a) => isPastReview(a, day) && (!owner || a.department === owner))
    .sort((a, b) => a.reviewBy.localeCompare(b.reviewBy) || a.id.localeCompare(b.id))
    .map(({ id, title, department: d, reviewBy, version, publishedAt }) => ({ id, title, department: d, reviewBy, version, publishedAt }));
  return { items };
}
