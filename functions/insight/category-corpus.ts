/**
 * The shipped corpus of caller utterances (`config/category-corpus.json`): what the category classifier learns
 * from before the city has history, and what its accuracy is measured on. Validated like every config file: a
 * label that is not a SOP category stops the load with the utterance named.
 */
import * as z from 'zod';
import corpusJson from '../../config/category-corpus.json' with { type: 'json' };
import { ConfigError } from '../domain/errors';
import type { LabelledText } from '../domain/category-classifier';
import { parseConfig } from '../config/validate';

export const CORPUS_FILE = 'config/category-corpus.json';

const utteranceSchema = z.object({
  category: z.string().min(1),
  text: z.string().trim().min(1).max(1000),
  /** The other SOPs a call with several problems touches; the case is filed under `category`. */
  also: z.array(z.string().min(1)).optional(),
});
export type Utterance = z.infer<typeof utteranceSchema>;

export const categoryCorpusSchema = z.object({
  language: z.string().min(1),
  about: z.string().min(1),
  utterances: z.array(utteranceSchema).min(1),
});

/** Parses a corpus and checks every label against the SOP categories. */
export function parseCategoryCorpus(data: unknown, categories: readonly string[], file = CORPUS_FILE): Utterance[] {
  const corpus = parseConfig(file, categoryCorpusSchema, data);
  const known = new Set(categories);
  const problems = corpus.utterances.flatMap((u, i) =>
    [u.category, ...(u.also ?? [])]
      .filter((c) => !known.has(c))
      .map((c) => ({ path: `utterances.${i}`, message: `"${c}" is not a SOP category (text "${u.text.slice(0, 20)}")` })),
  );
  if (problems.length) throw new ConfigError(file, problems);
  return corpus.utterances;
}

/** The shipped corpus as training examples, its labels checked against the given SOP categories. */
export function shippedCorpus(categories: readonly string[]): LabelledText[] {
  return parseCategoryCorpus(corpusJson, categories).map(({ text, category }) => ({ text, category }));
}
