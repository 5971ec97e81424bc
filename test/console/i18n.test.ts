import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, EVENT_TYPES, CHANNELS, NOTIFY_PREFERENCES } from '../../functions/domain/case';
import { ROLES } from '../../functions/domain/actor';
import { DICTIONARIES, interpolate, isMessageKey, placeholders, translate } from '../../console/src/i18n';
import { en } from '../../console/src/i18n/en';
import { zhTW } from '../../console/src/i18n/zh-TW';
import { SCREENS } from '../../console/src/logic/navigation';

describe('console dictionaries', () => {
  it('zh-TW and English have exactly the same keys', () => {
    const zhKeys = Object.keys(zhTW).sort();
    const enKeys = Object.keys(en).sort();

    expect(enKeys.filter((k) => !zhKeys.includes(k))).toEqual([]);
    expect(zhKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
  });

  it('every string uses the same {placeholders} in both languages', () => {
    const mismatched = Object.keys(zhTW).filter((k) => placeholders(zhTW[k as keyof typeof zhTW]).join() !== placeholders(en[k as keyof typeof en]).join());

    expect(mismatched).toEqual([]);
  });

  it('no string is empty', () => {
    for (const dict of Object.values(DICTIONARIES)) expect(Object.entries(dict).filter(([, v]) => !v.trim())).toEqual([]);
  });

  it('every status, event type, channel, notify preference, role and screen the console names has a string', () => {
    const needed = [
      ...CASE_STATUSES.map((s) => `status.${s}`),
      ...EVENT_TYPES.map((e) => `event.${e}`),
      ...CHANNELS.map((c) => `channel.${c}`),
      ...NOTIFY_PREFERENCES.map((n) => `notify.${n}`),
      ...ROLES.map((r) => `role.${r}`),
      ...SCREENS.map((s) => `nav.${s}`),
    ];

    expect(needed.filter((k) => !isMessageKey(k))).toEqual([]);
  });

  it('zh-TW strings are written in Chinese, not left in English', () => {
    const sameAsEnglish = Object.keys(zhTW).filter((k) => {
      const zh = zhTW[k as keyof typeof zhTW];
      return zh === en[k as keyof typeof en] && /[a-z]{4,}/i.test(zh) && !/^(LINE|Open311|CityDesk|\{)/.test(zh);
    });

    expect(sameAsEnglish).toEqual([]);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('zh-TW', 'case.title', { caseNo: '20261127-00042' })).toBe('案件 20261127-00042');
    expect(translate('en', 'countdown.left', { time: '2h 5m' })).toBe('2h 5m left');
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
