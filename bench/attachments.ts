/**
 * `npm run bench -- attachments`: the local round trip of one 5 MB photo, as the console makes it, against the local
 * cloud started in this process (loopback, in memory, no demo data):
 *   1. POST /cases/{caseNo}/attachments/uploads (the API checks type and size, signs a POST);
 *   2. the multipart POST of the signed fields and the 5 MB file to the local S3 (policy and signature checked by
 *      local/s3.ts, stored by s3rver);
 *   3. POST /cases/{caseNo}/attachments (HeadObject, ranged GET of the magic bytes, the conditional write).
 * Each step and the whole are timed over `rounds` photos (a new case every 20: the most a case holds). The budget
 * row is the whole round trip's median against a 5 MB upload to the same S3 without the API steps (the floor): the
 * API's two calls may add at most API_OVERHEAD_MS to it (an additive budget: a ratio to a 70 ms upload swings with
 * the machine's load).
 */
import { ATTACHMENT_MAX_BYTES, MAX_ATTACHMENTS_PER_CASE } from '../functions/domain/attachment';
import { startLocalCloud, type LocalCloud } from '../local/cloud';
import { limitRow, median, ms, percentile, progress, table, type BudgetRow } from './lib/report';

export const PHOTO_BYTES = 5 * 1024 * 1024;
/** The API's two calls (sign, then check and record) may add at most this much to the bare upload. */
export const BUDGETS = { apiOverheadMs: 250 };

const CASE_BODY = {
  category: 'pothole',
  description: '中正路與民生路口有一個大坑洞，附照片。',
  location: { district: 'taoyuan', address: '桃園區中正路與民生路口', lat: 24.9937, lng: 121.3009 },
  reporter: { anonymous: true, notify: 'none' },
  channel: 'phone',
  attributes: { size: 'large', dangerous: 'yes' },
};

/** A JPEG-signed body of the photo's size (the check reads the first bytes; S3 and the API never decode it). */
function photo(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(PHOTO_BYTES);
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = (i * 31) & 0xff;
  bytes.set([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);
  return bytes;
}

interface Timings {
  request: number;
  upload: number;
  complete: number;
  total: number;
}

export async function measureAttachments(rounds: number): Promise<{ rows: BudgetRow[]; detail: string }> {
  if (PHOTO_BYTES > ATTACHMENT_MAX_BYTES) throw new Error('the bench photo is over the upload limit');
  progress(`attachments: starting the local cloud (in memory), ${rounds} photos of ${PHOTO_BYTES} bytes`);
  const cloud = await startLocalCloud({ port: 0, inMemory: true, quiet: true, demoData: false, handlerLogLevel: 'ERROR' });
  try {
    const token = await cloud.token('agent1');
    const api = (path: string, body: unknown) =>
      fetch(`${cloud.urls.api}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bytes = photo();
    const file = new Blob([bytes], { type: 'image/jpeg' });
    let caseNo = '';
    const runs: Timings[] = [];
    const floors: number[] = [];
    for (let i = 0; i < rounds; i++) {
      if (i % MAX_ATTACHMENTS_PER_CASE === 0) caseNo = ((await (await api('/cases', CASE_BODY)).json()) as { caseNo: string }).caseNo;
      const t0 = performance.now();
      const asked = await api(`/cases/${caseNo}/attachments/uploads`, { contentType: 'image/jpeg', size: PHOTO_BYTES, kind: 'intake' });
      if (asked.status !== 201) throw new Error(`upload request: ${asked.status} ${await asked.text()}`);
      const grant = (await asked.json()) as { attachmentId: string; upload: { url: string; fields: Record<string, string> } };
      const t1 = performance.now();
      const form = new FormData();
      for (const [k, v] of Object.entries(grant.upload.fields)) form.append(k, v);
      form.append('file', file, 'photo.jpg');
      const stored = await fetch(grant.upload.url, { method: 'POST', body: form });
      if (stored.status !== 204) throw new Error(`upload: ${stored.status} ${await stored.text()}`);
      const t2 = performance.now();
      const done = await api(`/cases/${caseNo}/attachments`, { attachmentId: grant.attachmentId, kind: 'intake' });
      if (done.status !== 201) throw new Error(`complete: ${done.status} ${await done.text()}`);
      const t3 = performance.now();
      runs.push({ request: t1 - t0, upload: t2 - t1, complete: t3 - t2, total: t3 - t0 });
      // The floor: the same 5 MB to the same S3 with a grant already in hand (a second signed POST, no API calls).
      const again = (await (await api(`/cases/${caseNo}/attachments/uploads`, { contentType: 'image/jpeg', size: PHOTO_BYTES, kind: 'intake' })).json()) as typeof grant;
      const floorForm = new FormData();
      for (const [k, v] of Object.entries(again.upload.fields)) floorForm.append(k, v);
      floorForm.append('file', file, 'photo.jpg');
      const f0 = performance.now();
      const floor = await fetch(again.upload.url, { method: 'POST', body: floorForm });
      if (floor.status !== 204) throw new Error(`floor upload: ${floor.status}`);
      floors.push(performance.now() - f0);
    }
    const col = (k: keyof Timings) => runs.map((r) => r[k]);
    const detail = [
      `Attachment round trip, ${rounds} photos of ${(PHOTO_BYTES / 1024 / 1024).toFixed(0)} MB (local cloud in this process, loopback)`,
      table([
        ['step', 'p50', 'p95', 'max'],
        ...(['request', 'upload', 'complete', 'total'] as const).map((k) => [
          { request: '1. POST .../attachments/uploads', upload: '2. POST to local S3 (5 MB)', complete: '3. POST .../attachments (check + record)', total: 'round trip' }[k],
          ms(median(col(k))),
          ms(percentile(col(k), 95)),
          ms(Math.max(...col(k))),
        ]),
      ]),
      `floor (the upload alone): p50 ${ms(median(floors))}`,
    ].join('\n');
    const total = median(col('total'));
    const floor = median(floors);
    const rows = [
      limitRow('attachment round trip, 5 MB photo (local)', total, floor + BUDGETS.apiOverheadMs, ms, {
        baseline: `${ms(floor)} upload alone`,
        budget: `≤ the upload alone + ${BUDGETS.apiOverheadMs} ms`,
        ratio: `+${ms(total - floor)}`,
      }),
    ];
    return { rows, detail };
  } finally {
    await closeQuietly(cloud);
  }
}

async function closeQuietly(cloud: LocalCloud): Promise<void> {
  try {
    await cloud.close();
  } catch {
    /* the figures are printed already */
  }
}
