import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { IdempotencyConflictError, ValidationError } from '../../functions/domain/errors';
import { createCase, ensureWorkflowStarted, hashRequest, type CreateCasePorts, type NewCase } from '../../functions/usecases/create-case';
import { ACTORS, ConfigSopCatalog, FakeWorkflow, InMemoryCaseRepository, InMemoryIdempotencyStore, RetiredQuestionSopCatalog } from './support/fakes';

const streetLight: NewCase = {
  category: 'street-light',
  description: '路燈整晚不亮',
  location: { district: 'zhongli', address: '中央西路二段 50 號' },
  reporter: { name: '王大明', phone: '0912345678', anonymous: false, notify: 'sms' },
  channel: 'phone',
  attributes: { lightState: 'dark' },
};

let cases: InMemoryCaseRepository;
let idempotency: InMemoryIdempotencyStore;
let workflow: FakeWorkflow;
let ports: CreateCasePorts;
let restoreClock: () => void;

beforeEach(() => {
  cases = new InMemoryCaseRepository();
  idempotency = new InMemoryIdempotencyStore();
  workflow = new FakeWorkflow();
  ports = { cases, idempotency, sops: new ConfigSopCatalog(), workflow };
  restoreClock = useClock(new ManualClock('2026-11-27T01:00:00.000Z'));
});
afterEach(() => restoreClock());

describe('createCase', () => {
  it('creates a NEW case with a created event and starts its workflow named after the case, writing nothing more', async () => {
    const { case: c, created } = await createCase(ports, ACTORS.agent, streetLight);

    expect(created).toBe(true);
    expect(c).toMatchObject({ caseNo: '20261127-00001', status: 'NEW', priority: 'normal', sopVersion: 1, createdBy: 'agent-1', version: 1 });
    // The execution's ARN follows from the case number: nothing to record.
    expect(c.executionArn).toBeUndefined();
    expect(workflow.started).toEqual(['20261127-00001']);
    expect(cases.cases.get(c.caseNo)?.version).toBe(1);
    expect(cases.events(c.caseNo).map((e) => e.type)).toEqual(['created']);
  });

  it('an unknown category is a 400 naming category', async () => {
    const err = await createCase(ports, ACTORS.agent, { ...streetLight, category: 'ufo-sighting' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields.map((f) => f.path)).toEqual(['category']);
    expect(cases.cases.size).toBe(0);
  });

  it('answers that do not fit the SOP are a 400 naming each attribute, and nothing is created or claimed', async () => {
    const err = await createCase(ports, ACTORS.agent, { ...streetLight, category: 'pothole', attributes: { size: 'huge' } }, 'k1').catch((e: unknown) => e);

    expect((err as ValidationError).fields.map((f) => f.path).sort()).toEqual(['attributes.dangerous', 'attributes.size']);
    expect(cases.cases.size).toBe(0);
    expect(idempotency.records.size).toBe(0);
  });

  it('a question retired in the current version is not asked: an answer to it is a 400 naming it, and without it the case is logged', async () => {
    ports.sops = new RetiredQuestionSopCatalog({ 'street-light': ['poleNumber'] });

    const err = await createCase(ports, ACTORS.agent, { ...streetLight, attributes: { lightState: 'dark', poleNumber: 'A-12' } }, 'k1').catch((e: unknown) => e);
    const { case: c } = await createCase(ports, ACTORS.agent, streetLight, 'k2');

    expect((err as ValidationError).fields).toEqual([{ path: 'attributes.poleNumber', message: 'is no longer asked for category street-light (retired)' }]);
    expect(c).toMatchObject({ sopVersion: 2, attributes: { lightState: 'dark' } });
  });

  it('the same Idempotency-Key with the same body returns the same case, not a second one', async () => {
    const first = await createCase(ports, ACTORS.agent, streetLight, 'key-1');

    const second = await createCase(ports, ACTORS.agent, structuredClone(streetLight), 'key-1');

    expect(second.created).toBe(false);
    expect(second.case.caseNo).toBe(first.case.caseNo);
    expect(cases.cases.size).toBe(1);
    expect(workflow.started).toEqual([first.case.caseNo]);
  });

  it('the same Idempotency-Key with a different body is an IdempotencyConflictError', async () => {
    await createCase(ports, ACTORS.agent, streetLight, 'key-1');

    const err = await createCase(ports, ACTORS.agent, { ...streetLight, description: '另一盞路燈' }, 'key-1').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(IdempotencyConflictError);
    expect(cases.cases.size).toBe(1);
  });

  it('keys are per caller: another caller with the same key gets its own case', async () => {
    const mine = await createCase(ports, ACTORS.agent, streetLight, 'key-1');

    const theirs = await createCase(ports, ACTORS.otherAgent, streetLight, 'key-1');

    expect(theirs.created).toBe(true);
    expect(theirs.case.caseNo).not.toBe(mine.case.caseNo);
  });

  it('concurrent retries with one key create exactly one case', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => createCase(ports, ACTORS.agent, structuredClone(streetLight), 'key-race')));

    expect(new Set(results.map((r) => r.case.caseNo)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(cases.cases.size).toBe(1);
  });

  it('when the workflow fails to start the case stays NEW, and a retry with the same key starts it', async () => {
    workflow.failNextStart = new Error('SFN unavailable');
    const err = await createCase(ports, ACTORS.agent, streetLight, 'key-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const [stranded] = [...cases.cases.values()];
    expect(stranded).toMatchObject({ status: 'NEW', version: 1 });
    expect(stranded.executionArn).toBeUndefined();

    const retry = await createCase(ports, ACTORS.agent, streetLight, 'key-1');

    expect(retry.case.caseNo).toBe(stranded.caseNo);
    expect(workflow.started).toEqual([stranded.caseNo]);
  });

  it('a replay whose first attempt died between claim and create creates the case itself', async () => {
    await idempotency.claim({ key: 'agent-1:key-1', requestHash: hashRequest(streetLight), caseNo: '20261127-00007', createdAt: '2026-11-27T01:00:00.000Z' });

    const res = await createCase(ports, ACTORS.agent, streetLight, 'key-1');

    expect(res).toMatchObject({ created: true, case: { caseNo: '20261127-00007', status: 'NEW' } });
  });

  it("never writes the case after creating it, so the workflow's first step cannot lose a race with the intake", async () => {
    cases.beforeUpdate = () => {
      throw new Error('POST /cases must not update the case it created');
    };

    const { case: c } = await createCase(ports, ACTORS.agent, streetLight);

    expect(c.version).toBe(1);
    expect(workflow.started).toEqual([c.caseNo]);
  });

  it("the stalled-workflow job's start records the execution, also when the workflow wrote to the case first", async () => {
    workflow.failNextStart = new Error('SFN unavailable');
    await createCase(ports, ACTORS.agent, streetLight).catch(() => undefined);
    const [stranded] = [...cases.cases.values()];
    let raced = false;
    cases.beforeUpdate = (caseNo) => {
      if (raced) return;
      raced = true;
      const c = cases.cases.get(caseNo)!;
      cases.cases.set(caseNo, { ...c, status: 'ASSIGNED', department: 'DIST-ZHONGLI', version: c.version + 1 });
    };

    const c = await ensureWorkflowStarted(ports, stranded);

    expect(c).toMatchObject({ status: 'ASSIGNED', version: 3 });
    expect(c.executionArn).toMatch(/:execution:case-lifecycle:20261127-00001$/);
  });

  it('a priority override is kept next to the SOP priority', async () => {
    const { case: c } = await createCase(ports, ACTORS.agent, { ...streetLight, priorityOverride: 'urgent' });

    expect(c).toMatchObject({ priority: 'normal', priorityOverride: 'urgent' });
  });
});
