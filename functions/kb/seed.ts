/**
 * The shipped knowledge base: the starting articles and the search lexicon from `config/`, validated like the
 * rest of the configuration (a bad file names the file, the field and the problem) and cross-checked against
 * the departments and SOP categories.
 */
import { ConfigError, type FieldProblem } from '../domain/errors';
import { parseConfig, type Config } from '../config/validate';
import { kbSeedFileSchema, type SeedArticle } from './article';
import { kbLexiconSchema, type KbLexicon } from './tokenizer';
import kbArticlesJson from '../../config/kb-articles.json' with { type: 'json' };
import kbLexiconJson from '../../config/kb-lexicon.json' with { type: 'json' };

export const KB_FILES = { articles: 'config/kb-articles.json', lexicon: 'config/kb-lexicon.json' } as const;

/** Validates the seed file and checks that every department and category it names exists. */
export function validateKbSeed(raw: unknown, config: Pick<Config, 'departments' | 'sops'>): SeedArticle[] {
  const { articles } = parseConfig(KB_FILES.articles, kbSeedFileSchema, raw);
  const departments = new Set(config.departments.departments.map((d) => d.code));
  const categories = new Set(config.sops.map((s) => s.category));
  const problems: FieldProblem[] = [];
  articles.forEach((a, i) => {
    if (!departments.has(a.department)) problems.push({ path: `articles.${i}.department`, message: `unknown department "${a.department}" (id "${a.id}")` });
    a.categories.forEach((c, j) => {
      if (!categories.has(c)) problems.push({ path: `articles.${i}.categories.${j}`, message: `unknown category "${c}" (id "${a.id}")` });
    });
  });
  if (problems.length) throw new ConfigError(KB_FILES.articles, problems);
  return articles;
}

export function validateKbLexicon(raw: unknown): KbLexicon {
  return parseConfig(KB_FILES.lexicon, kbLexiconSchema, raw);
}

let seed: SeedArticle[] | undefined;
let lexicon: KbLexicon | undefined;

/** The shipped articles, checked against the configuration the caller loaded (cached per process). */
export function loadKbSeed(config: Pick<Config, 'departments' | 'sops'>): SeedArticle[] {
  seed ??= validateKbSeed(kbArticlesJson, config);
  return seed;
}

export function loadKbLexicon(): KbLexicon {
  lexicon ??= validateKbLexicon(kbLexiconJson);
  return lexicon;
}
