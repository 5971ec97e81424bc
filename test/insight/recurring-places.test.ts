import { describe, expect, it } from 'vitest';
import { distanceMeters, findRecurringPlaces, normaliseAddress, type PlaceReport } from '../../functions/domain/recurring-places';

let seq = 0;
const report = (over: Partial<PlaceReport>): PlaceReport => ({
  caseNo: `20261101-${String(++seq).padStart(5, '0')}`,
  category: 'street-light',
  district: 'bade',
  address: '介壽路一段100號',
  createdAt: '2026-11-01T02:00:00.000Z',
  ...over,
});
const now = new Date('2026-11-20T00:00:00Z');

describe('address normalisation', () => {
  it('gives one spelling to the ways callers and agents write the same address', () => {
    const forms = ['桃園市八德區介壽路一段100號前', '介壽路1段 100號', '介壽路一段１００號附近', '臺灣省桃園縣介壽路一段100號對面'];
    const keys = forms.map((a) => normaliseAddress(a.replace('八德區', ''), 'bade'));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe('bade|介壽路1段100號');
  });

  it('writes Chinese numerals as digits and 之 house numbers one way', () => {
    expect(normaliseAddress('中正路三百二十五巷十二弄5號之1')).toBe('|中正路325巷12弄5-1號');
    expect(normaliseAddress('中正路5之1號')).toBe('|中正路5-1號');
  });

  it('keeps the district, so the same street name in two districts is two places', () => {
    expect(normaliseAddress('中正路1號', 'zhongli')).not.toBe(normaliseAddress('中正路1號', 'taoyuan'));
  });
});

describe('recurring places', () => {
  it('flags a place reported three times in 30 days in one category, open or closed', () => {
    const reports = [
      report({ createdAt: '2026-10-25T01:00:00Z' }),
      report({ address: '介壽路1段100號前', createdAt: '2026-11-05T01:00:00Z' }),
      report({ address: '桃園市介壽路一段100號', createdAt: '2026-11-18T01:00:00Z' }),
    ];
    const [place, ...others] = findRecurringPlaces(reports, now);
    expect(others).toEqual([]);
    expect(place).toMatchObject({ category: 'street-light', district: 'bade', placeKey: 'bade|介壽路1段100號', address: '桃園市介壽路一段100號' });
    expect(place.caseNos).toEqual(reports.map((r) => r.caseNo));
    expect(place.firstReportedAt).toBe('2026-10-25T01:00:00Z');
  });

  it('does not count reports older than the period, nor another category at the same place', () => {
    const reports = [
      report({ createdAt: '2026-10-15T01:00:00Z' }),
      report({ createdAt: '2026-11-05T01:00:00Z' }),
      report({ category: 'pothole', createdAt: '2026-11-06T01:00:00Z' }),
      report({ createdAt: '2026-11-18T01:00:00Z' }),
    ];
    expect(findRecurringPlaces(reports, now)).toEqual([]);
    expect(findRecurringPlaces(reports, now, { times: 3, days: 40, distanceMeters: 30 })).toHaveLength(1);
  });

  it('counts reports with coordinates within the distance as one place, even under different addresses', () => {
    const drain = { category: 'blocked-drain', lat: 24.9531, lng: 121.2921 };
    const reports = [
      report({ ...drain, address: '興豐路200號' }),
      // About 11 m north, written from the other side of the road.
      report({ ...drain, lat: 24.9532, address: '興豐路201號對面', createdAt: '2026-11-08T01:00:00Z' }),
      report({ ...drain, lng: 121.29215, address: '興豐路與建國路口', createdAt: '2026-11-15T01:00:00Z' }),
      // About 110 m away: another drain.
      report({ ...drain, lat: 24.9541, address: '興豐路260號', createdAt: '2026-11-16T01:00:00Z' }),
    ];
    const places = findRecurringPlaces(reports, now);
    expect(places).toHaveLength(1);
    expect(places[0].caseNos).toEqual(reports.slice(0, 3).map((r) => r.caseNo));
    expect(findRecurringPlaces(reports, now, { times: 3, days: 30, distanceMeters: 5 })).toEqual([]);
  });

  it('groups around the first report instead of chaining neighbours into one long place', () => {
    // Lights 20 m apart along a street: each within 30 m of the next, but the fourth is 60 m from the first.
    const reports = [0, 1, 2, 3].map((i) => report({ address: `興豐路${100 + i * 10}號`, lat: 24.95 + i * 0.00018, lng: 121.29, createdAt: `2026-11-1${i}T01:00:00Z` }));
    expect(distanceMeters(reports[0] as { lat: number; lng: number }, reports[1] as { lat: number; lng: number })).toBeLessThan(30);
    const places = findRecurringPlaces(reports, now, { times: 3, days: 30, distanceMeters: 30 });
    expect(places).toEqual([]);
    expect(findRecurringPlaces(reports, now, { times: 2, days: 30, distanceMeters: 30 }).map((p) => p.caseNos.length)).toEqual([2, 2]);
  });

  it('rejects a rule that cannot mean anything', () => {
    expect(() => findRecurringPlaces([], now, { times: 1, days: 30, distanceMeters: 30 })).toThrow(/times/);
    expect(() => findRecurringPlaces([], now, { times: 3, days: 0, distanceMeters: 30 })).toThrow(/days/);
  });
});
