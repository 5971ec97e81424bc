import { describe, expect, it } from 'vitest';
import { changeWarningStatus, decideEpisode, warningId, type EpisodeState, type WarningState } from '../../functions/domain/early-warning';
import { ConflictError, ValidationError } from '../../functions/domain/errors';

const HOUR = 3_600_000;
const at = (iso: string): Date => new Date(iso);
const series = 'street-light:bade';

/** Runs the 15-minute job's decisions over a sequence of findings and returns the warnings raised. */
function run(findings: Array<[string, boolean]>, quietPeriodMs = 2 * HOUR): { raised: string[]; extended: number; episode?: EpisodeState } {
  let episode: EpisodeState | undefined;
  const raised: string[] = [];
  let extended = 0;
  for (const [time, positive] of findings) {
    const decision = decideEpisode('spike', series, episode, positive, at(time), quietPeriodMs);
    if (decision.action === 'raise') raised.push(decision.warningId);
    if (decision.action === 'extend') extended++;
    episode = decision.episode;
  }
  return { raised, extended, episode };
}

describe('warning episodes', () => {
  it('raises one warning for an episode that stays positive for an hour of 15-minute runs', () => {
    const result = run([
      ['2026-11-10T02:00:00Z', false],
      ['2026-11-10T02:15:00Z', true],
      ['2026-11-10T02:30:00Z', true],
      ['2026-11-10T02:45:00Z', true],
      ['2026-11-10T03:00:00Z', true],
      ['2026-11-10T03:15:00Z', false],
    ]);
    expect(result.raised).toEqual(['spike:street-light:bade:2026-11-10T02']);
    expect(result.extended).toBe(3);
    expect(result.episode).toEqual({ warningId: 'spike:street-light:bade:2026-11-10T02', startedAt: '2026-11-10T02:15:00.000Z', lastSeenAt: '2026-11-10T03:00:00.000Z' });
  });

  it('keeps a positive finding after a short lull in the same episode', () => {
    const result = run([
      ['2026-11-10T02:15:00Z', true],
      ['2026-11-10T02:30:00Z', false],
      ['2026-11-10T03:00:00Z', false],
      ['2026-11-10T03:30:00Z', true],
    ]);
    expect(result.raised).toHaveLength(1);
  });

  it('raises a new warning once the series has been quiet for the quiet period', () => {
    const result = run([
      ['2026-11-10T02:15:00Z', true],
      ['2026-11-10T04:15:00Z', true],
    ]);
    expect(result.raised).toEqual(['spike:street-light:bade:2026-11-10T02', 'spike:street-light:bade:2026-11-10T04']);
  });

  it('changes nothing when a job is re-run for a window it already decided', () => {
    const first = decideEpisode('spike', series, undefined, true, at('2026-11-10T02:15:00Z'), HOUR);
    const again = decideEpisode('spike', series, first.episode, true, at('2026-11-10T02:15:00Z'), HOUR);
    expect(again).toEqual({ action: 'none', episode: first.episode });
    // A run that lost the race and never saw the stored episode computes the same id: the conditional create dedupes.
    const racer = decideEpisode('spike', series, undefined, true, at('2026-11-10T02:15:00Z'), HOUR);
    expect(racer.action === 'raise' && racer.warningId).toBe(first.action === 'raise' && first.warningId);
  });

  it('names warnings by kind, series and the hour the episode started', () => {
    expect(warningId('recurring-place', 'blocked-drain:bade|介壽路100號', at('2026-11-10T02:59:59Z'))).toBe('recurring-place:blocked-drain:bade|介壽路100號:2026-11-10T02');
  });
});

describe('warning status', () => {
  const open: WarningState = { id: 'spike:x:2026-11-10T02', status: 'open', history: [] };
  const now = at('2026-11-10T03:00:00Z');

  it('goes from open to acknowledged to closed, recording who, when and why', () => {
    const acknowledged = changeWarningStatus(open, 'acknowledge', 'sup-1', now);
    const closed = changeWarningStatus(acknowledged, 'close', 'sup-2', now, ' 已派員處理 ');
    expect(closed.status).toBe('closed');
    expect(closed.history).toEqual([
      { status: 'acknowledged', by: 'sup-1', at: now.toISOString() },
      { status: 'closed', by: 'sup-2', at: now.toISOString(), reason: '已派員處理' },
    ]);
    expect(open.history).toEqual([]);
  });

  it('may be closed straight from open', () => {
    expect(changeWarningStatus(open, 'close', 'sup-1', now, 'duplicate of another warning').status).toBe('closed');
  });

  it('needs a reason to close, naming the field', () => {
    expect(() => changeWarningStatus(open, 'close', 'sup-1', now, '  ')).toThrow(ValidationError);
    try {
      changeWarningStatus(open, 'close', 'sup-1', now);
    } catch (e) {
      expect((e as ValidationError).fields).toEqual([{ path: 'reason', message: 'required to close a warning' }]);
    }
  });

  it('refuses to acknowledge twice or to change a closed warning', () => {
    const acknowledged = changeWarningStatus(open, 'acknowledge', 'sup-1', now);
    expect(() => changeWarningStatus(acknowledged, 'acknowledge', 'sup-1', now)).toThrow(ConflictError);
    const closed = changeWarningStatus(open, 'close', 'sup-1', now, 'done');
    expect(() => changeWarningStatus(closed, 'close', 'sup-1', now, 'again')).toThrow(/is closed/);
    expect(() => changeWarningStatus(closed, 'acknowledge', 'sup-1', now)).toThrow(ConflictError);
  });
});
