import { describe, expect, it } from 'vitest';
import { findPersonalData } from './pii-detector';

describe('the personal-data detector', () => {
  it.each([
    ['0912-345-678'],
    ['0912345678'],
    ['0912 345 678'],
    ['+886 912 345 678'],
    ['+886912345678'],
    ['00886-912-345-678'],
    ['03-425-1234'],
    ['(03)4251234'],
    ['02-2720-8889'],
    ['02-2720-8889#123'],
    ['+886-3-4251234'],
    ['"phone":"0912345678"'],
    ['回電 0912345678 謝謝'],
  ])('finds the phone number in %s', (text) => {
    expect(findPersonalData(text).map((f) => f.kind)).toContain('phone');
  });

  it.each([['wang@example.org'], ['wang.da-ming+1999@mail.taoyuan.gov.tw'], ['"to":"a.b@example.org"']])('finds the e-mail address in %s', (text) => {
    expect(findPersonalData(text).map((f) => f.kind)).toEqual(['email']);
  });

  it.each([
    ['case number', '20261127-00042'],
    ['ISO time', '2026-11-27T01:00:00.000Z'],
    ['epoch ms', '1764291600000'],
    ['ARN', 'arn:aws:states:ap-northeast-1:123456789012:execution:case-lifecycle:20261127-00042'],
    ['UUID', '6f1c2a8e-3b4d-4c5e-8f90-1a2b3c4d5e6f'],
    ['masked phone', '0912-***-678'],
    ['masked landline', '03-***-234'],
    ['masked e-mail', 'w***@example.org'],
    ['logger masks', 'call [phone] or [email]'],
    ['keyed hash', 'PHONE#9f2c0a1b3d4e5f60718293a4b5c6d7e8f9012345678901234567890abcdef12'],
    ['a duration', 'took 0.912345678 s'],
  ])('does not flag a %s (%s)', (_what, text) => {
    expect(findPersonalData(text)).toEqual([]);
  });
});
