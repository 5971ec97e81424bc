/**
 * Search quality on held-out caller phrasings: for each published article, phrasings a caller might use
 * (colloquial, mistyped, other words) that are in no article, so the index never saw them. hit@k = the share of
 * phrasings whose own article is among the first k hits. Used by `npm run kb:eval` and by the quality test.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import type { ArticleSearchIndex } from '../functions/kb/search-index';

export const PHRASINGS_FILE = fileURLToPath(new URL('../test/kb/caller-phrasings.json', import.meta.url));

const phrasingsFileSchema = z.object({ about: z.string(), phrasings: z.record(z.string(), z.array(z.string().min(1)).min(1)) });

/** Article id -> caller phrasings. */
export function loadCallerPhrasings(file = PHRASINGS_FILE): Record<string, string[]> {
  return phrasingsFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).phrasings;
}

export interface QualityReport {
  phrasings: number;
  articles: number;
  hitAt1: number;
  hitAt3: number;
  /** Phrasings whose article is not in the first three, with what came first instead. */
  misses: { article: string; phrasing: string; got: string[] }[];
}

export function measureSearchQuality(index: ArticleSearchIndex, phrasings: Record<string, string[]>, today: string): QualityReport {
  let n = 0;
  let at1 = 0;
  let at3 = 0;
  const misses: QualityReport['misses'] = [];
  for (const [article, list] of Object.entries(phrasings)) {
    for (const phrasing of list) {
      n++;
      const got = index.search(phrasing, { limit: 3, today }).map((h) => h.id);
      if (got[0] === article) at1++;
      if (got.includes(article)) at3++;
      else misses.push({ article, phrasing, got });
    }
  }
  return { phrasings: n, articles: Object.keys(phrasings).length, hitAt1: at1 / n, hitAt3: at3 / n, misses };
}
