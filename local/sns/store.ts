/**
 * Topics and subscriptions, kept in memory and written to `<dataDir>/sns/state.json` after every change
 * (write to a temporary file, then rename, so a crash never leaves half a file). Without a data folder the
 * state lives in memory only.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export type SubscriptionProtocol = 'email' | 'sms' | 'http' | 'https';

export interface StoredTopic {
  arn: string;
  name: string;
  /** Attributes the caller set (DisplayName, Policy, SignatureVersion...); computed ones are added on read. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: string;
}

export interface StoredSubscription {
  arn: string;
  topicArn: string;
  protocol: SubscriptionProtocol;
  endpoint: string;
  owner: string;
  pendingConfirmation: boolean;
  /** Token a SubscriptionConfirmation carries; ConfirmSubscription must present it. */
  confirmationToken?: string;
  /** RawMessageDelivery, FilterPolicy, FilterPolicyScope, DeliveryPolicy. */
  attributes: Record<string, string>;
  /** Created by provisionFromConfig: removed again when the config no longer lists it. */
  provisioned?: boolean;
  createdAt: string;
}

interface StateFile {
  version: 1;
  topics: StoredTopic[];
  subscriptions: StoredSubscription[];
}

export class SnsStore {
  readonly topics = new Map<string, StoredTopic>();
  readonly subscriptions = new Map<string, StoredSubscription>();
  private readonly file?: string;

  constructor(dir?: string) {
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'state.json');
    if (!existsSync(this.file)) return;
    const state = JSON.parse(readFileSync(this.file, 'utf8')) as StateFile;
    for (const t of state.topics) this.topics.set(t.arn, t);
    for (const s of state.subscriptions) this.subscriptions.set(s.arn, s);
  }

  subscriptionsOf(topicArn: string): StoredSubscription[] {
    return [...this.subscriptions.values()].filter((s) => s.topicArn === topicArn);
  }

  /** Persist the whole state; called after each change (the state is small: tens of topics). */
  save(): void {
    if (!this.file) return;
    const state: StateFile = { version: 1, topics: [...this.topics.values()], subscriptions: [...this.subscriptions.values()] };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(state, null, 2));
    renameSync(tmp, this.file);
  }
}
