/**
 * The stage's keys (the phone-hash key, the cursor MAC key) read from Secrets Manager through Powertools Parameters.
 * The functions' configuration holds only each secret's ARN; the value is fetched on the first ask (the cold
 * start) and kept in the provider's cache for `maxAgeSeconds`, so warm invocations make no call. After that age the
 * next invocation reads the secret again: a value changed in Secrets Manager reaches every container within it.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../domain/errors';

/** A key shorter than this is a mistake (a placeholder), not a secret. */
export const MIN_KEY_LENGTH = 16;

/** How long a read key is kept before the secret is read again (seconds). */
export const SECRET_KEYS_MAX_AGE_SECONDS = 3600;

export class SecretsManagerKeys {
  private readonly provider: SecretsProvider;

  constructor(
    client: SecretsManagerClient,
    private readonly maxAgeSeconds: number = SECRET_KEYS_MAX_AGE_SECONDS,
  ) {
    this.provider = new SecretsProvider({ awsSdkV3Client: client });
  }

  /** The secret's string value; a missing, binary or too-short value is a ConfigError naming the secret. */
  async key(secretArn: string): Promise<string> {
    const value = await this.provider.get(secretArn, { maxAge: this.maxAgeSeconds });
    if (typeof value !== 'string' || value.length < MIN_KEY_LENGTH)
      throw new ConfigError(`secret ${secretArn}`, [{ path: 'SecretString', message: `must be a string of at least ${MIN_KEY_LENGTH} characters` }]);
    return value;
  }
}
