/**
 * Local SES v2 conformance: the real @aws-sdk/client-sesv2 (REST-JSON) against the service on a random port with
 * a temporary data folder, plus raw HTTP for the error shape; e-mails in the outbox shared with the local SNS,
 * and the SNS/SES notifier reaching it through AWS_ENDPOINT_URL_SESV2 alone.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AlreadyExistsException,
  BadRequestException,
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  ListEmailIdentitiesCommand,
  MessageRejected,
  NotFoundException,
  SendEmailCommand,
  SESv2Client,
  paginateListEmailIdentities,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { SnsNotifier } from '../../functions/adapters/sns-notifier';
import { mergeOutboxes, startSesService, type SesService, type SesServiceOptions } from '../../local/ses';
import { startSnsService, type OutboxEntry } from '../../local/sns';

const SENDER = '1999@citydesk.local';
const CITIZEN = 'lin.meihua@example.org';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let dataDir: string;
let ses: SesService;
let client: SESv2Client;
let lines: string[];
const cleanups: (() => Promise<void> | void)[] = [];

async function start(options: Partial<SesServiceOptions> = {}): Promise<void> {
  ses = await startSesService({ port: 0, dataDir, identities: ['citydesk.local'], onDelivery: (line) => lines.push(line), ...options });
  client = new SESv2Client({ endpoint: ses.endpoint, region: 'ap-northeast-1', credentials, maxAttempts: 1 });
}

async function stop(): Promise<void> {
  client.destroy();
  await ses.close();
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'citydesk-ses-'));
  lines = [];
  await start();
});

afterEach(async () => {
  await stop();
  for (const fn of cleanups.splice(0).reverse()) await fn();
  await rm(dataDir, { recursive: true, force: true });
});

function simpleEmail(overrides: Partial<SendEmailCommandInput> = {}): SendEmailCommandInput {
  return {
    FromEmailAddress: SENDER,
    Destination: { ToAddresses: [CITIZEN] },
    Content: {
      Simple: {
        Subject: { Data: '案件 20261127-00042 已處理完成', Charset: 'UTF-8' },
        Body: { Text: { Data: '您好：\n路燈已修復。\nThe street light is fixed.', Charset: 'UTF-8' } },
      },
    },
    ...overrides,
  };
}

/** The client's exception for a request, or a failure naming what came back instead. */
async function rejection(input: SendEmailCommandInput): Promise<unknown> {
  return client.send(new SendEmailCommand(input)).then(
    (ok) => new Error(`expected an error, got ${JSON.stringify(ok)}`),
    (e: unknown) => e,
  );
}

describe('SendEmail', () => {
  it('a Simple e-mail lands in the outbox with its subject, body and recipient, and prints one line', async () => {
    const { MessageId } = await client.send(new SendEmailCommand(simpleEmail()));

    expect(MessageId).toMatch(/^0100[0-9a-f]{12}-[0-9a-f-]{36}-000000$/);
    expect(await ses.outbox()).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        protocol: 'email',
        endpoint: CITIZEN,
        messageId: MessageId,
        from: SENDER,
        subject: '案件 20261127-00042 已處理完成',
        message: '您好：\n路燈已修復。\nThe street light is fixed.',
        status: 'stored',
      },
    ]);
    // The terminal line masks addresses as the handlers' logs do; the outbox entry above keeps them.
    expect(lines).toEqual([`[ses email] to [email] from [email] «案件 20261127-00042 已處理完成»: 您好： ↵ 路燈已修復。 ↵ The street light is fixed.`]);
  });

  it('every To, Cc and Bcc recipient gets an entry of the same message; an HTML part is kept beside the text', async () => {
    const { MessageId } = await client.send(
      new SendEmailCommand({
        FromEmailAddress: `"桃園市 1999" <${SENDER}>`,
        Destination: { ToAddresses: ['a@example.org'], CcAddresses: ['b@example.org'], BccAddresses: ['c@example.org'] },
        Content: { Simple: { Subject: { Data: 'S' }, Body: { Text: { Data: 'plain' }, Html: { Data: '<p>html</p>' } } } },
      }),
    );

    const entries = await ses.outbox();
    expect(entries.map((e) => [e.endpoint, e.messageId, e.from, e.message, e.html])).toEqual([
      ['a@example.org', MessageId, `"桃園市 1999" <${SENDER}>`, 'plain', '<p>html</p>'],
      ['b@example.org', MessageId, `"桃園市 1999" <${SENDER}>`, 'plain', '<p>html</p>'],
      ['c@example.org', MessageId, `"桃園市 1999" <${SENDER}>`, 'plain', '<p>html</p>'],
    ]);
    expect(new Set(entries.map((e) => e.id)).size).toBe(3);
  });

  it('an HTML-only e-mail shows its HTML as the message', async () => {
    await client.send(new SendEmailCommand(simpleEmail({ Content: { Simple: { Subject: { Data: 'S' }, Body: { Html: { Data: '<b>hi</b>' } } } } })));

    expect((await ses.outbox()).map((e) => [e.message, e.html])).toEqual([['<b>hi</b>', '<b>hi</b>']]);
  });

  it('the entry time comes from the one clock', async () => {
    cleanups.push(useClock(new ManualClock('2026-11-27T01:00:00.000Z')));

    await client.send(new SendEmailCommand(simpleEmail()));

    expect((await ses.outbox()).map((e) => e.at)).toEqual(['2026-11-27T01:00:00.000Z']);
  });

  it('a Raw message without Destination goes to its own To and Cc headers, with its encoded subject and text part decoded', async () => {
    const raw = [
      `From: =?UTF-8?B?${Buffer.from('桃園市 1999').toString('base64')}?= <${SENDER}>`,
      'To: a@example.org, "Lin, Mei-hua" <b@example.org>',
      'Cc: c@example.org',
      `Subject: =?UTF-8?B?${Buffer.from('案件已處理').toString('base64')}?=`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      `${[...Buffer.from('路燈已修復')].map((b) => `=${b.toString(16).toUpperCase()}`).join('')}=`,
      ' and fixed.',
      '--inner',
      'Content-Type: text/html; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<p>路燈已修復</p>').toString('base64'),
      '--inner--',
      '--outer',
      'Content-Type: text/plain; name=photo.txt',
      'Content-Disposition: attachment; filename=photo.txt',
      '',
      'not the body',
      '--outer--',
      '',
    ].join('\r\n');

    const { MessageId } = await client.send(new SendEmailCommand({ Content: { Raw: { Data: Buffer.from(raw) } } }));

    const entries = await ses.outbox();
    expect(entries.map((e) => e.endpoint)).toEqual(['a@example.org', 'b@example.org', 'c@example.org']);
    expect(entries[0]).toMatchObject({ messageId: MessageId, subject: '案件已處理', message: '路燈已修復 and fixed.', html: '<p>路燈已修復</p>' });
  });

  it('a Raw message with Destination goes to the Destination only', async () => {
    const raw = ['From: 1999@citydesk.local', 'To: header@example.org', 'Subject: hi', '', 'body', ''].join('\r\n');

    await client.send(new SendEmailCommand({ Destination: { ToAddresses: ['envelope@example.org'] }, Content: { Raw: { Data: Buffer.from(raw) } } }));

    expect((await ses.outbox()).map((e) => [e.endpoint, e.subject, e.message])).toEqual([['envelope@example.org', 'hi', 'body']]);
  });

  it('no destination is a BadRequestException the client maps to its class, and nothing is sent', async () => {
    const e = await rejection(simpleEmail({ Destination: {} }));

    expect(e).toBeInstanceOf(BadRequestException);
    expect((e as BadRequestException).$metadata.httpStatusCode).toBe(400);
    expect((e as Error).message).toMatch(/Destination/);
    expect(await ses.outbox()).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('errors are SES v2 REST-JSON: the status, the name in x-amzn-ErrorType and { message }', async () => {
    const res = await fetch(`${ses.endpoint}/v2/email/outbound-emails`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ FromEmailAddress: SENDER, Content: { Simple: { Subject: { Data: 'S' }, Body: { Text: { Data: 'T' } } } } }),
    });

    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(Object.keys((await res.json()) as object)).toEqual(['message']);
  });

  it('a sender without a verified identity for its address or domain is MessageRejected, naming the region', async () => {
    const e = await rejection(simpleEmail({ FromEmailAddress: 'noreply@elsewhere.example' }));

    expect(e).toBeInstanceOf(MessageRejected);
    expect((e as Error).message).toBe('Email address is not verified. The following identities failed the check in region AP-NORTHEAST-1: noreply@elsewhere.example');
    expect(await ses.outbox()).toEqual([]);
  });

  it('an address identity verifies that address only; a domain identity verifies every address at it', async () => {
    await client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'me@elsewhere.example' }));

    await client.send(new SendEmailCommand(simpleEmail({ FromEmailAddress: 'me@elsewhere.example' })));
    await client.send(new SendEmailCommand(simpleEmail({ FromEmailAddress: 'someone.else@CityDesk.Local' })));
    expect(await rejection(simpleEmail({ FromEmailAddress: 'you@elsewhere.example' }))).toBeInstanceOf(MessageRejected);
    expect((await ses.outbox()).map((e) => e.from)).toEqual(['me@elsewhere.example', 'someone.else@CityDesk.Local']);
  });

  it.each([
    ['an illegal recipient', simpleEmail({ Destination: { ToAddresses: [CITIZEN, 'not an address'] } }), /Illegal address in Destination.ToAddresses/],
    ['an illegal sender', simpleEmail({ FromEmailAddress: '1999.citydesk.local' }), /Illegal address in FromEmailAddress/],
    ['no sender', simpleEmail({ FromEmailAddress: undefined }), /FromEmailAddress is required/],
    ['no body part', simpleEmail({ Content: { Simple: { Subject: { Data: 'S' }, Body: {} } } }), /needs Text or Html/],
    ['an unknown charset', simpleEmail({ Content: { Simple: { Subject: { Data: 'S', Charset: 'klingon-8' }, Body: { Text: { Data: 'T' } } } } }), /unsupported charset klingon-8/],
    ['Template content', simpleEmail({ Content: { Template: { TemplateName: 'citizen' } } }), /Template content is not supported/],
    ['a raw message without a sender', { Content: { Raw: { Data: Buffer.from('To: a@example.org\r\n\r\nbody') } } }, /no From header/],
  ])('%s is a BadRequestException and nothing is sent', async (_, input, message) => {
    const e = await rejection(input);

    expect(e).toBeInstanceOf(BadRequestException);
    expect((e as Error).message).toMatch(message);
    expect(await ses.outbox()).toEqual([]);
  });

  it('more than 50 recipients is MessageRejected', async () => {
    const many = Array.from({ length: 51 }, (_, i) => `r${i}@example.org`);

    const e = await rejection(simpleEmail({ Destination: { ToAddresses: many } }));

    expect(e).toBeInstanceOf(MessageRejected);
    expect((e as Error).message).toBe('Recipient count exceeds 50.');
  });

  it('a configuration set is refused as not existing rather than ignored', async () => {
    const e = await rejection(simpleEmail({ ConfigurationSetName: 'tracking' }));

    expect(e).toBeInstanceOf(NotFoundException);
  });
});

describe('email identities', () => {
  it('CreateEmailIdentity verifies at once; a second create is AlreadyExistsException', async () => {
    const created = await client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'hotline.example', Tags: [{ Key: 'stage', Value: 'local' }] }));

    expect(created).toMatchObject({ IdentityType: 'DOMAIN', VerifiedForSendingStatus: true, DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS' } });
    await expect(client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'HOTLINE.example' }))).rejects.toBeInstanceOf(AlreadyExistsException);
    await expect(client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'not a domain' }))).rejects.toBeInstanceOf(BadRequestException);
  });

  it('GetEmailIdentity describes a verified identity; an unknown one is NotFoundException', async () => {
    await client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'me@elsewhere.example', Tags: [{ Key: 'owner', Value: 'ops' }] }));

    const got = await client.send(new GetEmailIdentityCommand({ EmailIdentity: 'me@elsewhere.example' }));

    expect(got).toMatchObject({ IdentityType: 'EMAIL_ADDRESS', VerifiedForSendingStatus: true, VerificationStatus: 'SUCCESS', Tags: [{ Key: 'owner', Value: 'ops' }] });
    const missing = await client.send(new GetEmailIdentityCommand({ EmailIdentity: 'nobody.example' })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as NotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it('ListEmailIdentities pages with NextToken (the client POSTs; GET with query parameters answers the same)', async () => {
    for (const d of ['a.example', 'b.example', 'c.example']) await client.send(new CreateEmailIdentityCommand({ EmailIdentity: d }));

    const names: string[] = [];
    for await (const page of paginateListEmailIdentities({ client, pageSize: 2 }, {})) names.push(...(page.EmailIdentities ?? []).map((i) => i.IdentityName!));
    const first = await client.send(new ListEmailIdentitiesCommand({ PageSize: 2 }));
    const viaGet = (await (await fetch(`${ses.endpoint}/v2/email/identities?PageSize=2`)).json()) as { EmailIdentities: unknown[]; NextToken?: string };

    expect(names).toEqual(['citydesk.local', 'a.example', 'b.example', 'c.example']);
    expect(first.EmailIdentities?.[0]).toEqual({ IdentityType: 'DOMAIN', IdentityName: 'citydesk.local', SendingEnabled: true, VerificationStatus: 'SUCCESS' });
    expect(viaGet).toEqual({ EmailIdentities: first.EmailIdentities, NextToken: first.NextToken });
  });

  it('DeleteEmailIdentity removes it, and its sender is rejected afterwards', async () => {
    await client.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'citydesk.local' }));

    expect(await rejection(simpleEmail())).toBeInstanceOf(MessageRejected);
    await expect(client.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'citydesk.local' }))).rejects.toBeInstanceOf(NotFoundException);
  });

  it('an operation the local SES does not have is a 404 UnknownOperationException, not a silent success', async () => {
    const res = await fetch(`${ses.endpoint}/v2/email/templates`, { method: 'GET' });

    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });
});

describe('the shared outbox', () => {
  it('e-mails are lines of <dataDir>/sns/outbox.jsonl, which the local SNS on the same folder lists beside its own', async () => {
    const sns = await startSnsService({ port: 0, dataDir, onDelivery: () => undefined });
    const snsClient = new SNSClient({ endpoint: sns.endpoint, region: 'ap-northeast-1', credentials, maxAttempts: 1 });
    cleanups.push(() => sns.close(), () => snsClient.destroy());

    await snsClient.send(new PublishCommand({ PhoneNumber: '+886912345678', Message: 'sms first' }));
    await client.send(new SendEmailCommand(simpleEmail()));
    await snsClient.send(new PublishCommand({ PhoneNumber: '+886912345678', Message: 'sms last' }));

    const fileLines = (await readFile(join(dataDir, 'sns', 'outbox.jsonl'), 'utf8')).trim().split('\n');
    expect(fileLines.map((l) => (JSON.parse(l) as OutboxEntry).protocol)).toEqual(['sms', 'email', 'sms']);
    const fromSns = ((await (await fetch(`${sns.endpoint}/_local/outbox`)).json()) as { entries: OutboxEntry[] }).entries;
    expect(fromSns.map((e) => [e.protocol, e.endpoint])).toEqual([
      ['sms', '+886912345678'],
      ['email', CITIZEN],
      ['sms', '+886912345678'],
    ]);
    expect(await ses.outbox()).toEqual(fromSns);
  });

  it.each([
    ['with a data folder (one shared file)', true],
    ['in memory (one outbox each)', false],
  ])('mergeOutboxes lists the SNS and SES entries once each, oldest first, %s', async (_, onDisk) => {
    const clock = new ManualClock('2026-11-27T01:00:00.000Z');
    cleanups.push(useClock(clock));
    await stop();
    await start(onDisk ? {} : { dataDir: undefined });
    const sns = await startSnsService({ port: 0, ...(onDisk ? { dataDir } : {}), onDelivery: () => undefined });
    const snsClient = new SNSClient({ endpoint: sns.endpoint, region: 'ap-northeast-1', credentials, maxAttempts: 1 });
    cleanups.push(() => sns.close(), () => snsClient.destroy());

    await snsClient.send(new PublishCommand({ PhoneNumber: '+886912345678', Message: 'sms first' }));
    clock.advance(1000);
    await client.send(new SendEmailCommand(simpleEmail()));
    clock.advance(1000);
    await snsClient.send(new PublishCommand({ PhoneNumber: '+886912345678', Message: 'sms last' }));

    const merged = mergeOutboxes(await sns.outbox(), await ses.outbox());
    expect(merged.map((e) => [e.protocol, e.at])).toEqual([
      ['sms', '2026-11-27T01:00:00.000Z'],
      ['email', '2026-11-27T01:00:01.000Z'],
      ['sms', '2026-11-27T01:00:02.000Z'],
    ]);
  });

  it('identities and sent e-mails survive a restart on the same folder', async () => {
    await client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'me@elsewhere.example' }));
    const before = await client.send(new SendEmailCommand(simpleEmail()));

    await stop();
    await start({ identities: [] });
    const after = await client.send(new SendEmailCommand(simpleEmail({ FromEmailAddress: 'me@elsewhere.example' })));

    expect((await ses.outbox()).map((e) => e.messageId)).toEqual([before.MessageId, after.MessageId]);
    expect((await client.send(new ListEmailIdentitiesCommand({}))).EmailIdentities?.map((i) => i.IdentityName)).toEqual(['citydesk.local', 'me@elsewhere.example']);
  });

  it('a last line cut short by a crash is skipped, and the next e-mail still starts a line of its own', async () => {
    await stop();
    const file = join(dataDir, 'sns', 'outbox.jsonl');
    await writeFile(file, `${JSON.stringify({ id: 'old', protocol: 'sms', message: 'kept' })}\n{"id":"cut","protoc`);
    await start();

    await client.send(new SendEmailCommand(simpleEmail()));

    expect((await ses.outbox()).map((e) => e.id === 'old' || e.endpoint)).toEqual([true, CITIZEN]);
    const reread = await startSesService({ port: 0, dataDir, onDelivery: () => undefined });
    cleanups.push(() => reread.close());
    expect((await reread.outbox()).map((e) => e.message)).toEqual(['kept', '您好：\n路燈已修復。\nThe street light is fixed.']);
  });

  it('without a data folder nothing is written and everything still works', async () => {
    await stop();
    await start({ dataDir: undefined });

    await client.send(new SendEmailCommand(simpleEmail()));

    expect((await ses.outbox()).map((e) => e.endpoint)).toEqual([CITIZEN]);
    await expect(readFile(join(dataDir, 'sns', 'outbox.jsonl'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});

describe('the citizen e-mail adapter', () => {
  it('SnsNotifier.email reaches the local SES through AWS_ENDPOINT_URL_SESV2 alone, as the workflow handlers do', async () => {
    const previous = process.env.AWS_ENDPOINT_URL_SESV2;
    process.env.AWS_ENDPOINT_URL_SESV2 = ses.endpoint;
    cleanups.push(() => {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_SESV2;
      else process.env.AWS_ENDPOINT_URL_SESV2 = previous;
    });
    const sesFromEnvironment = new SESv2Client({ region: 'ap-northeast-1', credentials });
    const unusedSns = new SNSClient({ region: 'ap-northeast-1', credentials });
    cleanups.push(() => sesFromEnvironment.destroy(), () => unusedSns.destroy());

    await new SnsNotifier(unusedSns, sesFromEnvironment, SENDER).email(CITIZEN, '案件已處理', '路燈已修復。');

    expect((await ses.outbox()).map((e) => [e.endpoint, e.from, e.subject, e.message])).toEqual([[CITIZEN, SENDER, '案件已處理', '路燈已修復。']]);
  });
});
