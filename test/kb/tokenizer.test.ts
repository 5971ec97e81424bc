import { describe, expect, it } from 'vitest';
import { createChineseTokenizer, type KbLexicon } from '../../functions/kb/tokenizer';

const lexicon: KbLexicon = {
  variants: { 臺: '台', 车: '車' },
  mistypings: { 台風: '颱風', 托吊: '拖吊', 排水講: '排水溝', 水講: '水溝' },
  synonyms: [
    ['停班停課', '颱風假', '停課'],
    ['拖吊', '被拖', '車子不見'],
  ],
  fillerPhrases: ['請問', '怎麼'],
  particles: ['的', '嗎'],
  stopCharacters: ['我', '要'],
};
const tk = createChineseTokenizer(lexicon);

describe('Chinese tokenizer', () => {
  it('cuts a run of Chinese into overlapping bigrams and keeps Latin words whole', () => {
    expect(tk.bigrams('路燈不亮')).toEqual(['路燈', '燈不', '不亮']);
    expect(tk.bigrams('YouBike 還車')).toEqual(['youbike', '還車']);
  });

  it('gives unigrams without stop characters', () => {
    expect(tk.unigrams('我要蛇')).toEqual(['蛇']);
  });

  it('folds full-width, upper case, variant and simplified characters to one form', () => {
    expect(tk.normalize('ＣＯＶＩＤ臺北停车')).toBe('covid台北停車');
  });

  it('corrects a common mistyping before cutting, longest entry first', () => {
    expect(tk.bigrams('托吊')).toEqual(['拖吊']);
    expect(tk.normalize('排水講')).toBe('排水溝');
    // 臺風 folds to 台風, which is the mistyping of 颱風.
    expect(tk.normalize('臺風')).toBe('颱風');
  });

  it('lets two members of a synonym group meet on the first member', () => {
    const asked = new Set(tk.queryTerms('明天放颱風假'));
    const written = new Set(tk.bigrams('停班停課公告'));
    expect([...asked].filter((t) => written.has(t))).toEqual(expect.arrayContaining(['停班', '班停', '停課']));
    expect(tk.normalize('車子不見了')).toContain('拖吊');
  });

  it('drops filler phrases and splits at particles, so they make no terms', () => {
    expect(tk.bigrams('請問垃圾車的時間嗎')).toEqual(['垃圾', '圾車', '時間']);
  });

  it('gives a query both kinds of terms, once each', () => {
    expect(tk.queryTerms('狗狗')).toEqual(['狗狗', '狗']);
  });

  it('folds character by character without changing positions', () => {
    const text = '臺北ＡＢ車站';
    expect(tk.foldSameLength(text)).toBe('台北ab車站');
    expect(tk.foldSameLength(text)).toHaveLength(text.length);
  });
});
