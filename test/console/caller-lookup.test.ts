/** When the intake form looks the caller up: only for a whole number, in the digits the API keys by. */
import { describe, expect, it } from 'vitest';
import { callerLookupNumber } from '../../console/src/logic/intake';

describe('the caller look-up number', () => {
  it('takes a whole mobile or landline number however it is written', () => {
    expect(callerLookupNumber('0912-345-678')).toBe('0912345678');
    expect(callerLookupNumber('+886 912 345 678')).toBe('0912345678');
    expect(callerLookupNumber('(03) 425-1234')).toBe('034251234');
    expect(callerLookupNumber('02-2720-8889')).toBe('0227208889');
  });

  it('asks nothing while the number is partial or not a number', () => {
    expect(callerLookupNumber('0912-345')).toBeUndefined();
    expect(callerLookupNumber('')).toBeUndefined();
    expect(callerLookupNumber('call me')).toBeUndefined();
    expect(callerLookupNumber('0912-345-6789')).toBeUndefined();
  });
});
