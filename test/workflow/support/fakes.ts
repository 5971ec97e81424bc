/**
 * Test doubles for the workflow's outside world: an outbox that records every message (topics, SMS, e-mail) with
 * switchable failures, and task tokens that behave like Step Functions' (answered once; an answer to a task
 * that is over is the adapter's ConflictError).
 */
import { ConflictError } from '../../../functions/domain/errors';
import type { CaseWorkflow, Notifier } from '../../../functions/usecases/ports';

export interface TopicMessageSent {
  topicArn: string;
  subject?: string;
  message: { default: string; email?: string; sms?: string; https?: string };
  attributes?: Record<string, string | number>;
  /** Every notice is published by a workflow function (the state machine has no publish state). */
  via: 'lambda';
}

export class Outbox implements Notifier {
  readonly published: TopicMessageSent[] = [];
  readonly texts: Array<{ phone: string; text: string }> = [];
  readonly mails: Array<{ to: string; subject: string; text: string }> = [];
  /** Publishes (either way) that fail before the next one succeeds, with this error name. */
  failTopicPublishes = 0;
  failTopicPublishesWith = 'SNS.InternalErrorException';
  failCitizenMessages = false;

  async publish(topicArn: string, message: TopicMessageSent['message'], subject?: string, attributes?: Record<string, string | number>): Promise<void> {
    this.takeTopicFailure();
    this.published.push({ topicArn, message, via: 'lambda', ...(subject ? { subject } : {}), ...(attributes ? { attributes } : {}) });
  }

  async sms(phone: string, text: string): Promise<void> {
    if (this.failCitizenMessages) throw Object.assign(new Error('SMS provider down'), { name: 'SNS.InternalErrorException' });
    this.texts.push({ phone, text });
  }

  async email(to: string, subject: string, text: string): Promise<void> {
    if (this.failCitizenMessages) throw Object.assign(new Error('Mail down'), { name: 'SESv2.ServiceUnavailable' });
    this.mails.push({ to, subject, text });
  }

  private takeTopicFailure(): void {
    if (this.failTopicPublishes > 0) {
      this.failTopicPublishes -= 1;
      throw Object.assign(new Error('SNS is having a bad day'), { name: this.failTopicPublishesWith });
    }
  }
}

export interface TaskAnswerSent {
  token: string;
  kind: 'success' | 'failure';
  output?: Record<string, unknown>;
  error?: string;
  cause?: string;
}

interface Pending {
  resolve(output: unknown): void;
  reject(error: Error): void;
}

export class TaskTokens implements CaseWorkflow {
  private readonly pending = new Map<string, Pending>();
  private minted = 0;
  readonly answers: TaskAnswerSent[] = [];
  /** The next N answers fail like a network error AFTER reaching nobody (the task keeps waiting). */
  failNextAnswers = 0;

  /** Executions are started by the harness, never through this port in these tests. */
  async start(): Promise<{ executionArn: string }> {
    throw new Error('TaskTokens does not start executions');
  }

  mint(): string {
    this.minted += 1;
    return `token-${this.minted}`;
  }

  /** The promise the waiting Task resolves with: the success output, or an Error named after the failure. */
  open(token: string): Promise<unknown> {
    const promise = new Promise<unknown>((resolve, reject) => this.pending.set(token, { resolve, reject }));
    // Marked handled now: a failure answer may arrive before the Task awaits it.
    promise.catch(() => undefined);
    return promise;
  }

  isWaiting(token: string): boolean {
    return this.pending.has(token);
  }

  /** The Task timed out: later answers find nothing, as on Step Functions. */
  expire(token: string): void {
    this.pending.delete(token);
  }

  async sendSuccess(token: string, output: Record<string, unknown>): Promise<void> {
    const task = this.take(token);
    this.answers.push({ token, kind: 'success', output: JSON.parse(JSON.stringify(output)) as Record<string, unknown> });
    task.resolve(JSON.parse(JSON.stringify(output)));
  }

  async sendFailure(token: string, error: string, cause: string): Promise<void> {
    const task = this.take(token);
    this.answers.push({ token, kind: 'failure', error, cause });
    task.reject(Object.assign(new Error(cause), { name: error }));
  }

  private take(token: string): Pending {
    if (this.failNextAnswers > 0) {
      this.failNextAnswers -= 1;
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    }
    const task = this.pending.get(token);
    if (!task) throw new ConflictError('The case workflow is no longer waiting for this step', { reason: 'TaskTimedOut' });
    this.pending.delete(token);
    return task;
  }
}
