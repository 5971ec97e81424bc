/**
 * `npm run bench [-- part...]`: every row of the performance budget table, each with its budget and the ratio,
 * measured side by side with its baseline in this run. Parts (all by default, in this order):
 *   bundles    Lambda bundle sizes vs an empty handler with the same SDK clients (bench/bundles.ts)
 *   init       import CPU time of each bundle vs that baseline, with and without --enable-source-maps
 *   lifecycle  write units, DynamoDB calls, state transitions and cost of a happy-path case (bench/lifecycle.ts)
 *   queries    dashboard and inbox at 1,000 vs 100,000 seeded cases (bench/queries.ts)
 *   intake     local POST /cases vs the raw PutItem floor, and intake rate (bench/intake.ts)
 *   tests      `npm test` wall time (bench/loop.ts)
 *   synth      `npx cdk synth` wall time, sources unchanged (bench/loop.ts)
 *   kb         knowledge-base search p95 with 2,000 articles vs the shipped articles (bench/kb-search.ts)
 *   attachments  local round trip of a 5 MB photo: upload request, POST to the local S3, completion (bench/attachments.ts)
 * `npm run bench:ci` (--ci): bundles, init (3 rounds) and lifecycle (1 case); exits 1 when a row misses its
 * budget by more than its noise margin (NOISE_MARGIN below). A row not yet within its budget is held instead to
 * the figure recorded in bench/ceilings.json (how far over budget it was when recorded), so it may only improve:
 * `npm run bench:ci -- --record` rewrites that file from this run, a deliberate step committed with the change that
 * earned it. Options: --cases N (queries, default 100000),
 * --requests N --concurrency N (intake), --rounds N (init; attachments, default 5).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildAll, bundleRows, initRows, measureInit } from './bundles';
import { lifecycleRows, measureLifecycle } from './lifecycle';
import { measureQueries, queryRows } from './queries';
import { measureIntake } from './intake';
import { measureSynth, measureTests } from './loop';
import { measureKbSearch } from './kb-search';
import { measureAttachments } from './attachments';
import { budgetTable, machineLine, progress, type BudgetRow } from './lib/report';
import { gateRows, readCeilings, recordCeilings } from './lib/ceilings';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const PARTS = ['bundles', 'init', 'lifecycle', 'queries', 'intake', 'kb', 'attachments', 'tests', 'synth'] as const;
type Part = (typeof PARTS)[number];
const CI_PARTS: readonly Part[] = ['bundles', 'init', 'lifecycle'];

/**
 * How far past its budget (or its recorded figure) a row may be before CI fails, as a fraction of that figure, by
 * the kind of figure. Bytes, write units, calls and state transitions are deterministic (0). The import rows are
 * the worst of 41 ratios of two CPU times on a shared 2-core machine: between runs of the same bundles the worst
 * ratio moved from 3.32× to 3.85× (with source maps) and from 3.43× to 4.47× (without), about 30%, even as the
 * least of 3–5 rounds; a CI run once failed at 3.75× against a 3.33× figure with a 15% margin. So 30%: a new
 * dependency that adds a third to an import still fails. The cost includes Lambda time estimated from local
 * timings: 10%.
 */
export const NOISE_MARGIN: Record<string, number> = { init: 0.3, cost: 0.1 };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ci: { type: 'boolean', default: false },
    record: { type: 'boolean', default: false },
    cases: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string' },
    'rows-to': { type: 'string' },
  },
});

function marginOf(row: BudgetRow): number {
  if (row.what.startsWith('cold init')) return NOISE_MARGIN.init;
  if (row.what.startsWith('AWS cost')) return NOISE_MARGIN.cost;
  return 0;
}

async function measureParts(parts: readonly Part[]): Promise<{ rows: BudgetRow[]; details: string[] }> {
  const rows: BudgetRow[] = [];
  const details: string[] = [];

  if (parts.includes('bundles') || parts.includes('init')) {
    const set = await buildAll();
    try {
      if (parts.includes('bundles')) {
        const b = bundleRows(set);
        rows.push(...b.rows);
        details.push(b.detail);
      }
      if (parts.includes('init')) {
        const i = initRows(await measureInit(set, Number(values.rounds ?? (values.ci ? 3 : 5))));
        rows.push(...i.rows);
        details.push(i.detail);
      }
    } finally {
      set.cleanup();
    }
  }
  if (parts.includes('lifecycle')) {
    const l = lifecycleRows(await measureLifecycle(values.ci ? 1 : 3));
    rows.push(...l.rows);
    details.push(l.detail);
  }
  if (parts.includes('queries')) {
    const large = Number(values.cases);
    // 15 loads a size: the p50 of 5 put the dashboard's growth at 1.09× and 1.60× in two runs of the same code
    // (76 → 82 ms, 76 → 121 ms); a load takes about 0.1 s, so 15 cost a few seconds more.
    rows.push(...queryRows(await measureQueries({ small: Math.min(1000, large), large, runs: 15 })));
  }
  if (parts.includes('intake')) {
    const i = await measureIntake(Number(values.requests), Number(values.concurrency));
    rows.push(...i.rows);
    details.push(i.detail);
  }
  if (parts.includes('kb')) {
    const k = measureKbSearch({ articles: 2000, rounds: 5 });
    rows.push(...k.rows);
    details.push(k.detail);
  }
  if (parts.includes('attachments')) {
    const a = await measureAttachments(Number(values.rounds ?? 5));
    rows.push(...a.rows);
    details.push(a.detail);
  }
  if (parts.includes('tests')) {
    const t = await measureTests();
    rows.push(...t.rows);
    details.push(t.detail);
  }
  if (parts.includes('synth')) rows.push(...(await measureSynth()));

  return { rows, details };
}

/**
 * Each part that starts a local cloud in this process (lifecycle, queries, attachments) imports the handler modules,
 * whose composition root keeps its SDK clients for the life of the module, pointed at that cloud's endpoints; a
 * second cloud in the same process would be answered by the first one's closed ports. So when more than one part
 * runs, each runs in a child process of its own (bundles and init together: they share one build) and hands its
 * rows back in a file.
 */
function unitsOf(parts: readonly Part[]): Part[][] {
  const build: Part[] = parts.filter((p) => p === 'bundles' || p === 'init');
  return [...(build.length ? [build] : []), ...parts.filter((p) => !build.includes(p)).map((p) => [p])];
}

function runInChild(unit: readonly Part[]): { rows: BudgetRow[]; details: string[] } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'citydesk-bench-')), 'rows.json');
  const passed = (['cases', 'requests', 'concurrency', 'rounds'] as const).flatMap((k) => (values[k] !== undefined ? [`--${k}`, String(values[k])] : []));
  const out = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...unit, ...passed, ...(values.ci ? ['--ci'] : []), '--rows-to', file], { stdio: 'inherit' });
  if (out.status !== 0) throw new Error(`bench part ${unit.join(' + ')} failed (exit ${out.status ?? out.signal})`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { rows: BudgetRow[]; details: string[] };
  } finally {
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const unknown = positionals.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`Unknown part(s) ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
  const parts: Part[] = positionals.length ? (positionals as Part[]) : values.ci ? [...CI_PARTS] : [...PARTS];
  const t0 = performance.now();
  progress(`parts: ${parts.join(', ')}${values.ci ? ' (CI mode)' : ''}; ${machineLine()}`);
  const units = unitsOf(parts);
  let measured: { rows: BudgetRow[]; details: string[] };
  if (values['rows-to']) {
    measured = await measureParts(parts);
    writeFileSync(values['rows-to'], JSON.stringify(measured));
    return;
  } else if (units.length > 1) {
    measured = { rows: [], details: [] };
    for (const unit of units) {
      const m = runInChild(unit);
      measured.rows.push(...m.rows);
      measured.details.push(...m.details);
    }
  } else measured = await measureParts(parts);
  const { rows, details } = measured;

  console.log(`\nCityDesk 1999 performance budgets (${machineLine()}, ${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  console.log(budgetTable(rows));
  for (const d of details) console.log(`\n${d}`);
  if (values.ci) {
    const gate = gateRows(rows, readCeilings(), marginOf);
    for (const line of gate.lines) console.log(line);
    for (const line of gate.failures) console.error(line);
    if (gate.failures.length) process.exitCode = 1;
    if (values.record) recordCeilings(rows);
  }
}

main().then(
  () => process.exit(),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
