/**
 * The receipt SMS, sent by `RouteCase` when it first sees a case (before routing it, so a case nobody could place
 * gets its receipt too): the citizen who asked for SMS gets the case number when the case is logged.
 * Steps:
 * 1. nothing when the case has had its receipt (`receiptAt`: a retried or repeated routing) or is past NEW (routed
 *    already, or logged before receipts existed), when the reporter is
 *    not reached by SMS (anonymous, e-mail, none, not a mobile), or when the SOP says no (`receiptSms`, else
 *    `notifyCitizen`);
 * 2. send one segment (citizenReceipt: 70 characters, no URL) through the notifier, which counts it against the
 *    number's daily cap (privacy/rate-limits.ts) like every citizen SMS; a capped or failed SMS is recorded, not
 *    thrown (notify-citizen.ts);
 * 3. ONE conditional write: `receiptAt` and a `citizen-notified` event (channel and outcome, no number). Like
 *    TellCitizen, a retry between sending and writing may send again; the daily cap bounds that.
 */
import { WORKFLOW_ACTOR } from '../../domain/actor';
import type { Case } from '../../domain/case';
import { nowIso } from '../../domain/clock';
import { citizenReceipt } from '../../domain/messages';
import type { VersionedSop } from '../../config/schema';
import { changeCase, citizenFacts, type LifecyclePorts, type LifecycleSettings } from './context';
import { citizenChannel, deliverToCitizen, deliveryText } from './notify-citizen';

export function wantsReceipt(c: Pick<Case, 'receiptAt' | 'reporter' | 'status'>, sop: Pick<VersionedSop, 'receiptSms' | 'notifyCitizen'>): boolean {
  if (c.receiptAt || c.status !== 'NEW' || c.reporter.notify !== 'sms' || citizenChannel(c.reporter).channel !== 'sms') return false;
  return sop.receiptSms ?? sop.notifyCitizen;
}

/** Returns the case as it is after the receipt (written or not), so the routing that follows need not read it. */
export async function sendReceipt(ports: Pick<LifecyclePorts, 'cases' | 'notifier' | 'metrics'>, settings: LifecycleSettings, c: Case, sop: VersionedSop): Promise<Case> {
  if (!wantsReceipt(c, sop)) return c;
  const message = citizenReceipt({ ...citizenFacts(c, sop, settings.config), tellsOutcome: sop.notifyCitizen });
  const delivery = await deliverToCitizen(ports.notifier, c.reporter, message, ports.metrics);
  const [zh, en] = deliveryText(delivery).split(' / ');
  const { case: after } = await changeCase(
    ports.cases,
    c.caseNo,
    (current) =>
      current.receiptAt
        ? undefined
        : {
            set: { receiptAt: nowIso() },
            event: { type: 'citizen-notified', by: WORKFLOW_ACTOR, text: `受理簡訊：${zh} / Receipt SMS: ${en}`, data: { ...delivery, message: 'receipt' } },
          },
    c,
  );
  return after;
}
