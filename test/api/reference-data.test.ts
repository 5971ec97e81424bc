import { describe, expect, it } from 'vitest';
import { referenceData, useReferenceData } from '../../functions/api/reference-data';
import { listCasesQuery } from '../../functions/api/schemas';

describe('reference data for the request schemas', () => {
  it('the schemas check district codes against the installed codes, not a config file of their own', () => {
    const restore = useReferenceData({ districtCodes: ['north'], categories: ['street-light'] });
    try {
      expect(listCasesQuery.safeParse({ district: 'north' }).success).toBe(true);
      const zhongli = listCasesQuery.safeParse({ district: 'zhongli' });
      expect(zhongli.success).toBe(false);
      expect(zhongli.error?.issues[0]?.message).toBe('must be a district code: north');
    } finally {
      restore();
    }
  });

  it('restoring puts back the codes installed before (those of the shipped config, from test/setup.ts)', () => {
    const restore = useReferenceData({ districtCodes: ['x'], categories: [] });
    expect(referenceData().districtCodes).toEqual(['x']);
    restore();
    expect(referenceData().districtCodes).toContain('zhongli');
  });

  it('installed as a provider, the codes are read when a schema first checks one, and once', () => {
    let reads = 0;
    const restore = useReferenceData(() => {
      reads++;
      return { districtCodes: ['north'], categories: [] };
    });
    try {
      expect(reads).toBe(0);
      expect(listCasesQuery.safeParse({ district: 'north' }).success).toBe(true);
      expect(listCasesQuery.safeParse({ district: 'zhongli' }).success).toBe(false);
      expect(reads).toBe(1);
    } finally {
      restore();
    }
  });
});
