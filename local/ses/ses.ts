/**
 * The SES v2 actions the local cloud needs, on plain JSON documents as the REST-JSON protocol carries them:
 * SendEmail (Simple and Raw content) and the email identities it checks senders against (Create, Get, List,
 * Delete). Each recipient of an e-mail becomes one `email` entry in the outbox the local SNS also writes to.
 *
 * Local choices (see README.md): identities are verified as soon as they are created; there is no sandbox (any
 * recipient may be e-mailed once the sender is verified); Template content, configuration sets, contact lists and
 * multi-region endpoints are refused with an error rather than ignored.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { nowIso } from '../../functions/domain/clock';
import type { OutboxEntry } from '../sns/outbox';
import { isDomain, parseMailbox, splitAddressList, type Mailbox } from './addresses';
import { badRequest, messageRejected, notFound, alreadyExists } from './errors';
import { IdentityStore, type IdentityType, type StoredIdentity, type Tag } from './identities';
import { parseRawMessage } from './mime';

/** SES v2 takes messages up to 40 MB (after encoding). */
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
/** To, Cc and Bcc together. */
export const MAX_RECIPIENTS = 50;
const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 100;

export interface SesEngineOptions {
  /** Upper case in error messages, as SES writes it ("in region AP-NORTHEAST-1"). */
  region: string;
  identities: IdentityStore;
  /** Stores one outbox entry (one recipient of one e-mail). */
  record: (entry: OutboxEntry) => void;
}

type Json = Record<string, unknown>;

interface Letter {
  from: Mailbox;
  recipients: Mailbox[];
  subject: string;
  text?: string;
  html?: string;
}

export class SesEngine {
  constructor(private readonly o: SesEngineOptions) {}

  /** POST /v2/email/outbound-emails */
  sendEmail(body: Json): { MessageId: string } {
    for (const [field, what] of [
      ['ConfigurationSetName', 'Configuration set'],
      ['TenantName', 'Tenant'],
    ] as const) {
      const name = optionalString(body, field);
      if (name !== undefined) throw notFound(`${what} <${name}> does not exist.`);
    }
    const listOptions = optionalObject(body, 'ListManagementOptions');
    if (listOptions) throw notFound(`List <${typeof listOptions.ContactListName === 'string' ? listOptions.ContactListName : ''}> does not exist.`);
    if (optionalString(body, 'EndpointId') !== undefined) throw badRequest('Multi-region endpoints (EndpointId) are not supported by the local SES.');
    for (const address of stringList(body, 'ReplyToAddresses', 'ReplyToAddresses')) mailbox(address, 'ReplyToAddresses');

    const content = optionalObject(body, 'Content');
    if (!content) throw badRequest('Content is required: Simple or Raw.');
    const kinds = (['Simple', 'Raw', 'Template'] as const).filter((k) => content[k] !== undefined && content[k] !== null);
    if (kinds.length !== 1) throw badRequest('Content must have exactly one of Simple, Raw or Template.');
    if (kinds[0] === 'Template') throw badRequest('Template content is not supported by the local SES; send Simple or Raw content.');
    const letter = kinds[0] === 'Simple' ? simpleLetter(body, objectAt(content, 'Simple', 'Content.Simple')) : rawLetter(body, objectAt(content, 'Raw', 'Content.Raw'));

    if (letter.recipients.length === 0) throw badRequest('Missing final destination: Destination needs at least one of ToAddresses, CcAddresses or BccAddresses.');
    if (letter.recipients.length > MAX_RECIPIENTS) throw messageRejected(`Recipient count exceeds ${MAX_RECIPIENTS}.`);
    if (!this.isVerifiedSender(letter.from))
      throw messageRejected(`Email address is not verified. The following identities failed the check in region ${this.o.region.toUpperCase()}: ${letter.from.address}`);

    const messageId = newMessageId();
    const at = nowIso();
    for (const to of letter.recipients) {
      this.o.record({
        id: randomUUID(),
        at,
        protocol: 'email',
        endpoint: to.address,
        messageId,
        from: letter.from.text,
        subject: letter.subject,
        // What a mail client shows first: the text part, else the HTML.
        message: letter.text ?? letter.html ?? '',
        ...(letter.html !== undefined ? { html: letter.html } : {}),
        status: 'stored',
      });
    }
    return { MessageId: messageId };
  }

  /** POST /v2/email/identities */
  createEmailIdentity(body: Json): { IdentityType: IdentityType; VerifiedForSendingStatus: boolean; DkimAttributes: Json } {
    const name = optionalString(body, 'EmailIdentity');
    if (!name) throw badRequest('EmailIdentity is required.');
    const type = identityType(name);
    if (this.o.identities.get(name)) throw alreadyExists(`Email identity ${name} already exist.`);
    if (optionalObject(body, 'DkimSigningAttributes')) throw badRequest('Bring-your-own DKIM (DkimSigningAttributes) is not supported by the local SES.');
    const configurationSetName = optionalString(body, 'ConfigurationSetName');
    if (configurationSetName !== undefined) throw notFound(`Configuration set <${configurationSetName}> does not exist.`);
    const identity: StoredIdentity = { name, type, tags: tags(body), createdAt: nowIso() };
    this.o.identities.put(identity);
    return { IdentityType: type, VerifiedForSendingStatus: true, DkimAttributes: dkimAttributes(identity) };
  }

  /** GET /v2/email/identities/{EmailIdentity} */
  getEmailIdentity(name: string): Json {
    const identity = this.mustGet(name);
    return {
      IdentityType: identity.type,
      FeedbackForwardingStatus: true,
      VerifiedForSendingStatus: true,
      VerificationStatus: 'SUCCESS',
      DkimAttributes: dkimAttributes(identity),
      MailFromAttributes: { BehaviorOnMxFailure: 'USE_DEFAULT_VALUE', MailFromDomainStatus: 'SUCCESS' },
      Policies: {},
      Tags: identity.tags,
    };
  }

  /** POST /v2/email/list-identities (the installed client) or GET /v2/email/identities (older clients and CLIs). */
  listEmailIdentities(pageSize: number | undefined, nextToken: string | undefined): { EmailIdentities: Json[]; NextToken?: string } {
    const size = pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) throw badRequest(`PageSize must be an integer from 0 to ${MAX_PAGE_SIZE}.`);
    const start = nextToken === undefined ? 0 : Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw badRequest('Invalid NextToken.');
    const all = this.o.identities.list();
    const page = all.slice(start, start + (size || DEFAULT_PAGE_SIZE));
    const end = start + page.length;
    return {
      EmailIdentities: page.map((i) => ({ IdentityType: i.type, IdentityName: i.name, SendingEnabled: true, VerificationStatus: 'SUCCESS' })),
      ...(end < all.length ? { NextToken: Buffer.from(String(end)).toString('base64url') } : {}),
    };
  }

  /** DELETE /v2/email/identities/{EmailIdentity} */
  deleteEmailIdentity(name: string): Json {
    this.mustGet(name);
    this.o.identities.delete(name);
    return {};
  }

  /** A sender is verified by an identity for its address or for its domain. */
  private isVerifiedSender(from: Mailbox): boolean {
    return Boolean(this.o.identities.get(from.address) ?? this.o.identities.get(from.domain));
  }

  private mustGet(name: string): StoredIdentity {
    const identity = this.o.identities.get(name);
    if (!identity) throw notFound(`Email identity ${name} does not exist.`);
    return identity;
  }
}

function simpleLetter(body: Json, simple: Json): Letter {
  const from = optionalString(body, 'FromEmailAddress');
  if (!from) throw badRequest('FromEmailAddress is required for Simple content.');
  const subject = contentText(objectAt(simple, 'Subject', 'Content.Simple.Subject'), 'Content.Simple.Subject');
  const mailBody = objectAt(simple, 'Body', 'Content.Simple.Body');
  const text = optionalObject(mailBody, 'Text');
  const html = optionalObject(mailBody, 'Html');
  if (!text && !html) throw badRequest('Content.Simple.Body needs Text or Html.');
  return {
    from: mailbox(from, 'FromEmailAddress'),
    recipients: destination(body),
    subject,
    ...(text ? { text: contentText(text, 'Content.Simple.Body.Text') } : {}),
    ...(html ? { html: contentText(html, 'Content.Simple.Body.Html') } : {}),
  };
}

function rawLetter(body: Json, raw: Json): Letter {
  const data = optionalString(raw, 'Data');
  if (!data) throw badRequest('Content.Raw.Data is required.');
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length > MAX_MESSAGE_BYTES) throw messageRejected('Message length is more than 40 MB.');
  const message = parseRawMessage(bytes);
  const from = optionalString(body, 'FromEmailAddress') ?? message.headers.get('from');
  if (!from) throw badRequest('The raw message has no From header and FromEmailAddress is not set.');
  const hasDestination = optionalObject(body, 'Destination') !== undefined;
  // Without Destination SES sends to the addresses in the message's own To, Cc and Bcc headers.
  const recipients = hasDestination
    ? destination(body)
    : (['to', 'cc', 'bcc'] as const).flatMap((h) => splitAddressList(message.headers.get(h) ?? '').map((a) => mailbox(a, `Content.Raw.Data (${h} header)`)));
  return {
    from: mailbox(from, 'FromEmailAddress'),
    recipients,
    subject: message.subject ?? '',
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.html !== undefined ? { html: message.html } : {}),
  };
}

function destination(body: Json): Mailbox[] {
  const d = optionalObject(body, 'Destination') ?? {};
  return (['ToAddresses', 'CcAddresses', 'BccAddresses'] as const).flatMap((k) => stringList(d, k, `Destination.${k}`).map((a) => mailbox(a, `Destination.${k}`)));
}

function mailbox(text: string, field: string): Mailbox {
  const m = parseMailbox(text);
  if (!m) throw badRequest(`Illegal address in ${field}: ${text}`);
  return m;
}

/** A Content member (`{ Data, Charset? }`): its text, after checking the charset is one a mail client could decode. */
function contentText(content: Json, field: string): string {
  const data = content.Data;
  if (typeof data !== 'string') throw badRequest(`${field}.Data is required.`);
  const charset = optionalString(content, 'Charset');
  if (charset !== undefined) {
    try {
      new TextDecoder(charset);
    } catch {
      throw badRequest(`${field}.Charset: unsupported charset ${charset}.`);
    }
  }
  return data;
}

function identityType(name: string): IdentityType {
  if (name.includes('@')) {
    if (!parseMailbox(name) || name.includes('<')) throw badRequest(`Invalid email identity: ${name}`);
    return 'EMAIL_ADDRESS';
  }
  if (!isDomain(name)) throw badRequest(`Invalid email identity: ${name}`);
  return 'DOMAIN';
}

function dkimAttributes(identity: StoredIdentity): Json {
  // Easy DKIM for domains, as SES sets up by default (locally there are no DNS records, so no tokens); an
  // address identity signs with its domain's key, if any.
  return identity.type === 'DOMAIN'
    ? {
        SigningEnabled: true,
        Status: 'SUCCESS',
        SigningAttributesOrigin: 'AWS_SES',
        NextSigningKeyLength: 'RSA_2048_BIT',
        CurrentSigningKeyLength: 'RSA_2048_BIT',
      }
    : { SigningEnabled: false, Status: 'NOT_STARTED', SigningAttributesOrigin: 'AWS_SES' };
}

function tags(body: Json): Tag[] {
  const list = body.Tags;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw badRequest('Tags must be a list.');
  return list.map((t: unknown, i) => {
    const tag = (t ?? {}) as Json;
    if (typeof tag.Key !== 'string' || !tag.Key) throw badRequest(`Tags[${i}].Key is required.`);
    return { Key: tag.Key, Value: typeof tag.Value === 'string' ? tag.Value : '' };
  });
}

/** SES message ids look like `0100018c1d2e3f4a-<uuid>-000000`. */
function newMessageId(): string {
  return `0100${randomBytes(6).toString('hex')}-${randomUUID()}-000000`;
}

function optionalString(o: Json, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`${key} must be a string.`);
  return v;
}

function optionalObject(o: Json, key: string): Json | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest(`${key} must be an object.`);
  return v as Json;
}

function objectAt(o: Json, key: string, field: string): Json {
  const v = o[key];
  if (v === undefined || v === null) throw badRequest(`${field} is required.`);
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest(`${field} must be an object.`);
  return v as Json;
}

function stringList(o: Json, key: string, field: string): string[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badRequest(`${field} must be a list of addresses.`);
  return v as string[];
}
