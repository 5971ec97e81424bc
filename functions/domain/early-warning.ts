/**
 * Early warnings: what a spike or a recurring place raises, its status, and the episode rule that raises it once.
 *
 * An episode of a series (a category in a district, a category city-wide, or one recurring place) starts with
 * the first positive finding and lasts while findings stay positive; it ends when no finding has been positive
 * for `quietPeriodMs`. One warning per episode: later positive findings of the same episode add to its evidence
 * instead of raising another, whatever the warning's status (a supervisor who closed it is not paged again every
 * 15 minutes). The warning's id comes from the series and the hour the episode started, so a job re-run for
 * the same window computes the same id and a conditional create makes it a no-op.
 *
 * Status: open -> acknowledged -> closed, or open -> closed; each change records who, when and (to close) why.
 *
 * Pure: the job and the use cases store what these functions decide.
 */
import { ConflictError, ValidationError } from './errors';
import { hourBucket, type SpikeFinding } from './spike-detection';

export type WarningKind = 'spike' | 'recurring-place';
export const WARNING_STATUSES = ['open', 'acknowledged', 'closed'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];

/** What a series last did: the open episode, if any. Stored per series by the job. */
export interface EpisodeState {
  warningId: string;
  startedAt: string;
  /** The latest positive finding. */
  lastSeenAt: string;
}

export type EpisodeDecision =
  | { action: 'raise'; warningId: string; episode: EpisodeState }
  | { action: 'extend'; warningId: string; episode: EpisodeState }
  | { action: 'none'; episode?: EpisodeState };

/** The id of the warning of the episode of `seriesKey` that starts at `startedAt`. */
export function warningId(kind: WarningKind, seriesKey: string, startedAt: Date): string {
  return `${kind}:${seriesKey}:${hourBucket(startedAt)}`;
}

/** Whether an episode is still going at `at`. */
export function episodeOngoing(episode: EpisodeState | undefined, at: Date, quietPeriodMs: number): episode is EpisodeState {
  return !!episode && at.getTime() - new Date(episode.lastSeenAt).getTime() < quietPeriodMs;
}

/**
 * What to do with a finding at `at` for a series whose stored episode is `previous`: raise a new warning,
 * extend the current one, or nothing. A finding older than the stored one (a late re-run) changes nothing.
 */
export function decideEpisode(kind: WarningKind, seriesKey: string, previous: EpisodeState | undefined, positive: boolean, at: Date, quietPeriodMs: number): EpisodeDecision {
  if (!(quietPeriodMs > 0)) throw new RangeError(`quietPeriodMs must be positive, got ${quietPeriodMs}`);
  if (!positive) return { action: 'none', episode: previous };
  if (previous && at.getTime() <= new Date(previous.lastSeenAt).getTime()) return { action: 'none', episode: previous };
  if (episodeOngoing(previous, at, quietPeriodMs)) {
    return { action: 'extend', warningId: previous.warningId, episode: { ...previous, lastSeenAt: at.toISOString() } };
  }
  const id = warningId(kind, seriesKey, at);
  return { action: 'raise', warningId: id, episode: { warningId: id, startedAt: at.toISOString(), lastSeenAt: at.toISOString() } };
}

export interface WarningStatusChange {
  status: WarningStatus;
  by: string;
  at: string;
  reason?: string;
}

export interface WarningState {
  id: string;
  status: WarningStatus;
  history: WarningStatusChange[];
}

export type WarningAction = 'acknowledge' | 'close';

const NEXT: Record<WarningAction, { from: readonly WarningStatus[]; to: WarningStatus }> = {
  acknowledge: { from: ['open'], to: 'acknowledged' },
  close: { from: ['open', 'acknowledged'], to: 'closed' },
};

export const MAX_CLOSE_REASON = 500;

/**
 * The warning after an action by `by` at `at`. Closing needs a reason; acknowledging an acknowledged warning or
 * acting on a closed one is a conflict naming the current status.
 */
export function changeWarningStatus<W extends WarningState>(warning: W, action: WarningAction, by: string, at: Date, reason?: string): W {
  const rule = NEXT[action];
  const why = reason?.trim();
  if (action === 'close' && !why) throw new ValidationError('A reason is needed to close a warning', [{ path: 'reason', message: 'required to close a warning' }]);
  if (why && why.length > MAX_CLOSE_REASON) throw new ValidationError('Reason too long', [{ path: 'reason', message: `at most ${MAX_CLOSE_REASON} characters` }]);
  if (!rule.from.includes(warning.status)) {
    throw new ConflictError(`Warning ${warning.id} is ${warning.status}; it cannot be ${rule.to}`, { warningId: warning.id, status: warning.status });
  }
  const change: WarningStatusChange = { status: rule.to, by, at: at.toISOString(), ...(why ? { reason: why } : {}) };
  return { ...warning, status: rule.to, history: [...warning.history, change] };
}

/** What a spike warning shows: the window, the counts, the test's p-value and the cases of the window. */
export type SpikeEvidence = Omit<SpikeFinding, 'spike'> & { caseNos: string[] };

/** What a recurring-place warning shows: the place and its reports within the rule's days. */
export interface PlaceEvidence {
  placeKey: string;
  address: string;
  lat?: number;
  lng?: number;
  from: string;
  to: string;
  count: number;
  days: number;
  caseNos: string[];
}

/** A stored warning: the series it belongs to, its evidence (the latest finding of its episode) and status. */
export type EarlyWarning = WarningState & {
  category: string;
  /** Absent for a category city-wide. */
  district?: string;
  /** The department the SOP routes the category there to (city-wide: none). */
  department?: string;
  seriesKey: string;
  raisedAt: string;
  lastSeenAt: string;
  /** Set once the alert went out; the job sends again what it finds unsent. */
  notifiedAt?: string;
} & ({ kind: 'spike'; evidence: SpikeEvidence } | { kind: 'recurring-place'; evidence: PlaceEvidence });

/** Series keys: `street-light@bade`, `street-light@*` (city-wide), `street-light@place:<normalised address>`. */
export const seriesKeyOf = {
  spike: (category: string, district?: string) => `${category}@${district ?? '*'}`,
  place: (category: string, placeKey: string) => `${category}@place:${placeKey}`,
};

/** The month partition a warning id belongs to: the UTC month of the hour its episode started. */
export function warningMonth(id: string): string | undefined {
  return /:(\d{4}-\d{2})-\d{2}T\d{2}$/.exec(id)?.[1];
}
