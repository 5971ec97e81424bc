/**
 * Open311 api_keys: issuing, seeding and verifying them over an ApiKeyStore (the table adapter is
 * functions/adapters/api-key-store.ts). A key is random, shown once when it is issued and never stored: the table
 * holds its SHA-256 only, so a copy of the table (a backup, an export) gives nobody a working key.
 *
 * Keys are high-entropy random strings, not passwords: a plain SHA-256 (no salt, no stretching) is enough, and it
 * keeps the lookup a key-value read.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyRecord } from '../adapters/table';
import { nowIso } from '../domain/clock';

export type { ApiKeyRecord } from '../adapters/table';

/** The client a valid key belongs to. */
export interface ApiKeyClient {
  clientId: string;
  clientName: string;
}

export interface ApiKeyStore {
  /** Conditional put: a hash already stored is refused (the same key issued twice). */
  save(record: ApiKeyRecord): Promise<void>;
  /** The record for a key hash, revoked or not. */
  find(keyHash: string): Promise<ApiKeyRecord | undefined>;
  /** Marks the key revoked; false when no such key exists. */
  revoke(keyHash: string): Promise<boolean>;
}

/** `c311_` + 32 random bytes, base64url: 48 characters, printable, safe in a form field and a shell. */
const KEY_PREFIX = 'c311_';
/** Keys given explicitly (a seeded demo key) must still be long enough not to be guessed. */
export const MIN_KEY_LENGTH = 24;
const KEY_PATTERN = /^[\x21-\x7E]+$/;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A stable id for logs and case `createdBy`, derived from the hash so it reveals nothing of the key. */
export function clientIdOf(keyHash: string): string {
  return `open311-${keyHash.slice(0, 12)}`;
}

export function newApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Issues a key to an integration client and returns it: the only time it is ever seen. Pass `key` to seed a
 * known key (the local cloud's demo key); otherwise a random one is made.
 */
export async function issueApiKey(store: ApiKeyStore, clientName: string, options: { key?: string } = {}): Promise<{ key: string } & ApiKeyClient> {
  const name = clientName.trim();
  if (!name) throw new Error('An API key needs the name of the client it is issued to');
  const key = options.key ?? newApiKey();
  if (key.length < MIN_KEY_LENGTH || !KEY_PATTERN.test(key)) throw new Error(`An API key must be at least ${MIN_KEY_LENGTH} printable characters without spaces`);
  const keyHash = hashApiKey(key);
  const record: ApiKeyRecord = { keyHash, clientId: clientIdOf(keyHash), clientName: name, createdAt: nowIso() };
  await store.save(record);
  return { key, clientId: record.clientId, clientName: record.clientName };
}

/**
 * Seeds a known key idempotently (local cloud start-up): issued the first time, left as it is afterwards.
 * Returns the client it belongs to.
 */
export async function ensureApiKey(store: ApiKeyStore, clientName: string, key: string): Promise<ApiKeyClient> {
  const existing = await store.find(hashApiKey(key));
  if (existing) return { clientId: existing.clientId, clientName: existing.clientName };
  const issued = await issueApiKey(store, clientName, { key });
  return { clientId: issued.clientId, clientName: issued.clientName };
}

/** The client of a presented key, or undefined when the key is unknown or revoked. */
export async function verifyApiKey(store: ApiKeyStore, key: string | undefined): Promise<ApiKeyClient | undefined> {
  if (!key || key.length > 256) return undefined;
  const record = await store.find(hashApiKey(key));
  if (!record || record.revokedAt) return undefined;
  return { clientId: record.clientId, clientName: record.clientName };
}

