/**
 * Knowledge-base search speed (`npm run bench -- kb`, `npm run bench:kb`): one search, against the 50 ms p95
 * budget per search, with 2,000 articles beside the shipped articles as the baseline in the same run.
 *   - 2,000 articles: the shipped published ones plus synthetic articles recombined from their sentences,
 *     questions and tags (bench only, never shipped);
 *   - the queries are the held-out caller phrasings typed as an agent types them: every prefix of every
 *     phrasing is one search (the side panel searches as the agent types), in several rounds after a warm-up;
 *   - in-process (the index lives in the API function's memory), so this is the search itself; index build
 *     time is printed too: a container pays it once, and again after a publish.
 */
import { performance } from 'node:perf_hooks';
import { buildArticleIndex, type SearchableArticle } from '../functions/kb/search-index';
import { createChineseTokenizer } from '../functions/kb/tokenizer';
import { loadKbLexicon, loadKbSeed } from '../functions/kb/seed';
import { loadConfig } from '../functions/config/load';
import { loadCallerPhrasings } from './kb-quality';
import { limitRow, ms, percentile, type BudgetRow } from './lib/report';

export const KB_SEARCH_BUDGET_MS = 50;

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function synthesize(seed: readonly SearchableArticle[], total: number): SearchableArticle[] {
  const rand = mulberry32(1999);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const sentences = seed.flatMap((a) => a.answer.zh.split(/(?<=。)/u).filter(Boolean));
  const questions = seed.flatMap((a) => a.questions);
  const tags = [...new Set(seed.flatMap((a) => a.tags))];
  const districts = ['桃園', '中壢', '平鎮', '八德', '楊梅', '蘆竹', '大溪', '龍潭', '龜山', '大園', '觀音', '新屋', '復興'];
  const out = [...seed];
  for (let i = out.length; i < total; i++) {
    const base = pick(seed);
    const district = pick(districts);
    out.push({
      id: `synthetic-${i}`,
      version: 1,
      title: { zh: `${district}區${pick(tags)}與${pick(tags)}（${pick(tags)}）` },
      questions: [`${district}${pick(questions)}`, pick(questions), pick(questions)],
      answer: { zh: Array.from({ length: 3 + Math.floor(rand() * 4) }, () => pick(sentences)).join('') },
      department: base.department,
      categories: base.categories,
      tags: [pick(tags), pick(tags), district].filter((t, j, all) => all.indexOf(t) === j),
      reviewBy: base.reviewBy,
    });
  }
  return out;
}

interface Timing {
  articles: number;
  buildMs: number;
  searches: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function time(articles: readonly SearchableArticle[], typed: readonly string[], rounds: number): Timing {
  const tokenizer = createChineseTokenizer(loadKbLexicon());
  const today = new Date().toISOString().slice(0, 10);
  const t0 = performance.now();
  const index = buildArticleIndex(articles, tokenizer);
  const buildMs = performance.now() - t0;
  for (const q of typed.slice(0, 200)) index.search(q, { today }); // warm-up, not measured
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of typed) {
      const s = performance.now();
      index.search(q, { today });
      times.push(performance.now() - s);
    }
  }
  return {
    articles: articles.length,
    buildMs,
    searches: times.length,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: Math.max(...times),
  };
}

export function measureKbSearch(opts: { articles: number; rounds: number }): { rows: BudgetRow[]; detail: string } {
  const shipped = loadKbSeed(loadConfig()).filter((a) => a.status === 'published');
  const typed = Object.values(loadCallerPhrasings())
    .flat()
    .flatMap((p) => Array.from({ length: [...p].length }, (_, i) => [...p].slice(0, i + 1).join('')));
  const base = time(shipped, typed, opts.rounds);
  const large = time(synthesize(shipped, opts.articles), typed, opts.rounds);
  const line = (label: string, t: Timing) =>
    `${label.padEnd(30)} ${String(t.articles).padStart(6)} ${ms(t.buildMs).padStart(9)} ${String(t.searches).padStart(8)} ${ms(t.p50).padStart(8)} ${ms(t.p95).padStart(8)} ${ms(t.p99).padStart(8)} ${ms(t.max).padStart(8)}`;
  const detail = [
    `knowledge-base search, in-process: every typed prefix of the held-out caller phrasings (${typed.length}) x ${opts.rounds} rounds`,
    `${'index'.padEnd(30)} ${'arts'.padStart(6)} ${'build'.padStart(9)} ${'searches'.padStart(8)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`,
    line('shipped articles (baseline)', base),
    line('shipped + synthetic', large),
  ].join('\n');
  return {
    rows: [
      limitRow(`KB search p95, ${large.articles} articles`, large.p95, KB_SEARCH_BUDGET_MS, ms, {
        baseline: `${ms(base.p95)} with ${base.articles} articles`,
        budget: `≤ ${KB_SEARCH_BUDGET_MS} ms per search`,
      }),
    ],
    detail,
  };
}
