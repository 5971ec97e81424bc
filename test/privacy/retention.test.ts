/**
 * The retention job over dynalite and the local S3: reporters of cases closed long enough ago are erased (marker,
 * `pii-erased`, out of the phone and retention indexes) with the case's files, everything else is left alone, the
 * case stays, and a missed day is caught up by the next run.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { DynamoJobMarks } from '../../functions/adapters/job-mark-store';
import { CaseEntity } from '../../functions/adapters/table';
import { ManualClock, useClock } from '../../functions/domain/clock';
import type { Case, CaseStatus } from '../../functions/domain/case';
import { hashPhone } from '../../functions/privacy/phone-hash';
import { privacySettings, usePrivacySettings } from '../../functions/privacy/settings';
import { daysToErase, cutoffDay, FIRST_RUN_LOOKBACK_DAYS } from '../../functions/privacy/retention';
import { erasePersonalData, RETENTION_JOB } from '../../functions/usecases/erase-personal-data';
import { aCase } from '../usecases/support/fakes';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3AttachmentStore } from '../../functions/adapters/attachment-store';
import { attachmentKey } from '../../functions/domain/attachment';
import { startS3Service, type S3Service } from '../../local/s3';

const BUCKET = 'citydesk-retention-attachments';
const credentials = { accessKeyId: 'retention-test', secretAccessKey: 'retention-test-secret' };
let s3Service: S3Service;
let s3: S3Client;
let files: S3AttachmentStore;
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0, 0, 1]);
async function putFile(caseNo: string, id: string) {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: attachmentKey(caseNo, id), ContentType: 'image/jpeg', Body: JPEG }));
}

let local: LocalTable;
let repo: DynamoCaseRepository;
let marks: DynamoJobMarks;
const clock = new ManualClock();
let restore: () => void;

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-retention-test' });
  repo = new DynamoCaseRepository(local.ddb, local.tableName);
  marks = new DynamoJobMarks(local.ddb, local.tableName);
  s3Service = await startS3Service({ region: 'ap-northeast-1', credentials, buckets: [{ name: BUCKET, corsOrigins: [] }] });
  s3 = new S3Client({ endpoint: s3Service.endpoint, region: 'ap-northeast-1', credentials });
  files = new S3AttachmentStore(s3, BUCKET);
});
afterAll(async () => {
  s3.destroy();
  await s3Service.close();
  await local.close();
});
beforeEach(() => {
  const restoreClock = useClock(clock);
  const restoreSettings = usePrivacySettings({ ...privacySettings(), retentionDays: 30 });
  restore = () => {
    restoreSettings();
    restoreClock();
  };
});
afterEach(() => {
  restore();
});

const run = () => erasePersonalData({ cases: repo, closed: repo, marks, files });

/** A case logged on 2026-09-01 that ends `status` at `closedAt` (or stays open when no time is given). */
async function caseEnding(caseNo: string, status: CaseStatus, closedAt?: string, phone = '0912345678', extra: Partial<Case> = {}): Promise<Case> {
  clock.set('2026-09-01T02:00:00.000Z');
  const c = aCase({ caseNo, createdAt: clock.now().toISOString(), updatedAt: clock.now().toISOString(), version: 1, reporter: { name: '王大明', phone, anonymous: false, notify: 'sms' }, ...extra });
  await repo.create(c, { type: 'created', by: 'agent-1' });
  if (!closedAt) return c;
  clock.set(closedAt);
  return repo.update(caseNo, 1, { set: { status, ...(status === 'CLOSED' ? { closedAt } : {}) }, event: { type: status === 'CLOSED' ? 'closed' : 'cancelled', by: 'workflow' } });
}

async function item(caseNo: string) {
  return (await local.ddb.send(new GetCommand({ TableName: local.tableName, Key: CaseEntity.key(caseNo) }))).Item!;
}

describe('the retention job', () => {
  it('erases the reporters of cases closed at least the retention period ago, and nothing else', async () => {
    // Taipei days: closed 2026-10-01, cancelled 2026-10-05 (23:30 Taipei), closed 2026-10-07, and one still open.
    const photo = { kind: 'intake' as const, contentType: 'image/jpeg' as const, size: JPEG.length, at: '2026-09-01T02:00:00.000Z', by: 'agent-1' };
    await caseEnding('20260901-00001', 'CLOSED', '2026-10-01T03:00:00.000Z', '0912345678', { attachments: [{ ...photo, id: 'p1' }, { ...photo, id: 'p2' }] });
    // Cancelled while the workflow waited: the spent task token stays on the ended case until the erasure.
    await caseEnding('20260901-00002', 'CANCELLED', '2026-10-05T15:30:00.000Z', '0922333444', { pendingTaskToken: 'spent-token' });
    await caseEnding('20260901-00003', 'CLOSED', '2026-10-07T01:00:00.000Z', '0912345678', { attachments: [{ ...photo, id: 'p3' }] });
    await caseEnding('20260901-00004', 'ACKNOWLEDGED');
    for (const [caseNo, id] of [['20260901-00001', 'p1'], ['20260901-00001', 'p2'], ['20260901-00003', 'p3']] as const) await putFile(caseNo, id);
    clock.set('2026-11-05T01:00:00.000Z'); // cutoff: closing day 2026-10-06

    const report = await run();

    expect(report).toMatchObject({ cutoff: '2026-10-06', erased: 2, doneThrough: '2026-10-06', incomplete: false });
    for (const caseNo of ['20260901-00001', '20260901-00002']) {
      const c = (await repo.get(caseNo))!;
      expect(c.reporter).toEqual({ anonymous: false, notify: 'none', erasedAt: '2026-11-05T01:00:00.000Z' });
      expect(c.category).toBe('pothole');
      expect(c.pendingTaskToken).toBeUndefined();
      const erasedItem = await item(caseNo);
      expect(erasedItem.gsi8pk).toBeUndefined();
      expect(erasedItem.gsi9pk).toBeUndefined();
      const events = (await repo.timeline(caseNo, {})).items;
      expect(events.at(-1)).toMatchObject({ type: 'pii-erased', by: 'system', data: { retentionDays: 30 } });
    }
    expect((await repo.get('20260901-00003'))!.reporter.name).toBe('王大明');
    expect((await repo.get('20260901-00004'))!.reporter.name).toBe('王大明');
    // The case's files go with its personal data, and only that case's.
    expect(await files.inspect(attachmentKey('20260901-00001', 'p1'))).toBeUndefined();
    expect(await files.inspect(attachmentKey('20260901-00001', 'p2'))).toBeUndefined();
    expect((await repo.get('20260901-00001'))!.attachments).toEqual([]);
    expect((await repo.timeline('20260901-00001', {})).items.at(-1)?.data).toMatchObject({ filesErased: 2 });
    expect((await repo.timeline('20260901-00002', {})).items.at(-1)?.data).toMatchObject({ filesErased: 0 });
    expect(await files.inspect(attachmentKey('20260901-00003', 'p3'))).toBeDefined();
    expect((await repo.get('20260901-00003'))!.attachments).toHaveLength(1);
    expect((await item('20260901-00003')).gsi9pk).toBe('CLOSED#2026-10-07');
    expect((await repo.casesByPhoneHash(hashPhone('0922333444', privacySettings().phoneHashKey!), {})).items).toEqual([]);
  });

  it('a later run takes up where the last one stopped, and never erases twice', async () => {
    clock.set('2026-11-05T01:00:00.000Z');
    const again = await run();
    clock.set('2026-11-20T01:00:00.000Z'); // missed runs in between: cutoff 2026-10-21
    const later = await run();

    expect(again).toMatchObject({ days: [], erased: 0 });
    expect(later).toMatchObject({ erased: 1, doneThrough: '2026-10-21' });
    expect(later.days[0]).toBe('2026-10-07');
    expect((await repo.get('20260901-00003'))!.reporter.erasedAt).toBe('2026-11-20T01:00:00.000Z');
    expect(await files.inspect(attachmentKey('20260901-00003', 'p3'))).toBeUndefined();
    expect((await repo.timeline('20260901-00001', {})).items.filter((e) => e.type === 'pii-erased')).toHaveLength(1);
    expect(await marks.get(RETENTION_JOB)).toBe('2026-10-21');
  });

  it('a run out of budget stops before the mark moves past unfinished work', async () => {
    await caseEnding('20260901-00011', 'CLOSED', '2026-10-25T03:00:00.000Z');
    await caseEnding('20260901-00012', 'CLOSED', '2026-10-26T03:00:00.000Z');
    clock.set('2026-12-01T01:00:00.000Z');

    const partial = await erasePersonalData({ cases: repo, closed: repo, marks, files }, { budget: 1 });
    const rest = await run();

    expect(partial).toMatchObject({ erased: 1, incomplete: true, doneThrough: '2026-10-24' });
    expect(rest).toMatchObject({ erased: 1, incomplete: false });
    expect((await repo.get('20260901-00012'))!.reporter.erasedAt).toBeDefined();
  });
});

describe('which closing days a run covers', () => {
  it('from the day after the mark to the cutoff', () => {
    expect(daysToErase('2026-10-03', '2026-10-06')).toEqual(['2026-10-04', '2026-10-05', '2026-10-06']);
    expect(daysToErase('2026-10-06', '2026-10-06')).toEqual([]);
  });

  it('a first run looks back a year before the cutoff', () => {
    const days = daysToErase(undefined, '2026-10-06');

    expect(days).toHaveLength(FIRST_RUN_LOOKBACK_DAYS + 1);
    expect(days.at(-1)).toBe('2026-10-06');
  });

  it('the cutoff is a Taipei day: 30 days before 2026-11-05 08:30 Taipei is 2026-10-06', () => {
    expect(cutoffDay(new Date('2026-11-05T00:30:00.000Z'), 30)).toBe('2026-10-06');
  });
});
