import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config/load';
import { ConfigError } from '../../functions/domain/errors';
import { CORPUS_FILE, parseCategoryCorpus, shippedCorpus } from '../../functions/insight/category-corpus';
import { evaluateClassifier, heldOutSplit } from '../../functions/insight/classifier-evaluation';

const categories = loadConfig().sops.map((s) => s.category);

describe('the shipped corpus of caller utterances', () => {
  it('has at least 40 distinct utterances for every SOP category', () => {
    const corpus = shippedCorpus(loadConfig().sops.map((s) => s.category));
    expect(new Set(corpus.map((c) => c.text)).size).toBe(corpus.length);
    for (const category of categories) expect(corpus.filter((c) => c.category === category).length, category).toBeGreaterThanOrEqual(40);
  });

  it('rejects a label that is not a SOP category, naming the utterance', () => {
    const data = { language: 'zh-TW', about: 'x', utterances: [{ category: 'noise', text: '好吵' }, { category: 'noise', text: '又吵', also: ['ufo'] }] };
    let error: unknown;
    try {
      parseCategoryCorpus(data, categories);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).file).toBe(CORPUS_FILE);
    expect((error as ConfigError).problems).toEqual([{ path: 'utterances.1', message: expect.stringContaining('"ufo" is not a SOP category') }]);
  });
});

describe('held-out split', () => {
  const examples = Array.from({ length: 50 }, (_, i) => ({ category: i % 2 ? 'a' : 'b', text: `text ${i}` }));

  it('holds out a fifth of each category, disjoint from the training part', () => {
    const { train, heldOut } = heldOutSplit(examples);
    expect(heldOut.filter((e) => e.category === 'a')).toHaveLength(5);
    expect(heldOut.filter((e) => e.category === 'b')).toHaveLength(5);
    expect(train).toHaveLength(40);
    const trained = new Set(train.map((e) => e.text));
    expect(heldOut.some((e) => trained.has(e.text))).toBe(false);
  });

  it('is the same for the same texts in any order', () => {
    const texts = (s: { heldOut: { text: string }[] }) => s.heldOut.map((e) => e.text).sort();
    expect(texts(heldOutSplit([...examples].reverse()))).toEqual(texts(heldOutSplit(examples)));
  });
});

describe('classifier accuracy on the shipped corpus', () => {
  it('puts the right category first for most held-out utterances and in the top three for nearly all, far above the keywords', () => {
    const result = evaluateClassifier(shippedCorpus(loadConfig().sops.map((s) => s.category)), loadConfig().sops);
    expect(result.heldOut).toBeGreaterThanOrEqual(categories.length * 8);
    expect(result.model.top1).toBeGreaterThanOrEqual(0.85);
    expect(result.model.top3).toBeGreaterThanOrEqual(0.95);
    expect(result.model.top1).toBeGreaterThan(result.keywords.top1 + 0.2);
    const wrong = result.confusions.reduce((n, c) => n + c.count, 0);
    expect(wrong).toBe(Math.round((1 - result.model.top1) * result.heldOut));
  });

  // A child process running tsx: seconds alone, much longer on a machine busy with other test files.
  it('npm run classifier:eval prints top-1 and top-3 accuracy and the confusions', { timeout: 180_000 }, async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'bench/classifier-eval.ts'], { timeout: 170_000 });
    expect(stdout).toMatch(/classifier\s+\d+\.\d%\s+\d+\.\d%/);
    expect(stdout).toMatch(/SOP keywords only\s+\d+\.\d%\s+\d+\.\d%/);
    expect(stdout).toMatch(/confusions \(expected -> suggested first|no confusions/);
  });
});
