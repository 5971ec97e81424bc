/**
 * Open311 with a photo in the request: a multipart/form-data POST whose `media` file part is checked before the case
 * is filed and stored as the case's intake attachment (dynalite and the local S3); media_url stays a link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { S3AttachmentStore } from '../../functions/adapters/attachment-store';
import { attachmentKey } from '../../functions/domain/attachment';
import { startS3Service, type S3Service } from '../../local/s3';
import { gatewayEvent, json, JURISDICTION, startOpen311, type Harness } from './support/harness';

const BUCKET = 'citydesk-open311-attachments';
const credentials = { accessKeyId: 'open311-test', secretAccessKey: 'open311-test-secret' };
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, ...new Array<number>(3000).fill(5)]);
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');

let s3Service: S3Service;
let s3: S3Client;
let files: S3AttachmentStore;
let h: Harness;

beforeAll(async () => {
  s3Service = await startS3Service({ region: 'ap-northeast-1', credentials, buckets: [{ name: BUCKET, corsOrigins: [] }] });
  s3 = new S3Client({ endpoint: s3Service.endpoint, region: 'ap-northeast-1', credentials });
  files = new S3AttachmentStore(s3, BUCKET);
  h = await startOpen311({ files });
});
afterAll(async () => {
  await h.close();
  s3.destroy();
  await s3Service.close();
});

/** A FixMyStreet-style upload: the report's fields and the photo as the `media` part, as API Gateway hands it on. */
async function postMultipart(parts: Array<[string, string | Blob, string?]>) {
  const form = new FormData();
  for (const [name, value, filename] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, filename);
  }
  const request = new Request('https://api.example.test/', { method: 'POST', body: form });
  const body = Buffer.from(await request.arrayBuffer());
  const event = gatewayEvent('POST', '/open311/v2/requests.json', '', request.headers.get('content-type')!);
  return h.handle({ ...event, body: body.toString('base64'), isBase64Encoded: true });
}

const report = (): Array<[string, string]> => [
  ['api_key', h.apiKey],
  ['jurisdiction_id', JURISDICTION],
  ['service_code', 'pothole'],
  ['lat', '24.9653'],
  ['long', '121.2246'],
  ['description', '中山路上有大坑洞'],
  ['media_url', 'https://photos.example.org/pothole/1.jpg'],
  ['attribute[size]', 'large'],
  ['attribute[dangerous]', 'yes'],
];

describe('Open311 media upload', () => {
  it('files the case and stores the media part as its intake attachment; media_url stays a link', async () => {
    const res = await postMultipart([...report(), ['media', new Blob([JPEG], { type: 'image/jpeg' }), 'DSC_0001.jpg']]);

    expect(res.statusCode, res.body).toBe(200);
    const caseNo = String(json(res)[0].service_request_id);
    const c = await h.cases.get(caseNo);
    expect(c?.mediaUrl).toBe('https://photos.example.org/pothole/1.jpg');
    expect(c?.attachments).toHaveLength(1);
    expect(c?.attachments?.[0]).toMatchObject({ kind: 'intake', contentType: 'image/jpeg', size: JPEG.length, by: h.clientId });
    expect((await files.inspect(attachmentKey(caseNo, c!.attachments![0].id)))?.size).toBe(JPEG.length);
    expect((await h.cases.timeline(caseNo, {})).items.map((e) => e.type)).toContain('attachment-added');
  });

  it('a media part whose bytes are not its type, or of a type not taken, files no case: 400 naming media', async () => {
    const started = h.workflow.start.mock.calls.length;

    const disguised = await postMultipart([...report(), ['media', new Blob([PDF], { type: 'image/jpeg' }), 'photo.jpg']]);
    expect(disguised.statusCode).toBe(400);
    expect(json(disguised)[0].description).toMatch(/^media: the file's bytes are not a image\/jpeg \(they are application\/pdf\)/);

    const heic = await postMultipart([...report(), ['media', new Blob([JPEG], { type: 'image/heic' }), 'IMG_0001.HEIC']]);
    expect(heic.statusCode).toBe(400);
    expect(json(heic)[0].description).toMatch(/^media: HEIC photos are not accepted/);

    expect(h.workflow.start.mock.calls.length).toBe(started);
  });

  it('a file in any other part, or two media files, is a 400; a form without media still files the case', async () => {
    const other = await postMultipart([...report(), ['photo', new Blob([JPEG], { type: 'image/jpeg' }), 'a.jpg']]);
    expect(other.statusCode).toBe(400);
    expect(json(other)[0].description).toMatch(/^photo: only the media part may be a file/);

    const two = await postMultipart([...report(), ['media', new Blob([JPEG], { type: 'image/jpeg' }), 'a.jpg'], ['media', new Blob([JPEG], { type: 'image/jpeg' }), 'b.jpg']]);
    expect(two.statusCode).toBe(400);

    const plain = await postMultipart(report());
    expect(plain.statusCode, plain.body).toBe(200);
    expect((await h.cases.get(String(json(plain)[0].service_request_id)))?.attachments).toBeUndefined();
  });
});
