import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config/load';
import { districtOfficeCode } from '../../functions/config/schema';
import type { CaseFacts } from '../../functions/domain/messages';
import {
  SMS_SEGMENT_LIMIT,
  caseLink,
  citizenMergedResolved,
  citizenResolved,
  departmentNotice,
  escalationNotice,
  fitSms,
  formatTaipei,
  smsLength,
  toSnsJson,
} from '../../functions/domain/messages';

const config = loadConfig();
const URL_LIKE = /https?:|www\.|\.(com|tw|org|net)\b/i;
const LONG_ADDRESS = '桃園市中壢區中正路一段一百二十三巷四十五弄六十七號之八九樓（近中壢火車站前站出口對面的騎樓下方）';

function facts(overrides: Partial<CaseFacts> = {}): CaseFacts {
  return {
    caseNo: '20261127-00042',
    category: { code: 'street-light', zh: '路燈故障', en: 'Street light out' },
    district: { code: 'zhongli', zh: '中壢區', en: 'Zhongli District' },
    address: '中正路 100 號前',
    priority: 'normal',
    status: 'ASSIGNED',
    department: { code: 'DIST-ZHONGLI', zh: '中壢區公所', en: 'Zhongli District Office' },
    acknowledgeDueAt: '2026-11-27T06:30:00.000Z',
    resolveDueAt: '2026-12-02T09:30:00.000Z',
    escalationLevel: 0,
    ...overrides,
  };
}

/** Every category x district the shipped config can produce, urgent and not, with a long address. */
function everyRoutableCase(): CaseFacts[] {
  const all: CaseFacts[] = [];
  for (const sop of config.sops)
    for (const d of config.districts.districts)
      for (const priority of ['normal', 'urgent'] as const) {
        const code = sop.defaultDepartment === 'DIST' ? districtOfficeCode(d.code) : sop.defaultDepartment;
        const dept = config.departments.departments.find((x) => x.code === code)!;
        all.push(facts({ category: { code: sop.category, ...sop.name }, district: { code: d.code, ...d.name }, address: LONG_ADDRESS, priority, department: { code, ...dept.name } }));
      }
  return all;
}

describe('department notice', () => {
  it('says case number, category, district, address and deadlines in zh-TW first, then English', () => {
    const m = departmentNotice(facts(), 'assigned', 'https://console.example.org');

    const [zh, en] = m.email.split('\n\n');
    expect(zh).toContain('案件 20261127-00042');
    expect(zh).toContain('類別：路燈故障');
    expect(zh).toContain('地點：中壢區 中正路 100 號前');
    expect(zh).toContain('請於 2026-11-27 14:30 前簽收，2026-12-02 17:30 前完成處理');
    expect(en).toContain('Case 20261127-00042');
    expect(en).toContain('Category: Street light out');
    expect(en).toContain('Location: Zhongli District, 中正路 100 號前');
    expect(en).toContain('Acknowledge by 2026-11-27 14:30, resolve by 2026-12-02 17:30 (Taipei time).');
    expect(m.default).toBe(m.email);
  });

  it('texts one SMS segment without a link: case number, category, district, acknowledge deadline', () => {
    const m = departmentNotice(facts(), 'assigned', 'https://console.example.org');

    expect(m.sms).toBe('1999新派案 20261127-00042 路燈故障 中壢區 11/27 14:30前簽收');
    expect(smsLength(m.sms)).toBeLessThanOrEqual(SMS_SEGMENT_LIMIT);
    expect(m.sms).not.toMatch(URL_LIKE);
  });

  it('gives webhooks a JSON document with the case fields and the console link', () => {
    const m = departmentNotice(facts({ priority: 'urgent' }), 'rerouted', 'https://console.example.org/');

    expect(JSON.parse(m.https)).toEqual({
      type: 'case.dispatched',
      reason: 'rerouted',
      caseNo: '20261127-00042',
      status: 'ASSIGNED',
      category: 'street-light',
      categoryName: { zh: '路燈故障', en: 'Street light out' },
      district: 'zhongli',
      districtName: { zh: '中壢區', en: 'Zhongli District' },
      address: '中正路 100 號前',
      priority: 'urgent',
      department: 'DIST-ZHONGLI',
      acknowledgeDueAt: '2026-11-27T06:30:00.000Z',
      resolveDueAt: '2026-12-02T09:30:00.000Z',
      escalationLevel: 0,
      consoleUrl: 'https://console.example.org/#/cases/20261127-00042',
    });
  });

  it('is a MessageStructure json document with default, email, sms and https', () => {
    const m = departmentNotice(facts(), 'assigned', '');

    expect(Object.keys(JSON.parse(toSnsJson(m)) as object).sort()).toEqual(['default', 'email', 'https', 'sms']);
    expect(m.email).not.toContain('處理頁面');
    expect((JSON.parse(m.https) as { consoleUrl: unknown }).consoleUrl).toBeNull();
  });

  it('fits one SMS segment and an SNS subject for every category, district and priority in the config', () => {
    for (const reason of ['assigned', 'rerouted', 'reassigned', 'reopened'] as const)
      for (const f of everyRoutableCase()) {
        const m = departmentNotice(f, reason, 'https://console.example.org');
        expect(smsLength(m.sms), m.sms).toBeLessThanOrEqual(SMS_SEGMENT_LIMIT);
        expect(m.sms).toContain(f.caseNo);
        expect(m.sms).not.toMatch(URL_LIKE);
        expect(Array.from(m.subject).length).toBeLessThan(100);
        expect(m.subject).not.toMatch(/[\r\n]/);
      }
  });
});

describe('escalation notice', () => {
  const e = {
    level: 2 as const,
    reminder: false,
    waitingFor: 'acknowledgement' as const,
    mustAct: { zh: '研考會 1999 督導', en: '1999 hotline supervisor, RDEC' },
    missedDueAt: '2026-11-27T06:30:00.000Z',
    nextDueAt: '2026-11-27T08:30:00.000Z',
  };

  it('names who must act, what is overdue since when, and the next notice, zh-TW first', () => {
    const m = escalationNotice(facts(), e, '');

    const [zh, en] = m.email.split('\n\n');
    expect(zh).toContain('【1999 逾期通報 第2級】案件 20261127-00042');
    expect(zh).toContain('應處理：研考會 1999 督導');
    expect(zh).toContain('原因：逾期未簽收（期限 2026-11-27 14:30）');
    expect(zh).toContain('下次通報：2026-11-27 16:30');
    expect(en).toContain('Must act: 1999 hotline supervisor, RDEC');
    expect(en).toContain('Reason: not acknowledged by 2026-11-27 14:30 (Taipei time)');
    expect(m.sms).toBe('1999逾期L2 20261127-00042 逾期未簽收 請研考會 1999 督導處理');
    expect((JSON.parse(m.https) as { escalation: unknown }).escalation).toEqual({ level: 2, reminder: false, waitingFor: 'acknowledgement', mustAct: e.mustAct, missedDueAt: e.missedDueAt, nextDueAt: e.nextDueAt });
  });

  it('fits one SMS segment for every department contact at every level', () => {
    for (const d of config.departments.departments)
      for (const contact of d.escalation)
        for (const waitingFor of ['acknowledgement', 'resolution', 'reassignment'] as const) {
          const m = escalationNotice(facts({ address: LONG_ADDRESS }), { ...e, level: contact.level, waitingFor, reminder: true, mustAct: contact.role }, 'https://c.example.org');
          expect(smsLength(m.sms), m.sms).toBeLessThanOrEqual(SMS_SEGMENT_LIMIT);
          expect(m.sms).not.toMatch(URL_LIKE);
          expect(Array.from(m.subject).length).toBeLessThan(100);
        }
  });
});

describe('citizen messages', () => {
  const city = config.districts.city;

  it('tells the reporter the case is resolved: one SMS segment, no link; e-mail in zh-TW then English', () => {
    const m = citizenResolved({ caseNo: '20261127-00042', category: { zh: '路燈故障', en: 'Street light out' }, city, department: { zh: '中壢區公所', en: 'Zhongli District Office' }, resolution: '已更換燈泡' });

    expect(m.sms).toBe('桃園市1999：您反映的案件20261127-00042（路燈故障）已處理完成，謝謝您。');
    expect(m.email.subject).toBe('桃園市 1999 案件 20261127-00042 已處理完成 / Case resolved');
    const [zh, en] = m.email.text.split('\n\n');
    expect(zh).toContain('案件 20261127-00042（路燈故障）已由中壢區公所處理完成');
    expect(zh).toContain('處理情形：已更換燈泡');
    expect(en).toContain('Your case 20261127-00042 (Street light out) reported to Taoyuan City 1999 has been resolved by the Zhongli District Office.');
  });

  it('fits one SMS segment for every category', () => {
    for (const sop of config.sops) {
      const m = citizenResolved({ caseNo: '20261127-00042', category: sop.name, city });
      expect(smsLength(m.sms), m.sms).toBeLessThanOrEqual(SMS_SEGMENT_LIMIT);
      expect(m.sms).not.toMatch(URL_LIKE);
    }
  });

  it("tells a duplicate's reporter that the case it was merged into is resolved", () => {
    const m = citizenMergedResolved({ caseNo: '20261127-00043', parentCaseNo: '20261127-00042', category: { zh: '路燈故障', en: 'Street light out' }, city, resolution: '已更換燈泡' });

    expect(m.sms).toBe('桃園市1999：您反映的案件20261127-00043已併入20261127-00042處理完成，謝謝您。');
    expect(smsLength(m.sms)).toBeLessThanOrEqual(SMS_SEGMENT_LIMIT);
    expect(m.email.text).toContain('已併入案件 20261127-00042 一併處理');
    expect(m.email.text).toContain('was handled together with case 20261127-00042');
  });
});

describe('helpers', () => {
  it('shortens the name part with an ellipsis until the SMS fits', () => {
    const sms = fitSms((name) => `一二三四五六七八九十${name}`, '甲'.repeat(100), 20);

    expect(sms).toBe(`一二三四五六七八九十${'甲'.repeat(9)}…`);
    expect(smsLength(sms)).toBe(20);
  });

  it('formats Taipei wall time', () => {
    expect(formatTaipei('2026-11-27T16:05:00.000Z', 'long')).toBe('2026-11-28 00:05');
    expect(formatTaipei('2026-01-02T01:00:00.000Z', 'short')).toBe('1/2 09:00');
  });

  it('links a case on the console with a hash route', () => {
    expect(caseLink('https://c.example.org/', '20261127-00042')).toBe('https://c.example.org/#/cases/20261127-00042');
    expect(caseLink('', '20261127-00042')).toBe('');
  });
});
