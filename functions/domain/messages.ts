/**
 * Notification templates. Pure: the caller resolves names (category, district, department) from config and passes
 * plain facts in; nothing here reads the environment or the clock.
 *
 * Rules every template keeps (test/workflow/messages.test.ts checks them):
 * - zh-TW first, then English;
 * - department and escalation messages carry no reporter data (name, phone, email), only the place;
 * - SMS is ONE segment: at most 70 characters (UCS-2, which any Chinese text needs) and no URL, because
 *   Taiwanese carriers block unregistered links and every further segment is charged again. An SMS therefore
 *   has no room for the English line; the email and webhook documents carry both languages;
 * - topic messages are `MessageStructure: json` documents: `default`, `email` (readable text), `sms`, `https`
 *   (a JSON document with the case fields and a console link).
 */
import type { CaseStatus, EscalationLevel, Priority, WaitingFor } from './case';

export interface Localized {
  zh: string;
  en: string;
}

/** What a department or escalation message may say about a case: no personal data. */
export interface CaseFacts {
  caseNo: string;
  category: Localized & { code: string };
  district: Localized & { code: string };
  address: string;
  priority: Priority;
  status: CaseStatus;
  department?: Localized & { code: string };
  acknowledgeDueAt?: string;
  resolveDueAt?: string;
  escalationLevel: EscalationLevel;
}

/** One topic message in the shape `MessageStructure: json` expects, plus the email subject. */
export interface TopicMessage {
  subject: string;
  default: string;
  email: string;
  sms: string;
  https: string;
}

export interface CitizenMessage {
  sms: string;
  email: { subject: string; text: string };
}

/** One SMS segment when any character is outside GSM-7, as every Chinese text is. */
export const SMS_SEGMENT_LIMIT = 70;
/** SNS: subjects under 100 characters, no line breaks. */
export const SUBJECT_LIMIT = 99;

export type DispatchReason = 'assigned' | 'rerouted' | 'reassigned' | 'reopened';

const DISPATCH_LABEL: Record<DispatchReason, Localized> = {
  assigned: { zh: '新派案', en: 'New case' },
  rerouted: { zh: '改派（類別變更）', en: 'Re-routed (category changed)' },
  reassigned: { zh: '改派', en: 'Reassigned' },
  reopened: { zh: '民眾不滿意重新處理', en: 'Reopened: the citizen is not satisfied' },
};

const PRIORITY_LABEL: Record<Priority, Localized> = {
  normal: { zh: '一般', en: 'normal' },
  urgent: { zh: '緊急', en: 'URGENT' },
};

const WAITING_LABEL: Record<WaitingFor, Localized> = {
  acknowledgement: { zh: '逾期未簽收', en: 'not acknowledged' },
  resolution: { zh: '逾期未完成', en: 'not resolved' },
  reassignment: { zh: '退案逾期未改派', en: 'returned and not reassigned' },
  survey: { zh: '滿意度調查', en: 'survey' },
  decision: { zh: '流程失敗待督導決定', en: "workflow failed, waiting for a supervisor's decision" },
};

// ------------------------------------------------------------------------------------------- departments

/** The department's dispatch notice: who, what, where, by when. */
export function departmentNotice(c: CaseFacts, reason: DispatchReason, consoleUrl: string): TopicMessage {
  const label = DISPATCH_LABEL[reason];
  const urgent = c.priority === 'urgent' ? '【緊急】' : '';
  const link = caseLink(consoleUrl, c.caseNo);
  const zh = [
    `【1999 ${label.zh}】${urgent}案件 ${c.caseNo}`,
    `類別：${c.category.zh}`,
    `地點：${c.district.zh} ${c.address}`,
    c.department ? `承辦單位：${c.department.zh}` : undefined,
    `優先等級：${PRIORITY_LABEL[c.priority].zh}`,
    dueLineZh(c),
    link ? `處理頁面：${link}` : undefined,
  ];
  const en = [
    `[1999 ${label.en}] Case ${c.caseNo}${c.priority === 'urgent' ? ' (URGENT)' : ''}`,
    `Category: ${c.category.en}`,
    `Location: ${c.district.en}, ${c.address}`,
    c.department ? `Department: ${c.department.en}` : undefined,
    `Priority: ${PRIORITY_LABEL[c.priority].en}`,
    dueLineEn(c),
    link ? `Console: ${link}` : undefined,
  ];
  const text = joinLanguages(zh, en);
  const due = c.acknowledgeDueAt ? `${formatTaipei(c.acknowledgeDueAt, 'short')}前簽收` : c.resolveDueAt ? `${formatTaipei(c.resolveDueAt, 'short')}前完成` : '';
  return {
    subject: subject(`[1999 ${label.zh}] ${urgent}${c.caseNo} ${c.category.zh} / ${label.en}`),
    default: text,
    email: text,
    sms: fitSms((category) => `1999${label.zh}${urgent} ${c.caseNo} ${category} ${c.district.zh} ${due}`, c.category.zh),
    https: JSON.stringify({ type: 'case.dispatched', reason, ...caseDocument(c, consoleUrl) }),
  };
}

export interface EscalationFacts {
  level: 1 | 2 | 3;
  reminder: boolean;
  waitingFor: WaitingFor;
  /** Who must act now. */
  mustAct: Localized;
  /** The deadline that passed. */
  missedDueAt: string;
  /** When it escalates again (or is reminded) if nobody acts. */
  nextDueAt: string;
}

/** The escalation notice: which case, what is overdue since when, and who must act now. */
export function escalationNotice(c: CaseFacts, e: EscalationFacts, consoleUrl: string): TopicMessage {
  const what = WAITING_LABEL[e.waitingFor];
  const head = e.reminder ? { zh: `再次提醒 第${e.level}級`, en: `reminder, level ${e.level}` } : { zh: `第${e.level}級`, en: `level ${e.level}` };
  const link = caseLink(consoleUrl, c.caseNo);
  const zh = [
    `【1999 逾期通報 ${head.zh}】案件 ${c.caseNo}`,
    `應處理：${e.mustAct.zh}`,
    `原因：${what.zh}（期限 ${formatTaipei(e.missedDueAt, 'long')}）`,
    `類別：${c.category.zh}`,
    `地點：${c.district.zh} ${c.address}`,
    c.department ? `承辦單位：${c.department.zh}` : undefined,
    `下次通報：${formatTaipei(e.nextDueAt, 'long')}`,
    link ? `處理頁面：${link}` : undefined,
  ];
  const en = [
    `[1999 escalation, ${head.en}] Case ${c.caseNo}`,
    `Must act: ${e.mustAct.en}`,
    `Reason: ${what.en} by ${formatTaipei(e.missedDueAt, 'long')} (Taipei time)`,
    `Category: ${c.category.en}`,
    `Location: ${c.district.en}, ${c.address}`,
    c.department ? `Department: ${c.department.en}` : undefined,
    `Next notice: ${formatTaipei(e.nextDueAt, 'long')}`,
    link ? `Console: ${link}` : undefined,
  ];
  const text = joinLanguages(zh, en);
  return {
    subject: subject(`[1999 逾期 ${head.zh}] ${c.caseNo} ${what.zh} / Escalation ${head.en}: ${what.en}`),
    default: text,
    email: text,
    sms: fitSms((role) => `1999逾期${e.reminder ? '再提醒' : ''}L${e.level} ${c.caseNo} ${what.zh} 請${role}處理`, e.mustAct.zh),
    https: JSON.stringify({
      type: 'case.escalated',
      escalation: { level: e.level, reminder: e.reminder, waitingFor: e.waitingFor, mustAct: e.mustAct, missedDueAt: e.missedDueAt, nextDueAt: e.nextDueAt },
      ...caseDocument(c, consoleUrl),
    }),
  };
}

/** What the recovery path tells supervisors and operations: the case, the step that failed, the error's name. */
export interface WorkflowFailureFacts {
  step: string;
  /** The error's name only (`Lambda.Unknown`, `ValidationError`): a message could quote the case's text. */
  error: string;
  at: string;
}

/**
 * A workflow step failed for good and the case waits for a supervisor's decision. The same message goes to the
 * escalation topic (the 1999 supervisors) and the operations topic; it names no reporter, no description and no
 * error message, only the case number, its category and department, the step and the error's name.
 */
export function workflowFailureNotice(c: CaseFacts, f: WorkflowFailureFacts, consoleUrl: string): TopicMessage {
  const link = caseLink(consoleUrl, c.caseNo);
  const zh = [
    `【1999 流程失敗】案件 ${c.caseNo}`,
    `失敗步驟：${f.step}（${f.error}），${formatTaipei(f.at, 'long')}`,
    `類別：${c.category.zh}`,
    c.department ? `承辦單位：${c.department.zh}` : undefined,
    '請督導決定：重試此步驟、改派或結案。',
    link ? `處理頁面：${link}` : undefined,
  ];
  const en = [
    `[1999 workflow failed] Case ${c.caseNo}`,
    `Failed step: ${f.step} (${f.error}) at ${formatTaipei(f.at, 'long')} (Taipei time)`,
    `Category: ${c.category.en}`,
    c.department ? `Department: ${c.department.en}` : undefined,
    'A supervisor decides: retry the step, reassign or close.',
    link ? `Console: ${link}` : undefined,
  ];
  const text = joinLanguages(zh, en);
  return {
    subject: subject(`[1999 流程失敗] ${c.caseNo} ${f.step} / Workflow failed: ${f.step} (${f.error})`),
    default: text,
    email: text,
    sms: fitSms((step) => `1999流程失敗 ${c.caseNo} ${step} 請督導處理`, f.step),
    https: JSON.stringify({
      type: 'case.workflow-failed',
      failure: { step: f.step, error: f.error, at: f.at },
      caseNo: c.caseNo,
      status: c.status,
      category: c.category.code,
      department: c.department?.code ?? null,
      consoleUrl: link || null,
    }),
  };
}

// ------------------------------------------------------------------------------------------- citizens

export interface CitizenFacts {
  caseNo: string;
  category: Localized;
  /** The city's name, e.g. 桃園市 / Taoyuan City: the SMS sender is otherwise anonymous. */
  city: Localized;
  department?: Localized;
  resolution?: string;
}

/** The citizen's "your case is resolved" message. */
export function citizenResolved(c: CitizenFacts): CitizenMessage {
  const zh = [
    `您好：您向${c.city.zh} 1999 反映的案件 ${c.caseNo}（${c.category.zh}）已${c.department ? `由${c.department.zh}` : ''}處理完成。`,
    c.resolution ? `處理情形：${c.resolution}` : undefined,
    '數日後 1999 將與您聯繫，了解您是否滿意。謝謝您的反映。',
  ];
  const en = [
    `Your case ${c.caseNo} (${c.category.en}) reported to ${c.city.en} 1999 has been resolved${c.department ? ` by the ${c.department.en}` : ''}.`,
    c.resolution ? `Resolution (in Chinese): ${c.resolution}` : undefined,
    'In a few days 1999 will contact you to ask whether you are satisfied. Thank you for your report.',
  ];
  return {
    sms: fitSms((category) => `${c.city.zh}1999：您反映的案件${c.caseNo}（${category}）已處理完成，謝謝您。`, c.category.zh),
    email: { subject: subject(`${c.city.zh} 1999 案件 ${c.caseNo} 已處理完成 / Case resolved`), text: joinLanguages(zh, en) },
  };
}

/**
 * The receipt when a case is logged: the case number in one SMS segment, no URL (the SMS rules above). It promises
 * word of the outcome only when the SOP sends one (`tellsOutcome`); otherwise it points to the hotline.
 */
export function citizenReceipt(c: CitizenFacts & { tellsOutcome: boolean }): CitizenMessage {
  const next = c.tellsOutcome ? { zh: '處理完成後將再通知您。', en: 'We will tell you when it is resolved.' } : { zh: '進度請洽1999。', en: 'Call 1999 for its progress.' };
  return {
    sms: fitSms((category) => `${c.city.zh}1999：已受理您反映的案件${c.caseNo}（${category}），${next.zh}`, c.category.zh),
    email: {
      subject: subject(`${c.city.zh} 1999 案件 ${c.caseNo} 已受理 / Case logged`),
      text: joinLanguages([`您反映的案件 ${c.caseNo}（${c.category.zh}）已受理。${next.zh}`], [`Your case ${c.caseNo} (${c.category.en}) has been logged. ${next.en}`]),
    },
  };
}

/** The reporter of a duplicate hears the outcome of the case it was merged into. */
export function citizenMergedResolved(c: CitizenFacts & { parentCaseNo: string }): CitizenMessage {
  const zh = [
    `您好：您向${c.city.zh} 1999 反映的案件 ${c.caseNo}（${c.category.zh}）已併入案件 ${c.parentCaseNo} 一併處理，現已處理完成。`,
    c.resolution ? `處理情形：${c.resolution}` : undefined,
    '謝謝您的反映。',
  ];
  const en = [
    `Your case ${c.caseNo} (${c.category.en}) reported to ${c.city.en} 1999 was handled together with case ${c.parentCaseNo}, which has been resolved.`,
    c.resolution ? `Resolution (in Chinese): ${c.resolution}` : undefined,
    'Thank you for your report.',
  ];
  return {
    sms: `${c.city.zh}1999：您反映的案件${c.caseNo}已併入${c.parentCaseNo}處理完成，謝謝您。`,
    email: { subject: subject(`${c.city.zh} 1999 案件 ${c.caseNo} 已處理完成 / Case resolved`), text: joinLanguages(zh, en) },
  };
}

// ------------------------------------------------------------------------------------------- helpers

/** The `Message` of an SNS publish with `MessageStructure: json`. */
/** What an early-warning message says: names resolved by the caller, the evidence, no personal data. */
export interface WarningFacts {
  id: string;
  kind: 'spike' | 'recurring-place';
  category: Localized;
  /** Absent for a category city-wide. */
  district?: Localized;
  /** A recurring place's address as last reported. */
  address?: string;
  /** Cases in the window (spike) or reports of the place (recurring place). */
  count: number;
  /** Spike: the comparable days' mean in the same hours. */
  expected?: number;
  /** ISO instants of the window or of the first and last report. */
  from: string;
  to: string;
  department?: Localized & { code: string };
}

/**
 * An early warning for the supervisors' early-warning topic and the department concerned: what, where, how
 * unusual, and the console's warnings page. zh-TW first; the SMS is one segment without a link.
 */
export function warningNotice(w: WarningFacts, consoleUrl: string): TopicMessage {
  const where = { zh: w.district?.zh ?? '全市', en: w.district?.en ?? 'city-wide' };
  const spike = w.kind === 'spike';
  const head = spike ? { zh: '案件異常增加', en: 'unusual rise in cases' } : { zh: '同地點重複通報', en: 'place reported again and again' };
  const link = consoleUrl ? `${consoleUrl.replace(/\/+$/, '')}/#/warnings?id=${encodeURIComponent(w.id)}` : '';
  const expected = w.expected !== undefined ? Math.round(w.expected * 10) / 10 : undefined;
  const zh = [
    `【1999 預警】${head.zh}`,
    `類別：${w.category.zh}`,
    `地點：${where.zh}${w.address ? ` ${w.address}` : ''}`,
    spike ? `${formatTaipei(w.from, 'long')} 起 ${w.count} 件（同時段平常約 ${expected ?? 0} 件）` : `${formatTaipei(w.from, 'short')} 至 ${formatTaipei(w.to, 'short')} 共 ${w.count} 次通報`,
    w.department ? `相關單位：${w.department.zh}` : undefined,
    link ? `預警頁面：${link}` : undefined,
  ];
  const en = [
    `[1999 early warning] ${head.en}`,
    `Category: ${w.category.en}`,
    `Location: ${where.en}${w.address ? `, ${w.address}` : ''}`,
    spike ? `${w.count} cases since ${formatTaipei(w.from, 'long')} (usually about ${expected ?? 0} in these hours)` : `${w.count} reports from ${formatTaipei(w.from, 'short')} to ${formatTaipei(w.to, 'short')}`,
    w.department ? `Department: ${w.department.en}` : undefined,
    link ? `Console: ${link}` : undefined,
  ];
  const text = joinLanguages(zh, en);
  return {
    subject: subject(`[1999 預警] ${w.category.zh} ${where.zh} ${head.zh} / Early warning: ${w.category.en}, ${where.en}`),
    default: text,
    email: text,
    sms: fitSms((category) => `1999預警 ${category} ${where.zh} ${spike ? `${w.count}件 平常約${expected ?? 0}件` : `同地點${w.count}次`}`, w.category.zh),
    https: JSON.stringify({ type: 'warning.raised', id: w.id, kind: w.kind, category: w.category, district: w.district ?? null, address: w.address ?? null, count: w.count, expected: w.expected ?? null, from: w.from, to: w.to, department: w.department ?? null, link: link || null }),
  };
}

export function toSnsJson(m: TopicMessage): string {
  return JSON.stringify({ default: m.default, email: m.email, sms: m.sms, https: m.https });
}

/** Characters as an SMS counts them in UCS-2: UTF-16 code units (an emoji takes two). */
export function smsLength(text: string): number {
  return text.length;
}

/**
 * Builds an SMS from a template with one shortenable part (a name), shortening that part with an ellipsis until
 * the whole fits one segment. The fixed part of every template is far below the limit.
 */
export function fitSms(template: (part: string) => string, part: string, limit = SMS_SEGMENT_LIMIT): string {
  let text = template(part);
  if (smsLength(text) <= limit) return text;
  const chars = Array.from(part);
  for (let keep = chars.length - 1; keep >= 0; keep--) {
    text = template(keep ? `${chars.slice(0, keep).join('')}…` : '');
    if (smsLength(text) <= limit) return text;
  }
  return Array.from(text).slice(0, limit).join('');
}

const TAIPEI_PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Taipei',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Taipei wall time: `long` 2026-11-27 14:30, `short` 11/27 14:30. */
export function formatTaipei(iso: string, style: 'long' | 'short'): string {
  const p = Object.fromEntries(TAIPEI_PARTS.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return style === 'long' ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` : `${Number(p.month)}/${Number(p.day)} ${p.hour}:${p.minute}`;
}

/**
 * The `dedupeId` message attribute of a logical message: the case number, the event and what makes that event
 * one (a level and a deadline, a step): the same on every retry and redelivery of that message, different for the
 * next one. Department receivers drop a message whose dedupeId they have seen (docs/workflow.md, Notifications).
 */
export function dedupeId(caseNo: string, event: string, ...parts: Array<string | number>): string {
  return [caseNo, event, ...parts].join(':').slice(0, 256);
}

/** The console page of a case; empty when no console URL is configured. Hash route: API paths own `/cases`. */
export function caseLink(consoleUrl: string, caseNo: string): string {
  return consoleUrl ? `${consoleUrl.replace(/\/+$/, '')}/#/cases/${encodeURIComponent(caseNo)}` : '';
}

function dueLineZh(c: CaseFacts): string | undefined {
  const parts: string[] = [];
  if (c.acknowledgeDueAt) parts.push(`請於 ${formatTaipei(c.acknowledgeDueAt, 'long')} 前簽收`);
  if (c.resolveDueAt) parts.push(`${formatTaipei(c.resolveDueAt, 'long')} 前完成處理`);
  return parts.length ? `${parts.join('，')}。` : undefined;
}

function dueLineEn(c: CaseFacts): string | undefined {
  const parts: string[] = [];
  if (c.acknowledgeDueAt) parts.push(`acknowledge by ${formatTaipei(c.acknowledgeDueAt, 'long')}`);
  if (c.resolveDueAt) parts.push(`resolve by ${formatTaipei(c.resolveDueAt, 'long')}`);
  if (!parts.length) return undefined;
  const s = parts.join(', ');
  return `${s[0].toUpperCase()}${s.slice(1)} (Taipei time).`;
}

function caseDocument(c: CaseFacts, consoleUrl: string): Record<string, unknown> {
  return {
    caseNo: c.caseNo,
    status: c.status,
    category: c.category.code,
    categoryName: { zh: c.category.zh, en: c.category.en },
    district: c.district.code,
    districtName: { zh: c.district.zh, en: c.district.en },
    address: c.address,
    priority: c.priority,
    department: c.department?.code ?? null,
    acknowledgeDueAt: c.acknowledgeDueAt ?? null,
    resolveDueAt: c.resolveDueAt ?? null,
    escalationLevel: c.escalationLevel,
    consoleUrl: caseLink(consoleUrl, c.caseNo) || null,
  };
}

function joinLanguages(zh: Array<string | undefined>, en: Array<string | undefined>): string {
  return [...zh.filter(Boolean), '', ...en.filter(Boolean)].join('\n');
}

export function subject(s: string): string {
  const line = s.replace(/[\r\n\t]+/g, ' ');
  const chars = Array.from(line);
  return chars.length <= SUBJECT_LIMIT ? line : `${chars.slice(0, SUBJECT_LIMIT - 1).join('')}…`;
}
