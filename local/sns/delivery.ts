/**
 * HTTP/HTTPS deliveries: POST the document, retry with exponential backoff on 5xx, 429, other non-2xx
 * statuses, timeouts and connection errors (a 4xx other than 429 is the endpoint refusing the message: SNS does
 * not retry it). The outcome of each delivery, after its last attempt, goes to the outbox.
 * With a journal folder (`<dataDir>/sns/pending/`), every delivery is written there before its first attempt
 * (with the attempts made so far after each one) and removed once it is delivered or given up: a delivery still
 * pending when the service stops — closed, or killed with no cleanup at all — is resumed by `resumePending()` on
 * the next start, with the same document (the same MessageId) and the attempts it had left. Without a journal
 * (`--in-memory`) a delivery still retrying when the service stops is recorded as failed.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { nowIso } from '../../functions/domain/clock';
import type { OutboxEntry } from './outbox';

export interface RetryPolicy {
  /** Total attempts, the first included. SNS's default HTTP policy is 1 + 3 retries. */
  maxAttempts: number;
  /** Delay before the first retry; doubles on each further retry up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt timeout (SNS waits 15 s). */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 20_000, timeoutMs: 15_000 };

export interface WebhookJob {
  /** Outbox fields describing the delivery; status, attempts and outcome are filled in here. */
  entry: Omit<OutboxEntry, 'id' | 'at' | 'status' | 'attempts' | 'httpStatus' | 'error'>;
  body: string;
  headers: Record<string, string>;
}

export function retryDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

const retryable = (status: number) => !(status >= 400 && status < 500) || status === 429;

export class WebhookDeliverer {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly policy: RetryPolicy,
    private readonly record: (entry: OutboxEntry) => void,
    private readonly journalDir?: string,
  ) {
    if (journalDir) mkdirSync(journalDir, { recursive: true });
  }

  deliver(job: WebhookJob): void {
    this.start(randomUUID(), job, 0);
  }

  /** Deliveries a previous run left pending (stopped or killed): each goes on with the attempts it had left. */
  resumePending(): number {
    if (!this.journalDir) return 0;
    let resumed = 0;
    for (const file of readdirSync(this.journalDir).filter((f) => f.endsWith('.json'))) {
      const pending = JSON.parse(readFileSync(join(this.journalDir, file), 'utf8')) as { job: WebhookJob; attempts: number };
      this.start(file.slice(0, -'.json'.length), pending.job, pending.attempts, false);
      resumed += 1;
    }
    return resumed;
  }

  private start(id: string, job: WebhookJob, attemptsMade: number, journal = true): void {
    if (journal) this.journal(id, job, attemptsMade);
    const run = this.run(id, job, attemptsMade).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private journal(id: string, job: WebhookJob, attempts: number): void {
    if (!this.journalDir) return;
    const file = join(this.journalDir, `${id}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify({ job, attempts }));
    renameSync(`${file}.tmp`, file);
  }

  private async run(id: string, job: WebhookJob, attemptsMade: number): Promise<void> {
    let attempts = attemptsMade;
    let httpStatus: number | undefined;
    let error: string | undefined;
    let delivered = false;
    while (attempts < this.policy.maxAttempts && !this.stopping.signal.aborted) {
      if (attempts > 0) {
        try {
          await sleep(retryDelay(this.policy, attempts), undefined, { signal: this.stopping.signal });
        } catch {
          break;
        }
      }
      attempts += 1;
      this.journal(id, job, attempts);
      try {
        const res = await fetch(job.entry.endpoint, {
          method: 'POST',
          headers: job.headers,
          body: job.body,
          signal: AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.policy.timeoutMs)]),
          redirect: 'manual',
        });
        await res.arrayBuffer().catch(() => undefined);
        httpStatus = res.status;
        error = undefined;
        if (res.status >= 200 && res.status < 300) {
          delivered = true;
          break;
        }
        if (!retryable(res.status)) break;
      } catch (e) {
        httpStatus = undefined;
        const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
        error = e instanceof Error ? `${e.name}: ${e.message}${cause}` : String(e);
      }
    }
    if (!delivered && this.stopping.signal.aborted) {
      // Journalled: the next start resumes it (an attempt cut short by the stop is not counted as made).
      if (this.journalDir) return this.journal(id, job, Math.max(attemptsMade, attempts - 1));
      error = 'the local SNS stopped before the delivery succeeded';
    }
    if (this.journalDir) rmSync(join(this.journalDir, `${id}.json`), { force: true });
    this.record({
      ...job.entry,
      id: randomUUID(),
      at: nowIso(),
      status: delivered ? 'delivered' : 'failed',
      attempts,
      ...(httpStatus !== undefined ? { httpStatus } : {}),
      ...(error !== undefined ? { error } : {}),
    });
  }

  /** Resolves when every delivery started so far has finished (delivered or given up). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Abort attempts in progress and pending retries: journalled ones stay pending for the next start, others are recorded as failed. */
  async close(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }
}
