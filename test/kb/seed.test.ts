import { describe, expect, it } from 'vitest';
import { articleContentSchema, isPastReview, kbSeedFileSchema, ARTICLE_LIMITS } from '../../functions/kb/article';
import { KB_FILES, loadKbLexicon, loadKbSeed, validateKbLexicon, validateKbSeed } from '../../functions/kb/seed';
import { loadConfig } from '../../functions/config/load';
import { ConfigError } from '../../functions/domain/errors';
import { loadCallerPhrasings } from '../../bench/kb-quality';
import kbArticlesJson from '../../config/kb-articles.json' with { type: 'json' };

const article = () => ({
  title: { zh: '垃圾車幾點來' },
  questions: ['垃圾車幾點會到'],
  answer: { zh: '週三及週日停收。' },
  department: 'EPD',
  categories: ['litter'],
  links: [{ title: '市府', url: 'https://www.example.gov.tw' }],
  tags: ['垃圾'],
  reviewBy: '2027-06-30',
});

function problemPaths(input: unknown): string[] {
  const r = articleContentSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
}

describe('article content schema', () => {
  it('accepts a complete article and fills the optional lists', () => {
    const { links: _links, tags: _tags, categories: _categories, ...bare } = article();
    expect(articleContentSchema.parse(bare)).toMatchObject({ links: [], tags: [], categories: [] });
  });

  it('names an empty or oversized title and answer', () => {
    expect(problemPaths({ ...article(), title: { zh: '  ' } })).toEqual(['title.zh']);
    expect(problemPaths({ ...article(), title: { zh: '長'.repeat(ARTICLE_LIMITS.title + 1) } })).toEqual(['title.zh']);
    expect(problemPaths({ ...article(), answer: { zh: '' } })).toEqual(['answer.zh']);
    expect(problemPaths({ ...article(), answer: { zh: '答'.repeat(ARTICLE_LIMITS.answer + 1) } })).toEqual(['answer.zh']);
  });

  it('refuses a plain-http link, a non-date review-by and repeated questions', () => {
    expect(problemPaths({ ...article(), links: [{ title: 'x', url: 'http://www.example.gov.tw' }] })).toEqual(['links.0.url']);
    expect(problemPaths({ ...article(), reviewBy: '2027-02-30' })).toEqual(['reviewBy']);
    expect(problemPaths({ ...article(), questions: ['同一句', '同一句'] })).toEqual(['questions']);
    expect(problemPaths({ ...article(), questions: [] })).toEqual(['questions']);
  });

  it('flags an article past its review-by date, not on the day itself', () => {
    expect(isPastReview({ reviewBy: '2026-12-01' }, '2026-12-02')).toBe(true);
    expect(isPastReview({ reviewBy: '2026-12-02' }, '2026-12-02')).toBe(false);
  });
});

describe('the seed file', () => {
  const config = loadConfig();
  const seed = () => structuredClone(kbArticlesJson) as { articles: Record<string, unknown>[] };

  it('names an unknown department and an unknown category with the article', () => {
    const file = seed();
    file.articles[2].department = 'NOPE';
    file.articles[0].categories = ['litter', 'no-such-category'];
    const error = (() => {
      try {
        validateKbSeed(file, config);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain(KB_FILES.articles);
    expect(error?.message).toContain('articles.2.department');
    expect(error?.message).toContain('articles.0.categories.1');
  });

  it('refuses a repeated article id', () => {
    const file = seed();
    file.articles[1].id = file.articles[0].id;
    const r = kbSeedFileSchema.safeParse(file);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain('articles.1.id');
  });

  it('ships at least 60 published articles covering every SOP category and several departments', () => {
    const published = loadKbSeed(loadConfig()).filter((a) => a.status === 'published');
    expect(published.length).toBeGreaterThanOrEqual(60);
    const categories = new Set(published.flatMap((a) => a.categories));
    for (const sop of config.sops) expect(categories, sop.category).toContain(sop.category);
    expect(new Set(published.map((a) => a.department)).size).toBeGreaterThanOrEqual(8);
  });

  it('keeps the caller phrasings held out: one list per published article, none of them in the article', () => {
    const phrasings = loadCallerPhrasings();
    const published = loadKbSeed(loadConfig()).filter((a) => a.status === 'published');
    expect(Object.keys(phrasings).sort()).toEqual(published.map((a) => a.id).sort());
    for (const a of published) {
      expect(phrasings[a.id].length, a.id).toBeGreaterThanOrEqual(3);
      const indexed = [a.title.zh, ...a.questions, ...a.tags, a.answer.zh].join('\n');
      for (const p of phrasings[a.id]) expect(indexed, `${a.id}: ${p}`).not.toContain(p);
    }
  });

  it('validates the lexicon and names a bad entry', () => {
    expect(loadKbLexicon().synonyms.length).toBeGreaterThan(20);
    expect(() => validateKbLexicon({ ...loadKbLexicon(), variants: { 臺灣: '台' } })).toThrow(/variants/);
  });
});
