/**
 * The log-redaction check checks something: a child process logs through the real logger with the suite's
 * capture installed; what the logger redacted passes, and a line that bypasses it is caught, whether written to
 * stdout or through the console.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CAPTURE_DIR_ENV, SHOW_LOGS_ENV } from './capture';
import { scanCaptureDir } from './global-scan';

const script = fileURLToPath(new URL('./fixtures/logging-process.ts', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs the fixture with its own capture folder and returns what the scan finds there. */
function runLogging(...flags: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'citydesk-logcheck-'));
  dirs.push(dir);
  // stdout/stderr are piped into this test, never printed, so the planted leaks stay out of the suite's own capture.
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', script, ...flags], {
    env: { ...process.env, [CAPTURE_DIR_ENV]: dir, POWERTOOLS_DEV: '', [SHOW_LOGS_ENV]: '' },
    stdio: 'pipe',
    cwd: path.resolve(path.dirname(script), '../../..'),
    encoding: 'utf8',
  });
  return { ...scanCaptureDir(dir), stdout };
}

describe('the log capture and scan', () => {
  it("captures the logger's lines and finds nothing once the logger redacted them", () => {
    const { lines, findings } = runLogging();

    expect(lines).toBeGreaterThanOrEqual(2);
    expect(findings).toEqual([]);
  });

  it("keeps the logger's JSON lines off the terminal while still scanning them", () => {
    const { lines, stdout } = runLogging();

    expect(lines).toBeGreaterThanOrEqual(2);
    expect(stdout).not.toContain('{"level":');
  });

  it('catches a phone number written to stdout past the logger', () => {
    const { findings } = runLogging('--leak-stdout');

    expect(findings).toEqual([expect.objectContaining({ kind: 'phone', match: '+886 912 345 678' })]);
  });

  it('catches an e-mail address printed with console.log', () => {
    const { findings } = runLogging('--leak-console');

    expect(findings).toEqual([expect.objectContaining({ kind: 'email', match: 'wang.daming@example.org' })]);
  });
});
