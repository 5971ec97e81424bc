/**
 * `npm run classifier:eval`: trains the category classifier on the shipped corpus less a held-out fifth and
 * prints top-1/top-3 accuracy on that fifth, the SOP-keyword fallback's on the same texts, and the confusions.
 */
import { loadConfig } from '../functions/config/load';
import { shippedCorpus } from '../functions/insight/category-corpus';
import { evaluateClassifier } from '../functions/insight/classifier-evaluation';

const percent = (v: number): string => `${(v * 100).toFixed(1)}%`;
const corpus = shippedCorpus(loadConfig().sops.map((s) => s.category));
const started = performance.now();
const result = evaluateClassifier(corpus, loadConfig().sops);
const seconds = ((performance.now() - started) / 1000).toFixed(2);

console.log(`corpus: ${corpus.length} utterances, ${new Set(corpus.map((c) => c.category)).size} categories (config/category-corpus.json)`);
console.log(`split: ${result.trained} trained, ${result.heldOut} held out (per category, lowest FNV-1a hash of the text)`);
console.log(`model: character 1-2-grams, softmax regression, ${result.features} features, trained and evaluated in ${seconds} s`);
console.log('');
console.log(`                      top-1    top-3`);
console.log(`classifier          ${percent(result.model.top1).padStart(7)}  ${percent(result.model.top3).padStart(7)}`);
console.log(`SOP keywords only   ${percent(result.keywords.top1).padStart(7)}  ${percent(result.keywords.top3).padStart(7)}`);
console.log('');
console.log(result.confusions.length ? 'confusions (expected -> suggested first, held-out texts):' : 'no confusions on the held-out texts');
for (const c of result.confusions) console.log(`  ${c.expected} -> ${c.predicted}: ${c.count}`);
