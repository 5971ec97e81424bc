/**
 * The in-memory search over published articles: MiniSearch (BM25) over terms from the Chinese tokenizer.
 * Bigram fields carry the precision (title, caller questions, tags, answer, in falling weight); one low-weight
 * unigram field over title, questions and tags catches one-character words and near misses. A query's terms
 * meet the field of their kind, since a bigram never equals a unigram. Pure: the caller gives it the articles
 * (from the store, or the seed) and rebuilds it when they change.
 */
import MiniSearch from 'minisearch';
import { isPastReview, type ArticleContent } from './article';
import type { ChineseTokenizer } from './tokenizer';

/** What the index needs of an article: its content and identity. */
export type SearchableArticle = Pick<ArticleContent, 'title' | 'questions' | 'answer' | 'department' | 'categories' | 'tags' | 'reviewBy'> & {
  id: string;
  version: number;
  updatedAt?: string;
};

/** [start, end) ranges of matched words in a text, for the UI to mark without parsing HTML. */
export type Highlight = readonly [number, number];

export interface Snippet {
  text: string;
  highlights: Highlight[];
  /** Whether text was cut at the start / end. */
  cutStart: boolean;
  cutEnd: boolean;
}

export interface ArticleHit {
  id: string;
  title: ArticleContent['title'];
  titleHighlights: Highlight[];
  department: string;
  categories: string[];
  version: number;
  updatedAt?: string;
  reviewBy: string;
  /** Past its review-by date: the agent is told to double-check the answer. */
  pastReview: boolean;
  score: number;
  snippet: Snippet;
}

export interface SearchOptions {
  /** At most this many hits (default 5). */
  limit?: number;
  /** The intake's chosen category: articles for it rank higher. */
  category?: string;
  /** Today in the city's time zone (YYYY-MM-DD), for the review flag. */
  today: string;
}

const SNIPPET_LENGTH = 80;
const CATEGORY_BOOST = 1.5;
const BOOST = { title: 3, questions: 2, tags: 1.5, answer: 1.5, keysUni: 0.4 } as const;
type Field = keyof typeof BOOST;
const FIELDS = Object.keys(BOOST) as Field[];

export interface ArticleSearchIndex {
  readonly size: number;
  search(query: string, options: SearchOptions): ArticleHit[];
}

function fieldText(article: SearchableArticle, field: Field): string {
  switch (field) {
    case 'title':
      return [article.title.zh, article.title.en ?? ''].join(' ');
    case 'questions':
      return article.questions.join(' / ');
    case 'tags':
      return article.tags.join(' / ');
    case 'answer':
      return [article.answer.zh, article.answer.en ?? ''].join(' ');
    case 'keysUni':
      return [article.title.zh, ...article.questions, ...article.tags].join(' / ');
  }
}

/** Ranges in `text` where any of the terms occur (after folding), merged. */
function findHighlights(tokenizer: ChineseTokenizer, text: string, terms: readonly string[]): Highlight[] {
  const folded = tokenizer.foldSameLength(text);
  const ranges: [number, number][] = [];
  for (const term of terms) {
    for (let at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1)) ranges.push([at, at + term.length]);
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/**
 * The window of the answer with the best matches (its start if none): a match counts by its length squared, so
 * one long run of the caller's words beats several scattered pairs.
 */
function snippetOf(text: string, highlights: Highlight[]): Snippet {
  if (text.length <= SNIPPET_LENGTH) return { text, highlights, cutStart: false, cutEnd: false };
  let best = 0;
  let bestCovered = -1;
  for (const [s] of highlights) {
    const start = Math.max(0, Math.min(s - 10, text.length - SNIPPET_LENGTH));
    const end = start + SNIPPET_LENGTH;
    const covered = highlights.reduce((n, [a, b]) => n + Math.max(0, Math.min(b, end) - Math.max(a, start)) ** 2, 0);
    if (covered > bestCovered) [best, bestCovered] = [start, covered];
  }
  const end = best + SNIPPET_LENGTH;
  return {
    text: text.slice(best, end),
    highlights: highlights.filter(([a, b]) => a >= best && b <= end).map(([a, b]) => [a - best, b - best] as const),
    cutStart: best > 0,
    cutEnd: end < text.length,
  };
}

export function buildArticleIndex(articles: readonly SearchableArticle[], tokenizer: ChineseTokenizer): ArticleSearchIndex {
  const byId = new Map(articles.map((a) => [a.id, a]));
  const mini = new MiniSearch<SearchableArticle>({
    idField: 'id',
    fields: FIELDS,
    extractField: (doc, field) => (field === 'id' ? doc.id : fieldText(doc, field as Field)),
    tokenize: (text, field) => (field === 'keysUni' ? tokenizer.unigrams(text) : field ? tokenizer.bigrams(text) : tokenizer.queryTerms(text)),
    processTerm: (term) => term,
    searchOptions: { boost: BOOST, combineWith: 'OR' },
  });
  mini.addAll([...byId.values()]);

  return {
    size: byId.size,
    search(query, options) {
      const limit = options.limit ?? 5;
      const category = options.category;
      const results = mini.search(query, {
        boostDocument: category ? (id) => (byId.get(String(id))?.categories.includes(category) ? CATEGORY_BOOST : 1) : undefined,
      });
      return results.slice(0, limit).map((r) => {
        const article = byId.get(String(r.id))!;
        // Mark the precise matches; fall back to single characters only when nothing longer matched.
        const longer = r.terms.filter((t) => t.length > 1);
        const marks = longer.length ? longer : r.terms;
        return {
          id: article.id,
          title: article.title,
          titleHighlights: findHighlights(tokenizer, article.title.zh, marks),
          department: article.department,
          categories: article.categories,
          version: article.version,
          updatedAt: article.updatedAt,
          reviewBy: article.reviewBy,
          pastReview: isPastReview(article, options.today),
          score: r.score,
          snippet: snippetOf(article.answer.zh, findHighlights(tokenizer, article.answer.zh, marks)),
        };
      });
    },
  };
}
