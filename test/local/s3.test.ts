/**
 * The local S3 (s3rver behind our front) takes the attachment store's presigned flow as S3 does, and refuses what S3
 * refuses: an upload outside its policy (another key, another type, too large, a forged signature), a presigned GET
 * for another key, and unsigned reads of the private bucket. It lists and erases a case's files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { attachmentKey, S3AttachmentStore } from '../../functions/adapters/attachment-store';
import { startS3Service, type S3Service } from '../../local/s3';

const BUCKET = 'citydesk-test-attachments';
const ORIGIN = 'http://localhost:3000';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local-secret' };
const JPEG: Uint8Array<ArrayBuffer> = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, ...new Array<number>(200).fill(7)]);

let service: S3Service;
let s3: S3Client;
let store: S3AttachmentStore;
beforeAll(async () => {
  service = await startS3Service({ region: 'ap-northeast-1', credentials, buckets: [{ name: BUCKET, corsOrigins: [ORIGIN] }] });
  s3 = new S3Client({ endpoint: service.endpoint, region: 'ap-northeast-1', credentials });
  store = new S3AttachmentStore(s3, BUCKET);
});
afterAll(async () => {
  s3.destroy();
  await service.close();
});

/** What the browser does with a presigned POST: the policy's fields, then the file last. */
async function post(url: string, fields: Record<string, string>, bytes: Uint8Array<ArrayBuffer>, type = 'image/jpeg', headers: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([bytes], { type }), 'photo.jpg');
  return fetch(url, { method: 'POST', body: form, headers });
}

describe('local S3', () => {
  it('a presigned POST stores the file; the store inspects it and a presigned GET reads it, with CORS for the console', async () => {
    const key = attachmentKey('20261203-00001', 'a1');
    const upload = await store.presignUpload(key, 'image/jpeg');
    expect(upload.url).toBe(`${service.endpoint}/${BUCKET}`);

    const res = await post(upload.url, upload.fields, JPEG, 'image/jpeg', { origin: ORIGIN });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);

    const object = await store.inspect(key);
    expect(object?.size).toBe(JPEG.length);
    expect([...(object?.head ?? [])]).toEqual([...JPEG.subarray(0, 16)]);

    const read = await store.presignRead(key, 'image/jpeg');
    const got = await fetch(read.url, { headers: { origin: ORIGIN } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(JPEG);
  });

  it('refuses an upload outside its policy: another key, another type, over the size, a changed policy', async () => {
    const key = attachmentKey('20261203-00002', 'a2');
    const upload = await store.presignUpload(key, 'image/jpeg');

    const otherKey = await post(upload.url, { ...upload.fields, key: attachmentKey('20261203-00002', 'other') }, JPEG);
    expect(otherKey.status).toBe(403);
    expect(await otherKey.text()).toContain('Policy Condition failed');

    const otherType = await post(upload.url, { ...upload.fields, 'Content-Type': 'application/pdf' }, JPEG);
    expect(otherType.status).toBe(403);

    const tooLarge = await post(upload.url, upload.fields, new Uint8Array(10 * 1024 * 1024 + 1));
    expect(tooLarge.status).toBe(400);
    expect(await tooLarge.text()).toContain('EntityTooLarge');

    const policy = JSON.parse(Buffer.from(upload.fields.Policy, 'base64').toString('utf8')) as { conditions: unknown[] };
    policy.conditions = policy.conditions.filter((c) => !(Array.isArray(c) && c[0] === 'content-length-range'));
    const forged = await post(upload.url, { ...upload.fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') }, JPEG);
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('SignatureDoesNotMatch');

    expect(await store.inspect(key)).toBeUndefined();
    expect(await store.inspect(attachmentKey('20261203-00002', 'other'))).toBeUndefined();
  });

  it('a presigned GET reads its key only, and the bucket is not readable unsigned', async () => {
    const key = attachmentKey('20261203-00003', 'a3');
    const upload = await store.presignUpload(key, 'image/jpeg');
    expect((await post(upload.url, upload.fields, JPEG)).status).toBe(204);
    const read = await store.presignRead(attachmentKey('20261203-00003', 'elsewhere'), 'image/jpeg');

    const swapped = await fetch(read.url.replace('/elsewhere?', '/a3?'));
    expect(swapped.status).toBe(403);
    expect(await swapped.text()).toContain('SignatureDoesNotMatch');
    expect((await fetch(`${service.endpoint}/${BUCKET}/${key}`)).status).toBe(403);
  });

  it("erases every file of a case and no other case's", async () => {
    for (const name of ['x1', 'x2']) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: attachmentKey('20261203-00004', name), Body: JPEG }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: attachmentKey('20261203-00005', 'kept'), Body: JPEG }));

    expect(await store.eraseCase('20261203-00004')).toBe(2);

    expect(await store.inspect(attachmentKey('20261203-00004', 'x1'))).toBeUndefined();
    expect(await store.inspect(attachmentKey('20261203-00005', 'kept'))).toBeDefined();
    expect(await store.eraseCase('20261203-00004')).toBe(0);
  });

  it('keeps the files in the data folder across a restart (the bucket is there again, with them)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-s3-'));
    try {
      const key = attachmentKey('20261203-00006', 'kept');
      const first = await startS3Service({ dataDir, region: 'ap-northeast-1', credentials, buckets: [{ name: BUCKET, corsOrigins: [ORIGIN] }] });
      const client = new S3Client({ endpoint: first.endpoint, region: 'ap-northeast-1', credentials });
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JPEG, ContentType: 'image/jpeg' }));
      client.destroy();
      await first.close();

      const again = await startS3Service({ dataDir, region: 'ap-northeast-1', credentials, buckets: [{ name: BUCKET, corsOrigins: [ORIGIN] }] });
      const reopened = new S3Client({ endpoint: again.endpoint, region: 'ap-northeast-1', credentials });
      expect((await new S3AttachmentStore(reopened, BUCKET).inspect(key))?.size).toBe(JPEG.length);
      reopened.destroy();
      await again.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
