/**
 * The outbox: every email and SMS the local SNS "sends", and the outcome of every webhook delivery, appended as
 * one JSON line to `<dataDir>/sns/outbox.jsonl`. It is the local stand-in for a department's mailbox and a
 * citizen's phone; read it through `GET /_local/outbox` or `service.outbox()`.
 *
 * The file is shared: the local SES (local/ses) appends the citizen e-mails it "sends" to the same file through
 * its own `Outbox`, so every instance reads what others appended (whole lines only) before it lists.
 */
import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SubscriptionProtocol } from './store';
import { maskPersonalData } from '../../functions/shared/logger';

export interface OutboxMessageAttribute {
  Type: string;
  Value: string;
}

export interface OutboxEntry {
  /** Id of this delivery (one message to one endpoint). */
  id: string;
  /** When it was stored (email, sms) or when the webhook delivery finished. */
  at: string;
  protocol: SubscriptionProtocol;
  endpoint: string;
  /** Absent for a direct publish to a phone number. */
  topicArn?: string;
  subscriptionArn?: string;
  messageId: string;
  subject?: string;
  /** The text this protocol receives: its own entry when MessageStructure=json, else the message. */
  message: string;
  /** E-mails sent through the local SES only: the sender (as given, display name included) and the HTML part. */
  from?: string;
  html?: string;
  messageAttributes?: Record<string, OutboxMessageAttribute>;
  /** email and sms are `stored`; webhooks end `delivered` or `failed`. */
  status: 'stored' | 'delivered' | 'failed';
  /** Webhooks only: the document type POSTed, the number of attempts, the last HTTP status or error. */
  messageType?: 'Notification' | 'SubscriptionConfirmation';
  attempts?: number;
  httpStatus?: number;
  error?: string;
}

export interface OutboxFilter {
  protocol?: string;
  endpoint?: string;
  topicArn?: string;
  messageId?: string;
  status?: string;
  /** ISO time; entries at or after it. Inclusive, so a poller may see an entry twice but never misses one. */
  since?: string;
}

export class Outbox {
  private readonly entries: OutboxEntry[] = [];
  private readonly file?: string;
  /** Bytes of the file already read into `entries` (always at the end of a whole line). */
  private readOffset = 0;

  constructor(dir?: string) {
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'outbox.jsonl');
    this.catchUp();
    // A last line cut short by a crash mid-write: end it, so the next entry starts on a line of its own.
    if (existsSync(this.file) && statSync(this.file).size > this.readOffset) {
      appendFileSync(this.file, '\n');
      this.catchUp();
    }
  }

  append(entry: OutboxEntry): void {
    if (!this.file) {
      this.entries.push(entry);
      return;
    }
    // One write of one whole line; reading it back keeps the order of the file when several writers share it.
    appendFileSync(this.file, JSON.stringify(entry) + '\n');
    this.catchUp();
  }

  list(filter: OutboxFilter = {}): OutboxEntry[] {
    this.catchUp();
    return this.entries.filter(
      (e) =>
        (!filter.protocol || e.protocol === filter.protocol) &&
        (!filter.endpoint || e.endpoint === filter.endpoint) &&
        (!filter.topicArn || e.topicArn === filter.topicArn) &&
        (!filter.messageId || e.messageId === filter.messageId) &&
        (!filter.status || e.status === filter.status) &&
        (!filter.since || e.at >= filter.since),
    );
  }

  /** Reads the whole lines appended to the file since the last read (by this instance or another writer). */
  private catchUp(): void {
    if (!this.file || !existsSync(this.file)) return;
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.readOffset) return;
      const chunk = Buffer.alloc(size - this.readOffset);
      const read = readSync(fd, chunk, 0, chunk.length, this.readOffset);
      // Only up to the last newline: a line still being written by another process is read next time.
      const end = chunk.subarray(0, read).lastIndexOf(0x0a) + 1;
      if (end === 0) return;
      this.readOffset += end;
      for (const line of chunk.subarray(0, end).toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          this.entries.push(JSON.parse(line) as OutboxEntry);
        } catch {
          // A line cut short by a crash mid-write: the rest of the outbox is still good.
        }
      }
    } finally {
      closeSync(fd);
    }
  }
}

/** Longest e-mail body preview on a terminal line; the whole message stays in the outbox. */
export const EMAIL_PREVIEW_CHARS = 60;

/** Text on one line (newlines shown as ↵), cut to `max` characters with … when longer. */
export function oneLine(text: string, max = Infinity): string {
  const flat = text.replace(/\r?\n/g, ' ↵ ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * One terminal line for an outbox entry: the local stand-in for the phone, the mailbox or the webhook log.
 * An SMS is one segment and shown whole; an e-mail shows its subject and the start of its body, so a burst of
 * department notices stays readable (the outbox and the console show each message in full).
 */
export function outboxLine(e: OutboxEntry): string {
  // The terminal is a log like any other: recipients and numbers in the text are masked as the handlers' logs
  // mask them. The outbox file keeps them whole: it is the local stand-in for the carrier.
  return maskPersonalData(unmaskedOutboxLine(e));
}

function unmaskedOutboxLine(e: OutboxEntry): string {
  switch (e.protocol) {
    case 'sms':
      return `[sns sms] to ${e.endpoint}: ${oneLine(e.message)}`;
    case 'email':
      return `[sns email] to ${e.endpoint}${e.subject ? ` «${oneLine(e.subject)}»` : ''}: ${oneLine(e.message, EMAIL_PREVIEW_CHARS)}`;
    default: {
      const outcome = e.status === 'delivered' ? `delivered (HTTP ${e.httpStatus})` : `FAILED (${e.httpStatus ? `HTTP ${e.httpStatus}` : e.error})`;
      return `[sns ${e.protocol}] ${e.messageType ?? 'Notification'} ${e.messageId} to ${e.endpoint}: ${outcome} after ${e.attempts} attempt(s)`;
    }
  }
}
