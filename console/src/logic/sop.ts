/** SOP editing: the draft the form holds and the PUT body it becomes (the whole SOP, as a new version). */
import type { SopView } from '../api/types';
import { askedInOrder } from '../../../functions/domain/sop';

export type DeadlineUnit = 'workingHours' | 'workingDays' | 'calendarHours' | 'calendarDays';
export const DEADLINE_UNITS: readonly DeadlineUnit[] = ['workingHours', 'workingDays', 'calendarHours', 'calendarDays'];

export interface DeadlineDraft {
  amount: string;
  unit: DeadlineUnit;
}

export interface SopDraft {
  keywords: string;
  priority: 'normal' | 'urgent';
  defaultDepartment: string;
  overrides: Array<{ district: string; department: string }>;
  acknowledgeWithin: DeadlineDraft;
  resolveWithin: DeadlineDraft;
  urgent: { acknowledgeWithin: DeadlineDraft; resolveWithin: DeadlineDraft } | undefined;
  followUpAfter: DeadlineDraft;
  surveyWindow: DeadlineDraft;
  notifyCitizen: boolean;
  /** What the agent says and checks on the call; Chinese required when there is any, English optional. */
  guidanceZh: string;
  guidanceEn: string;
  /** The intake questions in the order intake asks them (retired ones stay in the list). */
  questions: QuestionDraft[];
  /** Why the SOP changes: required, stored with the new version beside its author. */
  reason: string;
}

type Attribute = SopView['attributes'][number];
export type QuestionType = Attribute['datatype'];
export const QUESTION_TYPES: readonly QuestionType[] = ['string', 'text', 'number', 'datetime', 'singlevaluelist', 'multivaluelist'];
export const isListType = (t: QuestionType): boolean => t === 'singlevaluelist' || t === 'multivaluelist';

export interface QuestionDraft {
  code: string;
  /** Stored in an earlier version: its code and type are fixed, and it is retired rather than removed. */
  saved: boolean;
  datatype: QuestionType;
  required: boolean;
  labelZh: string;
  labelEn: string;
  /** A list question's answers, one a line: `key | 中文 | English`. */
  values: string;
  retired: boolean;
  /** The stored question, so what the form does not edit goes back as it was. */
  original?: Attribute;
}

/** A new, empty question at the end of the list. */
export function newQuestion(): QuestionDraft {
  return { code: '', saved: false, datatype: 'string', required: false, labelZh: '', labelEn: '', values: '', retired: false };
}

/** The list with question `from` moved one place up (-1) or down (+1); out of range leaves it as it is. */
export function moveQuestion(list: readonly QuestionDraft[], from: number, by: -1 | 1): QuestionDraft[] {
  const to = from + by;
  if (from < 0 || to < 0 || from >= list.length || to >= list.length) return [...list];
  const out = [...list];
  [out[from], out[to]] = [out[to], out[from]];
  return out;
}

function questionDraft(a: Attribute): QuestionDraft {
  return {
    code: a.code,
    saved: true,
    datatype: a.datatype,
    required: a.required,
    labelZh: a.description.zh,
    labelEn: a.description.en,
    values: (a.values ?? []).map((v) => `${v.key} | ${v.name.zh} | ${v.name.en}`).join('\n'),
    retired: a.retired === true,
    original: a,
  };
}

/** `key | 中文 | English` lines as list values; a missing part goes blank so the API names it. */
function parseValues(text: string): Array<{ key: string; name: { zh: string; en: string } }> {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [key = '', zh = '', en = ''] = line.split(/[|｜]/).map((p) => p.trim());
      return { key, name: { zh, en } };
    });
}

/** The question as the PUT body carries it; its place in the list is its `order`. */
function questionBody(q: QuestionDraft, index: number): Record<string, unknown> {
  const { retired: _retired, values: _values, ...kept } = q.original ?? {};
  const out: Record<string, unknown> = {
    ...kept,
    code: q.code.trim(),
    datatype: q.datatype,
    required: q.required,
    description: { zh: q.labelZh, en: q.labelEn },
    order: index + 1,
  };
  if (isListType(q.datatype)) out.values = parseValues(q.values);
  if (q.retired) out.retired = true;
  return out;
}

const dd = (d: { amount: number; unit: DeadlineUnit }): DeadlineDraft => ({ amount: String(d.amount), unit: d.unit });
/** A number as typed; text that is not one goes as it is, so the API names the field. */
const deadline = (d: DeadlineDraft) => {
  const n = Number(d.amount);
  return { amount: d.amount.trim() !== '' && Number.isFinite(n) ? n : d.amount, unit: d.unit };
};

/** The questions in intake's order, the retired ones after them in theirs. */
function askedFirst(attributes: readonly Attribute[]): Attribute[] {
  const asked = askedInOrder({ attributes });
  return [...asked, ...attributes.filter((a) => a.retired)];
}

export function draftFromSop(sop: SopView): SopDraft {
  return {
    keywords: sop.keywords.join(', '),
    priority: sop.priority,
    defaultDepartment: sop.defaultDepartment,
    overrides: Object.entries(sop.districtOverrides).map(([district, department]) => ({ district, department })),
    acknowledgeWithin: dd(sop.acknowledgeWithin),
    resolveWithin: dd(sop.resolveWithin),
    urgent: sop.urgent ? { acknowledgeWithin: dd(sop.urgent.acknowledgeWithin), resolveWithin: dd(sop.urgent.resolveWithin) } : undefined,
    followUpAfter: dd(sop.followUpAfter),
    surveyWindow: dd(sop.surveyWindow),
    notifyCitizen: sop.notifyCitizen,
    guidanceZh: sop.guidance?.zh ?? '',
    guidanceEn: sop.guidance?.en ?? '',
    questions: askedFirst(sop.attributes).map(questionDraft),
    reason: '',
  };
}

/** The PUT /sops/{category} body: the SOP as read, with the draft's changes and its reason; version bookkeeping left out. */
export function sopPutBody(sop: SopView, draft: SopDraft): Record<string, unknown> {
  const { version: _v, updatedAt: _a, updatedBy: _b, origin: _o, reason: _r, contentHash: _h, ...rest } = sop;
  const overrides: Record<string, string> = {};
  for (const o of draft.overrides) if (o.district && o.department) overrides[o.district] = o.department;
  const body: Record<string, unknown> = {
    ...rest,
    keywords: draft.keywords
      .split(/[,，、\n]/)
      .map((k) => k.trim())
      .filter(Boolean),
    priority: draft.priority,
    defaultDepartment: draft.defaultDepartment,
    districtOverrides: overrides,
    acknowledgeWithin: deadline(draft.acknowledgeWithin),
    resolveWithin: deadline(draft.resolveWithin),
    followUpAfter: deadline(draft.followUpAfter),
    surveyWindow: deadline(draft.surveyWindow),
    notifyCitizen: draft.notifyCitizen,
    attributes: draft.questions.map(questionBody),
    reason: draft.reason.trim(),
  };
  const guidance = { zh: draft.guidanceZh.trim(), en: draft.guidanceEn.trim() };
  if (guidance.zh || guidance.en) body.guidance = guidance.en ? guidance : { zh: guidance.zh };
  else delete body.guidance;
  if (draft.urgent) body.urgent = { acknowledgeWithin: deadline(draft.urgent.acknowledgeWithin), resolveWithin: deadline(draft.urgent.resolveWithin) };
  else delete body.urgent;
  return body;
}
