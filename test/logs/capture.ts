/**
 * Captures what the code under test writes to stdout and stderr (the logger's JSON lines) and to the console,
 * so the suite can prove no personal data reached a log. Installed once per test process by test/setup.ts:
 * - every line is appended to `<dir>/<pid>.log` when CITYDESK_LOG_CAPTURE_DIR is set (the whole-run scan in
 *   test/logs/global-scan.ts reads them after the last test);
 * - the lines of the current test file are also kept in memory, and test/setup.ts fails the file in afterAll
 *   when they hold a phone number or an e-mail address (pii-detector.ts), naming the line.
 * Output still reaches the terminal, except the logger's structured JSON lines: a green run's report would
 * otherwise drown in a few thousand of them. They are captured and scanned all the same;
 * `CITYDESK_TEST_LOGS=show` prints them too.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { findPersonalData, type Finding } from './pii-detector';

export const CAPTURE_DIR_ENV = 'CITYDESK_LOG_CAPTURE_DIR';
export const SHOW_LOGS_ENV = 'CITYDESK_TEST_LOGS';

/** A line of the Powertools logger (functions/shared/logger.ts). */
function isStructuredLog(text: string): boolean {
  return text.startsWith('{"level":');
}
const INSTALLED = Symbol.for('citydesk.logCapture');

export interface LogCapture {
  /** Lines captured since the last `reset`. */
  lines(): string[];
  reset(): void;
  /** Personal data in the lines since the last `reset`. */
  findings(): Finding[];
}

type Write = typeof process.stdout.write;
type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** Installs the tee once per process and returns it (a second call returns the first). */
export function installLogCapture(dir: string | undefined = process.env[CAPTURE_DIR_ENV]): LogCapture {
  const existing = (globalThis as Record<symbol, LogCapture | undefined>)[INSTALLED];
  if (existing) return existing;

  let buffer: string[] = [];
  const file = dir ? path.join(dir, `${process.pid}.log`) : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  const record = (text: string) => {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (!lines.length) return;
    buffer.push(...lines);
    if (file) appendFileSync(file, lines.join('\n') + '\n');
  };

  // A console call that ends in process.stdout (outside the test runner) is recorded once, by the console wrapper.
  let inConsole = false;
  const showLogs = process.env[SHOW_LOGS_ENV] === 'show';
  for (const stream of [process.stdout, process.stderr]) {
    const original: Write = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
      if (!inConsole) record(text);
      if (!showLogs && !inConsole && isStructuredLog(text)) {
        // Captured above; not printed. Honour the write callback the caller may have passed.
        const callback = rest.find((r): r is () => void => typeof r === 'function');
        callback?.();
        return true;
      }
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    });
  }
  // The test runner routes console calls around process.stdout, so they are captured here too.
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as ConsoleMethod[]) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      record(format(...args));
      inConsole = true;
      try {
        original(...args);
      } finally {
        inConsole = false;
      }
    };
  }

  const capture: LogCapture = {
    lines: () => [...buffer],
    reset: () => {
      buffer = [];
    },
    findings: () => buffer.flatMap((line) => findPersonalData(line)),
  };
  (globalThis as Record<symbol, LogCapture | undefined>)[INSTALLED] = capture;
  return capture;
}

/** A readable failure message for findings. */
export function describeFindings(findings: readonly Finding[], where: string): string {
  const shown = findings.slice(0, 10).map((f) => `  - ${f.kind} "${f.match}" in: ${f.context}`);
  return `Personal data reached the logs (${where}): ${findings.length} finding(s)\n${shown.join('\n')}${findings.length > 10 ? '\n  ...' : ''}`;
}
