import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config/load';
import type { DepartmentsFile } from '../../functions/config/schema';
import { DEFAULT_EMAIL_DELIVERY, deliveryOf, digestGroups, emailDeliveryText, parseEmailDelivery } from '../../functions/domain/email-delivery';
import { digestEmail, DIGEST_MAX_LINES, inDigest } from '../../functions/domain/email-digest';
import { digestPlan, earlyWarningPlan, ESCALATION_TOPIC_KEY, filterPolicyOf, notificationPlan } from '../../functions/domain/notification-plan';
import type { ConsoleNotification } from '../../functions/domain/notifications';

const departments: DepartmentsFile = {
  escalationDepartments: { level2: 'RDEC', level3: 'MAYOR' },
  departments: [
    { code: 'PWD', name: { zh: '工務局', en: 'Public Works' }, receivesCases: true, escalation: [], subscriptions: [{ protocol: 'email', endpoint: 'pwd@example.test' }, { protocol: 'https', endpoint: 'https://pwd.example.test/hook' }] },
    { code: 'EPD', name: { zh: '環保局', en: 'Environmental Protection' }, receivesCases: true, escalation: [], subscriptions: [{ protocol: 'email', endpoint: 'epd@example.test' }] },
    { code: 'RDEC', name: { zh: '研考會', en: 'RDEC' }, receivesCases: false, escalation: [], subscriptions: [{ protocol: 'email', endpoint: 'rdec@example.test' }, { protocol: 'https', endpoint: 'https://rdec.example.test/hook' }] },
    { code: 'MAYOR', name: { zh: '市長室', en: "Mayor's Office" }, receivesCases: false, escalation: [], subscriptions: [{ protocol: 'email', endpoint: 'mayor@example.test' }] },
  ],
};

describe('e-mail delivery choice', () => {
  it('defaults to a daily digest for the supervisors and immediate e-mail for department staff', () => {
    const d = parseEmailDelivery(undefined, 'test');
    expect(d).toEqual(DEFAULT_EMAIL_DELIVERY);
    expect(deliveryOf(d, departments, 'RDEC')).toBe('digest');
    expect(deliveryOf(d, departments, 'MAYOR')).toBe('digest');
    expect(deliveryOf(d, departments, 'PWD')).toBe('immediate');
  });

  it('takes a role choice and a department override over it', () => {
    const d = parseEmailDelivery({ staff: 'digest', departments: { EPD: 'immediate', MAYOR: 'immediate' } }, 'test', departments);
    expect(deliveryOf(d, departments, 'PWD')).toBe('digest');
    expect(deliveryOf(d, departments, 'EPD')).toBe('immediate');
    expect(deliveryOf(d, departments, 'RDEC')).toBe('digest');
    expect(deliveryOf(d, departments, 'MAYOR')).toBe('immediate');
    expect(digestGroups(d, departments)).toEqual([
      { department: 'PWD', inbox: { role: 'staff', department: 'PWD' } },
      { department: 'RDEC', inbox: { role: 'supervisor' } },
    ]);
  });

  it('refuses a bad mode, an unknown setting and an unknown department, naming each', () => {
    const bad = () => parseEmailDelivery({ supervisors: 'weekly', hourly: true, departments: { NOPE: 'digest', PWD: 'sometimes' } }, 'context citydesk:emailDelivery (stage prod)', departments);
    expect(bad).toThrow(/context citydesk:emailDelivery \(stage prod\)/);
    expect(bad).toThrow(/supervisors: must be "immediate" or "digest" \(got "weekly"\)/);
    expect(bad).toThrow(/hourly: is not a setting/);
    expect(bad).toThrow(/departments\.NOPE: is not a department/);
    expect(bad).toThrow(/departments\.PWD: must be "immediate" or "digest"/);
    expect(() => parseEmailDelivery(['digest'], 'test')).toThrow(/must be an object/);
  });

  it('writes the default as nothing and anything else as JSON that reads back the same', () => {
    expect(emailDeliveryText(DEFAULT_EMAIL_DELIVERY)).toBeUndefined();
    const d = parseEmailDelivery({ staff: 'digest', departments: { EPD: 'immediate' } }, 'test');
    expect(parseEmailDelivery(JSON.parse(emailDeliveryText(d)!), 'test')).toEqual(d);
  });
});

describe('subscriptions under the digest choice', () => {
  const escalation = (delivery = DEFAULT_EMAIL_DELIVERY) => notificationPlan(departments, 'prod', delivery).find((t) => t.key === ESCALATION_TOPIC_KEY)!.subscriptions;

  it("filters escalations and warnings out of the supervisors' e-mail, not their webhook, and keeps the mayor's level filter", () => {
    expect(escalation().map((s) => [s.endpoint, filterPolicyOf(s)])).toEqual([
      ['rdec@example.test', { notice: [{ 'anything-but': ['escalation', 'warning'] }] }],
      ['https://rdec.example.test/hook', undefined],
      ['mayor@example.test', { level: [{ numeric: ['>=', 3] }], notice: [{ 'anything-but': ['escalation', 'warning'] }] }],
    ]);
    expect(earlyWarningPlan(departments, 'prod').subscriptions.map(filterPolicyOf)).toEqual([{ notice: [{ 'anything-but': ['escalation', 'warning'] }] }, undefined]);
  });

  it("leaves a department's e-mail unfiltered when it is immediate, and filters only escalations when it is a digest", () => {
    const pwd = (delivery = DEFAULT_EMAIL_DELIVERY) => notificationPlan(departments, 'prod', delivery).find((t) => t.key === 'PWD')!.subscriptions.map(filterPolicyOf);
    expect(pwd()).toEqual([undefined, undefined]);
    expect(pwd({ ...DEFAULT_EMAIL_DELIVERY, staff: 'digest' })).toEqual([{ notice: [{ 'anything-but': ['escalation'] }] }, undefined]);
  });

  it("puts each digest group's e-mail subscribers on the digest topic, filtered to that group's digest", () => {
    expect(digestPlan(departments, 'prod').subscriptions.map((s) => [s.endpoint, filterPolicyOf(s)])).toEqual([
      ['rdec@example.test', { group: ['RDEC'] }],
      ['mayor@example.test', { group: ['MAYOR'] }],
    ]);
    expect(digestPlan(departments, 'prod', { supervisors: 'immediate', staff: 'immediate', departments: {} }).subscriptions).toEqual([]);
  });

  it('plans the shipped config with the default without error', () => {
    const shipped = loadConfig().departments;
    expect(digestPlan(shipped, 'local').subscriptions.map((s) => s.digestGroup)).toEqual([shipped.escalationDepartments.level2, shipped.escalationDepartments.level3]);
  });
});

describe('digest rules', () => {
  const names = {
    category: (code: string) => ({ 'street-light': { zh: '路燈故障', en: 'Street light out' } })[code] ?? { zh: code, en: code },
    department: (code: string) => departments.departments.find((d) => d.code === code)?.name ?? { zh: code, en: code },
  };
  const note = (over: Partial<ConsoleNotification>): ConsoleNotification => ({ id: `${over.at ?? '2026-12-01T01:00:00.000Z'}#x`, at: '2026-12-01T01:00:00.000Z', kind: 'escalated', ...over });

  it("lists the mayor's office only escalations from level 3", () => {
    const mayor = { minLevel: 3 };
    expect(inDigest(mayor, note({ detail: '3' }))).toBe(true);
    expect(inDigest(mayor, note({ detail: '2' }))).toBe(false);
    expect(inDigest(mayor, note({ kind: 'access-requested' }))).toBe(false);
    expect(inDigest({}, note({ kind: 'returned' }))).toBe(true);
  });

  it('writes one e-mail, zh-TW first then English, with case numbers, categories and console links, and no typed reasons', () => {
    const email = digestEmail(
      { department: 'RDEC', inbox: { role: 'supervisor' } },
      [
        note({ caseNo: '20261201-00001', category: 'street-light', department: 'PWD', detail: '2' }),
        note({ kind: 'returned', caseNo: '20261201-00002', category: 'street-light', detail: '報案人王小明說不是我們的' }),
        note({ kind: 'warning', warningId: 'W-1', detail: 'street-light' }),
      ],
      names,
      'https://console.example.test/',
    )!;
    expect(email.subject).toBe('[1999 每日摘要] 研考會 3 則通知 / Daily digest: 3 notifications');
    const [zh, en] = email.text.split('[1999 daily digest]');
    expect(zh).toContain('- 2026-12-01 09:00 逾期升級（第 2 層） 20261201-00001 路燈故障 工務局 https://console.example.test/#/cases/20261201-00001');
    expect(zh).toContain('退回案件 20261201-00002 路燈故障');
    expect(zh).toContain('預警 路燈故障 https://console.example.test/#/warnings?id=W-1');
    expect(en).toContain('Escalated (level 2) 20261201-00001 Street light out Public Works https://console.example.test/#/cases/20261201-00001');
    expect(en).toContain('Notifications: https://console.example.test/#/notifications');
    expect(email.text).not.toContain('王小明');
  });

  it('sends nothing for nothing, and counts what it does not list', () => {
    const group = { department: 'PWD', inbox: { role: 'staff' as const, department: 'PWD' } };
    expect(digestEmail(group, [], names, '')).toBeUndefined();
    const many = Array.from({ length: DIGEST_MAX_LINES + 5 }, (_, i) => note({ caseNo: `20261201-${String(i).padStart(5, '0')}` }));
    const email = digestEmail(group, many, names, '', 7)!;
    expect(email.text.split('\n').filter((l) => l.startsWith('- ')).length).toBe(DIGEST_MAX_LINES * 2);
    expect(email.text).toContain(`另有 12 則`);
    expect(email.text).toContain('12 more in the console.');
    expect(email.subject).toContain(`${DIGEST_MAX_LINES + 12}`);
  });
});
