/**
 * Attachments end to end through the production handler module: dynalite for the table, the local S3 (s3rver behind
 * the policy-checking front) for the bucket. A file is recorded only after its upload is checked; reads follow the
 * case's ownership rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandler } from '../../functions/api/http';
import { startS3Service, type S3Service } from '../../local/s3';
import { apiEvent, call, CLAIMS } from './support/events';
import { startConsoleApi, type ConsoleApi } from '../console-api/support/console-api';

const BUCKET = 'citydesk-test-attachments';
const PWD_CASE = '20261203-00011';
const CLOSED_CASE = '20261203-00012';
const JPEG: Uint8Array<ArrayBuffer> = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0, 0, 1, ...new Array<number>(500).fill(9)]);
const PDF: Uint8Array<ArrayBuffer> = new TextEncoder().encode('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

let api: ConsoleApi;
let s3: S3Service;
let attachments: ApiHandler;

type Grant = { attachmentId: string; upload: { url: string; fields: Record<string, string>; expiresAt: string } };
type Recorded = { caseNo: string; version: number; attachment: { id: string; kind: string; contentType: string; size: number; by: string } };
type Listed = { items: Array<Recorded['attachment'] & { url: string; urlExpiresAt: string }> };
type Problem = { error: { code: string; fields?: Array<{ path: string; message: string }> } };

beforeAll(async () => {
  s3 = await startS3Service({
    region: process.env.AWS_REGION ?? 'ap-northeast-1',
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' },
    buckets: [{ name: BUCKET, corsOrigins: [] }],
  });
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.ATTACHMENT_BUCKET_NAME = BUCKET;
  api = await startConsoleApi('citydesk-attachments-test');
  attachments = ((await import('../../functions/api/handlers/attachments')) as { handler: ApiHandler }).handler;
  await api.seed({ caseNo: PWD_CASE, department: 'PWD', status: 'ACKNOWLEDGED' });
  await api.seed({ caseNo: CLOSED_CASE, department: 'PWD', status: 'CLOSED' });
});
afterAll(async () => {
  await api.close();
  await s3.close();
});

const ask = (claims: (typeof CLAIMS)[keyof typeof CLAIMS], caseNo: string, body: unknown) =>
  call(attachments, apiEvent('requestAttachmentUpload', { pathParameters: { caseNo }, body, claims }));
const complete = (claims: (typeof CLAIMS)[keyof typeof CLAIMS], caseNo: string, body: unknown) => call(attachments, apiEvent('addAttachment', { pathParameters: { caseNo }, body, claims }));
const list = (claims: (typeof CLAIMS)[keyof typeof CLAIMS], caseNo: string) => call(attachments, apiEvent('listAttachments', { pathParameters: { caseNo }, claims }));

/** The browser's part: the signed fields, then the file. */
async function upload(grant: Grant, bytes: Uint8Array<ArrayBuffer>, type: string): Promise<number> {
  const form = new FormData();
  for (const [k, v] of Object.entries(grant.upload.fields)) form.append(k, v);
  form.append('file', new Blob([bytes], { type }), 'IMG_0001.jpg');
  return (await fetch(grant.upload.url, { method: 'POST', body: form })).status;
}

describe('attachments', () => {
  it('staff upload an after photo to their case: checked, recorded with an attachment-added event, listed with a read URL', async () => {
    const granted = await ask(CLAIMS.staffPwd, PWD_CASE, { contentType: 'image/jpeg', size: JPEG.length, kind: 'after' });
    expect(granted.statusCode, JSON.stringify(granted.body)).toBe(201);
    const grant = granted.body as Grant;
    expect(grant.upload.fields.key).toBe(`cases/${PWD_CASE}/${grant.attachmentId}`);
    expect(await upload(grant, JPEG, 'image/jpeg')).toBe(204);

    const done = await complete(CLAIMS.staffPwd, PWD_CASE, { attachmentId: grant.attachmentId, kind: 'after' });
    expect(done.statusCode, JSON.stringify(done.body)).toBe(201);
    expect((done.body as Recorded).attachment).toMatchObject({ id: grant.attachmentId, kind: 'after', contentType: 'image/jpeg', size: JPEG.length, by: 'staff-pwd' });

    const again = await complete(CLAIMS.staffPwd, PWD_CASE, { attachmentId: grant.attachmentId, kind: 'after' });
    expect(again.statusCode).toBe(200);
    expect((again.body as Recorded).version).toBe((done.body as Recorded).version);

    const events = (await api.repo.timeline(PWD_CASE, {})).items.filter((e) => e.type === 'attachment-added');
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toEqual({ attachmentId: grant.attachmentId, kind: 'after', contentType: 'image/jpeg', size: JPEG.length });

    const listed = await list(CLAIMS.agent, PWD_CASE);
    expect(listed.statusCode).toBe(200);
    const [item] = (listed.body as Listed).items;
    const read = await fetch(item.url);
    expect(read.status).toBe(200);
    expect(new Uint8Array(await read.arrayBuffer())).toEqual(JPEG);
  });

  it('another department reads nothing of the case: its upload request, completion and list are 404s', async () => {
    expect((await ask(CLAIMS.staffEpd, PWD_CASE, { contentType: 'image/jpeg', size: 100, kind: 'progress' })).statusCode).toBe(404);
    expect((await complete(CLAIMS.staffEpd, PWD_CASE, { attachmentId: '0b6d3c1e-2f4a-4b5c-9d8e-7f6a5b4c3d2e', kind: 'progress' })).statusCode).toBe(404);
    expect((await list(CLAIMS.staffEpd, PWD_CASE)).statusCode).toBe(404);
  });

  it('refuses before signing: a HEIC photo, another type, a file over 10 MB, a kind the role does not add; a closed case is a 409', async () => {
    const heic = await ask(CLAIMS.agent, PWD_CASE, { contentType: 'image/heic', size: 1000, kind: 'intake' });
    expect(heic.statusCode).toBe(400);
    expect((heic.body as Problem).error.fields?.[0]).toMatchObject({ path: 'contentType', message: expect.stringContaining('convert to JPEG') as unknown });

    const gif = await ask(CLAIMS.agent, PWD_CASE, { contentType: 'image/gif', size: 1000, kind: 'intake' });
    expect((gif.body as Problem).error.fields?.map((f) => f.path)).toEqual(['contentType']);

    const large = await ask(CLAIMS.agent, PWD_CASE, { contentType: 'image/jpeg', size: 10 * 1024 * 1024 + 1, kind: 'intake' });
    expect(large.statusCode).toBe(400);
    expect((large.body as Problem).error.fields?.map((f) => f.path)).toEqual(['size']);

    const agentAfter = await ask(CLAIMS.agent, PWD_CASE, { contentType: 'image/jpeg', size: 1000, kind: 'after' });
    expect(agentAfter.statusCode).toBe(400);
    expect((agentAfter.body as Problem).error.fields?.map((f) => f.path)).toEqual(['kind']);

    const noSize = await ask(CLAIMS.agent, PWD_CASE, { contentType: 'image/jpeg', kind: 'intake' });
    expect(noSize.statusCode).toBe(400);
    expect((noSize.body as Problem).error.fields?.map((f) => f.path)).toEqual(['size']);

    expect((await ask(CLAIMS.supervisor, CLOSED_CASE, { contentType: 'image/jpeg', size: 1000, kind: 'after' })).statusCode).toBe(409);
  });

  it('an upload never completed, or whose bytes are not its type, is a 400 naming attachmentId and records nothing', async () => {
    const before = await api.repo.get(PWD_CASE);
    const grant = (await ask(CLAIMS.agent, PWD_CASE, { contentType: 'image/png', size: 1000, kind: 'intake' })).body as Grant;

    const never = await complete(CLAIMS.agent, PWD_CASE, { attachmentId: grant.attachmentId, kind: 'intake' });
    expect(never.statusCode).toBe(400);
    expect((never.body as Problem).error.fields?.[0]).toMatchObject({ path: 'attachmentId', message: expect.stringContaining('never completed') as unknown });

    // A PDF sent as the PNG it was declared to be: S3 takes it (the policy fixes the type field, not the bytes).
    expect(await upload(grant, PDF, 'image/png')).toBe(204);
    const mismatched = await complete(CLAIMS.agent, PWD_CASE, { attachmentId: grant.attachmentId, kind: 'intake' });
    expect(mismatched.statusCode).toBe(400);
    expect((mismatched.body as Problem).error.fields?.[0]).toMatchObject({ path: 'attachmentId', message: expect.stringContaining('not a image/png (they are application/pdf)') as unknown });

    const after = await api.repo.get(PWD_CASE);
    expect(after?.version).toBe(before?.version);
    expect(after?.attachments).toEqual(before?.attachments);
  });

  it('a PDF at intake is recorded as a PDF whatever the file was called', async () => {
    const grant = (await ask(CLAIMS.agent, PWD_CASE, { contentType: 'application/pdf', size: PDF.length, kind: 'intake' })).body as Grant;
    expect(await upload(grant, PDF, 'application/pdf')).toBe(204);

    const done = await complete(CLAIMS.agent, PWD_CASE, { attachmentId: grant.attachmentId, kind: 'intake' });

    expect(done.statusCode).toBe(201);
    expect((done.body as Recorded).attachment).toMatchObject({ contentType: 'application/pdf', kind: 'intake', by: 'agent-1' });
  });
});
