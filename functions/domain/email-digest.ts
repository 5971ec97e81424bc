/**
 * The daily e-mail digest of a recipient group (domain/email-delivery.ts): which of its inbox's notifications it
 * lists and the one e-mail that lists them, zh-TW first, then English. It says what the console says in its
 * list and no more: the kind, the case number, the category, the escalation level, a link. Never a reason typed
 * by someone (a return or access-request reason may quote the caller), never anything of the reporter.
 */
import type { DigestGroup } from './email-delivery';
import { caseLink, formatTaipei, subject, type Localized } from './messages';
import type { ConsoleNotification, NotificationKind } from './notifications';

/** Lines one e-mail lists; the rest are counted and left to the console. */
export const DIGEST_MAX_LINES = 100;

/** Whether a notification of the group's inbox belongs in its digest. */
export function inDigest(group: Pick<DigestGroup, 'minLevel'>, n: ConsoleNotification): boolean {
  if (group.minLevel === undefined) return true;
  return n.kind === 'escalated' && Number(n.detail) >= group.minLevel;
}

export interface DigestNames {
  category(code: string): Localized;
  department(code: string): Localized;
}

export interface DigestEmail {
  subject: string;
  text: string;
}

const KIND_LABEL: Record<NotificationKind, Localized> = {
  escalated: { zh: '逾期升級', en: 'Escalated' },
  'access-requested': { zh: '個資調閱申請', en: 'Access request' },
  returned: { zh: '退回案件', en: 'Returned case' },
  warning: { zh: '預警', en: 'Early warning' },
};

function link(consoleUrl: string, n: ConsoleNotification): string {
  if (n.caseNo) return caseLink(consoleUrl, n.caseNo);
  if (n.warningId && consoleUrl) return `${consoleUrl.replace(/\/+$/, '')}/#/warnings?id=${encodeURIComponent(n.warningId)}`;
  return '';
}

function line(n: ConsoleNotification, names: DigestNames, consoleUrl: string, lang: keyof Localized): string {
  // A warning's detail is its category code; a case notification carries the category since digests exist.
  const categoryCode = n.kind === 'warning' ? n.detail : n.category;
  const parts = [
    `- ${formatTaipei(n.at, 'long')}`,
    KIND_LABEL[n.kind][lang] + (n.kind === 'escalated' && n.detail ? (lang === 'zh' ? `（第 ${n.detail} 層）` : ` (level ${n.detail})`) : ''),
    n.caseNo,
    categoryCode ? names.category(categoryCode)[lang] : undefined,
    n.department ? names.department(n.department)[lang] : undefined,
    link(consoleUrl, n),
  ];
  return parts.filter(Boolean).join(' ');
}

/**
 * The digest e-mail for `items` (oldest first), of which at most DIGEST_MAX_LINES are listed; `unlisted` counts
 * what the run read beyond them. Undefined when there is nothing to tell: no e-mail at all.
 */
export function digestEmail(group: DigestGroup, items: readonly ConsoleNotification[], names: DigestNames, consoleUrl: string, unlisted = 0): DigestEmail | undefined {
  if (items.length === 0) return undefined;
  const listed = items.slice(0, DIGEST_MAX_LINES);
  const more = items.length - listed.length + unlisted;
  const total = items.length + unlisted;
  const who = names.department(group.department);
  const inbox = consoleUrl ? `${consoleUrl.replace(/\/+$/, '')}/#/notifications` : '';
  const zh = [
    `【1999 每日摘要】${who.zh}：自上次摘要以來 ${total} 則通知`,
    '',
    ...listed.map((n) => line(n, names, consoleUrl, 'zh')),
    more > 0 ? `另有 ${more} 則，請至系統查看。` : undefined,
    inbox ? `通知列表：${inbox}` : undefined,
  ];
  const en = [
    `[1999 daily digest] ${who.en}: ${total} notification${total === 1 ? '' : 's'} since the last digest`,
    '',
    ...listed.map((n) => line(n, names, consoleUrl, 'en')),
    more > 0 ? `${more} more in the console.` : undefined,
    inbox ? `Notifications: ${inbox}` : undefined,
  ];
  return {
    subject: subject(`[1999 每日摘要] ${who.zh} ${total} 則通知 / Daily digest: ${total} notification${total === 1 ? '' : 's'}`),
    text: [...zh, '', ...en].filter((l) => l !== undefined).join('\n'),
  };
}
