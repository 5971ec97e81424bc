/**
 * Contact details in free text bound for publication (Open311, machine clients): every way a citizen types a
 * phone number or an e-mail address is masked, and text without one is left as it is. One table of leak forms.
 */
import { describe, expect, it } from 'vitest';
import { EMAIL_MASK_TEXT, maskContactDetails, PHONE_MASK_TEXT } from '../../functions/privacy/contact-details';

const P = PHONE_MASK_TEXT;
const E = EMAIL_MASK_TEXT;

describe('leak forms: each one is masked', () => {
  it.each([
    // Taiwanese mobiles and landlines, as written on forms
    ['0912-345-678', P],
    ['0912345678', P],
    ['0912 345 678', P],
    ['+886 912 345 678', P],
    ['+886-912-345-678', P],
    ['(03)425-1234', P],
    ['03-4251234', P],
    ['02-2720-8889', P],
    // glued to a label, dotted, full-width, spaced out
    ['TEL0912345678', `TEL${P}`],
    ['電話0912-345-678', `電話${P}`],
    ['手機:0912345678', `手機:${P}`],
    ['0912.345.678', P],
    ['０９１２３４５６７８', P],
    ['０９１２－３４５－６７８', P],
    ['0 9 1 2 3 4 5 6 7 8', P],
    ['09 12 34 56 78', P],
    ['(０３)４２５-１２３４', P],
    // international numbers (Open311 clients abroad)
    ['+44 1632 960123', P],
    ['+44 20 7946 0958', P],
    ['+1 (415) 555-0132', P],
    ['+81 3-1234-5678', P],
    // e-mail addresses and their common disguises
    ['wang@example.org', E],
    ['wang.da-ming+1999@mail.example.org.tw', E],
    ['wang＠example.org', E],
    ['ｗａｎｇ＠ｅｘａｍｐｌｅ．ｏｒｇ', E],
    ['wang(at)example.org', E],
    ['wang [at] example [dot] org', E],
    ['wang (at) example (dot) org', E],
    ['wang{at}example.org', E],
    ['wang AT example DOT org', E],
    ['wang 小老鼠 example.org', E],
    ['王大明@例子.台灣', E],
  ])('%s', (leak, masked) => {
    expect(maskContactDetails(leak)).toBe(masked);
    expect(maskContactDetails(`請聯絡 ${leak} 謝謝`)).toBe(`請聯絡 ${masked} 謝謝`);
  });

  it('the address an Open311 client sent in the issue comes out without its phone and e-mail', () => {
    expect(maskContactDetails('中壢區 王大明家門口 電話0912-345-678 wang@example.org')).toBe(`中壢區 王大明家門口 電話${P} ${E}`);
  });
});

describe('text without contact details is left alone', () => {
  it.each([
    ['中山路100號前，2 個坑洞，約 30 公分'],
    ['案件 20261127-00042 已合併'],
    ['2026-11-27T09:00:00+08:00 路燈不亮'],
    ['中正路 1 段 123 巷 45 弄 6 號 7 樓'],
    ['桃園市中壢區中大路300號'],
    ['約 1500 公尺長的水溝'],
    ['meet at the station'],
    ['坑洞 3 處，寬 50 公分，深 10 公分'],
  ])('%s', (text) => {
    expect(maskContactDetails(text)).toBe(text);
  });
});
