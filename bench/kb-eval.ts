/**
 * `npm run kb:eval`: hit@1 and hit@3 of the knowledge-base search on the held-out caller phrasings
 * (test/kb/caller-phrasings.json), over the published articles of config/kb-articles.json. Also prints the
 * same search with the plain tokenizer (no synonyms, mistypings or fillers) as the baseline the lexicon is
 * measured against. `--misses` lists the phrasings whose article is not in the first three.
 */
import { parseArgs } from 'node:util';
import { buildArticleIndex } from '../functions/kb/search-index';
import { createChineseTokenizer } from '../functions/kb/tokenizer';
import { loadKbLexicon, loadKbSeed } from '../functions/kb/seed';
import { loadConfig } from '../functions/config/load';
import { loadCallerPhrasings, measureSearchQuality } from './kb-quality';

const { values } = parseArgs({ options: { misses: { type: 'boolean', default: false } } });
const today = new Date().toISOString().slice(0, 10);
const published = loadKbSeed(loadConfig()).filter((a) => a.status === 'published');
const phrasings = loadCallerPhrasings();
const lexicon = loadKbLexicon();

const runs = [
  { name: 'bigrams + unigrams + lexicon', tokenizer: createChineseTokenizer(lexicon) },
  {
    name: 'bigrams + unigrams, no lexicon (baseline)',
    tokenizer: createChineseTokenizer({ variants: {}, mistypings: {}, synonyms: [], fillerPhrases: [], particles: [], stopCharacters: [] }),
  },
];

console.log(`knowledge base: ${published.length} published articles, ${Object.values(phrasings).flat().length} held-out caller phrasings`);
console.log('tokenizer                                   hit@1    hit@3');
for (const run of runs) {
  const report = measureSearchQuality(buildArticleIndex(published, run.tokenizer), phrasings, today);
  console.log(`${run.name.padEnd(42)}  ${(report.hitAt1 * 100).toFixed(1).padStart(5)}%  ${(report.hitAt3 * 100).toFixed(1).padStart(5)}%`);
  if (values.misses && run === runs[0]) for (const m of report.misses) console.log(`  miss  ${m.article}  "${m.phrasing}"  -> ${m.got.join(', ') || '(nothing)'}`);
}
