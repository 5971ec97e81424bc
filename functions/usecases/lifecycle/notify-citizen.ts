/**
 * Reaching a reporter: SMS only to those who opted in, e-mail otherwise, nothing for anonymous reporters or
 * those who chose "none". A failed delivery is reported, not thrown: the workflow records it on the timeline and
 * goes on (a wrong phone number must not stall a case).
 */
import type { Reporter } from '../../domain/case';
import type { CitizenMessage } from '../../domain/messages';
import type { BusinessMetrics, Notifier } from '../ports';

export type CitizenChannel = 'sms' | 'email' | 'none';

export interface CitizenDelivery {
  channel: CitizenChannel;
  delivered: boolean;
  /** Why nothing was sent, or the delivery error's name. Never the address itself. */
  reason?: string;
}

/** Which channel a reporter is reached on, and why not when none. */
export function citizenChannel(reporter: Reporter): { channel: CitizenChannel; reason?: string } {
  if (reporter.anonymous) return { channel: 'none', reason: 'anonymous' };
  if (reporter.notify === 'none') return { channel: 'none', reason: 'opted-out' };
  if (reporter.notify === 'sms' && reporter.phone && toE164(reporter.phone)) return { channel: 'sms' };
  if (reporter.email) return { channel: 'email' };
  // Open311 keeps a phone as given (a visitor's foreign number): SMS was asked for, but there is no mobile to text.
  if (reporter.notify === 'sms' && reporter.phone) return { channel: 'none', reason: 'not-a-mobile' };
  return { channel: 'none', reason: 'no-contact' };
}

/** A Taiwanese mobile number in E.164 (`0912345678` -> `+886912345678`), as SNS wants it; undefined if not one. */
export function toE164(phone: string): string | undefined {
  const digits = phone.replace(/[\s-]/g, '');
  if (/^09\d{8}$/.test(digits)) return `+886${digits.slice(1)}`;
  if (/^\+8869\d{8}$/.test(digits)) return digits;
  return undefined;
}

/**
 * Sends the message on the reporter's channel; a notice sent or failed counts by channel (`metrics`), none does not.
 * `smsCapTaken`: the caller took the number's SMS cap in its own write (Notifier.smsCap).
 */
export async function deliverToCitizen(notifier: Notifier, reporter: Reporter, message: CitizenMessage, metrics?: BusinessMetrics, options: { smsCapTaken?: boolean } = {}): Promise<CitizenDelivery> {
  const { channel, reason } = citizenChannel(reporter);
  if (channel === 'none') return { channel, delivered: false, ...(reason ? { reason } : {}) };
  try {
    const phone = channel === 'sms' ? toE164(reporter.phone!)! : undefined;
    if (phone && options.smsCapTaken) await notifier.sms(phone, message.sms, { capTaken: true });
    else if (phone) await notifier.sms(phone, message.sms);
    else await notifier.email(reporter.email!, message.email.subject, message.email.text);
    metrics?.count('citizenNoticesSent', { channel });
    return { channel, delivered: true };
  } catch (e) {
    return notDelivered(channel, e, metrics);
  }
}

/** A delivery that failed (or that the SMS cap stopped), counted by channel. */
export function notDelivered(channel: Exclude<CitizenChannel, 'none'>, e: unknown, metrics?: BusinessMetrics): CitizenDelivery {
  metrics?.count('citizenNoticesFailed', { channel });
  return { channel, delivered: false, reason: e instanceof Error ? e.name : 'Error' };
}

/** Timeline wording of a delivery (no personal data: the channel, never the number or address). */
export function deliveryText(d: CitizenDelivery): string {
  if (d.delivered) return d.channel === 'sms' ? '已簡訊通知民眾 / Citizen told by SMS' : '已以電子郵件通知民眾 / Citizen told by e-mail';
  if (d.channel === 'none') return `未通知民眾（${NOT_SENT[d.reason ?? ''] ?? d.reason}） / Citizen not told (${d.reason})`;
  return `通知民眾失敗（${d.channel}，${d.reason}） / Telling the citizen failed (${d.channel}, ${d.reason})`;
}

const NOT_SENT: Record<string, string> = {
  anonymous: '匿名',
  'opted-out': '民眾選擇不通知',
  'no-contact': '無聯絡方式',
  'not-a-mobile': '電話非台灣行動電話，無法簡訊通知',
  sop: '此類案件不通知',
};
