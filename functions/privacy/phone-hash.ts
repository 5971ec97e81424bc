/**
 * The phone-search index key: HMAC-SHA256 of the normalised number under a secret key (a Secrets Manager secret the composition root reads and installs), so
 * the table's index never holds a phone number, and someone who can read the table but not the key cannot test
 * numbers against it (a plain hash of the 10^8 mobile numbers is reversed in seconds).
 *
 * Numbers are hashed as stored (digits, `0912345678`; a landline's extension is dropped: the line is the person).
 * Changing the key orphans the index (docs/security.md: re-index before rotating).
 */
import { createHmac } from 'node:crypto';
import { ConfigError } from '../domain/errors';
import { privacySettings } from './settings';

/** The variable naming the key's secret (its ARN; the value is never in the environment). */
export const PII_HASH_KEY_SECRET_ENV = 'PII_HASH_KEY_SECRET_ARN';

/** The installed key (functions/composition.ts `loadSecretKeys` installs it from its secret), or undefined when none is. */
export function phoneHashKey(): string | undefined {
  return privacySettings().phoneHashKey;
}

/** The key, or a ConfigError naming the secret's variable: searching without it could only find nothing. */
export function requirePhoneHashKey(): string {
  const key = phoneHashKey();
  if (!key) throw new ConfigError(`environment ${PII_HASH_KEY_SECRET_ENV}`, [{ path: PII_HASH_KEY_SECRET_ENV, message: "names the phone-search index key's secret, which is not loaded" }]);
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
