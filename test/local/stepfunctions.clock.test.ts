import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { now, useClock } from '../../functions/domain/clock';
import { createLocalClock, parseTimeScale } from '../../local/clock';
import { startHarness, type Harness } from './fixtures/sfn-harness';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-27T01:00:00.000Z');

let dir = '';
let harness: Harness | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
  await harness?.close();
  harness = undefined;
});

/** A real-time source the test moves by hand. */
function realTime(start = T0): { now: () => number; pass: (ms: number) => void } {
  let t = start;
  return { now: () => t, pass: (ms) => (t += ms) };
}

describe('local clock', () => {
  it('at scale 3600 an hour of local time passes per real second', () => {
    // Arrange
    const real = realTime();
    const clock = createLocalClock({ scale: 3600, realNow: real.now });
    const start = clock.nowMs();

    // Act
    real.pass(1000);

    // Assert
    expect(clock.nowMs() - start).toBe(HOUR);
    expect(clock.realMsUntil(clock.nowMs() + HOUR)).toBe(1000);
  });

  it('a stopped clock moves only when advanced, and tells its listeners', () => {
    // Arrange
    const real = realTime();
    const clock = createLocalClock({ scale: 0, realNow: real.now });
    const start = clock.nowMs();
    let told = 0;
    clock.onChange(() => told++);

    // Act
    real.pass(60_000);
    const afterRealMinute = clock.nowMs();
    clock.advance(HOUR);

    // Assert
    expect(afterRealMinute).toBe(start);
    expect(clock.nowMs()).toBe(start + HOUR);
    expect(told).toBe(1);
    expect(clock.realMsUntil(clock.nowMs() + 1)).toBe(Number.POSITIVE_INFINITY);
    expect(clock.realMsUntil(start)).toBe(0);
  });

  it('never moves backwards', () => {
    // Arrange
    const clock = createLocalClock({ scale: 1 });

    // Act
    const back = (): void => clock.advance(-1);

    // Assert
    expect(back).toThrow(/only moves forward/);
  });

  it('installed with useClock, it is the clock business code reads', () => {
    // Arrange
    const clock = createLocalClock({ scale: 0, offsetMs: 7 * 24 * HOUR });

    // Act
    const restore = useClock(clock);
    const read = now().getTime();
    restore();

    // Assert
    expect(read).toBe(clock.nowMs());
  });

  it('persisted, it continues after a restart and counts the time it was down at its scale', async () => {
    // Arrange
    dir = await mkdtemp(join(tmpdir(), 'citydesk-clock-'));
    const file = join(dir, 'clock.json');
    const real = realTime();
    const before = createLocalClock({ scale: 3600, persist: file, realNow: real.now });
    before.advance(HOUR);
    const lastSeen = before.nowMs();

    // Act: down for two real seconds, then started again on the same file.
    real.pass(2000);
    const after = createLocalClock({ scale: 3600, persist: file, realNow: real.now });

    // Assert
    expect(after.nowMs()).toBe(lastSeen + 2 * HOUR);
  });

  it('restarted with another scale, it continues from the time reached and runs at the new scale', async () => {
    // Arrange
    dir = await mkdtemp(join(tmpdir(), 'citydesk-clock-'));
    const file = join(dir, 'clock.json');
    const real = realTime();
    const fast = createLocalClock({ scale: 60, persist: file, realNow: real.now });
    const start = fast.nowMs();
    real.pass(1000);

    // Act
    const slow = createLocalClock({ scale: 1, persist: file, realNow: real.now });
    const reached = slow.nowMs();
    real.pass(1000);

    // Assert
    expect(reached).toBe(start + 60_000);
    expect(slow.nowMs()).toBe(start + 61_000);
  });

  it('LOCAL_TIME_SCALE is a non-negative number, 1 when unset', () => {
    // Act
    const parsed = [parseTimeScale(undefined), parseTimeScale(''), parseTimeScale('3600'), parseTimeScale('0')];
    const negative = (): number => parseTimeScale('-1');
    const words = (): number => parseTimeScale('fast');

    // Assert
    expect(parsed).toEqual([1, 1, 3600, 0]);
    expect(negative).toThrow(/LOCAL_TIME_SCALE/);
    expect(words).toThrow(/LOCAL_TIME_SCALE/);
  });
});

describe('clock endpoint of the Step Functions service', () => {
  it('POST /_local/clock/advance moves the local clock; a bad amount is a 400 naming the field', async () => {
    // Arrange
    harness = await startHarness({ scale: 0 });
    const before = harness.clock.nowMs();

    // Act
    const moved = await fetch(`${harness.service.endpoint}/_local/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds: 3600 }) });
    const bad = await fetch(`${harness.service.endpoint}/_local/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ms: -5 }) });
    const read = (await (await fetch(`${harness.service.endpoint}/_local/clock`)).json()) as { nowMs: number; scale: number };

    // Assert
    expect(moved.status).toBe(200);
    expect(read).toMatchObject({ nowMs: before + HOUR, scale: 0 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: { path: string }[] } }).error.fields[0].path).toBe('ms');
  });
});
