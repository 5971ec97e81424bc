import { describe, expect, it } from 'vitest';
import sopsFile from '../../config/sops.json' with { type: 'json' };
import type { SopView } from '../../console/src/api/types';
import { searchCategories } from '../../console/src/logic/category-search';
import { attachReportBody, createCaseBody, EMPTY_INTAKE, routedDepartment, spokenCaseNo } from '../../console/src/logic/intake';
import { draftFromSop, moveQuestion, newQuestion, sopPutBody } from '../../console/src/logic/sop';
import { diffSops, QUESTION_ORDER_PATH } from '../../functions/domain/sop-diff';
import { toApiError } from '../../console/src/api/client';
import { errorMessage, localizeFieldMessage, unplacedFieldErrors } from '../../console/src/logic/errors';
import { translate } from '../../console/src/i18n';
import { slaPercent } from '../../console/src/screens/Dashboard';
import { sopSchema } from '../../functions/config/schema';
import { canCorrect, correctionBody, correctionDraft } from '../../console/src/logic/correction';

// The seed SOPs as the API serves them: parsed (defaults filled in) and at version 1.
const sops: SopView[] = sopsFile.sops.map((s) => ({ ...sopSchema.parse(s), version: 1 }));
const codes = (q: string) => searchCategories(sops, q).map((s) => s.category);

describe('category search', () => {
  it('finds a category by its Chinese name, its English name or a keyword', () => {
    expect(codes('路燈')[0]).toBe('street-light');
    expect(codes('pothole')[0]).toBe('pothole');
    expect(codes('Street light')[0]).toBe('street-light');
    expect(codes('噪音')[0]).toBe('noise');
  });

  it('every typed word must match, and nothing matches gibberish', () => {
    expect(codes('pothole 噪音')).toEqual([]);
    expect(codes('zzzqqq')).toEqual([]);
  });

  it('an empty query lists every category in catalogue order', () => {
    expect(codes('  ')).toEqual(sops.map((s) => s.category));
  });
});

describe('intake body', () => {
  it('sends what was typed, trimmed, and leaves blank optional fields out', () => {
    const body = createCaseBody(
      { ...EMPTY_INTAKE, category: 'street-light', description: ' 路燈不亮 ', district: 'zhongli', address: ' 中正路 100 號 ', name: '王小明', phone: '0912-345-678', lat: '24.95', lng: '121.22' },
      sops[0],
    );

    expect(body).toEqual({
      category: 'street-light',
      description: '路燈不亮',
      location: { district: 'zhongli', address: '中正路 100 號', lat: 24.95, lng: 121.22 },
      reporter: { anonymous: false, notify: 'sms', name: '王小明', phone: '0912-345-678' },
      channel: 'phone',
    });
  });

  it('an anonymous caller gives no name or phone even if typed before ticking anonymous', () => {
    const body = createCaseBody({ ...EMPTY_INTAKE, anonymous: true, notify: 'none', name: 'x', phone: '0912345678' }, undefined);

    expect(body.reporter).toEqual({ anonymous: true, notify: 'none' });
  });

  it('a coordinate that is not a number still goes, so the API names the field', () => {
    expect(createCaseBody({ ...EMPTY_INTAKE, lat: 'abc' }, undefined).location.lat).toBeNaN();
  });

  it('SOP answers are typed by the attribute: numbers as numbers, Taipei datetimes with their offset', () => {
    const sop = { ...sops[0], attributes: [
      { code: 'count', datatype: 'number', required: false, description: { zh: 'n', en: 'n' } },
      { code: 'when', datatype: 'datetime', required: false, description: { zh: 't', en: 't' } },
      { code: 'kinds', datatype: 'multivaluelist', required: false, description: { zh: 'k', en: 'k' }, values: [{ key: 'a', name: { zh: 'a', en: 'a' } }] },
    ] } as SopView;

    expect(createCaseBody({ ...EMPTY_INTAKE, attributes: { count: '3', when: '2026-11-27T14:30', kinds: [] } }, sop).attributes).toEqual({ count: 3, when: '2026-11-27T14:30:00+08:00' });
  });

  it('attaching a report sends the caller and description but no category or location', () => {
    expect(attachReportBody({ ...EMPTY_INTAKE, category: 'noise', district: 'bade', description: '又來了' })).toEqual({
      description: '又來了',
      reporter: { anonymous: false, notify: 'sms' },
      channel: 'phone',
    });
  });

  it('the SOP summary names the district office for DIST and honours district overrides', () => {
    expect(routedDepartment({ defaultDepartment: 'DIST', districtOverrides: {} }, 'zhongli')).toBe('DIST-ZHONGLI');
    expect(routedDepartment({ defaultDepartment: 'DIST', districtOverrides: {} }, '')).toBeUndefined();
    expect(routedDepartment({ defaultDepartment: 'PWD', districtOverrides: { fuxing: 'DIST' } }, 'fuxing')).toBe('DIST-FUXING');
  });

  it('reads a case number out in groups', () => {
    expect(spokenCaseNo('20261127-00042')).toBe('2026 1127 - 000 42');
  });
});

describe('SOP edit body', () => {
  it("is the whole SOP with the edits and the edit's reason, without version bookkeeping", () => {
    const sop = { ...sops[0], version: 3, updatedAt: '2026-11-01T00:00:00Z', updatedBy: 'x', origin: 'console' as const, reason: 'the last edit', contentHash: 'abc' };
    const draft = { ...draftFromSop(sop), keywords: '路燈, lamp，燈桿', overrides: [{ district: 'fuxing', department: 'PWD' }, { district: '', department: 'EPD' }], reason: ' lamps by district ' };
    draft.acknowledgeWithin = { amount: '4', unit: 'workingHours' };

    const body = sopPutBody(sop, draft);

    expect(body).not.toHaveProperty('version');
    expect(body).not.toHaveProperty('updatedBy');
    expect(body).not.toHaveProperty('origin');
    expect(body).not.toHaveProperty('contentHash');
    expect(body.reason).toBe('lamps by district');
    expect(body).toMatchObject({ category: 'street-light', keywords: ['路燈', 'lamp', '燈桿'], districtOverrides: { fuxing: 'PWD' }, acknowledgeWithin: { amount: 4, unit: 'workingHours' } });
  });
});

describe('SOP edit body: guidance and questions', () => {
  const streetLight = () => sops.find((s) => s.category === 'street-light')!;

  it('carries guidance (English left out when blank) and the questions in the order shown, each numbered by its place', () => {
    const sop = streetLight();
    const draft = draftFromSop(sop);
    const added = { ...newQuestion(), code: 'nearShop', labelZh: '附近店家', labelEn: 'Shop nearby' };
    const questions = moveQuestion([...draft.questions, added], 2, -1).map((q) => (q.code === 'poleNumber' ? { ...q, retired: true } : q));

    const body = sopPutBody(sop, { ...draft, guidanceZh: ' 先問燈桿編號 ', guidanceEn: '  ', questions, reason: 'shops' });

    expect(body.guidance).toEqual({ zh: '先問燈桿編號' });
    expect((body.attributes as Array<Record<string, unknown>>).map((a) => [a.code, a.order, a.retired ?? false])).toEqual([
      ['poleNumber', 1, true],
      ['nearShop', 2, false],
      ['lightState', 3, false],
    ]);
    expect((body.attributes as Array<Record<string, unknown>>)[2].values).toEqual(sop.attributes[1].values);
    expect(sopSchema.safeParse(body).success).toBe(true);
  });

  it('an untouched draft sends the SOP back unchanged: the diff before saving is empty', () => {
    const sop = streetLight();

    expect(diffSops(sop, sopPutBody(sop, draftFromSop(sop)))).toEqual([]);
  });

  it('the diff before saving shows a moved question as one order change, and new guidance as added', () => {
    const sop = streetLight();
    const draft = draftFromSop(sop);

    const changes = diffSops(sop, sopPutBody(sop, { ...draft, guidanceZh: '請問燈桿編號', questions: moveQuestion(draft.questions, 0, 1) }));

    expect(changes).toEqual([
      { path: 'guidance.zh', after: '請問燈桿編號' },
      { path: QUESTION_ORDER_PATH, before: 'poleNumber, lightState', after: 'lightState, poleNumber' },
    ]);
  });

  it('moving past either end changes nothing', () => {
    const { questions } = draftFromSop(streetLight());

    expect(moveQuestion(questions, 0, -1).map((q) => q.code)).toEqual(['poleNumber', 'lightState']);
    expect(moveQuestion(questions, 1, 1).map((q) => q.code)).toEqual(['poleNumber', 'lightState']);
  });
});

describe('API errors on screen', () => {
  const t = (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate('zh-TW', k, p);

  it('keeps the fields of the standard error shape for the form', () => {
    const e = toApiError(400, { error: { code: 'VALIDATION_FAILED', message: 'bad', fields: [{ path: 'location.district', message: 'must be a district code' }, { path: 'foo', message: 'x' }] } });

    expect(e.fieldMessage('location.district')).toBe('must be a district code');
    expect(e.fieldMessage('location')).toBe('must be a district code');
    expect(errorMessage(e, t)).toBe('資料有誤，請修正標示的欄位。');
    expect(unplacedFieldErrors(e, ['location'])).toEqual([{ path: 'foo', message: 'x' }]);
  });

  it('says which state blocked an action (409) and asks to reload on a stale version (412)', () => {
    expect(errorMessage(toApiError(409, { error: { code: 'ILLEGAL_TRANSITION', message: 'x', currentStatus: 'CLOSED' } }), t)).toBe('案件目前狀態為「已結案」，無法執行此動作。');
    expect(errorMessage(toApiError(412, { error: { code: 'PRECONDITION_FAILED', message: 'x' } }), t)).toBe('案件已被其他人更新，請重新載入。');
    expect(errorMessage(toApiError(401, { message: 'Unauthorized' }), t)).toBe('登入已逾時，請重新登入。');
  });

  it('the SLA share comes from the counts, and is absent without any', () => {
    expect(slaPercent({ onTime: 3, late: 1 })).toBe(75);
    expect(slaPercent({ onTime: 0, late: 0 })).toBeUndefined();
  });
});

describe('case correction', () => {
  const c = {
    caseNo: '20261127-00042',
    status: 'ASSIGNED',
    category: 'pothole',
    description: '坑洞',
    location: { district: 'zhongli', address: '中山路 1 號', lat: 24.95, lng: 121.22 },
    reporter: { anonymous: false, notify: 'sms', masked: true },
    priority: 'normal',
  } as unknown as import('../../console/src/api/types').CaseView;

  it('sends only what changed, the whole location when any part of it did', () => {
    const d = { ...correctionDraft(c), address: '中山路 3 號', notify: 'none' as const };

    expect(correctionBody(c, d)).toEqual({ location: { district: 'zhongli', address: '中山路 3 號', lat: 24.95, lng: 121.22 }, reporter: { notify: 'none' } });
  });

  it('nothing changed is nothing to send', () => {
    expect(correctionBody(c, correctionDraft(c))).toBeUndefined();
  });

  it('agents, supervisors and admins correct open cases only', () => {
    expect(canCorrect('agent', 'ASSIGNED')).toBe(true);
    expect(canCorrect('staff', 'ASSIGNED')).toBe(false);
    expect(canCorrect('supervisor', 'CLOSED')).toBe(false);
  });
});

describe('field messages', () => {
  it('the common API field messages are said in Chinese; others pass through as the API said them', () => {
    const t = (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate('zh-TW', k, p);

    expect(localizeFieldMessage('must not be empty', t)).toBe('不可空白');
    expect(localizeFieldMessage('must be a district code: taoyuan, zhongli', t)).toBe('請選擇行政區');
    expect(localizeFieldMessage('is required when notify is sms', t)).toBe('選擇簡訊通知時，請填手機號碼');
    expect(localizeFieldMessage('must say why, in at least 5 characters', t)).toBe('請說明原因（至少 5 個字）');
    expect(localizeFieldMessage('something new', t)).toBe('something new');
  });
});
