/**
 * The RouteCase step under the stored SOP catalogue: a config change seeded on deploy routes the next case under the
 * new version, a console edit after it under the one after that, and a case keeps the version it was routed under.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DynamoSopCatalog } from '../../functions/adapters/sop-catalog';
import type { Sop } from '../../functions/config/schema';
import { STEP_RUNNERS } from '../../functions/workflow/steps';
import type { RouteOutput } from '../../functions/usecases/lifecycle/route-case';
import { sopOf } from '../../functions/usecases/lifecycle/context';
import { WorkflowHarness } from './support/harness';

let h: WorkflowHarness;
let catalog: DynamoSopCatalog;
beforeEach(async () => {
  h = await WorkflowHarness.start();
  // The harness's table was seeded from config/sops.json as a deploy seeds it; this is that catalogue.
  catalog = h.deps.ports.sops as DynamoSopCatalog;
});
afterEach(async () => {
  await h.close();
});

const route = async (caseNo: string) => (await STEP_RUNNERS.RouteCase(h.deps, { caseNo })) as RouteOutput;
/** config/sops.json after a commit that sends dark street lights to Public Works instead of the district office. */
const changedConfig = (): Sop[] => h.config.sops.map((s) => (s.category === 'street-light' ? { ...s, defaultDepartment: 'PWD' } : s));

describe('SOP versions in the workflow', () => {
  it('after a config change is seeded, the next case is routed under the new version; a case routed before keeps its own', async () => {
    const before = await h.newCase();
    expect((await route(before.caseNo)).route.department).toBe('DIST-ZHONGLI');

    await catalog.seed(changedConfig(), 'config@c0ffee1');
    const after = await h.newCase();
    const routed = await route(after.caseNo);

    expect(routed.route.department).toBe('PWD');
    expect(await h.case(after.caseNo)).toMatchObject({ sopVersion: 2, department: 'PWD' });
    expect(await h.case(before.caseNo)).toMatchObject({ sopVersion: 1, department: 'DIST-ZHONGLI' });
    expect(await sopOf(catalog, await h.case(before.caseNo))).toMatchObject({ version: 1, defaultDepartment: 'DIST' });
  });

  it('a console edit after the config change is the version after it, and routes the next case', async () => {
    await catalog.seed(changedConfig());
    const current = (await catalog.current('street-light'))!;
    await catalog.saveNewVersion({ ...current, defaultDepartment: 'DIST' }, current.version, { by: 'supervisor-3', reason: 'district offices fix lights again' });

    const c = await h.newCase();
    const routed = await route(c.caseNo);

    expect(routed.route.department).toBe('DIST-ZHONGLI');
    expect(await h.case(c.caseNo)).toMatchObject({ sopVersion: 3 });
    expect(await catalog.version('street-light', 3)).toMatchObject({ origin: 'console', updatedBy: 'supervisor-3', reason: 'district offices fix lights again' });
  });
});
