/** `npm start -- --help` documents every flag, and a bad flag is a usage message, not a stack trace. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../local/cloud';

const start = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'local', 'start.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 20_000 });

describe('npm start', () => {
  it('--help lists every flag', () => {
    const r = start('--help');
    expect(r.status).toBe(0);
    for (const flag of ['--port', '--data-dir', '--in-memory', '--dynamodb-endpoint', '--time-scale', '--no-demo-data', '--quiet', '--log-level']) expect(r.stdout).toContain(flag);
  });

  it('answers a bad flag value with the problem and the usage, exit code 2', () => {
    const r = start('--port', 'eighty', '--in-memory');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--port must be a port number');
    expect(r.stderr).toContain('Usage: npm start');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('rejects a handler log level it does not know, naming the flag', () => {
    const r = start('--log-level', 'chatty', '--in-memory');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--log-level must be DEBUG, INFO, WARN or ERROR');
  });
});
