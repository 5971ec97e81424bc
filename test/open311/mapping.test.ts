import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config/load';
import { escapeXml, listDocument, objectDocument, renderJson, renderXml, splitFormat } from '../../functions/open311/document';
import { DISTRICT_CENTRES, districtNamedIn, locate, nearestDistrict } from '../../functions/open311/locate';
import { maskContactDetails, open311Status, w3cTaipei } from '../../functions/open311/mapping';
import { attributeAnswers } from '../../functions/open311/file-request';
import { CASE_STATUSES } from '../../functions/domain/case';
import { parseXml } from './support/harness';

describe('locating a report', () => {
  it('every configured district has a centre, and each centre is nearest to itself', () => {
    for (const d of loadConfig().districts.districts) {
      expect(DISTRICT_CENTRES[d.code], d.code).toBeDefined();
      expect(nearestDistrict(DISTRICT_CENTRES[d.code])).toBe(d.code);
    }
  });

  it('a named district is read in Chinese or English, and the city name is not taken for the Taoyuan district', () => {
    expect(districtNamedIn('桃園市中壢區中山路100號')).toBe('zhongli');
    expect(districtNamedIn('No. 100, Zhongshan Rd., Zhongli District, Taoyuan City')).toBe('zhongli');
    expect(districtNamedIn('桃園市桃園區縣府路1號')).toBe('taoyuan');
    expect(districtNamedIn('Taoyuan City')).toBeUndefined();
  });

  it('coordinates alone give an address a person can read', () => {
    expect(locate({ lat: '24.9653', long: '121.2246' })).toEqual({ district: 'zhongli', address: '中壢區（24.96530, 121.22460）', lat: 24.9653, lng: 121.2246 });
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
