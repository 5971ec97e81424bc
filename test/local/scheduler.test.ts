/**
 * The local cloud runs the scheduled jobs of functions/privacy/jobs.ts (the list CDK builds its EventBridge rules
 * from) on the local clock: cron arithmetic, the scheduler against a stopped clock moved by hand, and the
 * stalled-workflow job starting a NEW case's workflow in a running local cloud once `POST /_local/clock` moves
 * time past its next firing; the early-warning run writing the trend tallies of the finished days.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { DynamoDailyTallies } from '../../functions/adapters/case-statistics';
import { addDays, taipeiDate } from '../../functions/domain/case-number';
import type { Case } from '../../functions/domain/case';
import { SCHEDULED_JOBS } from '../../functions/privacy/jobs';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';
import { createLocalClock } from '../../local/clock';
import { cronValues, nextCronTime, startLocalScheduler } from '../../local/scheduler';

const at = (iso: string) => Date.parse(iso);

describe('cron fields as EventBridge reads them', () => {
  it('every 5 minutes from 0, a fixed hour, ranges and lists', () => {
    expect([...cronValues('0/5', 59)]).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    expect([...cronValues('*/20', 59)]).toEqual([0, 20, 40]);
    expect([...cronValues('19', 23)]).toEqual([19]);
    expect([...cronValues('1-3,7', 23)]).toEqual([1, 2, 3, 7]);
    expect(() => cronValues('61', 59)).toThrow(/out of range/);
    expect(() => cronValues('L', 59)).toThrow(/not understood/);
  });

  it('the next firing is strictly after the given instant, in UTC', () => {
    expect(new Date(nextCronTime({ minute: '0/5', hour: '*' }, at('2026-12-01T10:03:20Z'))).toISOString()).toBe('2026-12-01T10:05:00.000Z');
    expect(new Date(nextCronTime({ minute: '0/5', hour: '*' }, at('2026-12-01T10:05:00Z'))).toISOString()).toBe('2026-12-01T10:10:00.000Z');
    expect(new Date(nextCronTime({ minute: '0', hour: '19' }, at('2026-12-01T19:00:00Z'))).toISOString()).toBe('2026-12-02T19:00:00.000Z');
  });

  it('every job CDK schedules has a cron the local cloud can fire', () => {
    for (const job of SCHEDULED_JOBS) expect(nextCronTime(job.cron, at('2026-12-01T00:00:00Z'))).toBeGreaterThan(at('2026-12-01T00:00:00Z'));
  });
});

describe('the local scheduler', () => {
  it('fires a job only when the local clock passes its time, once per firing, and never two runs at once', async () => {
    const clock = createLocalClock({ scale: 0, offsetMs: at('2026-12-01T10:01:00Z') - Date.now() });
    const started: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const scheduler = startLocalScheduler({
      jobs: [{ id: 'Every5', cron: { minute: '0/5', hour: '*' } }],
      clock,
      minRealGapMs: 0,
      run: async () => {
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        started.push(clock.now().toISOString());
        await new Promise((r) => setTimeout(r, 20));
        concurrent -= 1;
      },
    });
    try {
      await new Promise((r) => setTimeout(r, 50));
      expect(scheduler.runs()).toEqual({});

      clock.advance(4 * 60_000); // 10:05 exactly
      await waitFor(() => scheduler.runs().Every5 === 1);
      clock.advance(60_000); // 10:06: no firing between
      await new Promise((r) => setTimeout(r, 50));
      expect(scheduler.runs().Every5).toBe(1);

      clock.advance(60 * 60_000); // an hour later: one run, missed firings are not replayed
      await waitFor(() => scheduler.runs().Every5 === 2);
      await new Promise((r) => setTimeout(r, 50));
      expect(scheduler.runs().Every5).toBe(2);
      // To the minute: the clock's offset is taken from Date.now() a moment after the test read it.
      expect(started.map((iso) => iso.slice(0, 16))).toEqual(['2026-12-01T10:05', '2026-12-01T11:06']);
      expect(maxConcurrent).toBe(1);
    } finally {
      await scheduler.close();
    }
  });

  it('a failing run is logged and the job stays scheduled', async () => {
    const clock = createLocalClock({ scale: 0, offsetMs: at('2026-12-01T10:01:00Z') - Date.now() });
    const lines: string[] = [];
    const scheduler = startLocalScheduler({
      jobs: [{ id: 'Flaky', cron: { minute: '0/5', hour: '*' } }],
      clock,
      minRealGapMs: 0,
      run: () => Promise.reject(new Error('table unreachable')),
      log: (l) => lines.push(l),
    });
    try {
      clock.advance(5 * 60_000);
      await waitFor(() => scheduler.runs().Flaky === 1);
      clock.advance(5 * 60_000);
      await waitFor(() => scheduler.runs().Flaky === 2);
      expect(lines[0]).toBe('Scheduled job Flaky failed: table unreachable');
    } finally {
      await scheduler.close();
    }
  });
});

describe('in the local cloud', () => {
  let cloud: LocalCloud | undefined;
  afterAll(async () => cloud?.close());

  it('POST /_local/clock past the next 5-minute mark runs the stalled-workflow job, which starts a NEW case left without an execution', async () => {
    cloud = await startLocalCloud({ port: 0, inMemory: true, demoData: false, quiet: true, timeScale: 0 });
    const ddb = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: cloud.urls.dynamodb, region: cloud.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    const cases = new DynamoCaseRepository(ddb, cloud.tableName);
    const createdAt = new Date(cloud.clock.nowMs() - 10 * 60_000).toISOString();
    const caseNo = `${createdAt.slice(0, 10).replace(/-/g, '')}-90001`;
    const stalled: Case = {
      caseNo,
      status: 'NEW',
      category: 'street-light',
      description: '路燈整晚不亮',
      location: { district: 'zhongli', address: '中央西路二段 50 號' },
      reporter: { anonymous: true, notify: 'none' },
      channel: 'phone',
      priority: 'normal',
      attributes: {},
      escalationLevel: 0,
      createdAt,
      createdBy: 'agent-1',
      updatedAt: createdAt,
      version: 1,
    };
    await cases.create(stalled, { type: 'created', by: 'agent-1', at: createdAt, data: { channel: 'phone', category: 'street-light' } });
    expect(cloud.scheduledJobRuns().RestartStalledWorkflows).toBeUndefined();

    const res = await fetch(`${cloud.urls.api}/_local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: 'PT5M' }) });
    expect(res.status).toBe(200);

    await waitFor(async () => (await cases.get(caseNo))?.executionArn !== undefined, 20_000);
    // The run counts once it has finished: the sweeper goes on through the other open statuses after this case.
    await waitFor(() => (cloud?.scheduledJobRuns().RestartStalledWorkflows ?? 0) >= 1, 20_000);
    await waitFor(async () => (await cases.get(caseNo))?.status === 'ASSIGNED', 20_000);
    ddb.destroy();
  }, 60_000);

  it('the quarter-hour early-warning run also rolls up the finished days\' trend tallies', async () => {
    cloud ??= await startLocalCloud({ port: 0, inMemory: true, demoData: false, quiet: true, timeScale: 0 });
    const ddb = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: cloud.urls.dynamodb, region: cloud.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    );
    const tallies = new DynamoDailyTallies(ddb, cloud.tableName);
    const yesterday = addDays(taipeiDate(cloud.clock.now()), -1);
    const runsBefore = cloud.scheduledJobRuns().ScanEarlyWarnings ?? 0;

    await fetch(`${cloud.urls.api}/_local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: 'PT15M' }) });
    await waitFor(() => (cloud?.scheduledJobRuns().ScanEarlyWarnings ?? 0) > runsBefore, 20_000);

    expect((await tallies.tallies(yesterday, yesterday)).map((t) => t.day)).toEqual([yesterday]);
    ddb.destroy();
  }, 60_000);
});

async function waitFor(ok: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
