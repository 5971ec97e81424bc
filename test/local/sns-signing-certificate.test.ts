import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { selfSignedCertificate } from '../../local/sns/signing';

describe('the local SNS signing certificate', () => {
  it('is valid DER whatever its random serial number (1,000 certificates, one key)', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const unparsable: number[] = [];
    for (let i = 0; i < 1000; i++) {
      try {
        new X509Certificate(selfSignedCertificate(privateKey, 'test'));
      } catch {
        unparsable.push(i);
      }
    }
    expect(unparsable).toEqual([]);
  });
});
