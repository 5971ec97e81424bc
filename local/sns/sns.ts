/**
 * The SNS actions: topics, subscriptions and publishing, with the validation and error wording of the real
 * service. Transport-free: `handle(action, params)` takes decoded query parameters and returns the XML result
 * (or throws SnsError); the HTTP server in server.ts wraps it.
 *
 * Local choices (see README.md): email and sms subscriptions are confirmed at once and deliver to the outbox;
 * http/https subscriptions are confirmed at once by default, or with the real handshake (a
 * SubscriptionConfirmation POST, then ConfirmSubscription) when `confirmHttpSubscriptions: 'handshake'`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { nowIso } from '../../functions/domain/clock';
import { invalidParameter, notFound, SnsError } from './errors';
import {
  matchesFilterPolicy,
  messageFor,
  notificationAttributes,
  parseFilterPolicy,
  parseMessage,
  readMessageAttributes,
  MAX_PUBLISH_BYTES,
  type PublishedMessage,
} from './message';
import type { Outbox, OutboxEntry } from './outbox';
import { RawXml, xmlStringMap, type QueryParams, type XmlNode } from './query-protocol';
import { signDocument, type SignableDocument, type SigningIdentity } from './signing';
import type { SnsStore, StoredSubscription, StoredTopic, SubscriptionProtocol } from './store';
import type { RetryPolicy, WebhookDeliverer } from './delivery';

export interface SnsEngineOptions {
  region: string;
  accountId: string;
  store: SnsStore;
  outbox: Outbox;
  deliverer: WebhookDeliverer;
  /** Loaded on first use. */
  signing: () => SigningIdentity;
  retry: RetryPolicy;
  confirmHttpSubscriptions: 'auto' | 'handshake';
  /** Called with each new email/sms outbox entry (webhook outcomes come through the deliverer's recorder). */
  onOutboxEntry: (entry: OutboxEntry) => void;
}

const PAGE_SIZE = 100;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const LOCAL_PROTOCOLS: readonly SubscriptionProtocol[] = ['email', 'sms', 'http', 'https'];
/** Protocols the real SNS has that the local one cannot deliver to: refused honestly rather than dropped. */
const AWS_ONLY_PROTOCOLS = ['email-json', 'sqs', 'lambda', 'application', 'firehose'];

const TOPIC_ATTRIBUTES = new Set([
  'DisplayName', 'Policy', 'DeliveryPolicy', 'KmsMasterKeyId', 'SignatureVersion', 'TracingConfig', 'FifoTopic',
  'ContentBasedDeduplication', 'ArchivePolicy', 'DataProtectionPolicy', 'FifoThroughputScope',
  'HTTPSuccessFeedbackRoleArn', 'HTTPSuccessFeedbackSampleRate', 'HTTPFailureFeedbackRoleArn',
]);
const SUBSCRIPTION_ATTRIBUTES = new Set(['DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy']);

const required = (params: QueryParams, name: string): string => {
  const v = params.get(name);
  if (v === undefined || v === '') throw invalidParameter(`Invalid parameter: ${name} Reason: no value for required parameter`);
  return v;
};

function page<T>(items: T[], token: string | undefined): { items: T[]; nextToken?: string } {
  let start = 0;
  if (token) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid parameter: NextToken');
  }
  const slice = items.slice(start, start + PAGE_SIZE);
  const next = start + PAGE_SIZE < items.length ? Buffer.from(String(start + PAGE_SIZE)).toString('base64url') : undefined;
  return { items: slice, nextToken: next };
}

export class SnsEngine {
  /** Base URL of the service (set once the server listens): SubscribeURL, UnsubscribeURL, SigningCertURL. */
  baseUrl = '';

  constructor(private readonly o: SnsEngineOptions) {}

  get signingCertUrl(): string {
    return `${this.baseUrl}/_local/sns/signing-cert.pem`;
  }

  handle(action: string, params: QueryParams): XmlNode | RawXml | undefined {
    switch (action) {
      case 'CreateTopic':
        return { TopicArn: this.createTopic(required(params, 'Name'), params.stringMap('Attributes') ?? {}, this.readTags(params)).arn };
      case 'DeleteTopic':
        return this.deleteTopic(required(params, 'TopicArn'));
      case 'ListTopics': {
        const p = page([...this.o.store.topics.values()], params.get('NextToken'));
        return { Topics: p.items.map((t) => ({ TopicArn: t.arn })), NextToken: p.nextToken };
      }
      case 'GetTopicAttributes':
        return new RawXml(xmlStringMap('Attributes', this.topicAttributes(this.topic(required(params, 'TopicArn')))));
      case 'SetTopicAttributes':
        return this.setTopicAttribute(required(params, 'TopicArn'), required(params, 'AttributeName'), params.get('AttributeValue') ?? '');
      case 'Subscribe':
        return {
          SubscriptionArn: this.subscribe(
            required(params, 'TopicArn'),
            required(params, 'Protocol'),
            params.get('Endpoint'),
            params.stringMap('Attributes') ?? {},
            params.get('ReturnSubscriptionArn') === 'true',
          ),
        };
      case 'ConfirmSubscription':
        return { SubscriptionArn: this.confirmSubscription(required(params, 'TopicArn'), required(params, 'Token')) };
      case 'Unsubscribe':
        return this.unsubscribe(required(params, 'SubscriptionArn'));
      case 'ListSubscriptions': {
        const p = page([...this.o.store.subscriptions.values()], params.get('NextToken'));
        return { Subscriptions: p.items.map((s) => this.subscriptionSummary(s)), NextToken: p.nextToken };
      }
      case 'ListSubscriptionsByTopic': {
        const topic = this.topic(required(params, 'TopicArn'));
        const p = page(this.o.store.subscriptionsOf(topic.arn), params.get('NextToken'));
        return { Subscriptions: p.items.map((s) => this.subscriptionSummary(s)), NextToken: p.nextToken };
      }
      case 'GetSubscriptionAttributes':
        return new RawXml(xmlStringMap('Attributes', this.subscriptionAttributes(this.subscription(required(params, 'SubscriptionArn')))));
      case 'SetSubscriptionAttributes':
        return this.setSubscriptionAttribute(required(params, 'SubscriptionArn'), required(params, 'AttributeName'), params.get('AttributeValue') ?? '');
      case 'Publish':
        return { MessageId: this.publish(params) };
      case 'PublishBatch':
        return this.publishBatch(params);
      default:
        throw new SnsError('InvalidAction', `The action ${action} is not valid for this endpoint.`, 400);
    }
  }

  // ---- topics ----

  private readTags(params: QueryParams): Record<string, string> {
    return Object.fromEntries(params.members('Tags').map((t) => [t.get('Key') ?? '', t.get('Value') ?? '']));
  }

  topicArn(name: string): string {
    return `arn:aws:sns:${this.o.region}:${this.o.accountId}:${name}`;
  }

  private validateTopicAttribute(name: string, value: string): void {
    if (!TOPIC_ATTRIBUTES.has(name)) throw invalidParameter('Invalid parameter: AttributeName');
    if (name === 'FifoTopic' && value.toLowerCase() === 'true')
      throw invalidParameter('Invalid parameter: Attributes Reason: FIFO topics are not supported by the local SNS');
    if (name === 'SignatureVersion' && value !== '1' && value !== '2')
      throw invalidParameter('Invalid parameter: Attributes Reason: SignatureVersion: Invalid value [' + value + ']. Must be one of: 1, 2');
    if (name === 'DisplayName' && value.length > 100) throw invalidParameter('Invalid parameter: DisplayName');
  }

  /** Idempotent by name: the same name returns the same topic unless the attributes or tags differ. */
  createTopic(name: string, attributes: Record<string, string>, tags: Record<string, string> = {}): StoredTopic {
    if (name.endsWith('.fifo')) throw invalidParameter('Invalid parameter: Topic Name Reason: FIFO topics are not supported by the local SNS');
    if (!TOPIC_NAME.test(name)) throw invalidParameter('Invalid parameter: Topic Name');
    const attrs = { ...attributes };
    if (attrs.FifoTopic?.toLowerCase() === 'false') delete attrs.FifoTopic; // SNS does not keep an explicit false
    for (const [k, v] of Object.entries(attrs)) this.validateTopicAttribute(k, v);
    const arn = this.topicArn(name);
    const existing = this.o.store.topics.get(arn);
    if (existing) {
      if (Object.entries(attrs).some(([k, v]) => (existing.attributes[k] ?? '') !== v))
        throw invalidParameter('Invalid parameter: Attributes Reason: Topic already exists with different attributes');
      if (Object.entries(tags).some(([k, v]) => existing.tags[k] !== v))
        throw invalidParameter('Invalid parameter: Tags Reason: Topic already exists with different tags');
      return existing;
    }
    const topic: StoredTopic = { arn, name, attributes: attrs, tags, createdAt: nowIso() };
    this.o.store.topics.set(arn, topic);
    this.o.store.save();
    return topic;
  }

  private parseTopicArn(arn: string, parameter = 'TopicArn'): void {
    if (!TOPIC_ARN.test(arn)) throw invalidParameter(`Invalid parameter: ${parameter}`);
  }

  topic(arn: string): StoredTopic {
    this.parseTopicArn(arn);
    const t = this.o.store.topics.get(arn);
    if (!t) throw notFound('Topic does not exist');
    return t;
  }

  private deleteTopic(arn: string): undefined {
    this.parseTopicArn(arn);
    if (!this.o.store.topics.delete(arn)) return undefined; // DeleteTopic is idempotent
    for (const s of this.o.store.subscriptionsOf(arn)) this.o.store.subscriptions.delete(s.arn);
    this.o.store.save();
    return undefined;
  }

  private setTopicAttribute(arn: string, name: string, value: string): undefined {
    const t = this.topic(arn);
    if (name === 'FifoTopic') throw invalidParameter('Invalid parameter: AttributeName');
    this.validateTopicAttribute(name, value);
    t.attributes[name] = value;
    this.o.store.save();
    return undefined;
  }

  private topicAttributes(t: StoredTopic): Record<string, string> {
    const subs = this.o.store.subscriptionsOf(t.arn);
    const retries = this.o.retry.maxAttempts - 1;
    return {
      Policy: JSON.stringify({
        Version: '2008-10-17',
        Id: '__default_policy_ID',
        Statement: [
          {
            Sid: '__default_statement_ID',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
            Resource: t.arn,
            Condition: { StringEquals: { 'AWS:SourceOwner': this.o.accountId } },
          },
        ],
      }),
      Owner: this.o.accountId,
      SubscriptionsPending: String(subs.filter((s) => s.pendingConfirmation).length),
      TopicArn: t.arn,
      // The policy the local service really applies, not SNS's default (which retries for minutes).
      EffectiveDeliveryPolicy: JSON.stringify({
        http: {
          defaultHealthyRetryPolicy: {
            minDelayTarget: Math.ceil(this.o.retry.baseDelayMs / 1000),
            maxDelayTarget: Math.ceil(this.o.retry.maxDelayMs / 1000),
            numRetries: retries,
            numMaxDelayRetries: 0,
            numNoDelayRetries: 0,
            numMinDelayRetries: 0,
            backoffFunction: 'exponential',
          },
          disableSubscriptionOverrides: false,
          defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
        },
      }),
      SubscriptionsConfirmed: String(subs.filter((s) => !s.pendingConfirmation).length),
      DisplayName: '',
      SubscriptionsDeleted: '0',
      ...t.attributes,
    };
  }

  // ---- subscriptions ----

  private validateSubscriptionAttribute(protocol: SubscriptionProtocol, name: string, value: string): void {
    if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalidParameter(`Invalid parameter: Attributes Reason: Unknown attribute ${name}`);
    if (name === 'RawMessageDelivery') {
      if (!['true', 'false'].includes(value.toLowerCase())) throw invalidParameter('Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [' + value + ']. Must be true or false.');
      if (protocol !== 'http' && protocol !== 'https')
        throw invalidParameter(`Invalid parameter: Attributes Reason: Delivery protocol [${protocol}] does not support raw message delivery attribute`);
    }
    if (name === 'FilterPolicyScope') {
      if (value === 'MessageBody') throw invalidParameter('Invalid parameter: Attributes Reason: FilterPolicyScope MessageBody is not supported by the local SNS');
      if (value !== 'MessageAttributes') throw invalidParameter('Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [' + value + ']. Please use either MessageBody or MessageAttributes');
    }
    if (name === 'FilterPolicy') parseFilterPolicy(value);
  }

  private validateEndpoint(protocol: SubscriptionProtocol, endpoint: string): void {
    switch (protocol) {
      case 'email':
        if (!EMAIL.test(endpoint)) throw invalidParameter('Invalid parameter: Email address');
        return;
      case 'sms':
        if (!E164.test(endpoint)) throw invalidParameter('Invalid parameter: SMS endpoint');
        return;
      default: {
        let ok = endpoint.startsWith(`${protocol}://`);
        try {
          new URL(endpoint);
        } catch {
          ok = false;
        }
        if (!ok) throw invalidParameter('Invalid parameter: Endpoint must match the specified protocol');
      }
    }
  }

  /**
   * Subscribe; idempotent for the same protocol and endpoint unless the attributes differ. Returns the
   * subscription ARN, or "pending confirmation" for a handshake subscription unless ReturnSubscriptionArn.
   */
  subscribe(topicArn: string, protocolName: string, endpoint: string | undefined, attributes: Record<string, string>, returnArn: boolean, provisioned = false): string {
    const topic = this.topic(topicArn);
    if (!(LOCAL_PROTOCOLS as readonly string[]).includes(protocolName)) {
      if (AWS_ONLY_PROTOCOLS.includes(protocolName))
        throw invalidParameter(`Invalid parameter: Protocol Reason: the local SNS delivers only to ${LOCAL_PROTOCOLS.join(', ')}, not ${protocolName}`);
      throw invalidParameter(`Invalid parameter: Amazon SNS does not support this protocol string: ${protocolName}`);
    }
    const protocol = protocolName as SubscriptionProtocol;
    if (!endpoint) throw invalidParameter('Invalid parameter: Endpoint Reason: no value for required parameter');
    this.validateEndpoint(protocol, endpoint);
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(attributes)) {
      this.validateSubscriptionAttribute(protocol, k, v);
      attrs[k] = k === 'RawMessageDelivery' ? v.toLowerCase() : v;
    }
    const existing = this.o.store.subscriptionsOf(topic.arn).find((s) => s.protocol === protocol && s.endpoint === endpoint);
    if (existing) {
      if (Object.entries(attrs).some(([k, v]) => (existing.attributes[k] ?? '') !== v))
        throw invalidParameter('Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
      return existing.pendingConfirmation && !returnArn ? 'pending confirmation' : existing.arn;
    }
    const handshake = (protocol === 'http' || protocol === 'https') && this.o.confirmHttpSubscriptions === 'handshake' && !provisioned;
    const sub: StoredSubscription = {
      arn: `${topic.arn}:${randomUUID()}`,
      topicArn: topic.arn,
      protocol,
      endpoint,
      owner: this.o.accountId,
      pendingConfirmation: handshake,
      ...(handshake ? { confirmationToken: randomBytes(72).toString('hex') } : {}),
      attributes: attrs,
      ...(provisioned ? { provisioned: true } : {}),
      createdAt: nowIso(),
    };
    this.o.store.subscriptions.set(sub.arn, sub);
    this.o.store.save();
    if (handshake) {
      this.sendSubscriptionConfirmation(topic, sub);
      return returnArn ? sub.arn : 'pending confirmation';
    }
    return sub.arn;
  }

  private confirmSubscription(topicArn: string, token: string): string {
    this.parseTopicArn(topicArn, 'Topic');
    const sub = [...this.o.store.subscriptions.values()].find((s) => s.confirmationToken === token);
    if (!sub || sub.topicArn !== topicArn) throw invalidParameter('Invalid parameter: Token');
    if (sub.pendingConfirmation) {
      sub.pendingConfirmation = false;
      this.o.store.save();
    }
    return sub.arn;
  }

  subscription(arn: string): StoredSubscription {
    const s = this.o.store.subscriptions.get(arn);
    if (!s) throw notFound('Subscription does not exist');
    return s;
  }

  unsubscribe(arn: string): undefined {
    if (arn.split(':').length < 7 || !arn.startsWith('arn:')) throw invalidParameter('Invalid parameter: SubscriptionArn');
    // Unsubscribing from a subscription that is already gone succeeds, as on AWS.
    if (this.o.store.subscriptions.delete(arn)) this.o.store.save();
    return undefined;
  }

  private subscriptionSummary(s: StoredSubscription): XmlNode {
    return {
      SubscriptionArn: s.pendingConfirmation ? 'PendingConfirmation' : s.arn,
      Owner: s.owner,
      Protocol: s.protocol,
      Endpoint: s.endpoint,
      TopicArn: s.topicArn,
    };
  }

  private subscriptionAttributes(s: StoredSubscription): Record<string, string> {
    const attrs: Record<string, string> = {
      Owner: s.owner,
      RawMessageDelivery: 'false',
      TopicArn: s.topicArn,
      Endpoint: s.endpoint,
      Protocol: s.protocol,
      PendingConfirmation: String(s.pendingConfirmation),
      ConfirmationWasAuthenticated: String(!s.pendingConfirmation),
      SubscriptionArn: s.arn,
      SubscriptionPrincipal: `arn:aws:iam::${this.o.accountId}:root`,
      ...s.attributes,
    };
    if (attrs.FilterPolicy && !attrs.FilterPolicyScope) attrs.FilterPolicyScope = 'MessageAttributes';
    if (!attrs.FilterPolicy) delete attrs.FilterPolicy;
    return attrs;
  }

  private setSubscriptionAttribute(arn: string, name: string, value: string): undefined {
    const s = this.subscription(arn);
    this.validateSubscriptionAttribute(s.protocol, name, value);
    s.attributes[name] = name === 'RawMessageDelivery' ? value.toLowerCase() : value;
    this.o.store.save();
    return undefined;
  }

  // ---- publishing ----

  /** Publish to a topic (TopicArn, or a topic ARN as TargetArn) or straight to a phone number. */
  private publish(params: QueryParams): string {
    const targets = (['TopicArn', 'TargetArn', 'PhoneNumber'] as const).filter((n) => params.get(n));
    if (targets.length === 0) throw invalidParameter('Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
    if (targets.length > 1) throw invalidParameter(`Invalid parameter: ${targets.join(', ')} Reason: only one of TopicArn, TargetArn and PhoneNumber may be given`);
    const phone = params.get('PhoneNumber');
    if (phone && !E164.test(phone)) throw invalidParameter(`Invalid parameter: PhoneNumber Reason: ${phone} is not valid to publish to`);
    const parsed = parseMessage({
      message: params.get('Message'),
      subject: params.get('Subject'),
      messageStructure: params.get('MessageStructure'),
      attributes: readMessageAttributes(params),
    });
    if (params.get('MessageGroupId') || params.get('MessageDeduplicationId'))
      throw invalidParameter('Invalid parameter: MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type');
    const message: PublishedMessage = { messageId: randomUUID(), ...parsed };
    if (phone) {
      this.storeForEndpoint(message, 'sms', phone);
      return message.messageId;
    }
    const arn = params.get('TopicArn') ?? params.get('TargetArn') ?? '';
    if (!params.get('TopicArn') && arn.includes(':endpoint/'))
      throw invalidParameter('Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified');
    this.fanOut(this.topic(arn), message);
    return message.messageId;
  }

  private publishBatch(params: QueryParams): XmlNode {
    const topicArn = required(params, 'TopicArn');
    const entries = params.members('PublishBatchRequestEntries');
    if (entries.length > 10) throw new SnsError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
    if (entries.length === 0) throw new SnsError('EmptyBatchRequest', 'The batch request does not contain any entries.');
    const topic = this.topic(topicArn);
    const ids = entries.map((e) => e.get('Id') ?? '');
    if (new Set(ids).size !== ids.length) throw new SnsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    for (const id of ids) {
      if (id.length > 80) throw new SnsError('InvalidBatchEntryId', `The Id of a batch entry in the batch request is too long: ${id}`);
      if (!BATCH_ID.test(id)) throw new SnsError('InvalidBatchEntryId', `The Id of a batch entry in the batch request contains an impermissible character: ${id}`);
    }
    const total = entries.reduce((n, e) => n + Buffer.byteLength(e.get('Message') ?? ''), 0);
    if (total > MAX_PUBLISH_BYTES) throw new SnsError('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');

    // Each entry is validated on its own: a bad entry is reported in Failed and the others are published.
    const successful: XmlNode[] = [];
    const failed: XmlNode[] = [];
    for (const e of entries) {
      const id = e.get('Id') ?? '';
      try {
        const parsed = parseMessage({
          message: e.get('Message'),
          subject: e.get('Subject'),
          messageStructure: e.get('MessageStructure'),
          attributes: readMessageAttributes(e),
        });
        const message: PublishedMessage = { messageId: randomUUID(), ...parsed };
        this.fanOut(topic, message);
        successful.push({ Id: id, MessageId: message.messageId });
      } catch (err) {
        if (!(err instanceof SnsError)) throw err;
        failed.push({ Id: id, Code: err.code, Message: err.message, SenderFault: err.type === 'Sender' });
      }
    }
    return { Successful: successful, Failed: failed };
  }

  /** Deliver to every confirmed subscription of the topic whose filter policy accepts the message. */
  private fanOut(topic: StoredTopic, message: PublishedMessage): void {
    for (const sub of this.o.store.subscriptionsOf(topic.arn)) {
      if (sub.pendingConfirmation) continue;
      const policy = sub.attributes.FilterPolicy ? parseFilterPolicy(sub.attributes.FilterPolicy) : undefined;
      if (policy && !matchesFilterPolicy(policy, message.attributes)) continue;
      if (sub.protocol === 'email' || sub.protocol === 'sms') this.storeForEndpoint(message, sub.protocol, sub.endpoint, topic, sub);
      else this.sendNotification(topic, sub, message);
    }
  }

  private storeForEndpoint(message: PublishedMessage, protocol: 'email' | 'sms', endpoint: string, topic?: StoredTopic, sub?: StoredSubscription): void {
    const entry: OutboxEntry = {
      id: randomUUID(),
      at: nowIso(),
      protocol,
      endpoint,
      ...(topic ? { topicArn: topic.arn } : {}),
      ...(sub ? { subscriptionArn: sub.arn } : {}),
      messageId: message.messageId,
      // SMS has no subject; SNS drops it.
      ...(message.subject !== undefined && protocol === 'email' ? { subject: message.subject } : {}),
      message: messageFor(message, protocol),
      ...(Object.keys(message.attributes).length ? { messageAttributes: notificationAttributes(message.attributes) } : {}),
      status: 'stored',
    };
    this.o.outbox.append(entry);
    this.o.onOutboxEntry(entry);
  }

  private signed(topic: StoredTopic, doc: SignableDocument): { SignatureVersion: string; Signature: string; SigningCertURL: string } {
    const version = topic.attributes.SignatureVersion ?? '1';
    return { SignatureVersion: version, Signature: signDocument(doc, version, this.o.signing().privateKey), SigningCertURL: this.signingCertUrl };
  }

  private sendNotification(topic: StoredTopic, sub: StoredSubscription, message: PublishedMessage): void {
    const text = messageFor(message, sub.protocol);
    const attributes = notificationAttributes(message.attributes);
    const signable: SignableDocument = {
      Type: 'Notification',
      MessageId: message.messageId,
      TopicArn: topic.arn,
      ...(message.subject !== undefined ? { Subject: message.subject } : {}),
      Message: text,
      Timestamp: nowIso(),
    };
    const doc = {
      Type: signable.Type,
      MessageId: signable.MessageId,
      TopicArn: signable.TopicArn,
      ...(signable.Subject !== undefined ? { Subject: signable.Subject } : {}),
      Message: signable.Message,
      Timestamp: signable.Timestamp,
      ...this.signed(topic, signable),
      UnsubscribeURL: `${this.baseUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub.arn)}`,
      ...(attributes ? { MessageAttributes: attributes } : {}),
    };
    const raw = sub.attributes.RawMessageDelivery === 'true';
    this.o.deliverer.deliver({
      entry: {
        protocol: sub.protocol,
        endpoint: sub.endpoint,
        topicArn: topic.arn,
        subscriptionArn: sub.arn,
        messageId: message.messageId,
        ...(message.subject !== undefined ? { subject: message.subject } : {}),
        message: text,
        ...(attributes ? { messageAttributes: attributes } : {}),
        messageType: 'Notification',
      },
      body: raw ? text : JSON.stringify(doc, null, 2),
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'user-agent': 'Amazon Simple Notification Service Agent',
        'x-amz-sns-message-type': 'Notification',
        'x-amz-sns-message-id': message.messageId,
        'x-amz-sns-topic-arn': topic.arn,
        'x-amz-sns-subscription-arn': sub.arn,
        ...(raw ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
      },
    });
  }

  private sendSubscriptionConfirmation(topic: StoredTopic, sub: StoredSubscription): void {
    const token = sub.confirmationToken ?? '';
    const messageId = randomUUID();
    const subscribeUrl = `${this.baseUrl}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topic.arn)}&Token=${token}`;
    const signable: SignableDocument = {
      Type: 'SubscriptionConfirmation',
      MessageId: messageId,
      Token: token,
      TopicArn: topic.arn,
      Message: `You have chosen to subscribe to the topic ${topic.arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: subscribeUrl,
      Timestamp: nowIso(),
    };
    const doc = { ...signable, ...this.signed(topic, signable) };
    this.o.deliverer.deliver({
      entry: { protocol: sub.protocol, endpoint: sub.endpoint, topicArn: topic.arn, subscriptionArn: sub.arn, messageId, message: signable.Message, messageType: 'SubscriptionConfirmation' },
      body: JSON.stringify(doc, null, 2),
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'user-agent': 'Amazon Simple Notification Service Agent',
        'x-amz-sns-message-type': 'SubscriptionConfirmation',
        'x-amz-sns-message-id': messageId,
        'x-amz-sns-topic-arn': topic.arn,
      },
    });
  }
}
