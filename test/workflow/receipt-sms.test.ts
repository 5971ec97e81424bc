/**
 * The receipt SMS: a citizen who asked for SMS gets the case number in one segment when the case is logged
 * (RouteCase's first run), once per case, under the same daily cap as every citizen SMS; nobody else gets one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoRateCounters } from '../../functions/adapters/rate-counters';
import { loadConfig } from '../../functions/config/load';
import type { Case } from '../../functions/domain/case';
import { SMS_SEGMENT_LIMIT, citizenReceipt, smsLength } from '../../functions/domain/messages';
import { DistrictUnknownError, UNPLACED_DISTRICT } from '../../functions/domain/sop';
import { SmsCappedNotifier } from '../../functions/privacy/rate-limits';
import { privacySettings, usePrivacySettings } from '../../functions/privacy/settings';
import { wantsReceipt } from '../../functions/usecases/lifecycle/send-receipt';
import type { BusinessMetrics } from '../../functions/usecases/ports';
import type { LifecycleDeps } from '../../functions/workflow/steps';
import { STEP_RUNNERS } from '../../functions/workflow/steps';
import { WorkflowHarness } from './support/harness';

const config = loadConfig();
const city = config.districts.city;
const URL_LIKE = /https?:|www\.|\.(com|tw|org|net)\b/i;
const CASE_NO = '20261127-00042';

describe('the receipt text', () => {
  it('names the case number and category and promises word of the outcome', () => {
    const m = citizenReceipt({ caseNo: CASE_NO, category: { zh: '路燈故障', en: 'Street light out' }, city, tellsOutcome: true });

    expect(m.sms).toBe('桃園市1999：已受理您反映的案件20261127-00042（路燈故障），處理完成後將再通知您。');
  });

  it('points to the hotline instead when the SOP tells the citizen nothing more', () => {
    const m = citizenReceipt({ caseNo: CASE_NO, category: { zh: '路燈故障', en: 'Street light out' }, city, tellsOutcome: false });

    expect(m.sms).toBe('桃園市1999：已受理您反映的案件20261127-00042（路燈故障），進度請洽1999。');
  });

  it('is one UCS-2 segment with the case number and no URL for every category, however long its name', () => {
    const names = [...config.sops.map((s) => s.name), { zh: '非常長的類別名稱'.repeat(8), en: 'long' }];
    for (const category of names)
      for (const tellsOutcome of [true, false]) {
        const { sms } = citizenReceipt({ caseNo: CASE_NO, category, city, tellsOutcome });
        expect(smsLength(sms), sms).toBeLessThanOrEqual(SMS_SEGMENT_LIMIT);
        expect(sms).toContain(CASE_NO);
        expect(sms).not.toMatch(URL_LIKE);
      }
  });
});

describe('who gets one', () => {
  const sms: Pick<Case, 'receiptAt' | 'reporter' | 'status'> = { status: 'NEW', reporter: { name: '林美華', phone: '0912345678', anonymous: false, notify: 'sms' } };
  const sop = { notifyCitizen: true };

  it('a NEW case whose reporter asked for SMS on a mobile, when the SOP notifies citizens', () => {
    expect(wantsReceipt(sms, sop)).toBe(true);
  });

  it('the SOP decides: receiptSms, else notifyCitizen', () => {
    expect(wantsReceipt(sms, { notifyCitizen: true, receiptSms: false })).toBe(false);
    expect(wantsReceipt(sms, { notifyCitizen: false })).toBe(false);
    expect(wantsReceipt(sms, { notifyCitizen: false, receiptSms: true })).toBe(true);
  });

  it('nobody not reached by SMS, and no case that had its receipt or is routed already', () => {
    expect(wantsReceipt({ ...sms, reporter: { anonymous: true, notify: 'none' } }, sop)).toBe(false);
    expect(wantsReceipt({ ...sms, reporter: { name: '林美華', email: 'meihua@example.org', phone: '0912345678', anonymous: false, notify: 'email' } }, sop)).toBe(false);
    expect(wantsReceipt({ ...sms, reporter: { name: '林美華', phone: '0912345678', anonymous: false, notify: 'none' } }, sop)).toBe(false);
    expect(wantsReceipt({ ...sms, reporter: { name: '林美華', phone: '03-4251234', email: 'meihua@example.org', anonymous: false, notify: 'sms' } }, sop)).toBe(false);
    expect(wantsReceipt({ ...sms, receiptAt: '2026-11-27T01:00:00.000Z' }, sop)).toBe(false);
    expect(wantsReceipt({ ...sms, status: 'ASSIGNED' }, sop)).toBe(false);
  });
});

describe('RouteCase sends it', () => {
  let h: WorkflowHarness;
  beforeEach(async () => {
    h = await WorkflowHarness.start();
  });
  afterEach(async () => {
    await h.close();
  });
  const route = (caseNo: string, deps: LifecycleDeps = h.deps) => STEP_RUNNERS.RouteCase(deps, { caseNo });

  it('the first routing texts the case number to the mobile, records it without the number, and a retry sends nothing twice', async () => {
    const c = await h.newCase();

    await route(c.caseNo);
    await route(c.caseNo);

    expect(h.outbox.texts).toEqual([{ phone: '+886912345678', text: `桃園市1999：已受理您反映的案件${c.caseNo}（路燈故障），處理完成後將再通知您。` }]);
    const receipts = (await h.timeline(c.caseNo)).filter((e) => e.type === 'citizen-notified');
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ by: 'workflow', text: '受理簡訊：已簡訊通知民眾 / Receipt SMS: Citizen told by SMS', data: { channel: 'sms', delivered: true, message: 'receipt' } });
    expect(JSON.stringify(receipts[0])).not.toContain('0912345678');
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'ASSIGNED', receiptAt: '2026-11-27T01:00:00.000Z' });
  });

  it('a case nobody could place gets its receipt before going to the desk, and only that one', async () => {
    const c = await h.newCase({ location: { district: UNPLACED_DISTRICT, address: '中山路100號' } });

    await expect(route(c.caseNo)).rejects.toBeInstanceOf(DistrictUnknownError);
    await expect(route(c.caseNo)).rejects.toBeInstanceOf(DistrictUnknownError);

    expect(h.outbox.texts.map((t) => t.text)).toEqual([`桃園市1999：已受理您反映的案件${c.caseNo}（路燈故障），處理完成後將再通知您。`]);
  });

  it('an e-mail, anonymous or opted-out reporter gets no receipt and no receipt event', async () => {
    const cases = [
      await h.newCase({ reporter: { name: '林美華', phone: '0912345678', email: 'meihua@example.org', anonymous: false, notify: 'email' } }),
      await h.newCase({ reporter: { anonymous: true, notify: 'none' } }),
      await h.newCase({ reporter: { name: '林美華', phone: '0912345678', anonymous: false, notify: 'none' } }),
    ];

    for (const c of cases) await route(c.caseNo);

    expect(h.outbox.texts).toEqual([]);
    expect(h.outbox.mails).toEqual([]);
    for (const c of cases) expect(await h.timelineTypes(c.caseNo)).toEqual(['created', 'routed']);
  });

  it('a receipt the provider refuses is recorded as failed where it was written as sent, and the case is routed anyway', async () => {
    const c = await h.newCase();
    h.outbox.failCitizenMessages = true;

    await route(c.caseNo);
    await route(c.caseNo);

    expect(h.outbox.texts).toEqual([]);
    const timeline = await h.timeline(c.caseNo);
    expect(timeline.map((e) => e.type)).toEqual(['created', 'citizen-notified', 'routed']);
    expect(timeline[1]).toMatchObject({
      by: 'workflow',
      text: '受理簡訊：通知民眾失敗（sms，SNS.InternalErrorException） / Receipt SMS: Telling the citizen failed (sms, SNS.InternalErrorException)',
      data: { channel: 'sms', delivered: false, reason: 'SNS.InternalErrorException', message: 'receipt' },
    });
    expect(await h.case(c.caseNo)).toMatchObject({ status: 'ASSIGNED', receiptAt: expect.any(String) });
  });

  it('the receipt and the routing take a version each, as when they were two writes', async () => {
    const c = await h.newCase();

    await route(c.caseNo);

    const [, receipt, routed] = await h.timeline(c.caseNo);
    expect([receipt.id, routed.id]).toEqual([`${receipt.at}#000002`, `${routed.at}#000003`]);
    expect((await h.case(c.caseNo)).version).toBe(3);
  });

  it("counts against the number's daily SMS cap: over it, the receipt is recorded as not sent and the case is routed anyway", async () => {
    const restore = usePrivacySettings({ ...privacySettings(), smsPerPhonePerDay: 1 });
    try {
      const counted: Array<{ metric: string; dimensions: object }> = [];
      const metrics: BusinessMetrics = { count: (metric, dimensions) => void counted.push({ metric, dimensions }) };
      const capped: LifecycleDeps = { ...h.deps, ports: { ...h.deps.ports, metrics, notifier: new SmsCappedNotifier(h.outbox, new DynamoRateCounters(h.table.ddb, h.table.tableName), metrics) } };
      const first = await h.newCase();
      const second = await h.newCase();

      await route(first.caseNo, capped);
      await route(second.caseNo, capped);

      expect(h.outbox.texts.map((t) => t.text)).toEqual([`桃園市1999：已受理您反映的案件${first.caseNo}（路燈故障），處理完成後將再通知您。`]);
      expect((await h.timeline(second.caseNo)).find((e) => e.type === 'citizen-notified')?.data).toEqual({ channel: 'sms', delivered: false, reason: 'SmsCapReached', message: 'receipt' });
      expect(await h.case(second.caseNo)).toMatchObject({ status: 'ASSIGNED', receiptAt: expect.any(String) });
      // The first sent, the second stopped by the cap and counted as a failed notice, as the capped notifier counts.
      expect(counted).toEqual([
        { metric: 'citizenNoticesSent', dimensions: { channel: 'sms' } },
        { metric: 'smsCapsReached', dimensions: {} },
        { metric: 'citizenNoticesFailed', dimensions: { channel: 'sms' } },
      ]);
    } finally {
      restore();
    }
  });
});
