import { describe, expect, it } from 'vitest';
import { CategoryModel, keywordSuggestions, normaliseText, suggestCategories, textFeatures, type LabelledText } from '../../functions/domain/category-classifier';

const toy: LabelledText[] = [
  { category: 'street-light', text: '路燈不亮' },
  { category: 'street-light', text: '巷口的路燈壞了' },
  { category: 'street-light', text: '燈一直閃' },
  { category: 'street-light', text: '路燈白天也亮著' },
  { category: 'noise', text: '工地很吵' },
  { category: 'noise', text: '隔壁唱歌好吵' },
  { category: 'noise', text: '半夜施工噪音' },
  { category: 'noise', text: '樓上很吵睡不著' },
  { category: 'litter', text: '路邊很多垃圾' },
  { category: 'litter', text: '有人亂丟垃圾' },
  { category: 'litter', text: '垃圾沒人收很臭' },
  { category: 'litter', text: '空地被倒廢棄物' },
];

describe('text features', () => {
  it('normalises full-width letters and digits, case and the two spellings of 台', () => {
    expect(normaliseText('ＡＢＣ１２３臺灣')).toBe('abc123台灣');
  });

  it('gives the character unigrams and bigrams of each Chinese run without crossing punctuation', () => {
    expect(textFeatures('路燈，不亮').sort()).toEqual(['不', '不亮', '亮', '燈', '路', '路燈'].sort());
  });

  it('keeps Latin words whole and turns any number into one token', () => {
    expect(textFeatures('5005 bus 151').sort()).toEqual(['<num>', 'w:bus']);
  });
});

describe('category model', () => {
  it('suggests the category whose words a new description shares, most likely first', () => {
    const model = CategoryModel.train(toy);
    const [first, second, third] = model.suggest('我家前面路燈壞掉');
    expect(first.category).toBe('street-light');
    expect(first.confidence).toBeGreaterThan(second.confidence);
    expect(second.confidence).toBeGreaterThanOrEqual(third.confidence);
    expect(model.suggest('晚上工地還在施工好吵')[0].category).toBe('noise');
  });

  it('returns three suggestions whose confidences are probabilities', () => {
    const suggestions = CategoryModel.train(toy).suggest('垃圾');
    expect(suggestions).toHaveLength(3);
    for (const s of suggestions) expect(s.confidence).toBeGreaterThan(0);
    expect(suggestions.reduce((sum, s) => sum + s.confidence, 0)).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('trains the same model from the same examples (the shuffle is seeded)', () => {
    expect(CategoryModel.train(toy).serialise()).toEqual(CategoryModel.train(toy).serialise());
  });

  it('suggests only the allowed categories, their probabilities renormalised', () => {
    const model = CategoryModel.train(toy);
    const suggestions = model.suggest('路燈不亮', 3, new Set(['noise', 'litter']));
    expect(suggestions.map((s) => s.category).sort()).toEqual(['litter', 'noise']);
    expect(suggestions[0].confidence + suggestions[1].confidence).toBeCloseTo(1, 9);
  });

  it('refuses to train on a single category', () => {
    expect(() => CategoryModel.train(toy.filter((t) => t.category === 'noise'))).toThrow(RangeError);
  });

  it('survives a round trip through JSON with the same suggestions', () => {
    const model = CategoryModel.train(toy);
    const restored = CategoryModel.deserialise(JSON.parse(JSON.stringify(model.serialise())) as ReturnType<typeof model.serialise>);
    for (const text of ['路燈不亮', '好吵', '亂丟垃圾', '無關的句子']) {
      const a = model.suggest(text);
      const b = restored.suggest(text);
      expect(b.map((s) => s.category)).toEqual(a.map((s) => s.category));
      b.forEach((s, i) => expect(s.confidence).toBeCloseTo(a[i].confidence, 3));
    }
  });

  it('rejects a stored model of another format or with weights that do not fit its features', () => {
    const stored = CategoryModel.train(toy).serialise();
    expect(() => CategoryModel.deserialise({ ...stored, format: 'other' as never })).toThrow(/format/);
    expect(() => CategoryModel.deserialise({ ...stored, features: stored.features.slice(1) })).toThrow(/weights for/);
    expect(() => CategoryModel.deserialise({ ...stored, bias: [0] })).toThrow(/bias/);
  });
});

describe('SOP keyword suggestions (before there is history)', () => {
  const sops = [
    { category: 'street-light', keywords: ['路燈', '路燈不亮'] },
    { category: 'traffic-signal', keywords: ['紅綠燈', '號誌'] },
    { category: 'noise', keywords: ['噪音', '吵'] },
  ];

  it('ranks by the length of the keywords found and gives each its share as confidence', () => {
    const suggestions = keywordSuggestions('路燈不亮，旁邊紅綠燈也壞了', sops);
    expect(suggestions.map((s) => s.category)).toEqual(['street-light', 'traffic-signal']);
    expect(suggestions[0].confidence).toBeCloseTo(6 / 9, 9);
    expect(suggestions[1].confidence).toBeCloseTo(3 / 9, 9);
  });

  it('suggests nothing when no keyword occurs', () => {
    expect(keywordSuggestions('我想問一件事', sops)).toEqual([]);
  });

  it('is what suggestCategories answers without a model; with one it answers the model restricted to the SOPs', () => {
    expect(suggestCategories('很吵', sops)).toEqual(keywordSuggestions('很吵', sops));
    const model = CategoryModel.train(toy);
    const suggestions = suggestCategories('路邊垃圾', sops, model);
    expect(suggestions.every((s) => sops.some((sop) => sop.category === s.category))).toBe(true);
  });
});
