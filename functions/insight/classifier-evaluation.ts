/**
 * How well the category classifier does on texts it has not seen: a deterministic held-out split (per category,
 * the texts whose FNV-1a hash sorts lowest; adding an utterance moves no other one between the sides), top-1 and
 * top-3 accuracy, the confusions, and the SOP-keyword fallback measured on the same texts for comparison.
 */
import { CategoryModel, keywordSuggestions, type KeywordSop, type LabelledText, type TrainingOptions } from '../domain/category-classifier';

/** 32-bit FNV-1a over the UTF-16 code units: stable across runs and platforms. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export interface Split {
  train: LabelledText[];
  heldOut: LabelledText[];
}

/** Holds out `share` of each category (at least one text of a category with two or more). */
export function heldOutSplit(examples: readonly LabelledText[], share = 0.2): Split {
  if (!(share > 0 && share < 1)) throw new RangeError(`share must be between 0 and 1, got ${share}`);
  const byCategory = new Map<string, LabelledText[]>();
  for (const e of examples) byCategory.set(e.category, [...(byCategory.get(e.category) ?? []), e]);
  const train: LabelledText[] = [];
  const heldOut: LabelledText[] = [];
  for (const [, texts] of [...byCategory.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ranked = [...texts].sort((a, b) => fnv1a(a.text) - fnv1a(b.text) || (a.text < b.text ? -1 : 1));
    const n = texts.length < 2 ? 0 : Math.max(1, Math.round(texts.length * share));
    heldOut.push(...ranked.slice(0, n));
    train.push(...ranked.slice(n));
  }
  return { train, heldOut };
}

export interface Confusion {
  expected: string;
  predicted: string;
  count: number;
}

export interface Accuracy {
  top1: number;
  top3: number;
}

export interface Evaluation {
  trained: number;
  heldOut: number;
  features: number;
  model: Accuracy;
  /** The SOP-keyword fallback on the same held-out texts (a text with no keyword counts as wrong). */
  keywords: Accuracy;
  /** Held-out texts whose top suggestion was another category, most frequent pair first. */
  confusions: Confusion[];
}

function accuracy(texts: readonly LabelledText[], rank: (text: string) => string[]): Accuracy {
  let top1 = 0;
  let top3 = 0;
  for (const t of texts) {
    const ranked = rank(t.text);
    if (ranked[0] === t.category) top1++;
    if (ranked.slice(0, 3).includes(t.category)) top3++;
  }
  return { top1: top1 / texts.length, top3: top3 / texts.length };
}

export function evaluateClassifier(examples: readonly LabelledText[], sops: readonly KeywordSop[], options: TrainingOptions = {}, share = 0.2): Evaluation {
  const { train, heldOut } = heldOutSplit(examples, share);
  if (heldOut.length === 0) throw new RangeError('Nothing to hold out: every category needs at least two texts');
  const model = CategoryModel.train(train, options);
  const confusions = new Map<string, Confusion>();
  for (const t of heldOut) {
    const [top] = model.suggest(t.text, 1);
    if (top.category === t.category) continue;
    const key = `${t.category}\u0000${top.category}`;
    const c = confusions.get(key) ?? { expected: t.category, predicted: top.category, count: 0 };
    c.count++;
    confusions.set(key, c);
  }
  return {
    trained: train.length,
    heldOut: heldOut.length,
    features: model.featureCount,
    model: accuracy(heldOut, (text) => model.suggest(text, 3).map((s) => s.category)),
    keywords: accuracy(heldOut, (text) => keywordSuggestions(text, sops, 3).map((s) => s.category)),
    confusions: [...confusions.values()].sort((a, b) => b.count - a.count || (a.expected + a.predicted < b.expected + b.predicted ? -1 : 1)),
  };
}
