/** Intake form logic: the request body from what the agent typed, and the SOP summary they read to the caller. */
import type { CreateCaseBody, InquiryBody, SopView } from '../api/types';
import type { MessageKey, Params } from '../i18n';
import { askedInOrder } from '../../../functions/domain/sop';

export interface IntakeForm {
  category: string;
  description: string;
  district: string;
  address: string;
  lat: string;
  lng: string;
  name: string;
  phone: string;
  email: string;
  anonymous: boolean;
  notify: 'sms' | 'email' | 'none';
  channel: string;
  priorityOverride: '' | 'normal' | 'urgent';
  attributes: Record<string, string | string[]>;
  /** A pinned surge topic the call is logged under. */
  surgeTopic?: string;
}

export const EMPTY_INTAKE: IntakeForm = {
  category: '',
  description: '',
  district: '',
  address: '',
  lat: '',
  lng: '',
  name: '',
  phone: '',
  email: '',
  anonymous: false,
  notify: 'sms',
  channel: 'phone',
  priorityOverride: '',
  attributes: {},
};

/** A number typed in a text box, or the text itself so the API names the field when it is not one. */
function numberOrText(s: string): number | undefined {
  const v = s.trim();
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : Number.NaN;
}

type Attr = SopView['attributes'][number];

function attributeValue(attr: Attr, raw: string | string[] | undefined): string | number | string[] | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) return raw.length ? raw : undefined;
  const v = raw.trim();
  if (!v) return undefined;
  if (attr.datatype === 'number') {
    const n = Number(v);
    return Number.isFinite(n) ? n : v;
  }
  if (attr.datatype === 'datetime') {
    // datetime-local has no zone: the caller speaks Taipei time.
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00+08:00` : v;
  }
  return v;
}

/**
 * The POST /cases body. Blank optional fields are left out (the API's defaults apply); an anonymous caller gives
 * no name and no phone. Values are sent as typed: checking them is the API's job, and it names the field.
 */
export function createCaseBody(form: IntakeForm, sop: SopView | undefined, inquiry?: InquiryBody): CreateCaseBody {
  const lat = numberOrText(form.lat);
  const lng = numberOrText(form.lng);
  const attributes: Record<string, string | number | string[]> = {};
  for (const attr of sop ? askedInOrder(sop) : []) {
    const v = attributeValue(attr, form.attributes[attr.code]);
    if (v !== undefined) attributes[attr.code] = v;
  }
  const reporter: CreateCaseBody['reporter'] = { anonymous: form.anonymous, notify: form.notify };
  if (!form.anonymous && form.name.trim()) reporter.name = form.name.trim();
  if (!form.anonymous && form.phone.trim()) reporter.phone = form.phone.trim();
  if (form.email.trim()) reporter.email = form.email.trim();
  return {
    category: form.category,
    description: form.description.trim(),
    location: {
      district: form.district,
      address: form.address.trim(),
      ...(lat !== undefined ? { lat } : {}),
      ...(lng !== undefined ? { lng } : {}),
    },
    reporter,
    channel: form.channel,
    ...(form.priorityOverride ? { priorityOverride: form.priorityOverride } : {}),
    ...(Object.keys(attributes).length ? { attributes } : {}),
    ...(inquiry ? { inquiry } : {}),
    ...(form.surgeTopic ? { surgeTopic: form.surgeTopic } : {}),
  };
}

/**
 * How an inquiry call ends: answered from the chosen article, or no article fit (the caller's words, as the agent
 * typed them, become the question for the department), or escalated to the department as a normal case.
 */
export function inquiryBody(outcome: InquiryBody['outcome'], form: Pick<IntakeForm, 'description'>, articleId?: string): InquiryBody {
  const question = form.description.trim().slice(0, INQUIRY_QUESTION_MAX);
  if (outcome === 'answered') return { outcome, articleId: articleId ?? '' };
  if (outcome === 'no-article') return { outcome, question };
  return { outcome, ...(articleId ? { articleId } : {}), ...(question ? { question } : {}) };
}

/** The API keeps at most this much of the question (functions/api/schemas.ts). */
export const INQUIRY_QUESTION_MAX = 300;

/** The body that attaches the caller's report to an existing case: POST /cases minus category and location. */
export function attachReportBody(form: IntakeForm): Omit<CreateCaseBody, 'category' | 'location'> {
  const { reporter, description, channel } = createCaseBody(form, undefined);
  return { description, reporter, channel };
}

/** Which department the SOP sends a case to in a district (`DIST` = that district's office). */
export function routedDepartment(sop: Pick<SopView, 'defaultDepartment' | 'districtOverrides'>, district: string): string | undefined {
  const dept = (district && sop.districtOverrides[district]) || sop.defaultDepartment;
  if (dept === 'DIST') return district ? `DIST-${district.toUpperCase()}` : undefined;
  return dept;
}

type T = (key: MessageKey, params?: Params) => string;

export function formatDeadline(d: { amount: number; unit: 'workingHours' | 'workingDays' | 'calendarHours' | 'calendarDays' }, t: T): string {
  return t(`unit.${d.unit}`, { n: d.amount });
}

/** `20261127-00042` read out in groups: `2026 1127 - 000 42`. */
export function spokenCaseNo(caseNo: string): string {
  const m = /^(\d{4})(\d{4})-(\d{3})(\d{2})$/.exec(caseNo);
  return m ? `${m[1]} ${m[2]} - ${m[3]} ${m[4]}` : caseNo;
}

/**
 * The number to look the caller up by, once a whole Taiwanese number is typed (`0912-345-678`, `+886 3 425 1234`),
 * in the digits the API normalises to; nothing while it is still partial.
 */
export function callerLookupNumber(typed: string): string | undefined {
  let digits = typed.replace(/[\s()+-]/g, '');
  if (!/^\d+$/.test(digits)) return undefined;
  if (digits.startsWith('886')) digits = `0${digits.slice(3)}`;
  if (/^09\d{8}$/.test(digits) || /^0[2-8]\d{7,8}$/.test(digits)) return digits;
  return undefined;
}
