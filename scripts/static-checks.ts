/**
 * The static half of `npm test`: the type-check, lint and dependency rules side by side instead of one after the
 * other. Each is one single-threaded process and the machine has two cores, so the type-check runs in the time the
 * lint takes anyway. Each one's output is printed whole when it ends (not interleaved); the exit code is 1 when
 * any of them failed, after all have ended, so one run reports every kind of problem.
 *
 *   tsx scripts/static-checks.ts            (npm test runs it before vitest)
 */
import { spawn } from 'node:child_process';

const CHECKS = ['typecheck', 'lint', 'depcruise'] as const;

function run(script: string): Promise<{ script: string; code: number; output: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => resolve({ script, code: 1, output: `${output}${error.message}\n`, ms: performance.now() - started }));
    child.once('close', (code) => resolve({ script, code: code ?? 1, output, ms: performance.now() - started }));
  });
}

const results = await Promise.all(
  CHECKS.map(async (script) => {
    const result = await run(script);
    const status = result.code === 0 ? 'passed' : `FAILED (exit code ${result.code})`;
    process.stdout.write(`${result.output}${result.output && !result.output.endsWith('\n') ? '\n' : ''}npm run ${script}: ${status} in ${(result.ms / 1000).toFixed(1)} s\n`);
    return result;
  }),
);
if (results.some((r) => r.code !== 0)) process.exitCode = 1;
