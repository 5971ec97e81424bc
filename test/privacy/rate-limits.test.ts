/**
 * Abuse limits over dynalite: a machine client over its requests per minute gets 429 with Retry-After, people are
 * not limited; one number gets at most its daily SMS; machine callers file at most so many cases per reporter
 * phone a day. All on the hand-moved clock.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoRateCounters } from '../../functions/adapters/rate-counters';
import type { ApiHandler } from '../../functions/api/http';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { SmsCappedNotifier } from '../../functions/privacy/rate-limits';
import { deliverToCitizen } from '../../functions/usecases/lifecycle/notify-citizen';
import type { Notifier } from '../../functions/usecases/ports';
import { apiEvent, call, CLAIMS } from '../api/support/events';
import { startDynalite, type LocalTable } from '../support/dynalite';

const STATE_MACHINE = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:case-lifecycle';
const sfnMock = mockClient(SFNClient);
let local: LocalTable;
let counters: DynamoRateCounters;
let h: Record<'reference' | 'createCase', ApiHandler>;
const clock = new ManualClock('2026-11-27T01:00:10.000Z');
let restore: () => void;
const LIMITS = { CLIENT_REQUESTS_PER_MINUTE: '3', SMS_PER_PHONE_PER_DAY: '2', CASES_PER_PHONE_PER_DAY: '2' };

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-limits-test' });
  // The limits are part of the environment the composition root parses at cold start (the handlers' import).
  Object.assign(process.env, LIMITS, { AWS_ENDPOINT_URL_DYNAMODB: local.endpoint, TABLE_NAME: local.tableName, CASE_WORKFLOW_ARN: STATE_MACHINE });
  counters = new DynamoRateCounters(local.ddb, local.tableName);
  h = {
    reference: (await import('../../functions/api/handlers/reference')).handler,
    createCase: (await import('../../functions/api/handlers/create-case')).handler,
  };
});
afterAll(async () => {
  for (const k of Object.keys(LIMITS)) delete process.env[k];
  sfnMock.restore();
  await local.close();
});
beforeEach(() => {
  restore = useClock(clock);
  sfnMock.reset();
  sfnMock.on(StartExecutionCommand).callsFake((input: { name: string }) => ({ executionArn: `${STATE_MACHINE}:${input.name}`, startDate: new Date(0) }));
});
afterEach(() => {
  restore();
});

describe('machine clients, per minute', () => {
  const listSops = (claims: Record<string, string>) => call(h.reference, apiEvent('listSops', { claims }));

  it('the fourth request in a minute is a 429 with Retry-After; the next minute is open again', async () => {
    clock.set('2026-11-27T01:00:10.000Z');
    const inMinute = [];
    for (let i = 0; i < 4; i++) inMinute.push(await listSops(CLAIMS.integration));
    clock.set('2026-11-27T01:01:00.000Z');
    const nextMinute = await listSops(CLAIMS.integration);

    expect(inMinute.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
    expect(inMinute[3].body).toMatchObject({ error: { code: 'TOO_MANY_REQUESTS' } });
    expect(inMinute[3].headers['retry-after']).toBe('50');
    expect(nextMinute.statusCode).toBe(200);
  });

  it('each client has its own count, and people are not counted', async () => {
    clock.set('2026-11-27T02:00:00.000Z');
    const other = { ...CLAIMS.integration, sub: 'other-app', client_id: 'other-app' };
    for (let i = 0; i < 3; i++) await listSops(CLAIMS.integration);

    const otherClient = await listSops(other);
    const people = await Promise.all([1, 2, 3, 4, 5].map(() => listSops(CLAIMS.supervisor)));

    expect(otherClient.statusCode).toBe(200);
    expect(people.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
  });
});

describe('citizen SMS, per number and day', () => {
  function recordingNotifier(): Notifier & { sent: string[] } {
    const sent: string[] = [];
    return {
      sent,
      publish: async () => undefined,
      email: async () => undefined,
      sms: async (phone: string) => {
        sent.push(phone);
      },
    };
  }

  it('a third SMS to the same number on the same Taipei day is not sent, however the number is written', async () => {
    clock.set('2026-11-27T03:00:00.000Z');
    const inner = recordingNotifier();
    const notifier = new SmsCappedNotifier(inner, counters);

    await notifier.sms('+886933000111', '案件已受理');
    await notifier.sms('0933000111', '案件已處理');
    const third = notifier.sms('+886933000111', '請回覆滿意度');
    await expect(third).rejects.toMatchObject({ name: 'SmsCapReached' });
    await notifier.sms('+886933000112', '另一個號碼');
    clock.set('2026-11-27T16:00:00.000Z'); // 00:00 the next day in Taipei
    await notifier.sms('+886933000111', '隔日');

    expect(inner.sent).toEqual(['+886933000111', '0933000111', '+886933000112', '+886933000111']);
  });

  it('the workflow records a capped SMS as a failed delivery, naming the cap', async () => {
    clock.set('2026-11-28T03:00:00.000Z');
    const notifier = new SmsCappedNotifier(recordingNotifier(), counters);
    const reporter = { name: '王大明', phone: '0933000222', anonymous: false, notify: 'sms' as const };
    const message = { sms: '桃園市1999：案件已處理', email: { subject: 's', text: 't' } };

    await deliverToCitizen(notifier, reporter, message);
    await deliverToCitizen(notifier, reporter, message);
    const capped = await deliverToCitizen(notifier, reporter, message);

    expect(capped).toEqual({ channel: 'sms', delivered: false, reason: 'SmsCapReached' });
  });
});

describe('cases per reporter phone, for machine callers', () => {
  const body = (phone: string) => ({
    category: 'street-light',
    description: '路燈整晚不亮',
    location: { district: 'zhongli', address: '中央西路二段 50 號' },
    reporter: { name: '王大明', phone, anonymous: false, notify: 'sms' },
    channel: 'web',
    attributes: { lightState: 'dark' },
  });

  it('a client files at most the daily number of cases for one phone; the hotline is not limited', async () => {
    clock.set('2026-11-29T03:00:00.000Z');
    const byClient = [];
    for (const minute of [0, 1, 2]) {
      clock.set(`2026-11-29T03:0${minute}:00.000Z`);
      byClient.push(await call(h.createCase, apiEvent('createCase', { body: body('0955000111'), claims: CLAIMS.integration })));
    }
    const otherPhone = await call(h.createCase, apiEvent('createCase', { body: body('0955000112'), claims: CLAIMS.integration }));
    const byAgent = await call(h.createCase, apiEvent('createCase', { body: body('0955000111'), claims: CLAIMS.agent }));

    expect(byClient.map((r) => r.statusCode)).toEqual([201, 201, 429]);
    expect(otherPhone.statusCode).toBe(201);
    expect(byAgent.statusCode).toBe(201);
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(4);
  });
});
