/**
 * The developer loop: `npm test` (type-check + every vitest file) and `cdk synth`, timed as a developer runs
 * them, on this machine. Budgets are absolute (≤ 120 s and ≤ 30 s on 2 cores); the figures depend on what else
 * the machine runs, so the load average is printed with them. The slowest test files come from vitest's JSON
 * report of the same run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './lib/functions';
import { limitRow, machineLine, ms, progress, table, type BudgetRow } from './lib/report';

export const BUDGETS = { testMs: 120_000, synthMs: 30_000 };

async function timed(label: string, cmd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ ms: number; code: number; tail: string }> {
  progress(`${label}: ${cmd} ${args.join(' ')} (progress every 15 s)`);
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (c: Buffer) => (tail = (tail + c.toString()).slice(-3000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const timer = setInterval(() => progress(`${label}: ${ms(performance.now() - t0)} so far`), 15_000);
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  clearInterval(timer);
  return { ms: performance.now() - t0, code, tail };
}

export async function measureTests(): Promise<{ rows: BudgetRow[]; detail: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'citydesk-bench-tests-'));
  try {
    const report = path.join(dir, 'vitest.json');
    // `npm test` exactly, plus a JSON report for the per-file durations.
    const r = await timed('npm test', 'npm', ['test', '--', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
    if (r.code !== 0) throw new Error(`npm test failed (${r.code}):\n${r.tail}`);
    const files = (JSON.parse(readFileSync(report, 'utf8')) as { testResults: Array<{ name: string; startTime: number; endTime: number }> }).testResults
      .map((t) => [path.relative(ROOT, t.name), t.endTime - t.startTime] as const)
      .sort((a, b) => b[1] - a[1]);
    const detail = [`npm test on ${machineLine()}; the slowest files:`, table([['file', 'duration'], ...files.slice(0, 10).map(([f, d]) => [f, ms(d)])])].join('\n');
    return { rows: [limitRow('`npm test` wall time', r.ms, BUDGETS.testMs, ms, { budget: '≤ 120 s on 2 cores' })], detail };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureSynth(): Promise<BudgetRow[]> {
  const first = await timed('cdk synth', 'npx', ['cdk', 'synth', '--quiet']);
  if (first.code !== 0) throw new Error(`cdk synth failed (${first.code}):\n${first.tail}`);
  const again = await timed('cdk synth (sources unchanged)', 'npx', ['cdk', 'synth', '--quiet']);
  if (again.code !== 0) throw new Error(`cdk synth failed (${again.code}):\n${again.tail}`);
  return [
    limitRow('`npx cdk synth` (sources unchanged since the last synth)', again.ms, BUDGETS.synthMs, ms, { baseline: `${ms(first.ms)} first synth of this run`, budget: '≤ 30 s' }),
  ];
}
