/** The field-by-field difference between two SOP versions, shown before saving an edit and in the version history. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config/load';
import { sopSchema, type Sop } from '../../functions/config/schema';
import { diffSops, QUESTION_ORDER_PATH } from '../../functions/domain/sop-diff';

const pothole = (): Sop => structuredClone(loadConfig().sops.find((s) => s.category === 'pothole')!);

describe('diffSops', () => {
  it('an unchanged SOP has no changes, and version bookkeeping is never one', () => {
    const before = { ...pothole(), version: 1, updatedBy: 'config', origin: 'config', contentHash: 'a' };
    const after = { ...pothole(), version: 2, updatedBy: 'sup-1', origin: 'console', reason: 'why', contentHash: 'b' };

    expect(diffSops(before, after)).toEqual([]);
  });

  it('lists each changed leaf with its old and new value: deadlines, flags, keywords, overrides', () => {
    const before = pothole();
    const after = { ...pothole(), resolveWithin: { ...before.resolveWithin, amount: 9 }, notifyCitizen: false, keywords: ['坑洞'], districtOverrides: { ...before.districtOverrides, zhongli: 'DIST' } };

    expect(diffSops(before, after)).toEqual(
      expect.arrayContaining([
        { path: 'resolveWithin.amount', before: before.resolveWithin.amount, after: 9 },
        { path: 'notifyCitizen', before: true, after: false },
        { path: 'keywords', before: before.keywords.join(', '), after: '坑洞' },
        { path: 'districtOverrides.zhongli', after: 'DIST' },
      ]),
    );
    expect(diffSops(before, after)).toHaveLength(4);
  });

  it('new guidance is an addition with no old value; removing it lists the old value', () => {
    const withGuidance = { ...pothole(), guidance: { zh: '請問坑洞多大？', en: 'Ask how big the hole is.' } };

    expect(diffSops(pothole(), withGuidance)).toEqual([
      { path: 'guidance.zh', after: '請問坑洞多大？' },
      { path: 'guidance.en', after: 'Ask how big the hole is.' },
    ]);
    expect(diffSops(withGuidance, pothole())).toEqual([
      { path: 'guidance.zh', before: '請問坑洞多大？' },
      { path: 'guidance.en', before: 'Ask how big the hole is.' },
    ]);
  });

  it('questions are matched by code: a new one lists its fields, a retired one its flag, a relabelled one its label', () => {
    const before = pothole();
    const [size, dangerous] = before.attributes;
    const after = {
      ...pothole(),
      attributes: [
        { ...size, description: { ...size.description, zh: '坑洞大小（公分）' } },
        { ...dangerous, retired: true },
        { code: 'depth', datatype: 'number' as const, required: false, description: { zh: '深度', en: 'Depth' }, order: 3 },
      ],
    };

    expect(diffSops(before, after)).toEqual([
      { path: 'attributes[size].description.zh', before: size.description.zh, after: '坑洞大小（公分）' },
      { path: 'attributes[dangerous].retired', after: true },
      { path: 'attributes[depth].datatype', after: 'number' },
      { path: 'attributes[depth].required', after: false },
      { path: 'attributes[depth].description.zh', after: '深度' },
      { path: 'attributes[depth].description.en', after: 'Depth' },
    ]);
  });

  it('moving a question is one change of the order, not a change of every question', () => {
    const before = pothole();
    const swapped = { ...pothole(), attributes: [...pothole().attributes].reverse().map((a, i) => ({ ...a, order: i + 1 })) };

    expect(diffSops(before, swapped)).toEqual([{ path: QUESTION_ORDER_PATH, before: 'size, dangerous', after: 'dangerous, size' }]);
  });

  it('list values of a question are compared one by one', () => {
    const before = pothole();
    const after = pothole();
    after.attributes[0].values![0].name.en = 'Tiny';

    expect(diffSops(before, after)).toEqual([{ path: 'attributes[size].values[0].name.en', before: before.attributes[0].values![0].name.en, after: 'Tiny' }]);
  });

  it('against no earlier version, everything is an addition', () => {
    const changes = diffSops(undefined, pothole());

    expect(changes.length).toBeGreaterThan(5);
    expect(changes.every((c) => c.before === undefined && c.after !== undefined)).toBe(true);
  });
});

describe('sopSchema guidance and retired questions', () => {
  it('guidance needs Chinese, English is optional, both trimmed and bounded', () => {
    const zhOnly = sopSchema.safeParse({ ...pothole(), guidance: { zh: '  先確認地址  ' } });
    const noZh = sopSchema.safeParse({ ...pothole(), guidance: { en: 'English only' } });
    const tooLong = sopSchema.safeParse({ ...pothole(), guidance: { zh: '字'.repeat(2001) } });

    expect(zhOnly.success && zhOnly.data.guidance).toEqual({ zh: '先確認地址' });
    expect(noZh.error?.issues.map((i) => i.path.join('.'))).toEqual(['guidance.zh']);
    expect(tooLong.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['guidance.zh', 'must be at most 2000 characters']]);
  });

  it('a retired question keeps its code: a new question cannot reuse it', () => {
    const sop = pothole();
    const reused = sopSchema.safeParse({ ...sop, attributes: [{ ...sop.attributes[0], retired: true }, { ...sop.attributes[0], order: 5 }] });

    expect(reused.error?.issues.map((i) => i.path.join('.'))).toEqual(['attributes.1.code']);
  });
});
