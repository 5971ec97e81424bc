/**
 * The phone-search index key: HMAC-SHA256 of the normalised number under a secret key (env `PII_HASH_KEY`, installed by the composition root), so
 * the table's index never holds a phone number, and someone who can read the table but not the key cannot test
 * numbers against it (a plain hash of the 10^8 mobile numbers is reversed in seconds).
 *
 * Numbers are hashed as stored (digits, `0912345678`; a landline's extension is dropped: the line is the person).
 * Changing the key orphans the index (docs/security.md: re-index before rotating).
 */
import { createHmac } from 'node:crypto';
import { ConfigError } from '../domain/errors';
import { privacySettings } from './settings';

export const PII_HASH_KEY_ENV = 'PII_HASH_KEY';

/** The installed key (functions/composition.ts installs it from PII_HASH_KEY), or undefined when none is. */
export function phoneHashKey(): string | undefined {
  return privacySettings().phoneHashKey;
}

/** The key, or a ConfigError naming the variable: searching without it could only find nothing. */
export function requirePhoneHashKey(): string {
  const key = phoneHashKey();
  if (!key) throw new ConfigError(`environment ${PII_HASH_KEY_ENV}`, [{ path: PII_HASH_KEY_ENV, message: 'is required for the phone-search index' }]);
  return key;
}

/** The digits that identify the line: `02-2720-8889#123` -> `0227208889`. */
export function phoneLine(phone: string): string {
  return phone.split('#')[0].replace(/\D/g, '');
}

/** Hex HMAC-SHA256 of the line under `key`. */
export function hashPhone(phone: string, key: string): string {
  return createHmac('sha256', key).update(`phone:${phoneLine(phone)}`).digest('hex');
}
