import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { attachmentKey, S3AttachmentStore } from '../../functions/adapters/attachment-store';

const s3 = new S3Client({ region: 'ap-northeast-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' } });
const s3Mock = mockClient(s3);
const store = new S3AttachmentStore(s3, 'citydesk-attachments', () => new Date('2026-12-03T06:00:00.000Z'));
const KEY = attachmentKey('20261203-00001', '01JATTACHMENT');

/** The SDK's body as the adapter reads it (transformToByteArray); the stream mixin itself is the SDK's concern. */
const body = (bytes: number[]) => ({ transformToByteArray: () => Promise.resolve(Uint8Array.from(bytes)) }) as never;

beforeEach(() => s3Mock.reset());

describe('S3 attachment store', () => {
  it("signs a POST whose policy fixes the bucket, the key, the type and 1 byte to 10 MB, for five minutes", async () => {
    const upload = await store.presignUpload(KEY, 'image/jpeg');

    expect(upload.fields).toMatchObject({ key: 'cases/20261203-00001/01JATTACHMENT', 'Content-Type': 'image/jpeg' });
    const policy = JSON.parse(Buffer.from(upload.fields.Policy, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'citydesk-attachments' },
        { key: 'cases/20261203-00001/01JATTACHMENT' },
        ['content-length-range', 1, 10 * 1024 * 1024],
        ['eq', '$Content-Type', 'image/jpeg'],
      ]),
    );
    expect(upload.expiresAt).toBe('2026-12-03T06:05:00.000Z');
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it('checks an object by its size (HeadObject) and its first 16 bytes (a ranged GetObject), never reading the whole file', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 5_000_000, ContentType: 'image/jpeg' });
    s3Mock.on(GetObjectCommand).resolves({ Body: body([0xff, 0xd8, 0xff, 0xe1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) });

    const object = await store.inspect(KEY);

    expect(object?.size).toBe(5_000_000);
    expect([...object!.head.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(s3Mock.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({ Bucket: 'citydesk-attachments', Key: KEY, Range: 'bytes=0-15' });
  });

  it('reports no object when the upload never happened', async () => {
    s3Mock.on(HeadObjectCommand).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));

    expect(await store.inspect(KEY)).toBeUndefined();
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('signs a read of one key for a minute', async () => {
    const read = await store.presignRead(KEY, 'image/jpeg');

    const url = new URL(read.url);
    expect(url.pathname).toContain('/cases/20261203-00001/01JATTACHMENT');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(read.expiresAt).toBe('2026-12-03T06:01:00.000Z');
  });

  it("erases every version and delete marker of the case's files, page by page", async () => {
    s3Mock
      .on(ListObjectVersionsCommand)
      .resolvesOnce({ Versions: [{ Key: KEY, VersionId: 'v1' }, { Key: KEY, VersionId: 'v2' }], IsTruncated: true, NextKeyMarker: KEY, NextVersionIdMarker: 'v2' })
      .resolvesOnce({ DeleteMarkers: [{ Key: `${KEY}-2`, VersionId: 'd1' }], IsTruncated: false });
    s3Mock.on(DeleteObjectsCommand).resolves({});

    expect(await store.eraseCase('20261203-00001')).toBe(3);
    expect(s3Mock.commandCalls(ListObjectVersionsCommand)[0]?.args[0].input.Prefix).toBe('cases/20261203-00001/');
    expect(s3Mock.commandCalls(DeleteObjectsCommand).flatMap((c) => c.args[0].input.Delete?.Objects ?? [])).toEqual([
      { Key: KEY, VersionId: 'v1' },
      { Key: KEY, VersionId: 'v2' },
      { Key: `${KEY}-2`, VersionId: 'd1' },
    ]);
  });
});
