import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, nextDueAt } from '../../functions/domain/case';
import { translate } from '../../console/src/i18n';
import { countdown, currentDue, formatDuration, isOverdue, SOON_MS } from '../../console/src/logic/countdown';
import { formatDateTime, parseIsoDuration, createServerClock } from '../../console/src/logic/time';

const zh = (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate('zh-TW', k, p);
const en = (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate('en', k, p);

const NOW = Date.parse('2026-11-27T06:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('countdown', () => {
  it('shows the two largest units while more than an hour is left', () => {
    expect(countdown(at(2 * DAY + 3 * HOUR + 20 * MIN), NOW, zh)).toEqual({ state: 'ok', msLeft: 2 * DAY + 3 * HOUR + 20 * MIN, text: '剩 2 天 3 小時' });
    expect(countdown(at(5 * HOUR + 7 * MIN), NOW, en).text).toBe('5h 7m left');
  });

  it('counts seconds in the last hour and calls it soon', () => {
    const c = countdown(at(45 * MIN + 10_000), NOW, zh);

    expect(c.state).toBe('soon');
    expect(c.text).toBe('剩 45 分 10 秒');
    expect(countdown(at(SOON_MS), NOW, zh).state).toBe('ok');
  });

  it('is overdue at the deadline itself and counts the time since', () => {
    expect(countdown(at(0), NOW, en)).toMatchObject({ state: 'overdue', text: 'overdue 0s' });
    expect(countdown(at(-(DAY + 2 * HOUR)), NOW, zh)).toMatchObject({ state: 'overdue', text: '逾期 1 天 2 小時' });
  });

  it('skips a zero middle unit instead of showing "0 hours"', () => {
    expect(formatDuration(3 * DAY + 5 * MIN, en)).toBe('3d');
    expect(formatDuration(2 * HOUR + 30_000, en)).toBe('2h');
  });

  it('a deadline met ends the countdown, on time or late', () => {
    expect(countdown(at(HOUR), NOW, zh, at(-HOUR)).state).toBe('met');
    expect(countdown(at(HOUR), NOW, en, at(-HOUR)).text).toBe('Met on time');
    expect(countdown(at(-HOUR), NOW, en, at(0)).text).toBe('Met late');
  });

  it('no deadline is a dash, not a countdown', () => {
    expect(countdown(undefined, NOW, zh)).toEqual({ state: 'none', text: '—' });
  });
});

describe('overdue', () => {
  it('the deadline that counts is the domain rule for every status', () => {
    const c = { acknowledgeDueAt: at(HOUR), resolveDueAt: at(DAY) };

    for (const status of CASE_STATUSES) expect(currentDue({ status, ...c })).toBe(nextDueAt({ status, ...c }));
  });

  it('an assigned case past its acknowledge deadline is overdue; a resolved one never is', () => {
    expect(isOverdue({ status: 'ASSIGNED', acknowledgeDueAt: at(-MIN), resolveDueAt: at(DAY) }, NOW)).toBe(true);
    expect(isOverdue({ status: 'ACKNOWLEDGED', acknowledgeDueAt: at(-MIN), resolveDueAt: at(DAY) }, NOW)).toBe(false);
    expect(isOverdue({ status: 'RESOLVED', acknowledgeDueAt: at(-DAY), resolveDueAt: at(-MIN) }, NOW)).toBe(false);
  });
});

describe('time', () => {
  it('formats instants in Taipei time whatever the machine zone', () => {
    expect(formatDateTime('2026-11-27T16:30:00Z')).toBe('2026-11-28 00:30');
    expect(formatDateTime('2026-11-27T16:30:05Z', true)).toBe('2026-11-28 00:30:05');
  });

  it('reads ISO 8601 durations for the clock control and refuses months and nonsense', () => {
    expect(parseIsoDuration('PT2H')).toBe(2 * HOUR);
    expect(parseIsoDuration('P1DT12H')).toBe(DAY + 12 * HOUR);
    expect(parseIsoDuration('PT90M')).toBe(90 * MIN);
    expect(parseIsoDuration('P1W')).toBe(7 * DAY);
    for (const bad of ['P1M', 'P', 'PT', '2h', '', 'P1DT']) expect(parseIsoDuration(bad)).toBeUndefined();
  });

  it('the server clock runs from its last reading at the server scale', () => {
    let mono = 1000;
    const clock = createServerClock(
      () => mono,
      () => 0,
    );

    clock.sync({ nowMs: NOW, scale: 60 });
    mono += 1000;

    expect(clock.now()).toBe(NOW + 60_000);
  });
});
