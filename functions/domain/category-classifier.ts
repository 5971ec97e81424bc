/**
 * Category suggestion from the caller's words: a multinomial logistic regression over character n-grams.
 *
 * Why this model: 1999 descriptions are short, colloquial Chinese without spaces, often with typos (路橙 for 路燈)
 * and several problems in one call. Character n-grams need no word segmenter and survive a wrong character;
 * logistic regression gives probabilities an agent can read as a confidence (naive Bayes would give 0.9999 to
 * almost everything), trains in seconds on a city's history and serialises as plain numbers.
 *
 * - Features: the text is normalised (NFKC, lower case, 臺 -> 台), cut at punctuation and spaces into runs;
 *   Chinese runs give their 1- and 2-character n-grams, Latin words count whole, digit runs become one `<num>`
 *   token (a bus or pole number says nothing about the category). Presence counts, not frequency.
 * - Training: softmax regression with L2, stochastic gradient with AdaGrad steps, a fixed number of epochs over a
 *   seeded shuffle: the same examples always give the same model.
 * - Before there is any history, the SOP keywords rank the categories (`keywordSuggestions`).
 *
 * Pure: no I/O; the caller stores and loads the serialised model.
 */
import { seededRandom } from './seeded-random';

export interface LabelledText {
  text: string;
  category: string;
}

export interface CategorySuggestion {
  category: string;
  /** 0..1: the model's probability, or the keyword score's share when suggested from SOP keywords. */
  confidence: number;
}

export interface TrainingOptions {
  /** Longest character n-gram (default 2). */
  maxNgram?: number;
  /** A feature must occur in at least this many training texts (default 1: typos are signal too). */
  minDocumentFrequency?: number;
  /** Keep at most this many features, the most frequent first (default 50,000: bounds the model's size). */
  maxFeatures?: number;
  epochs?: number;
  learningRate?: number;
  /** L2 penalty per example and step. */
  l2?: number;
  /** Seed of the deterministic shuffle. */
  seed?: number;
}

/**
 * The stored form: JSON, versioned so a loader can refuse a model it does not understand. Weights are 16-bit
 * integers times `weightScale`, base64 (little-endian): a quarter of the size of JSON numbers (a model of the shipped
 * corpus serialises to about 200 KB).
 */
export interface SerialisedCategoryModel {
  format: 'citydesk.category-model.v1';
  maxNgram: number;
  categories: string[];
  /** Feature strings; feature i owns the weights i * categories.length .. + categories.length - 1. */
  features: string[];
  weights: string;
  weightScale: number;
  bias: number[];
  trainedOn: number;
}

const DEFAULTS: Required<TrainingOptions> = {
  // Bigrams beat trigrams in 5-fold cross-validation on the training part of the shipped corpus.
  maxNgram: 2,
  minDocumentFrequency: 1,
  maxFeatures: 50_000,
  epochs: 30,
  learningRate: 0.5,
  l2: 1e-4,
  seed: 1999,
};

const HAN = /\p{Script=Han}/u;
/** Runs of Han characters, or of Latin letters, or of digits; everything else separates runs. */
const RUN = /\p{Script=Han}+|[a-z]+|[0-9]+/gu;

/** The normalised form every comparison uses: full-width to half-width, lower case, one spelling of 台. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/臺/g, '台');
}

/** The distinct features of one text. */
export function textFeatures(text: string, maxNgram = DEFAULTS.maxNgram): string[] {
  const features = new Set<string>();
  for (const run of normaliseText(text).match(RUN) ?? []) {
    if (/^[0-9]/.test(run)) {
      features.add('<num>');
    } else if (!HAN.test(run)) {
      features.add(`w:${run}`);
    } else {
      const chars = Array.from(run);
      for (let n = 1; n <= maxNgram; n++) {
        for (let i = 0; i + n <= chars.length; i++) features.add(chars.slice(i, i + n).join(''));
      }
    }
  }
  return [...features];
}


function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    scores[k] = Math.exp(scores[k] - max);
    sum += scores[k];
  }
  for (let k = 0; k < scores.length; k++) scores[k] /= sum;
}

export class CategoryModel {
  private readonly index: Map<string, number>;

  private constructor(
    readonly categories: readonly string[],
    private readonly features: readonly string[],
    private readonly weights: Float64Array,
    private readonly bias: Float64Array,
    readonly maxNgram: number,
    readonly trainedOn: number,
  ) {
    this.index = new Map(features.map((f, i) => [f, i]));
  }

  get featureCount(): number {
    return this.features.length;
  }

  /** Trains on the examples; throws a RangeError when fewer than two categories are present. */
  static train(examples: readonly LabelledText[], options: TrainingOptions = {}): CategoryModel {
    const o = { ...DEFAULTS, ...options };
    const categories = [...new Set(examples.map((e) => e.category))].sort();
    if (categories.length < 2) throw new RangeError('Training needs examples of at least two categories');
    const K = categories.length;
    const classOf = new Map(categories.map((c, k) => [c, k]));

    const documents = examples.map((e) => textFeatures(e.text, o.maxNgram));
    const df = new Map<string, number>();
    for (const doc of documents) for (const f of doc) df.set(f, (df.get(f) ?? 0) + 1);
    const kept = [...df.entries()]
      .filter(([, n]) => n >= o.minDocumentFrequency)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, o.maxFeatures)
      .map(([f]) => f);
    const index = new Map(kept.map((f, i) => [f, i]));
    const rows = documents.map((doc) => doc.map((f) => index.get(f)).filter((i): i is number => i !== undefined));
    const labels = examples.map((e) => classOf.get(e.category) as number);

    const W = new Float64Array(kept.length * K);
    const b = new Float64Array(K);
    // AdaGrad accumulators: rare features (a typo seen once) keep a larger step than common ones.
    const GW = new Float64Array(kept.length * K).fill(1e-8);
    const Gb = new Float64Array(K).fill(1e-8);
    const random = seededRandom(o.seed);
    const order = rows.map((_, i) => i);
    const p = new Float64Array(K);

    for (let epoch = 0; epoch < o.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const d of order) {
        const row = rows[d];
        // Presence features, scaled so long and short descriptions weigh alike.
        const x = row.length ? 1 / Math.sqrt(row.length) : 0;
        for (let k = 0; k < K; k++) p[k] = b[k];
        for (const f of row) for (let k = 0; k < K; k++) p[k] += W[f * K + k] * x;
        softmaxInPlace(p);
        for (let k = 0; k < K; k++) {
          const g = p[k] - (labels[d] === k ? 1 : 0);
          Gb[k] += g * g;
          b[k] -= (o.learningRate * g) / Math.sqrt(Gb[k]);
          for (const f of row) {
            const w = f * K + k;
            const gw = g * x + o.l2 * W[w];
            GW[w] += gw * gw;
            W[w] -= (o.learningRate * gw) / Math.sqrt(GW[w]);
          }
        }
      }
    }
    return new CategoryModel(categories, kept, W, b, o.maxNgram, examples.length);
  }

  /** Every known category with its probability, most likely first. */
  probabilities(text: string): CategorySuggestion[] {
    const K = this.categories.length;
    const row = textFeatures(text, this.maxNgram)
      .map((f) => this.index.get(f))
      .filter((i): i is number => i !== undefined);
    const x = row.length ? 1 / Math.sqrt(row.length) : 0;
    const p = Float64Array.from(this.bias);
    for (const f of row) for (let k = 0; k < K; k++) p[k] += this.weights[f * K + k] * x;
    softmaxInPlace(p);
    return this.categories
      .map((category, k) => ({ category, confidence: p[k] }))
      .sort((a, c) => c.confidence - a.confidence || (a.category < c.category ? -1 : 1));
  }

  /**
   * The `limit` most likely categories among `allowed` (a retired SOP is never suggested), with the
   * probabilities renormalised over the allowed ones.
   */
  suggest(text: string, limit = 3, allowed?: ReadonlySet<string>): CategorySuggestion[] {
    const all = this.probabilities(text).filter((s) => !allowed || allowed.has(s.category));
    const total = all.reduce((sum, s) => sum + s.confidence, 0);
    return all.slice(0, limit).map((s) => ({ category: s.category, confidence: total > 0 ? s.confidence / total : 0 }));
  }

  /** Features whose weights all quantise to 0 are dropped. */
  serialise(): SerialisedCategoryModel {
    const K = this.categories.length;
    let largest = 0;
    for (const w of this.weights) largest = Math.max(largest, Math.abs(w));
    const weightScale = largest > 0 ? largest / 32767 : 1;
    const features: string[] = [];
    const quantised: number[] = [];
    this.features.forEach((f, i) => {
      const q = Array.from(this.weights.subarray(i * K, i * K + K), (w) => Math.round(w / weightScale));
      if (q.every((v) => v === 0)) return;
      features.push(f);
      quantised.push(...q);
    });
    const bytes = new Int16Array(quantised);
    return {
      format: 'citydesk.category-model.v1',
      maxNgram: this.maxNgram,
      categories: [...this.categories],
      features,
      weights: Buffer.from(littleEndian(bytes)).toString('base64'),
      weightScale,
      bias: Array.from(this.bias),
      trainedOn: this.trainedOn,
    };
  }

  /** Rebuilds a stored model; throws a RangeError naming what is wrong with a damaged or foreign one. */
  static deserialise(stored: SerialisedCategoryModel): CategoryModel {
    if (stored?.format !== 'citydesk.category-model.v1') throw new RangeError(`Unknown category model format ${JSON.stringify(stored?.format)}`);
    const K = stored.categories.length;
    if (K < 2) throw new RangeError('A category model needs at least two categories');
    if (stored.bias.length !== K) throw new RangeError(`Category model bias has ${stored.bias.length} values for ${K} categories`);
    if (!(stored.weightScale > 0)) throw new RangeError('Category model weightScale must be positive');
    const raw = Buffer.from(stored.weights, 'base64');
    if (raw.length !== stored.features.length * K * 2) {
      throw new RangeError(`Category model has ${raw.length / 2} weights for ${stored.features.length} features x ${K} categories`);
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const weights = new Float64Array(raw.length / 2);
    for (let i = 0; i < weights.length; i++) weights[i] = view.getInt16(i * 2, true) * stored.weightScale;
    return new CategoryModel(stored.categories, stored.features, weights, Float64Array.from(stored.bias), stored.maxNgram, stored.trainedOn);
  }
}

/** The bytes of 16-bit integers in little-endian order, whatever the machine's order. */
function littleEndian(values: Int16Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setInt16(i * 2, v, true));
  return out;
}

export interface KeywordSop {
  category: string;
  keywords: readonly string[];
}

/**
 * Suggestions from the SOP keywords alone, for a city without history: each keyword found in the text scores
 * its length in characters (a longer keyword is more specific: 路燈不亮 over 路燈); confidence is a category's
 * share of all scores. No keyword found, no suggestion.
 */
export function keywordSuggestions(text: string, sops: readonly KeywordSop[], limit = 3): CategorySuggestion[] {
  const normalised = normaliseText(text);
  const scored = sops
    .map((sop) => ({
      category: sop.category,
      score: sop.keywords.reduce((sum, k) => {
        const keyword = normaliseText(k);
        return keyword && normalised.includes(keyword) ? sum + Array.from(keyword).length : sum;
      }, 0),
    }))
    .filter((s) => s.score > 0);
  const total = scored.reduce((sum, s) => sum + s.score, 0);
  return scored
    .sort((a, b) => b.score - a.score || (a.category < b.category ? -1 : 1))
    .slice(0, limit)
    .map((s) => ({ category: s.category, confidence: s.score / total }));
}

/** The model's suggestions when there is a model, else the keywords'. Only the given SOPs are suggested. */
export function suggestCategories(text: string, sops: readonly KeywordSop[], model?: CategoryModel, limit = 3): CategorySuggestion[] {
  if (!model) return keywordSuggestions(text, sops, limit);
  return model.suggest(text, limit, new Set(sops.map((s) => s.category)));
}
