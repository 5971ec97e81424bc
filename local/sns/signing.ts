/**
 * Message signatures. The real SNS signs with Amazon's private key; nobody else can. The local service signs
 * with an RSA key generated on first start (kept in `<dataDir>/sns/signing-key.pem`) and publishes a
 * self-signed X.509 certificate for it at the notification's SigningCertURL. A webhook can verify local
 * notifications with the usual SNS algorithm against that certificate; verifiers that insist the certificate
 * comes from `sns.<region>.amazonaws.com` rightly refuse it.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { now } from '../../functions/domain/clock';

export interface SigningIdentity {
  privateKey: KeyObject;
  certificatePem: string;
}

// ---- minimal DER, enough for one self-signed certificate ----
function der(tag: number, content: Buffer): Buffer {
  const len = content.length;
  let header: Buffer;
  if (len < 0x80) header = Buffer.from([tag, len]);
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}
const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts));
const oid = (dotted: string) => {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return der(0x06, Buffer.from(out));
};
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'));
const time = (d: Date) => {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  // UTCTime (two-digit year) until 2049, GeneralizedTime after, as RFC 5280 requires.
  return d.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(iso.slice(2))) : der(0x18, Buffer.from(iso));
};

export function selfSignedCertificate(privateKey: KeyObject, commonName: string): string {
  const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
  const name = seq(set(seq(oid('2.5.4.3'), utf8(commonName))));
  const serial = randomBytes(16);
  // DER INTEGER: positive (top bit clear) and minimal (a leading zero byte before one under 0x80 is illegal
  // padding, which X.509 parsers refuse); a set second-highest bit keeps the first byte from being zero.
  serial[0] = (serial[0] & 0x7f) | 0x40;
  const notBefore = now();
  const notAfter = new Date(notBefore.getTime() + 10 * 365 * 24 * 3600 * 1000);
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const tbs = seq(der(0xa0, der(0x02, Buffer.from([2]))), der(0x02, serial), sha256WithRsa, name, seq(time(notBefore), time(notAfter)), name, spki);
  const signature = sign('sha256', tbs, privateKey);
  const certificate = seq(tbs, sha256WithRsa, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = certificate.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`;
}

/**
 * The signing identity, loaded or created on first use (a 2048-bit key takes a noticeable moment to generate,
 * and most runs never deliver to a webhook).
 */
export function lazySigningIdentity(dir: string | undefined): () => SigningIdentity {
  let identity: SigningIdentity | undefined;
  return () => (identity ??= loadSigningIdentity(dir));
}

/** Load the signing key and certificate from `dir`, creating them on first use; in memory without a dir. */
export function loadSigningIdentity(dir: string | undefined): SigningIdentity {
  const keyFile = dir && join(dir, 'signing-key.pem');
  const certFile = dir && join(dir, 'signing-cert.pem');
  if (keyFile && certFile && existsSync(keyFile) && existsSync(certFile))
    return { privateKey: createPrivateKey(readFileSync(keyFile, 'utf8')), certificatePem: readFileSync(certFile, 'utf8') };
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificatePem = selfSignedCertificate(privateKey, 'CityDesk 1999 local SNS (not an AWS certificate)');
  if (keyFile && certFile) {
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(certFile, certificatePem);
  }
  return { privateKey, certificatePem };
}

/** The fields of a notification document that SNS signs, in SNS's order. */
export interface SignableDocument {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

/** SNS's string to sign: `Name\nvalue\n` for each signed field present, in the documented order. */
export function stringToSign(doc: SignableDocument): string {
  const fields: (keyof SignableDocument)[] =
    doc.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return fields
    .filter((f) => doc[f] !== undefined)
    .map((f) => `${f}\n${doc[f]}\n`)
    .join('');
}

/** SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA (the topic attribute chooses). */
export function signDocument(doc: SignableDocument, signatureVersion: string, key: KeyObject): string {
  return sign(signatureVersion === '2' ? 'sha256' : 'sha1', Buffer.from(stringToSign(doc), 'utf8'), key).toString('base64');
}
