/**
 * Category suggestions from the caller's words (domain/category-classifier.ts): the nightly training run and the
 * suggestion the intake screen asks for as the agent types.
 *
 * Training data: the shipped corpus of caller utterances, and the city's own cases of the last `days` days under
 * their final category (after any re-routing), newest first and at most `maxCases` of them. From history a
 * character n-gram must occur in at least `minDocumentFrequency` descriptions to become a feature, so a caller's
 * name said once never becomes part of the model (digits are one `<num>` token anyway).
 */
import { CategoryModel, suggestCategories, type CategorySuggestion, type KeywordSop, type LabelledText, type SerialisedCategoryModel } from '../domain/category-classifier';
import { taipeiDate } from '../domain/case-number';
import { now as clockNow } from '../domain/clock';

export interface CategoryModelStore {
  /** The current model, or none before the first training run. */
  current(): Promise<{ model: SerialisedCategoryModel; version: string } | undefined>;
  /** Stores a new version and makes it current. */
  save(model: SerialisedCategoryModel, version: string): Promise<void>;
}

export interface TrainingCases {
  /** Description and current category of the cases created on Taipei days `fromDay`..`toDay`, newest first, at most `limit`. */
  recent(fromDay: string, toDay: string, limit: number): Promise<LabelledText[]>;
}

export interface TrainingSettings {
  /** The SOP categories a case may be filed under now: examples of any other are left out. */
  categories: readonly string[];
  corpus: readonly LabelledText[];
  days: number;
  maxCases: number;
  minDocumentFrequency: number;
}

export const DEFAULT_TRAINING: Pick<TrainingSettings, 'days' | 'maxCases' | 'minDocumentFrequency'> = { days: 180, maxCases: 20_000, minDocumentFrequency: 2 };

export interface TrainingReport {
  version: string;
  corpus: number;
  cases: number;
  features: number;
}

/**
 * The nightly training run.
 * Steps:
 * 1. the cases of the last `days` Taipei days (their description and current category), newest first, bounded;
 * 2. with the corpus, the examples of current categories; train (seeded: the same examples give the same model);
 * 3. store it as a new version named by the run's instant and make it current.
 */
export async function trainCategoryModel(ports: { store: CategoryModelStore; cases: TrainingCases }, settings: TrainingSettings, at: Date = clockNow()): Promise<TrainingReport> {
  const toDay = taipeiDate(at);
  const fromDay = taipeiDate(new Date(at.getTime() - (settings.days - 1) * 86_400_000));
  const known = new Set(settings.categories);
  const history = (await ports.cases.recent(fromDay, toDay, settings.maxCases)).filter((e) => known.has(e.category) && e.text.trim());
  const corpus = settings.corpus.filter((e) => known.has(e.category));
  // The corpus is curated: every n-gram of it counts. History only contributes n-grams several callers used.
  const model = CategoryModel.train([...corpus, ...history], { minDocumentFrequency: history.length ? settings.minDocumentFrequency : 1 });
  const serialised = model.serialise();
  const version = at.toISOString();
  await ports.store.save(serialised, version);
  return { version, corpus: corpus.length, cases: history.length, features: serialised.features.length };
}

export interface SuggestionAnswer {
  suggestions: CategorySuggestion[];
  /** `model`: the trained classifier; `keywords`: the SOP keywords, before there is a model. */
  source: 'model' | 'keywords';
  /** The model's version (its training instant). */
  modelVersion?: string;
}

/** Loads the current model once per `ttlMs` (a warm container keeps it; the nightly run replaces it). */
export class CachedCategoryModel {
  private cached?: { at: number; value?: { model: CategoryModel; version: string } };
  constructor(
    private readonly store: Pick<CategoryModelStore, 'current'>,
    private readonly ttlMs = 15 * 60_000,
  ) {}

  async get(): Promise<{ model: CategoryModel; version: string } | undefined> {
    const now = clockNow().getTime();
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.value;
    const stored = await this.store.current();
    this.cached = { at: now, value: stored ? { model: CategoryModel.deserialise(stored.model), version: stored.version } : undefined };
    return this.cached.value;
  }
}

/**
 * The top three categories for what the caller said.
 * Steps: 1. the current SOPs (only they are suggested); 2. the model when there is one, else the SOP keywords;
 * 3. the top three with their confidence (0..1).
 */
export async function suggestCategory(ports: { model: Pick<CachedCategoryModel, 'get'>; sops: () => Promise<KeywordSop[]> }, text: string): Promise<SuggestionAnswer> {
  const [loaded, sops] = await Promise.all([ports.model.get(), ports.sops()]);
  const suggestions = suggestCategories(text, sops, loaded?.model, 3).map((s) => ({ category: s.category, confidence: Math.round(s.confidence * 1000) / 1000 }));
  return loaded ? { suggestions, source: 'model', modelVersion: loaded.version } : { suggestions, source: 'keywords' };
}
