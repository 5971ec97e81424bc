/** The local SNS service: what the local cloud host imports. See README.md. */
export { startSnsService, type SnsService, type SnsServiceOptions } from './server';
export type { OutboxEntry, OutboxFilter, OutboxMessageAttribute } from './outbox';
export type { ProvisionedTopics } from './provision';
export type { RetryPolicy } from './delivery';
