import { describe, expect, it } from 'vitest';
import { loadConfig, shippedDistrictBoundaries } from '../../functions/config/load';
import { escapeXml, listDocument, objectDocument, renderJson, renderXml, splitFormat } from '../../functions/open311/document';
import { districtNamedIn, locate as locateIn, placesOf } from '../../functions/open311/locate';
import { UNPLACED_DISTRICT } from '../../functions/domain/sop';

const PLACES = placesOf(loadConfig(), shippedDistrictBoundaries());
const locate = (input: Parameters<typeof locateIn>[0]) => locateIn(input, PLACES);
const namedIn = (address: string) => districtNamedIn(address, PLACES);

/** A point well inside each district's polygon in config/district-boundaries.json (25 km² grid search, off every border). */
const INTERIOR: Record<string, { lat: number; lng: number }> = {
  taoyuan: { lat: 25.0066, lng: 121.304 },
  zhongli: { lat: 24.9789, lng: 121.2316 },
  pingzhen: { lat: 24.9159, lng: 121.2115 },
  bade: { lat: 24.9456, lng: 121.2887 },
  yangmei: { lat: 24.9149, lng: 121.138 },
  luzhu: { lat: 25.0717, lng: 121.2948 },
  daxi: { lat: 24.8652, lng: 121.303 },
  longtan: { lat: 24.854, lng: 121.2118 },
  guishan: { lat: 25.0293, lng: 121.3609 },
  dayuan: { lat: 25.0638, lng: 121.207 },
  guanyin: { lat: 25.0361, lng: 121.124 },
  xinwu: { lat: 24.9775, lng: 121.0469 },
  fuxing: { lat: 24.7355, lng: 121.3676 },
};
import { maskContactDetails, open311Status, serviceDefinitionOf, serviceOf, w3cTaipei } from '../../functions/open311/mapping';
import { attributeAnswers } from '../../functions/open311/file-request';
import { CASE_STATUSES } from '../../functions/domain/case';
import { parseXml } from './support/harness';

describe('locating a report', () => {
  it('a point inside a district is placed there by its boundary (one interior point per district)', () => {
    const placed = Object.fromEntries(Object.entries(INTERIOR).map(([code, p]) => [code, locate({ lat: String(p.lat), long: String(p.lng) }).district]));
    expect(placed).toEqual(Object.fromEntries(Object.keys(INTERIOR).map((c) => [c, c])));
    expect(Object.keys(INTERIOR).sort()).toEqual(loadConfig().districts.districts.map((d) => d.code).sort());
  });

  it('an address that names no district, and no coordinates: accepted, unplaced, for the dispatch desk', () => {
    expect(locate({ address_string: '中山路100號' })).toEqual({ district: UNPLACED_DISTRICT, address: '中山路100號' });
  });

  it('a named district is read in Chinese or English, and the city name is not taken for the Taoyuan district', () => {
    expect(namedIn('桃園市中壢區中山路100號')).toBe('zhongli');
    expect(namedIn('No. 100, Zhongshan Rd., Zhongli District, Taoyuan City')).toBe('zhongli');
    expect(namedIn('桃園市桃園區縣府路1號')).toBe('taoyuan');
    expect(namedIn('Taoyuan City')).toBeUndefined();
  });

  it('coordinates alone give an address a person can read', () => {
    expect(locate({ lat: '24.9653', long: '121.2246' })).toEqual({ district: 'zhongli', address: '中壢區（24.96530, 121.22460）', lat: 24.9653, lng: 121.2246 });
  });
});

describe('service definitions', () => {
  it('a retired question is not offered to Open311 clients; the others are numbered 1..n in their order', () => {
    const sop = loadConfig().sops.find((s) => s.category === 'street-light')!;
    const edited = { ...sop, version: 2, attributes: sop.attributes.map((a) => (a.code === 'poleNumber' ? { ...a, retired: true } : a)) };
    const allRetired = { ...edited, attributes: edited.attributes.map((a) => ({ ...a, retired: true })) };

    const definition = serviceDefinitionOf(edited) as { attributes: Array<{ code: string; order: number }> };

    expect(definition.attributes.map((a) => [a.code, a.order])).toEqual([['lightState', 1]]);
    expect(serviceOf(allRetired).metadata).toBe(false);
  });
});

describe('statuses', () => {
  it('every case status is open or closed; resolved counts as closed for the citizen', () => {
    expect(CASE_STATUSES.map((s) => [s, open311Status(s)])).toEqual([
      ['NEW', 'open'],
      ['ASSIGNED', 'open'],
      ['ACKNOWLEDGED', 'open'],
      ['RESOLVED', 'closed'],
      ['CLOSED', 'closed'],
      ['RETURNED', 'open'],
      ['REOPENED', 'open'],
      ['CANCELLED', 'closed'],
      ['MERGED', 'closed'],
    ]);
  });

  it('times are W3C date-times at Taipei\'s offset', () => {
    expect(w3cTaipei('2026-11-26T16:30:00.000Z')).toBe('2026-11-27T00:30:00+08:00');
    expect(w3cTaipei(undefined)).toBeNull();
  });
});

describe('published free text', () => {
  it('phone numbers and e-mail addresses are masked however they are typed', () => {
    const text = '請回電 0912-345-678、0912345678、+886 912 345 678、(03)425-1234 或 03-4251234，信箱 a.b@example.org.tw';

    expect(maskContactDetails(text)).toBe('請回電 ***、***、***、*** 或 ***，信箱 ***@***');
    expect(maskContactDetails('中山路100號前，2 個坑洞，約 30 公分')).toBe('中山路100號前，2 個坑洞，約 30 公分');
  });
});

describe('documents', () => {
  it('XML escapes markup and drops characters XML cannot carry; JSON is a top-level array', () => {
    const doc = listDocument('services', 'service', [{ service_code: 'a&b', description: '<b>"x"</b>\u0007', metadata: true, group: null }]);

    const xml = renderXml(doc);
    expect(xml).toContain('<service_code>a&amp;b</service_code>');
    expect(xml).toContain('<group/>');
    expect(parseXml(xml)).toMatchObject({ services: { service: [{ service_code: 'a&b', description: '<b>"x"</b>', metadata: 'true' }] } });
    expect(JSON.parse(renderJson(doc))).toEqual([{ service_code: 'a&b', description: '<b>"x"</b>\u0007', metadata: true, group: null }]);
    expect(escapeXml("it's")).toBe('it&apos;s');
  });

  it('an object document is an object in JSON, wrappers become arrays', () => {
    const doc = objectDocument('service_definition', { service_code: 'x', attributes: [{ code: 'a', values: [{ key: 'k', name: 'n' }] }] });

    expect(JSON.parse(renderJson(doc))).toEqual({ service_code: 'x', attributes: [{ code: 'a', values: [{ key: 'k', name: 'n' }] }] });
    expect(renderXml(doc)).toContain('<attributes>\n    <attribute>\n      <code>a</code>\n      <values>\n        <value>');
  });

  it('the format is the extension of the last segment', () => {
    expect(splitFormat('requests.json')).toEqual({ name: 'requests', format: 'json' });
    expect(splitFormat('20261127-00042.xml')).toEqual({ name: '20261127-00042', format: 'xml' });
    expect(splitFormat('requests')).toBeUndefined();
    expect(splitFormat('requests.csv')).toBeUndefined();
  });

  it('attribute[code] and attribute[code][] become answers by code', () => {
    const form = new URLSearchParams('attribute[size]=large&attribute[kinds][]=a&attribute[kinds][]=b&attribute%5Bone%5D%5B%5D=c&other=x');

    expect(attributeAnswers(form)).toEqual({ size: 'large', kinds: ['a', 'b'], one: ['c'] });
  });
});
