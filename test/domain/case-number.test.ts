import { describe, expect, it } from 'vitest';
import { CASE_NO_PATTERN, formatCaseNo, isCaseNo, parseCaseNo, taipeiDate, taipeiDay } from '../../functions/domain/case-number';

describe('case numbers', () => {
  it('are YYYYMMDD-NNNNN with a zero-padded daily sequence', () => {
    expect(formatCaseNo('20261127', 42)).toBe('20261127-00042');
    expect(formatCaseNo('20261127', 99_999)).toBe('20261127-99999');
    expect(CASE_NO_PATTERN.test('20261127-00042')).toBe(true);
  });

  it('past 99999 in a day is an error, not a sixth digit', () => {
    expect(() => formatCaseNo('20261127', 100_000)).toThrow(RangeError);
    expect(() => formatCaseNo('20261127', 0)).toThrow(RangeError);
    expect(() => formatCaseNo('20261127', 1.5)).toThrow(RangeError);
  });

  it('need a real yyyymmdd day', () => {
    expect(() => formatCaseNo('2026-11-27', 1)).toThrow(RangeError);
    expect(() => formatCaseNo('20260230', 1)).toThrow(RangeError);
  });

  it('take the Taipei day: 15:59:59Z is still the 27th, 16:00Z is already the 28th', () => {
    expect(taipeiDay(new Date('2026-11-27T15:59:59.999Z'))).toBe('20261127');
    expect(taipeiDay(new Date('2026-11-27T16:00:00.000Z'))).toBe('20261128');
    expect(taipeiDate(new Date('2026-11-27T16:00:00.000Z'))).toBe('2026-11-28');
  });

  it('roll over the year at Taipei midnight', () => {
    expect(formatCaseNo(taipeiDay(new Date('2026-12-31T16:00:00Z')), 1)).toBe('20270101-00001');
  });

  it('parse back into day and sequence; anything else is not a case number', () => {
    expect(parseCaseNo('20261127-00042')).toEqual({ day: '20261127', seq: 42 });
    for (const bad of ['20261127-0042', '20261127-000042', '2026112-00042', '20261327-00001', '20260230-00001', '20261127-00000', ' 20261127-00001', 'CASE#20261127-00001']) {
      expect(parseCaseNo(bad), bad).toBeUndefined();
      expect(isCaseNo(bad), bad).toBe(false);
    }
  });
});
