/**
 * The static half of `npm test`: the type-check and lint (one process on one TypeScript program,
 * scripts/typecheck-and-lint.ts; `npm run typecheck` and `npm run lint` check the same) and the dependency rules
 * side by side, and side by side with the command given after them (`npm test` gives `vitest run`). Each check is
 * one single-threaded process, and the test run leaves cores idle while its files wait on a local cloud's timers
 * and sockets, so the checks take little wall time of their own. Each check's output is printed whole when it ends
 * (not interleaved with the tests' output); the exit code is 1 when anything failed, after everything has ended,
 * so one run reports every kind of problem.
 *
 *   tsx scripts/static-checks.ts                 the checks alone
 *   tsx scripts/static-checks.ts vitest run ...  the checks and the tests (npm test; its arguments reach vitest)
 */
import { spawn } from 'node:child_process';

const CHECKS: ReadonlyArray<{ script: string; command: string[] }> = [
  { script: 'typecheck and lint', command: ['npx', '--no-install', 'tsx', 'scripts/typecheck-and-lint.ts'] },
  { script: 'npm run depcruise', command: ['npm', 'run', '--silent', 'depcruise'] },
];

function run({ script, command: [cmd, ...args] }: (typeof CHECKS)[number]): Promise<{ script: string; code: number; output: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => resolve({ script, code: 1, output: `${output}${error.message}\n`, ms: performance.now() - started }));
    child.once('close', (code) => resolve({ script, code: code ?? 1, output, ms: performance.now() - started }));
  });
}

/** The command after the checks' name, run with the terminal as its own (vitest's progress as it comes). */
function alongside(command: string[]): Promise<number> {
  if (!command.length) return Promise.resolve(0);
  return new Promise((resolve) => {
    // Through npx, as npm scripts resolve a bare `vitest` to the project's own.
    const child = spawn('npx', ['--no-install', ...command], { stdio: 'inherit' });
    child.once('error', (error) => {
      process.stderr.write(`${command.join(' ')}: ${error.message}\n`);
      resolve(1);
    });
    child.once('close', (code) => resolve(code ?? 1));
  });
}

const [tests, ...checks] = await Promise.all([
  alongside(process.argv.slice(2)),
  ...CHECKS.map(async (check) => {
    const result = await run(check);
    const status = result.code === 0 ? 'passed' : `FAILED (exit code ${result.code})`;
    process.stdout.write(`${result.output}${result.output && !result.output.endsWith('\n') ? '\n' : ''}${check.script}: ${status} in ${(result.ms / 1000).toFixed(1)} s\n`);
    return result;
  }),
]);
const failed = checks.filter((r) => r.code !== 0).map((r) => r.script);
if (failed.length) process.stdout.write(`static checks FAILED: ${failed.join(', ')}\n`);
if (tests !== 0 || failed.length) process.exitCode = 1;
