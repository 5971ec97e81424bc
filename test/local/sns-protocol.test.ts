/**
 * Local SNS protocol conformance: the real @aws-sdk/client-sns (query protocol) against the service on a random
 * port with a temporary data folder, plus raw HTTP for the XML shapes the AWS CLI and SDKs parse.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  InvalidParameterValueException,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SNSServiceException,
  SubscribeCommand,
  TooManyEntriesInBatchRequestException,
  BatchEntryIdsNotDistinctException,
  EmptyBatchRequestException,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { startSnsService, type SnsService } from '../../local/sns';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let dataDir: string;
let sns: SnsService;
let client: SNSClient;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'citydesk-sns-'));
  sns = await startSnsService({ port: 0, dataDir, region: 'ap-northeast-1', accountId: '123456789012', onDelivery: () => undefined });
  client = new SNSClient({ endpoint: sns.endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});

afterEach(async () => {
  client.destroy();
  await sns.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function query(params: Record<string, string>): Promise<{ status: number; body: string; contentType: string | null }> {
  const res = await fetch(sns.endpoint + '/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Version: '2010-03-31', ...params }).toString(),
  });
  return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') };
}

async function rejection(p: Promise<unknown>): Promise<SNSServiceException> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof SNSServiceException)) throw new Error(`expected an SNS service error, got ${String(e)}`);
  return e;
}

const createTopic = async (name: string, attributes?: Record<string, string>) =>
  (await client.send(new CreateTopicCommand({ Name: name, Attributes: attributes }))).TopicArn ?? '';

describe('topics', () => {
  it('CreateTopic returns the ARN for the region and account, and the same ARN again for the same name', async () => {
    const first = await createTopic('citydesk-dev-PWD', { DisplayName: '1999 Public Works' });
    const again = await createTopic('citydesk-dev-PWD', { DisplayName: '1999 Public Works' });

    expect(first).toBe('arn:aws:sns:ap-northeast-1:123456789012:citydesk-dev-PWD');
    expect(again).toBe(first);
  });

  it('CreateTopic with the same name but different attributes is InvalidParameter', async () => {
    await createTopic('dup', { DisplayName: 'one' });

    const e = await rejection(createTopic('dup', { DisplayName: 'two' }));

    expect(e).toBeInstanceOf(InvalidParameterException);
    expect(e.message).toBe('Invalid parameter: Attributes Reason: Topic already exists with different attributes');
  });

  it('CreateTopic with a name SNS does not allow is InvalidParameter', async () => {
    const e = await rejection(createTopic('no spaces allowed'));

    expect(e).toBeInstanceOf(InvalidParameterException);
    expect(e.message).toBe('Invalid parameter: Topic Name');
  });

  it('ListTopics pages by 100 with a NextToken that returns the rest', async () => {
    for (let i = 0; i < 101; i++) await createTopic(`t-${String(i).padStart(3, '0')}`);

    const first = await client.send(new ListTopicsCommand({}));
    const second = await client.send(new ListTopicsCommand({ NextToken: first.NextToken }));

    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toBeTruthy();
    expect(second.Topics?.map((t) => t.TopicArn)).toEqual(['arn:aws:sns:ap-northeast-1:123456789012:t-100']);
    expect(second.NextToken).toBeUndefined();
  });

  it('GetTopicAttributes returns what was set plus the computed attributes; SetTopicAttributes changes one', async () => {
    const arn = await createTopic('attrs', { DisplayName: 'Before' });
    await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sms', Endpoint: '+886912345678' }));

    await client.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'After' }));
    const { Attributes } = await client.send(new GetTopicAttributesCommand({ TopicArn: arn }));

    expect(Attributes).toMatchObject({ TopicArn: arn, Owner: '123456789012', DisplayName: 'After', SubscriptionsConfirmed: '1', SubscriptionsPending: '0' });
    expect(JSON.parse(Attributes?.Policy ?? '{}')).toMatchObject({ Statement: [{ Resource: arn }] });
  });

  it('GetTopicAttributes of an unknown topic is NotFound (404)', async () => {
    const e = await rejection(client.send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:nope' })));

    expect(e).toBeInstanceOf(NotFoundException);
    expect(e.message).toBe('Topic does not exist');
    expect(e.$metadata.httpStatusCode).toBe(404);
  });

  it('DeleteTopic removes the topic and its subscriptions', async () => {
    const arn = await createTopic('gone');
    await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'a@example.org' }));

    await client.send(new DeleteTopicCommand({ TopicArn: arn }));

    expect((await client.send(new ListTopicsCommand({}))).Topics).toEqual([]);
    expect((await client.send(new ListSubscriptionsCommand({}))).Subscriptions).toEqual([]);
  });
});

describe('subscriptions', () => {
  it('Subscribe accepts email, sms, http and https, each confirmed at once, and lists them by topic', async () => {
    const arn = await createTopic('subs');
    const endpoints = [
      ['email', 'pwd-1999@example.org'],
      ['sms', '+886912345678'],
      ['http', 'http://127.0.0.1:9/hook'],
      ['https', 'https://hooks.example.org/pwd'],
    ] as const;

    const arns: (string | undefined)[] = [];
    for (const [Protocol, Endpoint] of endpoints) arns.push((await client.send(new SubscribeCommand({ TopicArn: arn, Protocol, Endpoint }))).SubscriptionArn);
    const listed = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));

    for (const a of arns) expect(a).toMatch(new RegExp(`^${arn}:[0-9a-f-]{36}$`));
    expect(listed.Subscriptions).toEqual(
      endpoints.map(([Protocol, Endpoint], i) => ({ SubscriptionArn: arns[i], Owner: '123456789012', Protocol, Endpoint, TopicArn: arn })),
    );
  });

  it('Subscribe twice with the same endpoint returns the same subscription', async () => {
    const arn = await createTopic('idem');
    const a = await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sms', Endpoint: '+886912345678' }));
    const b = await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sms', Endpoint: '+886912345678' }));

    expect(b.SubscriptionArn).toBe(a.SubscriptionArn);
    expect((await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions).toHaveLength(1);
  });

  it.each([
    ['email', 'not-an-address', 'Invalid parameter: Email address'],
    ['sms', '0912345678', 'Invalid parameter: SMS endpoint'],
    ['https', 'http://plain.example.org', 'Invalid parameter: Endpoint must match the specified protocol'],
    ['carrier-pigeon', 'x', 'Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon'],
  ])('Subscribe with protocol %s and endpoint %s is InvalidParameter', async (Protocol, Endpoint, message) => {
    const arn = await createTopic('bad-subs');

    const e = await rejection(client.send(new SubscribeCommand({ TopicArn: arn, Protocol, Endpoint })));

    expect(e).toBeInstanceOf(InvalidParameterException);
    expect(e.message).toBe(message);
  });

  it('Subscribe to an unknown topic is NotFound', async () => {
    const e = await rejection(client.send(new SubscribeCommand({ TopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:nope', Protocol: 'sms', Endpoint: '+886912345678' })));

    expect(e).toBeInstanceOf(NotFoundException);
  });

  it('Get/SetSubscriptionAttributes read and change the filter policy', async () => {
    const arn = await createTopic('filtered');
    const { SubscriptionArn } = await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'mayor@example.org' }));

    await client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"level":[{"numeric":[">=",3]}]}' }));
    const { Attributes } = await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));

    expect(Attributes).toMatchObject({
      SubscriptionArn,
      TopicArn: arn,
      Protocol: 'email',
      Endpoint: 'mayor@example.org',
      PendingConfirmation: 'false',
      FilterPolicy: '{"level":[{"numeric":[">=",3]}]}',
      FilterPolicyScope: 'MessageAttributes',
    });
  });

  it('a filter policy that is not JSON is InvalidParameter', async () => {
    const arn = await createTopic('bad-filter');

    const e = await rejection(client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sms', Endpoint: '+886912345678', Attributes: { FilterPolicy: '{level' } })));

    expect(e).toBeInstanceOf(InvalidParameterException);
  });

  it('Unsubscribe removes the subscription; unsubscribing again succeeds', async () => {
    const arn = await createTopic('unsub');
    const { SubscriptionArn } = await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sms', Endpoint: '+886912345678' }));

    await client.send(new UnsubscribeCommand({ SubscriptionArn }));
    await client.send(new UnsubscribeCommand({ SubscriptionArn }));

    expect((await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions).toEqual([]);
    expect(await rejection(client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })))).toBeInstanceOf(NotFoundException);
  });
});

describe('publish', () => {
  it('Publish to a topic returns a MessageId and no SequenceNumber (standard topic)', async () => {
    const arn = await createTopic('pub');

    const out = await client.send(new PublishCommand({ TopicArn: arn, Message: 'hello', Subject: '案件通知' }));

    expect(out.MessageId).toMatch(UUID);
    expect(out.SequenceNumber).toBeUndefined();
  });

  it('Publish with a topic ARN as TargetArn publishes to the topic', async () => {
    const arn = await createTopic('target');
    await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sms', Endpoint: '+886912345678' }));

    const { MessageId } = await client.send(new PublishCommand({ TargetArn: arn, Message: 'via TargetArn' }));

    expect(await sns.outbox({ messageId: MessageId })).toMatchObject([{ topicArn: arn, endpoint: '+886912345678', message: 'via TargetArn' }]);
  });

  it('Publish to an unknown topic is NotFound', async () => {
    const e = await rejection(client.send(new PublishCommand({ TopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:nope', Message: 'x' })));

    expect(e).toBeInstanceOf(NotFoundException);
    expect(e.message).toBe('Topic does not exist');
  });

  it.each([
    ['not JSON', '{default', 'Invalid parameter: Message Structure - JSON message body failed to parse'],
    ['a JSON array', '["default"]', 'Invalid parameter: Message Structure - JSON message body failed to parse'],
    ['no default key', '{"sms":"x","email":"y"}', 'Invalid parameter: Message Structure - No default entry in JSON message body'],
    ['a default that is not a string', '{"default":{"text":"x"}}', 'Invalid parameter: Message Structure - No default entry in JSON message body'],
  ])('MessageStructure json with %s is InvalidParameter', async (_, Message, message) => {
    const arn = await createTopic('json');

    const e = await rejection(client.send(new PublishCommand({ TopicArn: arn, Message, MessageStructure: 'json' })));

    expect(e).toBeInstanceOf(InvalidParameterException);
    expect(e.message).toBe(message);
    expect(e.$metadata.httpStatusCode).toBe(400);
  });

  it('an empty message, a subject with a line break and a message over 256 KiB are InvalidParameter', async () => {
    const arn = await createTopic('limits');

    const empty = await rejection(client.send(new PublishCommand({ TopicArn: arn, Message: '' })));
    const subject = await rejection(client.send(new PublishCommand({ TopicArn: arn, Message: 'x', Subject: 'two\nlines' })));
    const long = await rejection(client.send(new PublishCommand({ TopicArn: arn, Message: 'x'.repeat(262_145) })));

    expect([empty.message, subject.message, long.message]).toEqual(['Invalid parameter: Empty message', 'Invalid parameter: Subject', 'Invalid parameter: Message too long']);
  });

  it('Publish without a target, or with two, is InvalidParameter', async () => {
    const arn = await createTopic('targets');

    const none = await rejection(client.send(new PublishCommand({ Message: 'x' })));
    const two = await rejection(client.send(new PublishCommand({ TopicArn: arn, PhoneNumber: '+886912345678', Message: 'x' })));

    expect(none).toBeInstanceOf(InvalidParameterException);
    expect(two).toBeInstanceOf(InvalidParameterException);
  });

  it('Publish to a phone number that is not E.164 is InvalidParameter', async () => {
    const e = await rejection(client.send(new PublishCommand({ PhoneNumber: '0912-345-678', Message: 'x' })));

    expect(e).toBeInstanceOf(InvalidParameterException);
    expect(e.message).toBe('Invalid parameter: PhoneNumber Reason: 0912-345-678 is not valid to publish to');
  });

  it.each([
    ['an unknown data type', { DataType: 'Date', StringValue: '2026-11-27' }, "The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."],
    ['a Number that is not a number', { DataType: 'Number', StringValue: 'three' }, "Could not cast message attribute 'a' value to number."],
    ['a String without a value', { DataType: 'String', StringValue: '' }, "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'."],
  ])('a message attribute with %s is InvalidParameterValue', async (_, value, message) => {
    const arn = await createTopic('attrs');

    const e = await rejection(client.send(new PublishCommand({ TopicArn: arn, Message: 'x', MessageAttributes: { a: value } })));

    expect(e).toBeInstanceOf(InvalidParameterValueException);
    expect(e.message).toBe(message);
  });

  it('the SMS settings SNS reserves (AWS.SNS.SMS.SMSType) are accepted as message attributes', async () => {
    const out = await client.send(
      new PublishCommand({ PhoneNumber: '+886912345678', Message: 'x', MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } } }),
    );

    expect(out.MessageId).toMatch(UUID);
  });

  it('an attribute name with another AWS. prefix is InvalidParameterValue', async () => {
    const e = await rejection(client.send(new PublishCommand({ PhoneNumber: '+886912345678', Message: 'x', MessageAttributes: { 'AWS.mine': { DataType: 'String', StringValue: 'x' } } })));

    expect(e).toBeInstanceOf(InvalidParameterValueException);
  });
});

describe('PublishBatch', () => {
  it('publishes the valid entries and reports the failing entry in Failed with its code', async () => {
    const arn = await createTopic('batch');
    await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sms', Endpoint: '+886912345678' }));

    const out = await client.send(
      new PublishBatchCommand({
        TopicArn: arn,
        PublishBatchRequestEntries: [
          { Id: 'first', Message: 'one' },
          { Id: 'broken', Message: '{"sms":"no default"}', MessageStructure: 'json' },
          { Id: 'third', Message: 'three', MessageAttributes: { level: { DataType: 'Number', StringValue: '2' } } },
        ],
      }),
    );

    expect(out.Successful?.map((s) => s.Id)).toEqual(['first', 'third']);
    for (const s of out.Successful ?? []) expect(s.MessageId).toMatch(UUID);
    expect(out.Failed).toEqual([{ Id: 'broken', Code: 'InvalidParameter', Message: 'Invalid parameter: Message Structure - No default entry in JSON message body', SenderFault: true }]);
    expect((await sns.outbox({ topicArn: arn })).map((e) => e.message)).toEqual(['one', 'three']);
  });

  it('more than 10 entries is TooManyEntriesInBatchRequest', async () => {
    const arn = await createTopic('batch-11');
    const entries = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, Message: 'x' }));

    const e = await rejection(client.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: entries })));

    expect(e).toBeInstanceOf(TooManyEntriesInBatchRequestException);
  });

  it('duplicate entry ids are BatchEntryIdsNotDistinct, an empty batch is EmptyBatchRequest', async () => {
    const arn = await createTopic('batch-ids');

    const dup = await rejection(client.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'x' }, { Id: 'a', Message: 'y' }] })));
    const empty = await rejection(client.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: [] })));

    expect(dup).toBeInstanceOf(BatchEntryIdsNotDistinctException);
    expect(empty).toBeInstanceOf(EmptyBatchRequestException);
  });

  it('a batch to an unknown topic is NotFound', async () => {
    const e = await rejection(client.send(new PublishBatchCommand({ TopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:nope', PublishBatchRequestEntries: [{ Id: 'a', Message: 'x' }] })));

    expect(e).toBeInstanceOf(NotFoundException);
  });
});

describe('XML on the wire', () => {
  it('a success is <ActionResponse> in the SNS namespace with the result and ResponseMetadata/RequestId', async () => {
    const res = await query({ Action: 'CreateTopic', Name: 'xml-topic' });

    expect(res.status).toBe(200);
    expect(res.contentType).toBe('text/xml');
    expect(res.body).toMatch(
      new RegExp(
        `<CreateTopicResponse xmlns="${XMLNS}"><CreateTopicResult><TopicArn>arn:aws:sns:ap-northeast-1:123456789012:xml-topic</TopicArn></CreateTopicResult>` +
          `<ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata></CreateTopicResponse>$`,
      ),
    );
  });

  it('lists are <member> elements and attribute maps are <entry><key/><value/>', async () => {
    await query({ Action: 'CreateTopic', Name: 'xml-a', 'Attributes.entry.1.key': 'DisplayName', 'Attributes.entry.1.value': 'A & <B>' });

    const list = await query({ Action: 'ListTopics' });
    const attrs = await query({ Action: 'GetTopicAttributes', TopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:xml-a' });

    expect(list.body).toContain('<ListTopicsResult><Topics><member><TopicArn>arn:aws:sns:ap-northeast-1:123456789012:xml-a</TopicArn></member></Topics></ListTopicsResult>');
    expect(attrs.body).toContain('<GetTopicAttributesResult><Attributes><entry><key>');
    expect(attrs.body).toContain('<entry><key>DisplayName</key><value>A &amp; &lt;B&gt;</value></entry>');
  });

  it('an action without a result has only ResponseMetadata', async () => {
    await query({ Action: 'CreateTopic', Name: 'xml-del' });

    const res = await query({ Action: 'DeleteTopic', TopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:xml-del' });

    expect(res.body).toMatch(new RegExp(`<DeleteTopicResponse xmlns="${XMLNS}"><ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata></DeleteTopicResponse>$`));
  });

  it('an unknown topic is a 404 ErrorResponse with Type Sender and Code NotFound', async () => {
    const res = await query({ Action: 'Publish', TopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:nope', Message: 'x' });

    expect(res.status).toBe(404);
    expect(res.body).toMatch(
      new RegExp(
        `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error>` +
          `<RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`,
      ),
    );
  });

  it('MessageStructure json without default is a 400 ErrorResponse with Code InvalidParameter', async () => {
    await query({ Action: 'CreateTopic', Name: 'xml-json' });

    const res = await query({ Action: 'Publish', TopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:xml-json', MessageStructure: 'json', Message: '{"sms":"x"}' });

    expect(res.status).toBe(400);
    expect(res.body).toContain(
      '<Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: Message Structure - No default entry in JSON message body</Message></Error>',
    );
  });

  it('an unknown action is InvalidAction and a request without Action is MissingAction', async () => {
    const unknown = await query({ Action: 'LaunchRocket' });
    const missing = await query({});

    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('<Code>InvalidAction</Code>');
    expect(missing.body).toContain('<Code>MissingAction</Code>');
  });

  it('PublishBatch lists Successful and Failed members', async () => {
    await query({ Action: 'CreateTopic', Name: 'xml-batch' });

    const res = await query({
      Action: 'PublishBatch',
      TopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:xml-batch',
      'PublishBatchRequestEntries.member.1.Id': 'ok',
      'PublishBatchRequestEntries.member.1.Message': 'x',
      'PublishBatchRequestEntries.member.2.Id': 'bad',
      'PublishBatchRequestEntries.member.2.Message': '',
    });

    expect(res.body).toMatch(/<PublishBatchResult><Successful><member><Id>ok<\/Id><MessageId>[0-9a-f-]{36}<\/MessageId><\/member><\/Successful>/);
    expect(res.body).toContain('<Failed><member><Id>bad</Id><Code>InvalidParameter</Code><Message>Invalid parameter: Empty message</Message><SenderFault>true</SenderFault></member></Failed>');
  });

  it('the same actions work as GET requests with the parameters in the URL (SubscribeURL, UnsubscribeURL)', async () => {
    const res = await fetch(`${sns.endpoint}/?Action=ListTopics&Version=2010-03-31`);

    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<ListTopicsResponse xmlns="${XMLNS}">`);
  });
});
