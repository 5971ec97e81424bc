/**
 * Category search for intake: the agent types what the caller says, in Chinese, English or a keyword
 * ("路燈", "pothole", "狗"), and the best SOPs come first. Every word typed must match somewhere.
 */
export interface SearchableSop {
  category: string;
  name: { zh: string; en: string };
  group?: { zh: string; en: string };
  description?: { zh: string; en: string };
  keywords: string[];
}

const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** How well one typed word matches a SOP; 0 = not at all. */
function termScore(sop: SearchableSop, term: string): number {
  const names = [sop.name.zh, sop.name.en, sop.category].map(norm);
  const keywords = sop.keywords.map(norm);
  if (names.some((n) => n === term)) return 100;
  if (keywords.some((k) => k === term)) return 90;
  if (names.some((n) => n.startsWith(term))) return 80;
  if (keywords.some((k) => k.startsWith(term))) return 70;
  if (names.some((n) => n.includes(term))) return 60;
  if (keywords.some((k) => k.includes(term))) return 50;
  if (sop.group && [sop.group.zh, sop.group.en].map(norm).some((g) => g.includes(term))) return 30;
  if (sop.description && [sop.description.zh, sop.description.en].map(norm).some((d) => d.includes(term))) return 20;
  // A Chinese phrase typed without spaces: every character in the name or a keyword still counts a little.
  if (/[\u3400-\u9fff]/.test(term) && term.length > 1) {
    const hay = [sop.name.zh, ...sop.keywords].join('');
    if ([...term].every((ch) => hay.includes(ch))) return 10;
  }
  return 0;
}

/** SOPs matching every typed word, best first (ties keep the catalogue order). An empty query lists all. */
export function searchCategories<S extends SearchableSop>(sops: readonly S[], query: string): S[] {
  const q = norm(query);
  if (!q) return [...sops];
  // A whole-phrase match ("street light") beats word-by-word matches; otherwise every word must match.
  const terms = q.split(' ');
  const scored = sops
    .map((sop, index) => {
      const phrase = termScore(sop, q);
      const words = terms.map((term) => termScore(sop, term));
      const all = words.every((s) => s > 0);
      const score = Math.max(phrase * 2, all ? words.reduce((a, b) => a + b, 0) : 0);
      return { sop, index, score };
    })
    .filter((x) => x.score > 0);
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.map((x) => x.sop);
}
