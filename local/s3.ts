/**
 * The local S3: **s3rver** (npm) stores the objects and answers the S3 REST API, behind a front on the public port
 * that checks what s3rver does not, so the presigned flow refuses here what S3 refuses:
 *   - a browser POST upload: the policy's SigV4 signature (with the process's credentials), its expiration, and
 *     every condition (bucket, key, `eq` / `starts-with` fields, `content-length-range` on the file's size), and
 *     that every form field is covered by a condition, as S3 does; s3rver ignores the policy;
 *   - any SigV4-signed request (presigned GET in the query, the SDK's calls in the Authorization header): the
 *     signature over the method, path, query and signed headers; s3rver accepts any V4 signature, so a URL signed
 *     for one key would read another;
 *   - ListObjectVersions (`GET /<bucket>?versions`), which s3rver lacks: answered from its object listing, every
 *     object one version with VersionId `null`, as S3 answers for a bucket never versioned.
 * The bucket is created at start with CORS for the console's origin (browser uploads and thumbnails).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { XMLParser } from 'fast-xml-parser';
import { BodyTooLargeError, readBytes } from './http-body';

export interface S3ServiceOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Objects are kept under `<dataDir>/s3`; without one, in a temporary folder removed on close. */
  dataDir?: string;
  region: string;
  /** The credentials the SDK signs with here (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  buckets: ReadonlyArray<{ name: string; corsOrigins: readonly string[] }>;
}

export interface S3Service {
  /** `http://127.0.0.1:port`: an IP address, so the SDK addresses buckets by path (no `<bucket>.localhost`). */
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

/** Largest POST upload accepted before the policy is read: S3's own form limit for uploads is 5 GB; ours is 10 MB. */
const MAX_POST_BYTES = 20 * 1024 * 1024;

export async function startS3Service(options: S3ServiceOptions): Promise<S3Service> {
  const host = options.host ?? '127.0.0.1';
  const directory = options.dataDir ? path.join(options.dataDir, 's3') : mkdtempSync(path.join(os.tmpdir(), 'citydesk-s3-'));
  mkdirSync(directory, { recursive: true });
  const backend = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    // Path-style only: buckets are never read from the Host header.
    vhostBuckets: false,
    configureBuckets: options.buckets.map((b) => ({ name: b.name, configs: b.corsOrigins.length ? [corsXml(b.corsOrigins)] : [] })),
  });
  const backendAddress = await backend.run();
  // s3rver knows its own dummy key only; the signature check is ours (below), so it just needs to know the key id.
  registerAccessKey(options.credentials.accessKeyId, options.credentials.secretAccessKey);

  const secretOf = (accessKeyId: string) => (accessKeyId === options.credentials.accessKeyId ? options.credentials.secretAccessKey : undefined);
  const corsOriginsOf = new Map(options.buckets.map((b) => [b.name, b.corsOrigins]));

  const server: Server = createServer((req, res) => {
    void front(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'InternalError', e instanceof Error ? e.message : 'internal error', req);
    });
  });

  async function front(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const bucket = decodeURIComponent(url.pathname.split('/')[1] ?? '');
    const allowOrigin = allowedOrigin(req, corsOriginsOf.get(bucket));
    const fail = (status: number, code: string, message: string) => sendError(res, status, code, message, req, allowOrigin);

    if (req.method === 'POST' && url.pathname.split('/').filter(Boolean).length === 1 && !url.search) {
      const body = await readBytes(req, MAX_POST_BYTES).catch((e: unknown) => {
        if (e instanceof BodyTooLargeError) return undefined;
        throw e;
      });
      if (!body) return fail(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
      const problem = await checkPostPolicy(req, body, bucket, secretOf, options.region);
      if (problem) return fail(problem.status, problem.code, problem.message);
      return forward(req, res, body);
    }

    if (req.method !== 'OPTIONS') {
      const problem = checkSignature(req, url, secretOf);
      if (problem) return fail(403, problem.code, problem.message);
    }
    if (req.method === 'GET' && url.searchParams.has('versions')) return listVersions(url, bucket, res);
    return forward(req, res);
  }

  /** Passes the request on to s3rver as it came (the body already read, or streamed). */
  function forward(req: IncomingMessage, res: ServerResponse, body?: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const out = httpRequest(
        { host: '127.0.0.1', port: backendAddress.port, method: req.method, path: req.url, headers: { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) } },
        (back) => {
          res.writeHead(back.statusCode ?? 502, back.headers);
          back.pipe(res);
          back.on('end', resolve);
          back.on('error', reject);
        },
      );
      out.on('error', reject);
      if (body) out.end(body);
      else req.pipe(out);
    });
  }

  /** ListObjectVersions from s3rver's listing (ListObjectsV2), every object the single version `null`. */
  async function listVersions(url: URL, bucket: string, res: ServerResponse): Promise<void> {
    const query = new URLSearchParams({ 'list-type': '2' });
    const prefix = url.searchParams.get('prefix');
    if (prefix) query.set('prefix', prefix);
    const keyMarker = url.searchParams.get('key-marker');
    if (keyMarker) query.set('start-after', keyMarker);
    const listed = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: backendAddress.port, method: 'GET', path: `/${encodeURIComponent(bucket)}?${query.toString()}` }, (back) => {
        const chunks: Buffer[] = [];
        back.on('data', (c: Buffer) => chunks.push(c));
        back.on('end', () => resolve({ status: back.statusCode ?? 502, text: Buffer.concat(chunks).toString('utf8') }));
        back.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
    if (listed.status !== 200) {
      res.writeHead(listed.status, { 'content-type': 'application/xml' }).end(listed.text);
      return;
    }
    const parsed = new XMLParser({ isArray: (name) => name === 'Contents' }).parse(listed.text) as {
      ListBucketResult?: { Contents?: Array<{ Key: string; LastModified: string; ETag: string; Size: number }>; IsTruncated?: boolean };
    };
    const contents = parsed.ListBucketResult?.Contents ?? [];
    const truncated = parsed.ListBucketResult?.IsTruncated === true;
    const versions = contents
      .map(
        (c) =>
          `<Version><Key>${xmlEscape(String(c.Key))}</Key><VersionId>null</VersionId><IsLatest>true</IsLatest><LastModified>${c.LastModified}</LastModified><ETag>${xmlEscape(String(c.ETag))}</ETag><Size>${c.Size}</Size><StorageClass>STANDARD</StorageClass></Version>`,
      )
      .join('');
    const last = contents.at(-1)?.Key;
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket)}</Name>` +
      `<Prefix>${xmlEscape(prefix ?? '')}</Prefix><KeyMarker>${xmlEscape(keyMarker ?? '')}</KeyMarker><VersionIdMarker></VersionIdMarker><MaxKeys>1000</MaxKeys>` +
      `<IsTruncated>${truncated}</IsTruncated>${truncated && last ? `<NextKeyMarker>${xmlEscape(String(last))}</NextKeyMarker><NextVersionIdMarker>null</NextVersionIdMarker>` : ''}${versions}</ListVersionsResult>`;
    res.writeHead(200, { 'content-type': 'application/xml' }).end(xml);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backend.close();
      if (!options.dataDir) rmSync(directory, { recursive: true, force: true });
    },
  };
}

interface PolicyProblem {
  status: number;
  code: string;
  message: string;
}

/** S3's checks of a browser POST upload (SigV4 policy), in the order S3 reports them. */
async function checkPostPolicy(req: IncomingMessage, body: Buffer, bucket: string, secretOf: (id: string) => string | undefined, region: string): Promise<PolicyProblem | undefined> {
  let form: FormData;
  try {
    form = await new Request('http://s3.local/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: new Uint8Array(body) }).formData();
  } catch {
    return { status: 400, code: 'MalformedPOSTRequest', message: 'The body of your POST request is not well-formed multipart/form-data.' };
  }
  const fields = new Map<string, string>();
  let file: Blob | undefined;
  for (const [name, value] of form.entries()) {
    if (name.toLowerCase() === 'file') file = typeof value === 'string' ? new Blob([value]) : value;
    else if (typeof value === 'string') fields.set(name.toLowerCase(), value);
  }
  const policyBase64 = fields.get('policy');
  if (!policyBase64) return { status: 403, code: 'AccessDenied', message: 'Bucket POST must contain a field named policy (anonymous uploads are not allowed)' };
  const credential = fields.get('x-amz-credential') ?? '';
  const [accessKeyId, date, credRegion, service] = credential.split('/');
  const secret = accessKeyId ? secretOf(accessKeyId) : undefined;
  if (!secret) return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256' || !date || credRegion !== region || service !== 's3')
    return { status: 400, code: 'InvalidArgument', message: 'x-amz-algorithm and x-amz-credential must name AWS4-HMAC-SHA256 and a scope of this region and s3' };
  const expected = createHmac('sha256', signingKey(secret, date, credRegion, service)).update(policyBase64).digest('hex');
  if (!sameText(expected, fields.get('x-amz-signature') ?? '')) return { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };

  let policy: { expiration?: string; conditions?: unknown[] };
  try {
    policy = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8')) as typeof policy;
  } catch {
    return { status: 400, code: 'InvalidPolicyDocument', message: 'Invalid Policy: Invalid JSON.' };
  }
  const expires = Date.parse(policy.expiration ?? '');
  if (!Number.isFinite(expires)) return { status: 400, code: 'InvalidPolicyDocument', message: 'Invalid Policy: Policy missing expiration.' };
  if (Date.now() > expires) return { status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' };
  if (!file) return { status: 400, code: 'InvalidArgument', message: 'POST requires exactly one file upload per request.' };

  const valueOf = (name: string) => (name === 'bucket' ? bucket : fields.get(name));
  const covered = new Set(['policy', 'x-amz-signature', 'file']);
  for (const condition of policy.conditions ?? []) {
    if (Array.isArray(condition)) {
      const [op, target, operand] = condition as [string, string | number, string | number];
      if (op === 'content-length-range') {
        if (file.size < Number(target) || file.size > Number(operand))
          return { status: 400, code: file.size > Number(operand) ? 'EntityTooLarge' : 'EntityTooSmall', message: `Your proposed upload is ${file.size} bytes; the policy allows ${target} to ${operand}.` };
        continue;
      }
      const name = String(target).replace(/^\$/, '').toLowerCase();
      covered.add(name);
      const actual = valueOf(name) ?? '';
      const ok = op === 'eq' ? actual === String(operand) : op === 'starts-with' ? actual.startsWith(String(operand)) : false;
      if (!ok) return { status: 403, code: 'AccessDenied', message: `Invalid according to Policy: Policy Condition failed: ["${op}", "${String(target)}", "${String(operand)}"]` };
    } else if (condition && typeof condition === 'object') {
      for (const [key, expectedValue] of Object.entries(condition as Record<string, string>)) {
        const name = key.toLowerCase();
        covered.add(name);
        if (valueOf(name) !== expectedValue) return { status: 403, code: 'AccessDenied', message: `Invalid according to Policy: Policy Condition failed: ["eq", "$${key}", "${expectedValue}"]` };
      }
    }
  }
  for (const name of fields.keys())
    if (!covered.has(name) && !name.startsWith('x-ignore-')) return { status: 403, code: 'AccessDenied', message: `Invalid according to Policy: Extra input fields: ${name}` };
  return undefined;
}

/** SigV4 over the request as S3 computes it: presigned (query) or signed in the Authorization header. */
function checkSignature(req: IncomingMessage, url: URL, secretOf: (id: string) => string | undefined): { code: string; message: string } | undefined {
  const auth = req.headers.authorization;
  const query = url.searchParams;
  let credential: string, signedHeaders: string, signature: string, amzDate: string, payloadHash: string;
  if (query.has('X-Amz-Signature')) {
    credential = query.get('X-Amz-Credential') ?? '';
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? '';
    signature = query.get('X-Amz-Signature') ?? '';
    amzDate = query.get('X-Amz-Date') ?? '';
    payloadHash = 'UNSIGNED-PAYLOAD';
  } else if (auth?.startsWith('AWS4-HMAC-SHA256 ')) {
    const parts = Object.fromEntries(
      auth
        .slice('AWS4-HMAC-SHA256 '.length)
        .split(',')
        .map((p) => p.trim().split('=') as [string, string]),
    );
    credential = parts.Credential ?? '';
    signedHeaders = parts.SignedHeaders ?? '';
    signature = parts.Signature ?? '';
    amzDate = String(req.headers['x-amz-date'] ?? '');
    payloadHash = String(req.headers['x-amz-content-sha256'] ?? 'UNSIGNED-PAYLOAD');
  } else if (auth || query.has('Signature')) {
    return { code: 'InvalidRequest', message: 'Only AWS Signature Version 4 is accepted here.' };
  } else {
    // Anonymous: the bucket is private, and s3rver has no ACLs to say so.
    return { code: 'AccessDenied', message: 'Access Denied' };
  }
  const [accessKeyId, date, region, service] = credential.split('/');
  const secret = accessKeyId ? secretOf(accessKeyId) : undefined;
  if (!secret || !date || !region || !service) return { code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  const canonicalQuery = [...query.entries()]
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headerNames = signedHeaders.split(';').filter(Boolean);
  const canonicalHeaders = headerNames.map((h) => `${h}:${headerValue(req, h)}\n`).join('');
  const canonicalRequest = [req.method, url.pathname, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const expected = createHmac('sha256', signingKey(secret, date, region, service)).update(stringToSign).digest('hex');
  if (!sameText(expected, signature)) return { code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
  return undefined;
}

function headerValue(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');
}

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const step = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  return step(step(step(step(`AWS4${secret}`, date), region), service), 'aws4_request');
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function allowedOrigin(req: IncomingMessage, origins: readonly string[] | undefined): string | undefined {
  const origin = req.headers.origin;
  return origin && origins?.includes(origin) ? origin : undefined;
}

function sendError(res: ServerResponse, status: number, code: string, message: string, req: IncomingMessage, allowOrigin?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/xml' };
  // S3 answers a refused browser upload with the bucket's CORS headers too, so the page can read why.
  if (allowOrigin) Object.assign(headers, { 'access-control-allow-origin': allowOrigin, vary: 'Origin' });
  res.writeHead(status, headers).end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><Resource>${xmlEscape(req.url ?? '')}</Resource></Error>`);
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

function corsXml(origins: readonly string[]): string {
  const rules = origins
    .map(
      (o) =>
        `<CORSRule><AllowedOrigin>${xmlEscape(o)}</AllowedOrigin><AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>`,
    )
    .join('');
  return `<CORSConfiguration>${rules}</CORSConfiguration>`;
}

/** s3rver's account registry: the only way to tell it a key id other than its own dummy one. */
function registerAccessKey(accessKeyId: string, secretAccessKey: string): void {
  // s3rver exports no API for its accounts; its CommonJS model module is the one place that holds them.
  const account = createRequire(import.meta.url)('s3rver/lib/models/account') as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };
  account.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
}
