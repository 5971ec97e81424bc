/**
 * The published articles as one container holds them: the articles by id and their search index, rebuilt when
 * the stored revision moves (a publish, a retirement, a seed). The revision is read at most once per
 * `recheckMs` (a burst of keystrokes costs one GetItem), and a rebuild is one Query of the published partition:
 * never a Scan, and never per search. Two searches arriving during a rebuild wait for the same one.
 */
import { now } from '../domain/clock';
import type { PublishedArticle } from './article';
import { buildArticleIndex, type ArticleSearchIndex } from './search-index';
import type { ChineseTokenizer } from './tokenizer';

/** What the library reads from the store. */
export interface ArticleReader {
  /** Changes whenever what is published changes. */
  revision(): Promise<string>;
  published(): Promise<PublishedArticle[]>;
  publishedArticle(id: string): Promise<PublishedArticle | undefined>;
}

export interface LibrarySnapshot {
  revision: string;
  /** Published articles, by id in id order. */
  articles: ReadonlyMap<string, PublishedArticle>;
  index: ArticleSearchIndex;
}

/** How stale a container's index may be after a publish elsewhere. */
export const DEFAULT_RECHECK_MS = 2000;

export class PublishedLibrary {
  private snapshot?: LibrarySnapshot;
  private checkedAt = -Infinity;
  private pending?: Promise<LibrarySnapshot>;

  constructor(
    private readonly reader: ArticleReader,
    private readonly tokenizer: ChineseTokenizer,
    private readonly recheckMs: number = DEFAULT_RECHECK_MS,
  ) {}

  /** The published articles and their index, as of the last revision this container saw. */
  async current(): Promise<LibrarySnapshot> {
    if (this.snapshot && now().getTime() - this.checkedAt < this.recheckMs) return this.snapshot;
    this.pending ??= this.refresh().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forget when the revision was read: the next `current()` reads it (a publish in this container). */
  invalidate(): void {
    this.checkedAt = -Infinity;
  }

  private async refresh(): Promise<LibrarySnapshot> {
    const checkedAt = now().getTime();
    const revision = await this.reader.revision();
    if (!this.snapshot || this.snapshot.revision !== revision) {
      const published = (await this.reader.published()).sort((a, b) => a.id.localeCompare(b.id));
      const articles = new Map(published.map((a) => [a.id, a]));
      this.snapshot = { revision, articles, index: buildArticleIndex(published.map((a) => ({ ...a, updatedAt: a.publishedAt })), this.tokenizer) };
    }
    this.checkedAt = checkedAt;
    return this.snapshot;
  }
}
