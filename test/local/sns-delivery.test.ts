/**
 * Local SNS delivery: per-protocol messages, webhook Notification documents with SNS headers and a verifiable
 * signature, retries, the outbox (file, local endpoint, one terminal line), restarts, and topics provisioned from
 * the departments config.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, verify } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { ManualClock, useClock } from '../../functions/domain/clock';
import type { DepartmentsFile } from '../../functions/config/schema';
import { DEFAULT_EMAIL_DELIVERY, IMMEDIATE_EMAIL_DELIVERY } from '../../functions/domain/email-delivery';
import { loadConfig } from '../../functions/config/load';
import { startSnsService, type OutboxEntry, type SnsService, type SnsServiceOptions } from '../../local/sns';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook on a random port answering each POST with the next status of `script` (then 200). */
async function startWebhook(script: number[] = []): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(script.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/citydesk/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let dataDir: string;
let sns: SnsService;
let client: SNSClient;
let lines: string[];
const cleanups: (() => Promise<void> | void)[] = [];

async function start(options: Partial<SnsServiceOptions> = {}): Promise<void> {
  sns = await startSnsService({
    port: 0,
    dataDir,
    region: 'ap-northeast-1',
    accountId: '123456789012',
    onDelivery: (line) => lines.push(line),
    // Short delays keep the retry tests quick; the number of attempts is what they check.
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
  client = new SNSClient({ endpoint: sns.endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

async function stop(): Promise<void> {
  client.destroy();
  await sns.close();
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'citydesk-sns-'));
  lines = [];
  await start();
});

afterEach(async () => {
  await stop();
  while (cleanups.length) await cleanups.pop()?.();
  await rm(dataDir, { recursive: true, force: true });
});

const createTopic = async (name: string, attributes?: Record<string, string>) =>
  (await client.send(new CreateTopicCommand({ Name: name, Attributes: attributes }))).TopicArn ?? '';
const subscribe = async (TopicArn: string, Protocol: string, Endpoint: string, Attributes?: Record<string, string>) =>
  (await client.send(new SubscribeCommand({ TopicArn, Protocol, Endpoint, Attributes }))).SubscriptionArn ?? '';

async function webhook(script: number[] = []) {
  const hook = await startWebhook(script);
  cleanups.push(() => hook.close());
  return hook;
}

/** SNS's string to sign, written out from the AWS documentation (independent of the service's own code). */
function documentedStringToSign(doc: Record<string, string>): string {
  const keys = doc.Type === 'Notification' ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return keys.filter((k) => doc[k] !== undefined).map((k) => `${k}\n${doc[k]}\n`).join('');
}

describe('MessageStructure json', () => {
  it('delivers the email entry to email, the sms entry to sms and the https entry to an https webhook; default to the rest', async () => {
    const arn = await createTopic('citydesk-dev-PWD');
    await subscribe(arn, 'email', 'pwd-1999@example.org');
    await subscribe(arn, 'sms', '+886912345678');
    const hook = await webhook();
    // An https subscription whose endpoint cannot be reached: the entry it receives is still visible in the outbox.
    await subscribe(arn, 'https', 'https://127.0.0.1:9/hook');
    await subscribe(arn, 'http', hook.url);
    const message = { default: '預設', email: '案件 20261127-00042 已分派給工務局，請於期限內確認。', sms: '1999案件20261127-00042已分派', https: '{"caseNo":"20261127-00042"}' };

    const { MessageId } = await client.send(new PublishCommand({ TopicArn: arn, Message: JSON.stringify(message), MessageStructure: 'json', Subject: '1999 新案件' }));
    await sns.idle();

    const byProtocol = Object.fromEntries((await sns.outbox({ messageId: MessageId })).map((e) => [e.protocol, e]));
    expect(byProtocol.email).toMatchObject({ endpoint: 'pwd-1999@example.org', subject: '1999 新案件', message: message.email, status: 'stored', topicArn: arn });
    expect(byProtocol.sms).toMatchObject({ endpoint: '+886912345678', message: message.sms, status: 'stored' });
    expect(byProtocol.sms.subject).toBeUndefined();
    expect(byProtocol.https).toMatchObject({ message: message.https, status: 'failed' });
    expect(byProtocol.http).toMatchObject({ message: message.default, status: 'delivered' });
    expect((JSON.parse(hook.received[0].body) as { Message: string }).Message).toBe(message.default);
  });

  it('a plain message goes unchanged to every protocol', async () => {
    const arn = await createTopic('plain');
    await subscribe(arn, 'email', 'a@example.org');
    await subscribe(arn, 'sms', '+886912345678');

    const { MessageId } = await client.send(new PublishCommand({ TopicArn: arn, Message: '{"not":"structured"}' }));

    expect((await sns.outbox({ messageId: MessageId })).map((e) => e.message)).toEqual(['{"not":"structured"}', '{"not":"structured"}']);
  });
});

describe('webhook delivery', () => {
  it('POSTs the SNS Notification document with the SNS headers', async () => {
    const restore = useClock(new ManualClock('2026-11-27T02:03:04.005Z'));
    cleanups.push(restore);
    const hook = await webhook();
    const arn = await createTopic('citydesk-dev-TRAN');
    const subscriptionArn = await subscribe(arn, 'http', hook.url);

    const { MessageId } = await client.send(
      new PublishCommand({
        TopicArn: arn,
        Subject: '1999 新案件',
        Message: JSON.stringify({ default: 'd', https: 'h', http: '{"caseNo":"20261127-00042"}' }),
        MessageStructure: 'json',
        MessageAttributes: {
          caseNo: { DataType: 'String', StringValue: '20261127-00042' },
          level: { DataType: 'Number', StringValue: '2' },
          photo: { DataType: 'Binary', BinaryValue: new Uint8Array([0xca, 0xfe]) },
        },
      }),
    );
    await sns.idle();

    expect(hook.received).toHaveLength(1);
    const { headers, body } = hook.received[0];
    expect(headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': MessageId,
      'x-amz-sns-topic-arn': arn,
      'x-amz-sns-subscription-arn': subscriptionArn,
      'content-type': 'text/plain; charset=UTF-8',
    });
    const doc = JSON.parse(body) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    expect(doc).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: arn,
      Subject: '1999 新案件',
      Message: '{"caseNo":"20261127-00042"}',
      Timestamp: '2026-11-27T02:03:04.005Z',
      SignatureVersion: '1',
      SigningCertURL: `${sns.endpoint}/_local/sns/signing-cert.pem`,
      UnsubscribeURL: `${sns.endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`,
      MessageAttributes: {
        caseNo: { Type: 'String', Value: '20261127-00042' },
        level: { Type: 'Number', Value: '2' },
        photo: { Type: 'Binary', Value: Buffer.from([0xca, 0xfe]).toString('base64') },
      },
    });
    expect(await sns.outbox({ protocol: 'http' })).toMatchObject([{ messageId: MessageId, endpoint: hook.url, status: 'delivered', attempts: 1, httpStatus: 200, messageType: 'Notification' }]);
  });

  it('signs the document: the signature verifies against the certificate at SigningCertURL (SHA256 for SignatureVersion 2)', async () => {
    const hook = await webhook();
    const arn = await createTopic('signed', { SignatureVersion: '2' });
    await subscribe(arn, 'http', hook.url);

    await client.send(new PublishCommand({ TopicArn: arn, Message: 'verify me', Subject: 'subject' }));
    await sns.idle();

    const doc = JSON.parse(hook.received[0].body) as Record<string, string>;
    const certificate = new X509Certificate(await (await fetch(doc.SigningCertURL)).text());
    expect(doc.SignatureVersion).toBe('2');
    expect(verify('sha256', Buffer.from(documentedStringToSign(doc)), certificate.publicKey, Buffer.from(doc.Signature, 'base64'))).toBe(true);
    expect(verify('sha256', Buffer.from(documentedStringToSign({ ...doc, Message: 'tampered' })), certificate.publicKey, Buffer.from(doc.Signature, 'base64'))).toBe(false);
  });

  it('retries a webhook that fails twice, then records it delivered after the third attempt', async () => {
    const hook = await webhook([500, 503]);
    const arn = await createTopic('flaky');
    await subscribe(arn, 'http', hook.url);

    const { MessageId } = await client.send(new PublishCommand({ TopicArn: arn, Message: 'third time lucky' }));
    await sns.idle();

    expect(hook.received).toHaveLength(3);
    expect(hook.received.map((r) => (JSON.parse(r.body) as { MessageId: string }).MessageId)).toEqual([MessageId, MessageId, MessageId]);
    expect(await sns.outbox({ messageId: MessageId })).toMatchObject([{ status: 'delivered', attempts: 3, httpStatus: 200 }]);
  });

  it('gives up after the last attempt and records the failure', async () => {
    const hook = await webhook([500, 500, 500, 500, 500]);
    const arn = await createTopic('down');
    await subscribe(arn, 'http', hook.url);

    const { MessageId } = await client.send(new PublishCommand({ TopicArn: arn, Message: 'nobody home' }));
    await sns.idle();

    expect(hook.received).toHaveLength(4);
    expect(await sns.outbox({ messageId: MessageId })).toMatchObject([{ status: 'failed', attempts: 4, httpStatus: 500 }]);
    expect(lines.at(-1)).toContain('FAILED (HTTP 500) after 4 attempt(s)');
  });

  it('does not retry a 4xx refusal (other than 429)', async () => {
    const hook = await webhook([400]);
    const arn = await createTopic('refused');
    await subscribe(arn, 'http', hook.url);

    const { MessageId } = await client.send(new PublishCommand({ TopicArn: arn, Message: 'bad' }));
    await sns.idle();

    expect(hook.received).toHaveLength(1);
    expect(await sns.outbox({ messageId: MessageId })).toMatchObject([{ status: 'failed', attempts: 1, httpStatus: 400 }]);
  });

  it('RawMessageDelivery POSTs the message itself', async () => {
    const hook = await webhook();
    const arn = await createTopic('raw');
    await subscribe(arn, 'http', hook.url, { RawMessageDelivery: 'true' });

    await client.send(new PublishCommand({ TopicArn: arn, Message: '{"caseNo":"20261127-00042"}' }));
    await sns.idle();

    expect(hook.received[0].body).toBe('{"caseNo":"20261127-00042"}');
    expect(hook.received[0].headers['x-amz-sns-rawdelivery']).toBe('true');
  });

  it('a filter policy lets only matching messages through (the escalation level filter)', async () => {
    const arn = await createTopic('escalations');
    await subscribe(arn, 'sms', '+886911111111');
    await subscribe(arn, 'sms', '+886933333333', { FilterPolicy: JSON.stringify({ level: [{ numeric: ['>=', 3] }] }) });

    const level = (n: number) => ({ level: { DataType: 'Number', StringValue: String(n) } });
    const two = await client.send(new PublishCommand({ TopicArn: arn, Message: 'level 2', MessageAttributes: level(2) }));
    const three = await client.send(new PublishCommand({ TopicArn: arn, Message: 'level 3', MessageAttributes: level(3) }));

    expect((await sns.outbox({ messageId: two.MessageId })).map((e) => e.endpoint)).toEqual(['+886911111111']);
    expect((await sns.outbox({ messageId: three.MessageId })).map((e) => e.endpoint)).toEqual(['+886911111111', '+886933333333']);
  });

  it('with the handshake, an http subscription is pending until the SubscribeURL is visited, and only then receives messages', async () => {
    await stop();
    await start({ confirmHttpSubscriptions: 'handshake' });
    const hook = await webhook();
    const arn = await createTopic('handshake');

    const pending = await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: hook.url }));
    await sns.idle();
    await client.send(new PublishCommand({ TopicArn: arn, Message: 'before confirmation' }));
    await sns.idle();
    const confirmation = JSON.parse(hook.received[0].body) as Record<string, string>;
    const listedBefore = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
    const visit = await fetch(confirmation.SubscribeURL);
    await client.send(new PublishCommand({ TopicArn: arn, Message: 'after confirmation' }));
    await sns.idle();

    expect(pending.SubscriptionArn).toBe('pending confirmation');
    expect(hook.received[0].headers['x-amz-sns-message-type']).toBe('SubscriptionConfirmation');
    expect(confirmation).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn: arn });
    expect(confirmation.Token).toMatch(/^[0-9a-f]{144}$/);
    expect(listedBefore.Subscriptions?.[0].SubscriptionArn).toBe('PendingConfirmation');
    expect(visit.status).toBe(200);
    expect(await visit.text()).toMatch(/<ConfirmSubscriptionResult><SubscriptionArn>arn:aws:sns:[^<]+<\/SubscriptionArn><\/ConfirmSubscriptionResult>/);
    expect(hook.received.map((r) => (JSON.parse(r.body) as { Message: string }).Message)).toEqual([confirmation.Message, 'after confirmation']);
  });

  it('ConfirmSubscription with the SDK confirms, and a wrong token is InvalidParameter', async () => {
    await stop();
    await start({ confirmHttpSubscriptions: 'handshake' });
    const hook = await webhook();
    const arn = await createTopic('confirm-sdk');
    await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: hook.url }));
    await sns.idle();
    const { Token } = JSON.parse(hook.received[0].body) as { Token: string };

    const wrong = await client.send(new ConfirmSubscriptionCommand({ TopicArn: arn, Token: 'f'.repeat(144) })).catch((e: Error) => e);
    const { SubscriptionArn } = await client.send(new ConfirmSubscriptionCommand({ TopicArn: arn, Token }));
    const { Attributes } = await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));

    expect(wrong).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Token' });
    expect(Attributes?.PendingConfirmation).toBe('false');
  });

  it('the UnsubscribeURL in a notification removes the subscription', async () => {
    const hook = await webhook();
    const arn = await createTopic('unsub-url');
    await subscribe(arn, 'http', hook.url);
    await client.send(new PublishCommand({ TopicArn: arn, Message: 'x' }));
    await sns.idle();

    const res = await fetch((JSON.parse(hook.received[0].body) as { UnsubscribeURL: string }).UnsubscribeURL);

    expect(res.status).toBe(200);
    expect((await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions).toEqual([]);
  });
});

describe('outbox', () => {
  it('a direct PhoneNumber publish goes to the outbox as an sms without a topic, and prints one line', async () => {
    const { MessageId } = await client.send(new PublishCommand({ PhoneNumber: '+886912345678', Message: '1999通知：案件20261127-00042已處理完成\n謝謝您' }));

    const res = await fetch(`${sns.endpoint}/_local/outbox?protocol=sms`);
    const { entries } = (await res.json()) as { entries: OutboxEntry[] };

    expect(res.headers.get('content-type')).toBe('application/json');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ protocol: 'sms', endpoint: '+886912345678', messageId: MessageId, message: '1999通知：案件20261127-00042已處理完成\n謝謝您', status: 'stored' });
    expect(entries[0].topicArn).toBeUndefined();
    expect(entries[0].id).not.toBe(MessageId);
    expect(lines).toEqual(['[sns sms] to [phone]: 1999通知：案件20261127-00042已處理完成 ↵ 謝謝您']);
  });

  it('filters by protocol, endpoint and since (inclusive), and the entry time comes from the one clock', async () => {
    const clock = new ManualClock('2026-11-27T01:00:00.000Z');
    cleanups.push(useClock(clock));
    const arn = await createTopic('filter-outbox');
    await subscribe(arn, 'email', 'a@example.org');
    await subscribe(arn, 'sms', '+886912345678');
    await client.send(new PublishCommand({ TopicArn: arn, Message: 'early' }));
    clock.advance(60_000);
    await client.send(new PublishCommand({ TopicArn: arn, Message: 'late' }));

    const get = async (q: string) => ((await (await fetch(`${sns.endpoint}/_local/outbox?${q}`)).json()) as { entries: OutboxEntry[] }).entries;

    expect((await get('protocol=email')).map((e) => e.message)).toEqual(['early', 'late']);
    expect((await get('since=2026-11-27T01:01:00.000Z')).map((e) => [e.protocol, e.message])).toEqual([
      ['email', 'late'],
      ['sms', 'late'],
    ]);
    expect((await get(`endpoint=${encodeURIComponent('+886912345678')}`)).map((e) => e.at)).toEqual(['2026-11-27T01:00:00.000Z', '2026-11-27T01:01:00.000Z']);
  });

  it('is a JSON-lines file under <dataDir>/sns, one entry per line', async () => {
    const arn = await createTopic('file');
    await subscribe(arn, 'email', 'a@example.org');

    await client.send(new PublishCommand({ TopicArn: arn, Message: 'line one', Subject: 'S' }));
    await client.send(new PublishCommand({ PhoneNumber: '+886912345678', Message: 'line two' }));

    const fileLines = (await readFile(join(dataDir, 'sns', 'outbox.jsonl'), 'utf8')).trim().split('\n');
    expect(fileLines.map((l) => (JSON.parse(l) as OutboxEntry).message)).toEqual(['line one', 'line two']);
    expect(JSON.parse(fileLines[0])).toMatchObject({ protocol: 'email', endpoint: 'a@example.org', topicArn: arn, subject: 'S' });
  });

  it('topics, subscriptions and the outbox survive a restart on the same folder', async () => {
    const arn = await createTopic('durable', { DisplayName: 'Durable' });
    const subscriptionArn = await subscribe(arn, 'sms', '+886912345678');
    const before = await client.send(new PublishCommand({ TopicArn: arn, Message: 'before restart' }));

    await stop();
    await start();
    const after = await client.send(new PublishCommand({ TopicArn: arn, Message: 'after restart' }));

    expect((await client.send(new ListTopicsCommand({}))).Topics).toEqual([{ TopicArn: arn }]);
    expect((await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions?.map((s) => s.SubscriptionArn)).toEqual([subscriptionArn]);
    expect((await sns.outbox()).map((e) => [e.messageId, e.message])).toEqual([
      [before.MessageId, 'before restart'],
      [after.MessageId, 'after restart'],
    ]);
  });

  it('without a data folder nothing is written and everything still works', async () => {
    await stop();
    await start({ dataDir: undefined });

    await client.send(new PublishCommand({ PhoneNumber: '+886912345678', Message: 'in memory' }));

    expect((await sns.outbox()).map((e) => e.message)).toEqual(['in memory']);
    await expect(readFile(join(dataDir, 'sns', 'outbox.jsonl'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});

describe('provisionFromConfig', () => {
  const departments: DepartmentsFile = {
    escalationDepartments: { level2: 'RDEC', level3: 'MAYOR' },
    departments: [
      {
        code: 'PWD',
        name: { zh: '工務局', en: 'Public Works Department' },
        receivesCases: true,
        escalation: [],
        subscriptions: [
          { protocol: 'email', endpoint: 'pwd-1999@example.org', stages: ['dev'] },
          { protocol: 'sms', endpoint: '+886900000001', stages: ['prod'] },
          { protocol: 'sms', endpoint: '+886900000002' },
        ],
      },
      { code: 'RDEC', name: { zh: '研考會', en: 'Research, Development and Evaluation Commission' }, receivesCases: false, escalation: [], subscriptions: [{ protocol: 'email', endpoint: 'rdec@example.org' }] },
      { code: 'MAYOR', name: { zh: '市長室', en: "Mayor's Office" }, receivesCases: false, escalation: [], subscriptions: [{ protocol: 'sms', endpoint: '+886900000003' }] },
    ],
  };
  const endpointsOf = async (TopicArn: string) => (await client.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions?.map((s) => s.Endpoint);

  it('creates one topic per department and the escalation topic, with the subscriptions of the stage', async () => {
    const topics = await sns.provisionFromConfig(departments, 'dev');

    expect(topics).toEqual({
      departmentTopicArns: {
        PWD: 'arn:aws:sns:ap-northeast-1:123456789012:citydesk-dev-PWD',
        RDEC: 'arn:aws:sns:ap-northeast-1:123456789012:citydesk-dev-RDEC',
        MAYOR: 'arn:aws:sns:ap-northeast-1:123456789012:citydesk-dev-MAYOR',
      },
      departmentTopicArnPrefix: 'arn:aws:sns:ap-northeast-1:123456789012:citydesk-dev-',
      escalationTopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:citydesk-dev-escalations',
      earlyWarningTopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:citydesk-dev-early-warnings',
      digestTopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:citydesk-dev-digests',
      operationsTopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:citydesk-dev-operations',
    });
    expect(await endpointsOf(topics.departmentTopicArns.PWD)).toEqual(['pwd-1999@example.org', '+886900000002']);
    expect(await endpointsOf(topics.escalationTopicArn)).toEqual(['rdec@example.org', '+886900000003']);
  });

  it('the escalation topic reaches the level-2 department always and the level-3 department only at level 3', async () => {
    const { escalationTopicArn } = await sns.provisionFromConfig(departments, 'dev', IMMEDIATE_EMAIL_DELIVERY);
    const publish = (level: number) =>
      client.send(new PublishCommand({ TopicArn: escalationTopicArn, Message: `level ${level}`, MessageAttributes: { level: { DataType: 'Number', StringValue: String(level) } } }));

    const two = await publish(2);
    const three = await publish(3);

    expect((await sns.outbox({ messageId: two.MessageId })).map((e) => e.endpoint)).toEqual(['rdec@example.org']);
    expect((await sns.outbox({ messageId: three.MessageId })).map((e) => e.endpoint)).toEqual(['rdec@example.org', '+886900000003']);
  });

  it('running it again converges: removed config subscriptions go, hand-made subscriptions stay', async () => {
    const { departmentTopicArns } = await sns.provisionFromConfig(departments, 'dev');
    await subscribe(departmentTopicArns.PWD, 'sms', '+886977777777');
    const fewer: DepartmentsFile = {
      ...departments,
      departments: departments.departments.map((d) => (d.code === 'PWD' ? { ...d, subscriptions: [{ protocol: 'sms' as const, endpoint: '+886900000002' }] } : d)),
    };

    const again = await sns.provisionFromConfig(fewer, 'dev');

    expect(again.departmentTopicArns).toEqual(departmentTopicArns);
    expect(await endpointsOf(departmentTopicArns.PWD)).toEqual(['+886900000002', '+886977777777']);
    // Three departments, the escalation, early-warning, digest and operations topics.
    expect((await client.send(new ListTopicsCommand({}))).Topics).toHaveLength(7);
  });

  it("in digest mode the supervisors' e-mail gets no escalation one by one, the workflow failures still, and its group's digest alone", async () => {
    const topics = await sns.provisionFromConfig(departments, 'dev', DEFAULT_EMAIL_DELIVERY);
    const publish = (TopicArn: string, attributes: Record<string, string>) =>
      client.send(
        new PublishCommand({
          TopicArn,
          Message: 'x',
          MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, k === 'level' ? { DataType: 'Number', StringValue: v } : { DataType: 'String', StringValue: v }])),
        }),
      );
    const endpoints = async (p: Promise<{ MessageId?: string }>) => (await sns.outbox({ messageId: (await p).MessageId })).map((e) => e.endpoint);

    expect(await endpoints(publish(topics.escalationTopicArn, { level: '3', notice: 'escalation' }))).toEqual(['+886900000003']);
    expect(await endpoints(publish(topics.escalationTopicArn, { level: '2', notice: 'workflow-failed' }))).toEqual(['rdec@example.org']);
    expect(await endpoints(publish(topics.earlyWarningTopicArn, { notice: 'warning' }))).toEqual([]);
    // PWD's staff stay immediate by default: their escalations and dispatch notices both arrive.
    expect(await endpoints(publish(topics.departmentTopicArns.PWD, { level: '1', notice: 'escalation' }))).toEqual(['pwd-1999@example.org', '+886900000002']);
    expect(await endpoints(publish(topics.digestTopicArn, { group: 'RDEC', notice: 'digest' }))).toEqual(['rdec@example.org']);
    expect(await endpoints(publish(topics.digestTopicArn, { group: 'PWD', notice: 'digest' }))).toEqual([]);
  });

  it('reads the shipped config (loadConfig) when no departments are given', async () => {
    const { departments: shipped } = loadConfig();

    const topics = await sns.provisionFromConfig(undefined, 'dev');

    expect(Object.keys(topics.departmentTopicArns).sort()).toEqual(shipped.departments.map((d) => d.code).sort());
  });
});
