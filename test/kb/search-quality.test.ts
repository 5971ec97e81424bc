/**
 * Search quality on the held-out caller phrasings (the figures `npm run kb:eval` prints). The floors sit a little
 * under today's figures, so a change that makes callers' words find the wrong article fails here; the lexicon
 * must keep earning its place against the plain tokenizer.
 */
import { describe, expect, it } from 'vitest';
import { buildArticleIndex } from '../../functions/kb/search-index';
import { createChineseTokenizer } from '../../functions/kb/tokenizer';
import { loadKbLexicon, loadKbSeed } from '../../functions/kb/seed';
import { loadConfig } from '../../functions/config/load';
import { loadCallerPhrasings, measureSearchQuality } from '../../bench/kb-quality';

const TODAY = '2026-12-02';
const published = loadKbSeed(loadConfig()).filter((a) => a.status === 'published');
const phrasings = loadCallerPhrasings();

describe('search quality on held-out caller phrasings', () => {
  const withLexicon = measureSearchQuality(buildArticleIndex(published, createChineseTokenizer(loadKbLexicon())), phrasings, TODAY);
  const plain = measureSearchQuality(
    buildArticleIndex(published, createChineseTokenizer({ variants: {}, mistypings: {}, synonyms: [], fillerPhrases: [], particles: [], stopCharacters: [] })),
    phrasings,
    TODAY,
  );

  it('puts the caller’s article first for three in four phrasings and in the first three for nine in ten', () => {
    expect(withLexicon.phrasings).toBeGreaterThanOrEqual(180);
    expect(withLexicon.hitAt1).toBeGreaterThanOrEqual(0.75);
    expect(withLexicon.hitAt3).toBeGreaterThanOrEqual(0.9);
  });

  it('does better with the synonym and mistyping lexicon than without', () => {
    expect(withLexicon.hitAt1).toBeGreaterThan(plain.hitAt1 + 0.05);
    expect(withLexicon.hitAt3).toBeGreaterThan(plain.hitAt3);
  });
});
