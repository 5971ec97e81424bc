import { describe, expect, it } from 'vitest';
import { buildArticleIndex, type SearchableArticle } from '../../functions/kb/search-index';
import { createChineseTokenizer } from '../../functions/kb/tokenizer';
import { loadKbLexicon } from '../../functions/kb/seed';

const tk = createChineseTokenizer(loadKbLexicon());
const TODAY = '2026-12-02';

function article(id: string, over: Partial<SearchableArticle>): SearchableArticle {
  return {
    id,
    version: 1,
    title: { zh: id },
    questions: ['問題'],
    answer: { zh: '答案。' },
    department: 'RDEC',
    categories: [],
    tags: [],
    reviewBy: '2027-06-30',
    ...over,
  };
}

const typhoon = article('typhoon-day-off', {
  title: { zh: '颱風天停班停課怎麼查' },
  questions: ['明天要不要上班上課', '停班停課什麼時候宣布'],
  answer: { zh: '停班停課由市長依中央氣象署的颱風預報決定，原則上在前一天晚上 8 點前宣布，並公布在人事行政總處網頁。' },
  reviewBy: '2026-11-30',
});
const towing = article('towed-vehicle', {
  title: { zh: '車子被拖吊了怎麼領回' },
  questions: ['車子被拖吊要去哪裡領', '拖吊費多少錢'],
  answer: { zh: '領車請帶行照、駕照與車鑰匙到保管場，繳拖吊費與保管費後領回。' },
  department: 'POL',
  categories: ['illegal-parking'],
});
const parkingReport = article('illegal-parking-report', {
  title: { zh: '檢舉違規停車' },
  questions: ['有車擋住我家車庫', '違規停車要怎麼檢舉'],
  answer: { zh: '請告訴我地點與車號，轄區警察會到場處理或拖吊。' },
  department: 'POL',
  categories: ['illegal-parking'],
});
const parkingFee = article('roadside-parking-fee', {
  title: { zh: '路邊停車費怎麼繳' },
  questions: ['停車單要去哪裡繳', '停車費可以用手機繳嗎'],
  answer: { zh: '停車繳費單可在四大超商、停車繳費 App 或繳費網站繳納。' + '逾期未繳會寄發催繳通知。'.repeat(8) + '遺失繳費單可用車號查詢補繳。' },
  department: 'TRAN',
});
const index = buildArticleIndex([typhoon, towing, parkingReport, parkingFee], tk);

describe('article search', () => {
  it('finds the article from a caller’s words that are in no article (synonym, mistyping)', () => {
    expect(index.search('明天有沒有放台風假', { today: TODAY })[0].id).toBe('typhoon-day-off');
    expect(index.search('我的車不見了是不是被托吊', { today: TODAY })[0].id).toBe('towed-vehicle');
  });

  it('ranks the intake category’s articles higher when a category is chosen', () => {
    const query = '停車 拖吊';
    const plain = index.search(query, { today: TODAY }).map((h) => h.id);
    const boosted = index.search(query, { today: TODAY, category: 'illegal-parking' }).map((h) => h.id);
    expect(plain.slice(0, 3)).toEqual(['towed-vehicle', 'roadside-parking-fee', 'illegal-parking-report']);
    expect(boosted.slice(0, 3)).toEqual(['towed-vehicle', 'illegal-parking-report', 'roadside-parking-fee']);
  });

  it('returns at most the asked number of hits and nothing for words no article has', () => {
    expect(index.search('停車', { today: TODAY, limit: 2 })).toHaveLength(2);
    expect(index.search('鋼琴', { today: TODAY })).toEqual([]);
  });

  it('flags an article past its review-by date', () => {
    const [hit] = index.search('停班停課', { today: TODAY });
    expect(hit).toMatchObject({ id: 'typhoon-day-off', reviewBy: '2026-11-30', pastReview: true });
    expect(index.search('拖吊', { today: TODAY })[0].pastReview).toBe(false);
  });

  it('marks the matched words in the title and in a snippet cut around them', () => {
    const [hit] = index.search('遺失繳費單', { today: TODAY });
    expect(hit.id).toBe('roadside-parking-fee');
    const marked = hit.snippet.highlights.map(([a, b]) => hit.snippet.text.slice(a, b));
    expect(marked).toContain('遺失繳費單');
    expect(hit.snippet).toMatchObject({ cutStart: true, cutEnd: false });
    expect(hit.snippet.text.length).toBeLessThanOrEqual(80);
    expect(hit.titleHighlights.map(([a, b]) => hit.title.zh.slice(a, b))).toEqual([]);
    const [fee] = index.search('停車費', { today: TODAY });
    expect(fee.titleHighlights.map(([a, b]) => fee.title.zh.slice(a, b))).toEqual(['停車費']);
  });
});
