/**
 * Builds the console when `console/dist` is missing or older than its sources, so `npm start` and the browser
 * tests always serve the console of this checkout. `--force` builds regardless.
 * Usage: tsx console/scripts/ensure-built.ts [--force]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = path.resolve(CONSOLE_DIR, '..');
export const CONSOLE_DIST = path.join(CONSOLE_DIR, 'dist');

/**
 * What the bundle is made of: the console's own files, and what it imports from the rest of the tree — the domain,
 * the authorization policy and the route table, config files. All of functions/ and config/ count: a build takes a
 * second or two, and a list of exactly the imported folders went stale once already (a new route left the menu
 * of an old bundle).
 */
const SOURCES = [
  path.join(CONSOLE_DIR, 'src'),
  path.join(CONSOLE_DIR, 'public'),
  path.join(CONSOLE_DIR, 'index.html'),
  path.join(CONSOLE_DIR, 'vite.config.ts'),
  path.join(REPO_ROOT, 'config'),
  path.join(REPO_ROOT, 'functions'),
  path.join(REPO_ROOT, 'package-lock.json'),
];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((max, name) => Math.max(max, newestMtime(path.join(p, name))), s.mtimeMs);
}

export function consoleIsStale(): boolean {
  const index = path.join(CONSOLE_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > built);
}

export function ensureConsoleBuilt(options: { force?: boolean; quiet?: boolean } = {}): boolean {
  if (!options.force && !consoleIsStale()) return false;
  // A child process with NODE_ENV=production: under a test runner NODE_ENV is `test`, and Vite would bundle
  // React's development build.
  const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [vite, 'build', CONSOLE_DIR, ...(options.quiet ? ['--logLevel', 'warn'] : [])];
  const run = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (run.status !== 0) throw new Error(`vite build failed (exit ${run.status ?? run.signal})`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  try {
    if (!ensureConsoleBuilt({ force })) console.log('console/dist is up to date');
  } catch (e) {
    console.error(e);
    process.exitCode = 1;
  }
}
