/**
 * The receipt SMS, sent by `RouteCase` when it first sees a case: the citizen who asked for SMS gets the case
 * number when the case is logged. Nothing when the case has had its receipt (`receiptAt`: a retried or repeated
 * routing) or is past NEW (routed already, or logged before receipts existed), when the reporter is not reached by
 * SMS (anonymous, e-mail, none, not a mobile), or when the SOP says no (`receiptSms`, else `notifyCitizen`).
 *
 * Two ways, one timeline (a `citizen-notified` event, channel and outcome, no number, before `routed`):
 * - with the routing (route-case.ts, the common path): the routing's one write also sets `receiptAt`, records the
 *   event as sent and takes the number's daily cap (privacy/rate-limits.ts) on its own condition; the SMS goes
 *   out once that write went through. A full cap cancels the write, which is made again recording the receipt as
 *   stopped by the cap (SmsCapReached), nothing sent; a send that fails after the write revises the event to
 *   the failure, as a failed send was always recorded. A retry finds `receiptAt` and sends nothing: a run that
 *   ended between the write and the send leaves the receipt unsent (the routing is never held back for it);
 * - alone (`sendReceipt`), when there is no routing to write it with (a case nobody could place goes to the desk
 *   with its receipt): the capped notifier counts the cap, then ONE conditional write records the outcome. Like
 *   TellCitizen, a retry between sending and writing may send again; the daily cap bounds that.
 */
import { WORKFLOW_ACTOR } from '../../domain/actor';
import type { Case } from '../../domain/case';
import { nowIso } from '../../domain/clock';
import { citizenReceipt, type CitizenMessage } from '../../domain/messages';
import type { VersionedSop } from '../../config/schema';
import type { NewCaseEvent, Notifier, RateTake } from '../ports';
import { changeCase, citizenFacts, type LifecyclePorts, type LifecycleSettings } from './context';
import { citizenChannel, deliverToCitizen, deliveryText, notDelivered, toE164, type CitizenDelivery } from './notify-citizen';

export function wantsReceipt(c: Pick<Case, 'receiptAt' | 'reporter' | 'status'>, sop: Pick<VersionedSop, 'receiptSms' | 'notifyCitizen'>): boolean {
  if (c.receiptAt || c.status !== 'NEW' || c.reporter.notify !== 'sms' || citizenChannel(c.reporter).channel !== 'sms') return false;
  return sop.receiptSms ?? sop.notifyCitizen;
}

/** The receipt alone, when no routing is written to carry it. */
export async function sendReceipt(ports: Pick<LifecyclePorts, 'cases' | 'notifier' | 'metrics'>, settings: LifecycleSettings, c: Case, sop: VersionedSop): Promise<void> {
  if (!wantsReceipt(c, sop)) return;
  const delivery = await deliverToCitizen(ports.notifier, c.reporter, receiptMessage(settings, c, sop), ports.metrics);
  await changeCase(ports.cases, c.caseNo, (current) => (current.receiptAt ? undefined : { set: { receiptAt: nowIso() }, event: receiptEvent(delivery) }), c);
}

/** A receipt to record in the routing's write and send after it; `cap`: the number's cap, taken in that write. */
export interface ReceiptWithRouting {
  message: CitizenMessage;
  cap?: { take: RateTake; reached(): Error };
}

/** The receipt the case wants (undefined: none), to go with its routing. */
export function receiptWithRouting(notifier: Notifier, settings: LifecycleSettings, c: Case, sop: VersionedSop): ReceiptWithRouting | undefined {
  if (!wantsReceipt(c, sop)) return undefined;
  // wantsReceipt: an SMS reporter with a mobile number.
  const cap = notifier.smsCap?.(toE164(c.reporter.phone!)!);
  return { message: receiptMessage(settings, c, sop), ...(cap ? { cap } : {}) };
}

/**
 * The routing write's part: `receiptAt`, the event (as sent, or as stopped by the cap when `capped` is its
 * error), and the cap's hit unless capped.
 */
export function receiptChange(receipt: ReceiptWithRouting, capped: Error | undefined): { receiptAt: string; event: NewCaseEvent; take?: RateTake } {
  const delivery: CitizenDelivery = capped ? { channel: 'sms', delivered: false, reason: capped.name } : SENT;
  return { receiptAt: nowIso(), event: receiptEvent(delivery), ...(receipt.cap && !capped ? { take: receipt.cap.take } : {}) };
}

/** The routing's write found the number's cap full: the error to record, counted as the capped notifier counts it. */
export function receiptCapped(receipt: ReceiptWithRouting, metrics: LifecyclePorts['metrics']): Error {
  const error = receipt.cap!.reached();
  notDelivered('sms', error, metrics);
  return error;
}

/**
 * After the routing's write went through: the SMS. A failed send revises the receipt event written as sent (at
 * `recorded`: the write's time and the event's version) to the failure.
 */
export async function sendRecordedReceipt(ports: Pick<LifecyclePorts, 'cases' | 'notifier' | 'metrics'>, c: Case, message: CitizenMessage, recorded: { at: string; version: number }): Promise<void> {
  const delivery = await deliverToCitizen(ports.notifier, c.reporter, message, ports.metrics, { smsCapTaken: true });
  if (!delivery.delivered) await ports.cases.reviseEvent(c.caseNo, recorded, receiptEvent(delivery));
}

const SENT: CitizenDelivery = { channel: 'sms', delivered: true };

function receiptMessage(settings: LifecycleSettings, c: Case, sop: VersionedSop): CitizenMessage {
  return citizenReceipt({ ...citizenFacts(c, sop, settings.config), tellsOutcome: sop.notifyCitizen });
}

function receiptEvent(delivery: CitizenDelivery): NewCaseEvent {
  const [zh, en] = deliveryText(delivery).split(' / ');
  return { type: 'citizen-notified', by: WORKFLOW_ACTOR, text: `受理簡訊：${zh} / Receipt SMS: ${en}`, data: { ...delivery, message: 'receipt' } };
}
