/**
 * Business figures: each event counts once where it happens, with the dimensions the dashboard reads (codes only,
 * never a reporter's name, phone or e-mail), and the adapter writes them as CloudWatch embedded metric format.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dimensionValue, NOT_A_CODE, PowertoolsBusinessMetrics } from '../../functions/adapters/business-metrics';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { SmsCappedNotifier, type RateCounters } from '../../functions/privacy/rate-limits';
import { BUSINESS_METRICS, METRICS_NAMESPACE, type BusinessMetric } from '../../functions/shared/business-metrics';
import { createCase, type NewCase } from '../../functions/usecases/create-case';
import { acknowledgeCase } from '../../functions/usecases/lifecycle/acknowledge-case';
import { recordSurvey } from '../../functions/usecases/lifecycle/record-survey';
import { resolveCase } from '../../functions/usecases/lifecycle/resolve-case';
import type { BusinessMetrics, Notifier } from '../../functions/usecases/ports';
import { restartStalledWorkflows } from '../../functions/usecases/restart-stalled-workflows';
import { ACTORS, ConfigSopCatalog, FakeWorkflow, InMemoryCaseRepository, InMemoryIdempotencyStore } from '../usecases/support/fakes';
import { AGENT, WorkflowHarness, staffOf } from '../workflow/support/harness';

/** What a use case counted, in order. */
class RecordedMetrics implements BusinessMetrics {
  readonly counts: Array<{ metric: BusinessMetric; dimensions: Record<string, string> }> = [];
  count<M extends BusinessMetric>(metric: M, dimensions: Record<string, string>): void {
    this.counts.push({ metric, dimensions: { ...dimensions } });
  }
  of(metric: BusinessMetric): Array<Record<string, string>> {
    return this.counts.filter((c) => c.metric === metric).map((c) => c.dimensions);
  }
}

const streetLight: NewCase = {
  category: 'street-light',
  description: '路燈整晚不亮',
  location: { district: 'zhongli', address: '中央西路二段 50 號' },
  reporter: { name: '王大明', phone: '0912345678', anonymous: false, notify: 'sms' },
  channel: 'phone',
  attributes: { lightState: 'dark' },
};

const PERSONAL = ['王大明', '林美華', '0912345678', '+886912345678', 'meihua@example.org'];

function expectNoPersonalData(value: unknown): void {
  const text = JSON.stringify(value);
  for (const p of PERSONAL) expect(text).not.toContain(p);
}

describe('the EMF adapter', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    const write = process.stdout.write.bind(process.stdout);
    vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      const text = String(chunk);
      if (text.includes('"_aws"')) {
        lines.push(...text.trim().split('\n'));
        return true;
      }
      return (write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    }));
  });
  afterEach(() => vi.restoreAllMocks());

  const documents = () => lines.map((l) => JSON.parse(l) as Record<string, unknown> & { _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> } });

  it('writes one document per count, in the CityDesk namespace, with the stage and exactly the metric’s dimensions', () => {
    const metrics = new PowertoolsBusinessMetrics('prod');

    metrics.count('casesCreated', { channel: 'phone', category: 'street-light' });
    metrics.count('slaBreaches', { department: 'PWD', level: '2' });
    metrics.count('surveysSatisfied', {});

    const [created, breach, survey] = documents();
    expect(documents()).toHaveLength(3);
    expect(created._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: METRICS_NAMESPACE, Metrics: [{ Name: 'CasesCreated', Unit: 'Count' }] });
    expect(new Set(created._aws.CloudWatchMetrics[0].Dimensions[0])).toEqual(new Set(['service', 'stage', 'channel', 'category']));
    expect(created).toMatchObject({ stage: 'prod', channel: 'phone', category: 'street-light', CasesCreated: 1 });
    expect(breach).toMatchObject({ stage: 'prod', department: 'PWD', level: '2', SlaBreaches: 1 });
    expect(new Set(survey._aws.CloudWatchMetrics[0].Dimensions[0])).toEqual(new Set(['service', 'stage']));
    expect(survey).toMatchObject({ SurveysSatisfied: 1 });
  });

  it('never writes a value that is not a code: a phone number, an e-mail address or free text becomes not-a-code', () => {
    const metrics = new PowertoolsBusinessMetrics('dev');

    metrics.count('casesCreated', { channel: '0912345678', category: 'meihua@example.org' });
    metrics.count('slaBreaches', { department: '王大明 家門口', level: '+886912345678' });

    expectNoPersonalData(lines);
    expect(documents()[0]).toMatchObject({ channel: NOT_A_CODE, category: NOT_A_CODE });
    expect(documents()[1]).toMatchObject({ department: NOT_A_CODE, level: NOT_A_CODE });
    expect(['street-light', 'DIST-ZHONGLI', 'sms', '3', 'open311'].map(dimensionValue)).toEqual(['street-light', 'DIST-ZHONGLI', 'sms', '3', 'open311']);
  });

  it('the dashboard and the adapter share one definition of each metric', () => {
    expect(Object.values(BUSINESS_METRICS).map((m) => m.name)).toEqual([
      'CasesCreated',
      'SlaBreaches',
      'Escalations',
      'CitizenNoticesSent',
      'CitizenNoticesFailed',
      'SmsCapsReached',
      'SurveysSatisfied',
      'SurveysUnsatisfied',
      'WorkflowRepairs',
    ]);
  });
});

describe('cases created', () => {
  let restoreClock: () => void;
  beforeEach(() => (restoreClock = useClock(new ManualClock('2026-11-27T01:00:00.000Z'))));
  afterEach(() => restoreClock());

  it('count once by channel and category; a replay of the same Idempotency-Key counts nothing', async () => {
    const metrics = new RecordedMetrics();
    const ports = { cases: new InMemoryCaseRepository(), idempotency: new InMemoryIdempotencyStore(), sops: new ConfigSopCatalog(), workflow: new FakeWorkflow(), metrics };

    await createCase(ports, ACTORS.agent, streetLight, 'key-1');
    await createCase(ports, ACTORS.agent, structuredClone(streetLight), 'key-1');

    expect(metrics.counts).toEqual([{ metric: 'casesCreated', dimensions: { channel: 'phone', category: 'street-light' } }]);
    expectNoPersonalData(metrics.counts);
  });
});

describe('the case workflow', () => {
  let h: WorkflowHarness;
  let metrics: RecordedMetrics;
  beforeEach(async () => {
    h = await WorkflowHarness.start();
    metrics = new RecordedMetrics();
    h.deps.ports.metrics = metrics;
  });
  afterEach(() => h.close());

  it('counts each SLA breach by department and level, each escalation by level, the SMS to the citizen and the survey', async () => {
    const c = await h.newCase();
    const ports = { ...h.actionPorts, metrics };

    await h.run(c.caseNo, {
      AwaitAck: ['timeout', 'timeout', () => acknowledgeCase(ports, staffOf('DIST-ZHONGLI'), c.caseNo)],
      AwaitResolve: [() => resolveCase(ports, staffOf('DIST-ZHONGLI'), c.caseNo, { resolution: '已更換燈泡' })],
      AwaitSurvey: [() => recordSurvey(ports, AGENT, c.caseNo, { answer: 'satisfied' })],
    });

    expect(metrics.of('slaBreaches')).toEqual([
      { department: 'DIST-ZHONGLI', level: '1' },
      { department: 'DIST-ZHONGLI', level: '2' },
    ]);
    expect(metrics.of('escalations')).toEqual([{ level: '1' }, { level: '2' }]);
    expect(metrics.of('citizenNoticesSent')).toEqual([{ channel: 'sms' }, { channel: 'sms' }]); // the receipt, the outcome
    expect(metrics.of('citizenNoticesFailed')).toEqual([]);
    expect(metrics.of('surveysSatisfied')).toEqual([{}]);
    expect(metrics.of('surveysUnsatisfied')).toEqual([]);
    expectNoPersonalData(metrics.counts);
  });

  it('counts a citizen notice that failed by its channel', async () => {
    const c = await h.newCase({ reporter: { name: '林美華', email: 'meihua@example.org', anonymous: false, notify: 'email' } });
    h.outbox.failCitizenMessages = true;

    await h.run(c.caseNo, {
      AwaitAck: [() => acknowledgeCase(h.actionPorts, staffOf('DIST-ZHONGLI'), c.caseNo)],
      AwaitResolve: [() => resolveCase(h.actionPorts, staffOf('DIST-ZHONGLI'), c.caseNo, { resolution: '已更換燈泡' })],
      AwaitSurvey: ['timeout'],
    });

    expect(metrics.of('citizenNoticesFailed')).toEqual([{ channel: 'email' }]);
    expect(metrics.of('citizenNoticesSent')).toEqual([]);
    expectNoPersonalData(metrics.counts);
  });
});

describe('SMS caps and workflow repairs', () => {
  it('a citizen SMS over the per-number cap counts SmsCapsReached, without the number', async () => {
    const metrics = new RecordedMetrics();
    const full: RateCounters = { take: () => Promise.resolve(false) };
    const inner: Notifier = { publish: () => Promise.resolve(), sms: () => Promise.resolve(), email: () => Promise.resolve() };

    await expect(new SmsCappedNotifier(inner, full, metrics).sms('+886912345678', '案件已處理')).rejects.toThrow('SMS cap reached');

    expect(metrics.counts).toEqual([{ metric: 'smsCapsReached', dimensions: {} }]);
  });

  it('each stalled workflow the job starts counts one WorkflowRepairs', async () => {
    const restoreClock = useClock(new ManualClock('2026-11-27T01:00:00.000Z'));
    try {
      const metrics = new RecordedMetrics();
      const cases = new InMemoryCaseRepository();
      const workflow = new FakeWorkflow();
      workflow.failNextStart = new Error('Step Functions unavailable');
      const failed = await createCase({ cases, idempotency: new InMemoryIdempotencyStore(), sops: new ConfigSopCatalog(), workflow }, ACTORS.agent, { ...streetLight, reporter: { anonymous: true, notify: 'none' } }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(Error);
      const [stored] = [...cases.cases.values()];
      const stalled = { async *newCasesCreatedBetween() { yield { caseNo: stored.caseNo }; }, async *casesCreatedBetween() {} };

      const report = await restartStalledWorkflows({ stalled, cases, workflow, metrics }, { minAgeMinutes: 0, maxAgeDays: 7, budget: 10, repairMaxAgeDays: 90, describeBudget: 10 });

      expect(report.started).toBe(1);
      expect(metrics.counts).toEqual([{ metric: 'workflowRepairs', dimensions: {} }]);
    } finally {
      restoreClock();
    }
  });
});
