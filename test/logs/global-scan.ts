/**
 * Vitest global setup: gives the run a fresh capture folder (CITYDESK_LOG_CAPTURE_DIR, inherited by every test
 * process) and, after the last test, scans every captured line for phone numbers and e-mail addresses. A finding
 * fails the run (exit code 1) even when it was logged outside any test file's hooks; test/setup.ts already fails
 * the file that logged it, when it can.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CAPTURE_DIR_ENV, describeFindings } from './capture';
import { findPersonalData, type Finding } from './pii-detector';

export function scanCaptureDir(dir: string): { lines: number; findings: Finding[] } {
  let lines = 0;
  const findings: Finding[] = [];
  for (const name of readdirSync(dir)) {
    for (const line of readFileSync(path.join(dir, name), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      lines += 1;
      findings.push(...findPersonalData(line));
    }
  }
  return { lines, findings };
}

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'citydesk-logs-'));
  process.env[CAPTURE_DIR_ENV] = dir;
  return () => {
    const { lines, findings } = scanCaptureDir(dir);
    if (findings.length) {
      console.error(describeFindings(findings, `the whole run, ${lines} captured lines; kept in ${dir}`));
      process.exitCode = 1;
      return;
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
