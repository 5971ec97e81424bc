/**
 * Turns short colloquial Chinese (what a caller says, as an agent types it) into search terms. Callers do not
 * speak in the articles' words, and Chinese has no spaces, so a word tokenizer finds nothing:
 *   1. fold: NFKC (full-width letters and digits), lower case, variant and simplified characters to one form;
 *   2. correct common mistypings (phonetic-input homophones: 台風 -> 颱風, 托吊 -> 拖吊);
 *   3. expand synonyms: a text that says any member of a group also says the group's first member, so
 *      "颱風假" and "停班停課" meet on the same terms whichever side says which;
 *   4. drop filler phrases (請問, 怎麼) and split at particles (的, 嗎), which only add noise to short queries;
 *   5. split into runs of Chinese characters and of Latin letters/digits; a Chinese run gives its character
 *      bigrams (the precise terms) and its unigrams (recall for one-character words, minus stop characters);
 *      a Latin run is one term.
 * The lexicon is data (config/kb-lexicon.json); this module is pure.
 */
import * as z from 'zod';

export const kbLexiconSchema = z.object({
  /** One character -> its folded form (臺 -> 台, simplified -> traditional). */
  variants: z.record(z.string().length(1), z.string().length(1)),
  /** A common mistyping -> the intended word. */
  mistypings: z.record(z.string().min(2), z.string().min(1)),
  /** Groups of words that mean the same to a caller; the first member is the one every member adds. */
  synonyms: z.array(z.array(z.string().min(1)).min(2)),
  fillerPhrases: z.array(z.string().min(2)),
  /** Sentence particles: treated as separators. */
  particles: z.array(z.string().length(1)),
  /** Characters too common to be a unigram term (they still count inside bigrams). */
  stopCharacters: z.array(z.string().length(1)),
});
export type KbLexicon = z.infer<typeof kbLexiconSchema>;

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
const RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:[-.][a-z0-9]+)*/gu;

/**
 * Finds words of a table in a text in one left-to-right pass, longest word first at each position (a first-
 * character index instead of one regex of hundreds of alternatives, which V8 tries one by one at every position).
 */
class PhraseTable {
  private readonly byFirst = new Map<string, string[]>();
  constructor(words: Iterable<string>) {
    for (const w of new Set(words)) {
      if (!w) continue;
      const list = this.byFirst.get(w[0]) ?? [];
      list.push(w);
      this.byFirst.set(w[0], list);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.length - a.length);
  }
  /** Replaces every found word with `replace(word)`; other text is kept. */
  replace(text: string, replace: (word: string) => string): string {
    if (!this.byFirst.size) return text;
    let out = '';
    for (let i = 0; i < text.length; ) {
      const word = this.byFirst.get(text[i])?.find((w) => text.startsWith(w, i));
      if (word) {
        out += replace(word);
        i += word.length;
      } else out += text[i++];
    }
    return out;
  }
}

export interface ChineseTokenizer {
  /** Step 1 alone, one UTF-16 unit at a time: positions in the result are positions in the input. */
  foldSameLength(text: string): string;
  /** Steps 1-4: the text as the terms are cut from it (exposed for snippets and tests). */
  normalize(text: string): string;
  /** Bigram terms (and whole Latin words, and one-character runs). */
  bigrams(text: string): string[];
  /** Unigram terms without stop characters (and whole Latin words). */
  unigrams(text: string): string[];
  /** Both, for a query: each query term meets the field that holds its kind. */
  queryTerms(text: string): string[];
}

export function createChineseTokenizer(lexicon: KbLexicon): ChineseTokenizer {
  const variants = new Map(Object.entries(lexicon.variants));
  const particles = new Set(lexicon.particles);
  /** One character folded: NFKC and lower case (a no-op for unified ideographs, so skipped), then its variant. */
  const foldChar = (c: string): string => {
    const n = c >= '\u4e00' && c <= '\u9fff' ? c : c.normalize('NFKC').toLowerCase();
    return variants.get(n) ?? n;
  };
  const fold = (s: string): string => {
    let out = '';
    for (const c of s.normalize('NFKC').toLowerCase()) out += variants.get(c) ?? c;
    return out;
  };
  // Lexicon entries are folded too, so a table written with 臺 still matches text folded to 台.
  const mistypings = new Map(Object.entries(lexicon.mistypings).map(([k, v]) => [fold(k), fold(v)]));
  const mistypingTable = new PhraseTable(mistypings.keys());
  const canonicalOf = new Map<string, string>();
  for (const group of lexicon.synonyms) {
    const words = group.map(fold);
    for (const w of words) if (!canonicalOf.has(w)) canonicalOf.set(w, words[0]);
  }
  const synonymTable = new PhraseTable(canonicalOf.keys());
  const fillerTable = new PhraseTable(lexicon.fillerPhrases.map(fold));
  const stop = new Set(lexicon.stopCharacters.map(fold));

  function normalize(text: string): string {
    let s = mistypingTable.replace(fold(text), (w) => mistypings.get(w) ?? w);
    const added = new Set<string>();
    synonymTable.replace(s, (w) => {
      const canonical = canonicalOf.get(w);
      if (canonical && canonical !== w) added.add(canonical);
      return w;
    });
    if (added.size) s = `${s} ${[...added].join(' ')}`;
    s = fillerTable.replace(s, () => ' ');
    let out = '';
    for (const c of s) out += particles.has(c) ? ' ' : c;
    return out;
  }

  function runs(text: string): string[] {
    return normalize(text).match(RUN) ?? [];
  }

  function bigramsOfRun(run: string): string[] {
    if (!CJK.test(run[0])) return [run];
    const chars = [...run];
    if (chars.length === 1) return stop.has(run) ? [] : [run];
    const out: string[] = [];
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    return out;
  }

  function unigramsOfRun(run: string): string[] {
    if (!CJK.test(run[0])) return [run];
    return [...run].filter((c) => !stop.has(c));
  }

  return {
    foldSameLength: (text) => {
      let out = '';
      for (let i = 0; i < text.length; i++) {
        const f = foldChar(text[i]);
        out += f.length === 1 ? f : text[i];
      }
      return out;
    },
    normalize,
    bigrams: (text) => runs(text).flatMap(bigramsOfRun),
    unigrams: (text) => runs(text).flatMap(unigramsOfRun),
    queryTerms: (text) => {
      const rs = runs(text);
      return [...new Set([...rs.flatMap(bigramsOfRun), ...rs.flatMap(unigramsOfRun)])];
    },
  };
}
