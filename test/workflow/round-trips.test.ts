/**
 * DynamoDB round trips of the workflow steps, counted on the client: each step decides on the case it read once,
 * the repository builds the conditional write from that same item, and a SOP version is read once per container.
 * The behaviour (what is written, conditional on the version) is asserted in steps.test.ts; here only how many
 * calls it takes, and that a lost race still costs a re-read and a 412, never a blind write.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { DynamoCaseStatistics } from '../../functions/adapters/case-statistics';
import { DynamoSopCatalog } from '../../functions/adapters/sop-catalog';
import { DynamoRateCounters } from '../../functions/adapters/rate-counters';
import { SmsCappedNotifier } from '../../functions/privacy/rate-limits';
import { privacySettings, usePrivacySettings } from '../../functions/privacy/settings';
import { loadConfig } from '../../functions/config/load';
import { WORKFLOW_ACTOR } from '../../functions/domain/actor';
import { changeCase } from '../../functions/usecases/lifecycle/context';
import type { LifecycleDeps } from '../../functions/workflow/steps';
import { STEP_RUNNERS } from '../../functions/workflow/steps';
import { WorkflowHarness } from './support/harness';
import { countingClient } from '../support/counting-client';

describe('workflow steps: DynamoDB round trips', () => {
  let h: WorkflowHarness;
  let calls: string[];
  let deps: LifecycleDeps;
  beforeEach(async () => {
    h = await WorkflowHarness.start();
    // A container of its own over a counting client: nothing read before is remembered.
    const c = countingClient(h.table.ddb);
    calls = c.calls;
    const categories = loadConfig().sops.map((s) => s.category);
    deps = {
      ...h.deps,
      ports: { ...h.deps.ports, cases: new DynamoCaseRepository(c.client, h.table.tableName), sops: new DynamoSopCatalog(c.client, h.table.tableName, categories), statistics: new DynamoCaseStatistics(c.client, h.table.tableName) },
    };
  });
  afterEach(async () => {
    await h.close();
  });
  // The notifier production wires: each citizen SMS counts against its number's daily cap.
  const capped = (d: LifecycleDeps): LifecycleDeps => ({ ...d, ports: { ...d.ports, notifier: new SmsCappedNotifier(h.outbox, new DynamoRateCounters(h.table.ddb, h.table.tableName)) } });

  it('RouteCase reads the case once and writes it once, the insight counts in that write (no receipt asked); its SOP version once per container', async () => {
    const first = await h.newCase({ reporter: { anonymous: true, notify: 'none' }, sopVersion: 1 });
    const second = await h.newCase({ reporter: { anonymous: true, notify: 'none' }, sopVersion: 1 });

    await STEP_RUNNERS.RouteCase(deps, { caseNo: first.caseNo });
    const firstCalls = calls.splice(0);
    await STEP_RUNNERS.RouteCase(deps, { caseNo: second.caseNo });

    // The case, its SOP version (recorded at intake), the routing write.
    expect(firstCalls).toEqual(['Get', 'Get', 'TransactWrite']);
    // The second case: the same SOP version, not read again.
    expect(calls).toEqual(['Get', 'TransactWrite']);
    expect((await h.case(second.caseNo)).status).toBe('ASSIGNED');
  });

  it('with the receipt SMS under the daily cap, the receipt, its cap and the routing are one write on one read', async () => {
    const c = await h.newCase({ sopVersion: 1 });
    calls.splice(0);
    await STEP_RUNNERS.RouteCase(capped(deps), { caseNo: c.caseNo });

    expect(calls).toEqual(['Get', 'Get', 'TransactWrite']);
    expect(h.outbox.texts).toHaveLength(1);
    expect(await h.timelineTypes(c.caseNo)).toEqual(['created', 'citizen-notified', 'routed']);
    expect((await h.case(c.caseNo)).receiptAt).toBeDefined();
  });

  it('with the cap full, the write is made again without it (a third call, nothing sent)', async () => {
    const restore = usePrivacySettings({ ...privacySettings(), smsPerPhonePerDay: 1 });
    try {
      const earlier = await h.newCase({ sopVersion: 1 });
      const c = await h.newCase({ sopVersion: 1 });
      await STEP_RUNNERS.RouteCase(capped(deps), { caseNo: earlier.caseNo });
      calls.splice(0);

      await STEP_RUNNERS.RouteCase(capped(deps), { caseNo: c.caseNo });

      expect(calls).toEqual(['Get', 'TransactWrite', 'TransactWrite']);
      expect(h.outbox.texts).toHaveLength(1);
      expect((await h.timeline(c.caseNo)).find((e) => e.type === 'citizen-notified')?.data).toEqual({ channel: 'sms', delivered: false, reason: 'SmsCapReached', message: 'receipt' });
    } finally {
      restore();
    }
  });

  it('a retried RouteCase that finds the case routed writes nothing and counts nothing twice (two conditional counts)', async () => {
    const c = await h.newCase({ reporter: { anonymous: true, notify: 'none' }, sopVersion: 1 });
    await STEP_RUNNERS.RouteCase(deps, { caseNo: c.caseNo });
    calls.splice(0);

    await STEP_RUNNERS.RouteCase(deps, { caseNo: c.caseNo });

    expect(calls).toEqual(['Get', 'Update', 'Update']);
  });

  it('AwaitAction: one read, one write', async () => {
    const c = await h.newCase({ reporter: { anonymous: true, notify: 'none' }, sopVersion: 1 });
    const routed = (await STEP_RUNNERS.RouteCase(h.deps, { caseNo: c.caseNo })) as { wait: unknown };
    calls.splice(0);

    await STEP_RUNNERS.AwaitAction(deps, { caseNo: c.caseNo, token: 'token-1', wait: routed.wait, notifyError: null });

    expect(calls).toEqual(['Get', 'TransactWrite']);
    expect((await h.case(c.caseNo)).pendingTaskToken).toBe('token-1');
  });

  it('a case changed by someone else after the read is read again and written on its new version, never over it', async () => {
    const c = await h.newCase({ reporter: { anonymous: true, notify: 'none' }, sopVersion: 1 });
    const repo = deps.ports.cases;
    const read = await repo.get(c.caseNo);
    // Another container notes on the case in between.
    await h.cases.update(c.caseNo, c.version, { event: { type: 'note', by: 'agent-7', text: 'called back' } });
    calls.splice(0);

    const { case: after } = await changeCase(repo, c.caseNo, () => ({ set: { priority: 'urgent' }, event: { type: 'updated', by: WORKFLOW_ACTOR, text: 'x' } }), read);

    // The remembered item is at the old version: the first write fails its condition, the second is on the new one.
    expect(calls).toEqual(['TransactWrite', 'Get', 'TransactWrite']);
    expect(after.version).toBe(c.version + 2);
    expect((await h.timelineTypes(c.caseNo))).toEqual(expect.arrayContaining(['note', 'updated']));
  });
});
