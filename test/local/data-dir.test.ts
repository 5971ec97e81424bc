/**
 * One local cloud per data folder: a live owner is a clear error naming its PID and what to do; a dead owner's
 * lock (kill -9) is taken over; LevelDB's own lock is reported the same way instead of a crash.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { Level } from 'level';
import { DataDirInUseError, LOCK_FILE, lockDataDir } from '../../local/data-dir';
import { startDynalite } from '../../local/dynamodb';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'citydesk-data-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function writeLock(dir: string, pid: number) {
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), startedAt: '2026-11-27T01:00:00.000Z' }));
}

describe('the data folder lock', () => {
  it('is refused while another live process holds it, naming that PID and the ways out', async () => {
    const dir = tempDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeLock(dir, other.pid!);
      let error: unknown;
      try {
        lockDataDir(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DataDirInUseError);
      expect((error as Error).message).toContain(`PID ${other.pid}`);
      expect((error as Error).message).toContain('--data-dir');
      expect((error as Error).message).toContain('--in-memory');
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('is taken over when the process that held it is gone', async () => {
    const dir = tempDir();
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => gone.once('exit', r));
    writeLock(dir, gone.pid!);
    const lock = lockDataDir(dir);
    expect((JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number }).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('is refused a second time within the same process', () => {
    const dir = tempDir();
    const lock = lockDataDir(dir);
    try {
      expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    } finally {
      lock.release();
    }
    lockDataDir(dir).release();
  });

  it("turns LevelDB's own lock into the same clear error", async () => {
    const dir = tempDir();
    const holder = new Level(path.join(dir, 'dynamodb'));
    await holder.open();
    try {
      await expect(startDynalite({ dataDir: dir })).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      await holder.close();
    }
    const dynamo = await startDynalite({ dataDir: dir });
    await dynamo.close();
  });
});
