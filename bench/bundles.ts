/**
 * Bundle sizes and cold init, each function against the baseline (an empty handler importing the same SDK
 * clients) built with the same flags in the same run.
 *   bundles: the .mjs each function ships (source map aside), the largest packages in the largest bundle;
 *   init:    the CPU time to import each bundle in a fresh Node process (the least of rounds interleaved with
 *            the baseline), with and without --enable-source-maps (the functions' NODE_OPTIONS). The least, not
 *            the median: an import does the same work every time, and what other processes on the machine add
 *            (cache misses, a shared core) only ever adds, so the least is the figure that repeats.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { baselineSource, buildBundle, lambdaHandlers, ROOT, type BuiltBundle } from './lib/functions';
import { kib, limitRow, ms, progress, table, type BudgetRow } from './lib/report';
import { handlerEnvironment } from '../functions/config/environment';

const run = promisify(execFile);

/** Bundle size budget: the baseline plus this much. */
export const BUNDLE_HEADROOM_BYTES = 150 * 1024;
/** Init budget: this many times the baseline's import CPU time (bench/lib/import-once.mjs says why CPU time). */
export const INIT_BUDGET_RATIO = 1.3;

export interface BuiltSet {
  dir: string;
  /** Baselines by their SDK client set (`@aws-sdk/client-dynamodb,@aws-sdk/client-sfn`). */
  baselines: Map<string, BuiltBundle>;
  functions: BuiltBundle[];
  /** A function's baseline: the empty handler with the same SDK clients. */
  baselineOf(f: BuiltBundle): BuiltBundle;
  cleanup(): void;
}

export async function buildAll(): Promise<BuiltSet> {
  const dir = mkdtempSync(path.join(tmpdir(), 'citydesk-bundles-'));
  const handlers = lambdaHandlers();
  progress(`bundling ${handlers.length} functions and their baselines with the CDK flags`);
  const functions: BuiltBundle[] = [];
  for (const h of handlers) functions.push(await buildBundle(h, dir));
  const baselines = new Map<string, BuiltBundle>();
  for (const f of functions) {
    const key = f.sdkClients.join(',');
    if (!baselines.has(key)) baselines.set(key, await buildBundle(`baseline-${baselines.size + 1}`, dir, baselineSource(f.sdkClients)));
  }
  return { dir, baselines, functions, baselineOf: (f) => baselines.get(f.sdkClients.join(','))!, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const clientNames = (b: BuiltBundle) => b.sdkClients.map((c) => c.replace('@aws-sdk/client-', '')).join('+');

export function bundleRows(set: BuiltSet): { rows: BudgetRow[]; detail: string } {
  const over = (f: BuiltBundle) => f.bytes - set.baselineOf(f).bytes;
  const worst = set.functions.reduce((a, b) => (over(b) > over(a) ? b : a));
  const largest = set.functions.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const smallest = set.functions.reduce((a, b) => (b.bytes < a.bytes ? b : a));
  const base = set.baselineOf(worst);
  const missing = set.functions.filter((f) => over(f) > BUNDLE_HEADROOM_BYTES).length;
  const row = limitRow(`Lambda bundle size (${set.functions.length} functions; worst: ${worst.handler})`, worst.bytes, base.bytes + BUNDLE_HEADROOM_BYTES, kib, {
    baseline: `${kib(base.bytes)} empty handler + ${clientNames(worst)}`,
    budget: `≤ baseline + 150 KiB`,
    key: 'Lambda bundle size',
    ratio: `all ${kib(smallest.bytes)}–${kib(largest.bytes)}; worst +${kib(over(worst))}; ${missing} over`,
  });
  const packages = [...worst.byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  const detail = [
    `Bundle of ${worst.handler}: ${kib(worst.bytes)} (+ ${kib(worst.mapBytes)} source map). Its biggest parts:`,
    table([['package', 'bytes in bundle'], ...packages.map(([p, b]) => [p, kib(b)])]),
    '',
    table([['function', 'bundle', 'baseline (same SDK clients)', 'over baseline'], ...set.functions.map((f) => [f.handler, kib(f.bytes), `${kib(set.baselineOf(f).bytes)} ${clientNames(f)}`, kib(over(f))])]),
  ].join('\n');
  return { rows: [row], detail };
}

/**
 * The environment a deployed function has, built as CDK builds it (`handlerEnvironment`) with every resource set,
 * so a handler that reads a name at import finds it. NODE_OPTIONS is left out: the source-map flag is the variable
 * this bench measures.
 */
function lambdaEnv(): NodeJS.ProcessEnv {
  const arn = (service: string, name: string) => `arn:aws:${service}:ap-northeast-1:000000000000:${name}`;
  const { NODE_OPTIONS: _measured, ...deployed } = handlerEnvironment({
    stage: 'bench',
    tableName: 'citydesk-bench-cases',
    caseWorkflowArn: arn('states', 'stateMachine:citydesk-bench-case-lifecycle'),
    escalationTopicArn: arn('sns', 'citydesk-bench-escalation'),
    earlyWarningTopicArn: arn('sns', 'citydesk-bench-early-warning'),
    departmentTopicArnPrefix: arn('sns', 'citydesk-bench-'),
    operationsTopicArn: arn('sns', 'citydesk-bench-operations'),
    digestTopicArn: arn('sns', 'citydesk-bench-digest'),
    consoleUrl: 'https://console.example',
    piiHashKeySecretArn: arn('secretsmanager', 'secret:citydesk-bench-pii-hash-key-AbCdEf'),
    cursorSecretArn: arn('secretsmanager', 'secret:citydesk-bench-cursor-secret-AbCdEf'),
    attachmentBucketName: 'citydesk-bench-attachments',
    placeIndexName: 'citydesk-bench-places',
    open311BaseUrl: 'https://api.example/open311/v2',
  });
  return { PATH: process.env.PATH, AWS_REGION: 'ap-northeast-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...deployed };
}

async function importMs(file: string, sourceMaps: boolean): Promise<number> {
  const args = [...(sourceMaps ? ['--enable-source-maps'] : []), path.join(ROOT, 'bench', 'lib', 'import-once.mjs'), pathToFileURL(file).href];
  const { stdout } = await run(process.execPath, args, { env: lambdaEnv(), cwd: path.dirname(file) });
  return Number(stdout);
}

export interface InitFigures {
  /** handler -> least import ms over the rounds, per source-map setting, and the same for its baseline. */
  withMaps: Map<string, number>;
  withoutMaps: Map<string, number>;
  baselineWith: Map<string, number>;
  baselineWithout: Map<string, number>;
}

export async function measureInit(set: BuiltSet, rounds: number): Promise<InitFigures> {
  const all = [...set.baselines.values(), ...set.functions];
  const samples = new Map<string, { with: number[]; without: number[] }>(all.map((b) => [b.handler, { with: [], without: [] }]));
  for (let r = 0; r < rounds; r++) {
    progress(`init: round ${r + 1}/${rounds} (${all.length} bundles × with/without source maps)`);
    for (const b of all) {
      const s = samples.get(b.handler)!;
      s.with.push(await importMs(b.file, true));
      s.without.push(await importMs(b.file, false));
    }
  }
  const least = (h: string, k: 'with' | 'without') => Math.min(...samples.get(h)![k]);
  const per = (k: 'with' | 'without', base: boolean) => new Map(set.functions.map((f) => [f.handler, least(base ? set.baselineOf(f).handler : f.handler, k)]));
  return { withMaps: per('with', false), withoutMaps: per('without', false), baselineWith: per('with', true), baselineWithout: per('without', true) };
}

export function initRows(f: InitFigures): { rows: BudgetRow[]; detail: string } {
  const make = (label: string, m: Map<string, number>, base: Map<string, number>) => {
    const ratio = (h: string) => m.get(h)! / base.get(h)!;
    const handlers = [...m.keys()];
    const worst = handlers.reduce((a, b) => (ratio(b) > ratio(a) ? b : a));
    const rs = handlers.map(ratio);
    return limitRow(`cold init (import), ${label}; worst: ${worst}`, ratio(worst), INIT_BUDGET_RATIO, (x) => `${ms(m.get(worst)!)} (${x.toFixed(2)}×)`, {
      baseline: `${ms(base.get(worst)!)} its baseline`,
      budget: `≤ ${INIT_BUDGET_RATIO}× baseline`,
      key: `cold init (import), ${label}`,
      ratio: `all ${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}×`,
    });
  };
  const rows = [make('--enable-source-maps (as deployed)', f.withMaps, f.baselineWith), make('without source maps', f.withoutMaps, f.baselineWithout)];
  const detail = table([
    ['function', 'import, source maps on', 'baseline', 'ratio', 'import, off', 'baseline', 'ratio'],
    ...[...f.withMaps.keys()].map((h) => [
      h,
      ms(f.withMaps.get(h)!),
      ms(f.baselineWith.get(h)!),
      `${(f.withMaps.get(h)! / f.baselineWith.get(h)!).toFixed(2)}×`,
      ms(f.withoutMaps.get(h)!),
      ms(f.baselineWithout.get(h)!),
      `${(f.withoutMaps.get(h)! / f.baselineWithout.get(h)!).toFixed(2)}×`,
    ]),
  ]);
  return { rows, detail };
}
