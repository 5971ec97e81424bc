/**
 * Early warnings: the scheduled scan that raises them (spikes and recurring places), and what supervisors do with
 * them (list, acknowledge, close with a reason).
 *
 * The scan reads counters and bounded index pages only: the hour counters of the window and its baseline hours
 * (one Query per hour, insight-counters.ts), the cases of a spiking series in its window, and for recurring
 * places the cases of a category in a district within the rule's days, only where that category had cases in
 * the window. Never a Scan, never all history.
 *
 * Once per episode (domain/early-warning.ts): the warning id comes from the series and the hour its episode
 * started, the warning is a conditional create, and the series' episode only moves forward in time, so a scan
 * re-run for the same instant, or two scans at once, change nothing.
 */
import type { Actor } from '../domain/actor';
import { now as clockNow } from '../domain/clock';
import {
  changeWarningStatus,
  decideEpisode,
  seriesKeyOf,
  warningMonth,
  type EarlyWarning,
  type EpisodeState,
  type PlaceEvidence,
  type SpikeEvidence,
  type WarningAction,
  type WarningKind,
  type WarningStatus,
} from '../domain/early-warning';
import { NotFoundError, ValidationError } from '../domain/errors';
import { NOTICE_ATTRIBUTE, NOTICES } from '../domain/email-delivery';
import { findRecurringPlaces, type PlaceReport, type RecurringPlaceRule } from '../domain/recurring-places';
import { detectSpike, planBuckets, spikePlan, type DayCalendar, type SpikePlan, type SpikeThresholds } from '../domain/spike-detection';
import { warningNotice, type Localized } from '../domain/messages';
import type { InsightCounters } from './insight-counters';
import type { Notifier } from './ports';

/** How many case numbers a warning's evidence keeps (the console opens them; more would bloat the item). */
export const MAX_EVIDENCE_CASES = 100;

export interface WarningStore {
  episode(seriesKey: string): Promise<EpisodeState | undefined>;
  /** Stores the series' episode unless a later one is stored already (a slower concurrent scan). */
  saveEpisode(seriesKey: string, episode: EpisodeState): Promise<boolean>;
  /** Conditional create: false when the warning exists (the same episode raised before). */
  raise(warning: EarlyWarning): Promise<boolean>;
  /** The episode's later finding: new evidence and `lastSeenAt`, unless a later finding is stored already. */
  extend(id: string, lastSeenAt: string, evidence: EarlyWarning['evidence']): Promise<void>;
  get(id: string): Promise<EarlyWarning | undefined>;
  /** Every warning of these months (yyyy-mm), newest first. */
  list(months: readonly string[]): Promise<EarlyWarning[]>;
  /** Stores a status change on the condition that the status is still `expected`; ConflictError otherwise. */
  saveStatus(warning: EarlyWarning, expected: WarningStatus): Promise<EarlyWarning>;
  markNotified(id: string, at: string): Promise<void>;
}

/** The cases behind a warning, from the district and category indexes within a time range. */
export interface WarningCases {
  /** Case numbers created in [from, to] of the category, in the district or (none) city-wide; at most `limit`. */
  createdIn(category: string, district: string | undefined, from: string, to: string, limit: number): Promise<string[]>;
  /** The category's cases in the district created in [from, to], as places. */
  placeReports(category: string, district: string, from: string, to: string): Promise<PlaceReport[]>;
}

/** Sends a new warning to the supervisors' early-warning topic and the department's. */
export interface WarningAlerts {
  send(warning: EarlyWarning): Promise<void>;
}

export interface ScanPorts {
  counters: Pick<InsightCounters, 'hourlyCounts'>;
  warnings: WarningStore;
  cases: WarningCases;
  alerts: WarningAlerts;
}

export interface ScanSettings {
  categories: readonly string[];
  spikeThresholds(category: string): SpikeThresholds;
  recurringPlaceRule(category: string): RecurringPlaceRule;
  quietPeriodMs: number;
  calendar: DayCalendar;
  /** The department the category's SOP routes to in the district (none for city-wide or an unknown SOP). */
  departmentOf(category: string, district: string): string | undefined;
}

export interface ScanReport {
  at: string;
  /** Series tested (those with at least minCount cases in the window). */
  tested: number;
  raised: string[];
  extended: string[];
  notified: string[];
}

const DAY_MS = 86_400_000;

/**
 * One scan at `at` (the scheduled run's instant).
 * Steps:
 * 1. the spike plan of each distinct threshold set (window hours and their comparable-day hours), and the hour
 *    counters of every bucket they name, one Query per hour;
 * 2. per category in each district, and per category city-wide, with at least minCount cases in its window: the
 *    spike test; a positive finding raises the episode's warning (with the window's cases) or extends it;
 * 3. per category and district with cases in the window: the category's places there within the rule's days; a
 *    place reported `times` times, the latest report in the window, raises or extends its warning;
 * 4. every warning of this and last month not yet sent goes to the alerts, then is marked sent (a failed send is
 *    retried by the next scan; a crash between send and mark may send it twice, never zero times).
 */
export async function scanForWarnings(ports: ScanPorts, settings: ScanSettings, at: Date = clockNow()): Promise<ScanReport> {
  const report: ScanReport = { at: at.toISOString(), tested: 0, raised: [], extended: [], notified: [] };

  // 1. plans and counts
  const plans = new Map<string, SpikePlan>();
  const planOf = (category: string) => {
    const t = settings.spikeThresholds(category);
    const key = `${t.windowHours}/${t.baselineDays}/${t.maxLookbackWeeks}`;
    let plan = plans.get(key);
    if (!plan) plans.set(key, (plan = spikePlan(at, settings.calendar, t)));
    return plan;
  };
  for (const category of settings.categories) planOf(category);
  const rows = await ports.counters.hourlyCounts([...new Set([...plans.values()].flatMap(planBuckets))]);
  const counts = new Map<string, number>();
  const add = (key: string, n: number) => counts.set(key, (counts.get(key) ?? 0) + n);
  const districtsOf = new Map<string, Set<string>>();
  for (const r of rows) {
    add(`${r.bucket}|${seriesKeyOf.spike(r.category, r.district)}`, r.count);
    add(`${r.bucket}|${seriesKeyOf.spike(r.category)}`, r.count);
    if (!districtsOf.has(r.category)) districtsOf.set(r.category, new Set());
    districtsOf.get(r.category)!.add(r.district);
  }

  // 2. spikes
  for (const category of settings.categories) {
    const t = settings.spikeThresholds(category);
    const plan = planOf(category);
    for (const district of [...(districtsOf.get(category) ?? [])].sort().map((d) => d as string | undefined).concat([undefined])) {
      const seriesKey = seriesKeyOf.spike(category, district);
      const finding = detectSpike((bucket) => counts.get(`${bucket}|${seriesKey}`) ?? 0, plan, t);
      if (finding.count < t.minCount) continue;
      report.tested += 1;
      if (!finding.spike) continue;
      const caseNos = await ports.cases.createdIn(category, district, finding.from, finding.to, MAX_EVIDENCE_CASES);
      const evidence: SpikeEvidence = {
        from: finding.from,
        to: finding.to,
        count: finding.count,
        baselineCount: finding.baselineCount,
        baselineDates: finding.baselineDates,
        expected: Math.round(finding.expected * 1000) / 1000,
        pValue: finding.pValue,
        caseNos,
      };
      const department = district ? settings.departmentOf(category, district) : undefined;
      await recordFinding(ports, report, 'spike', seriesKey, at, settings.quietPeriodMs, evidence, (id) => ({
        id,
        kind: 'spike',
        category,
        ...(district ? { district } : {}),
        ...(department ? { department } : {}),
        evidence,
      }));
    }
  }

  // 3. recurring places, where the window brought new cases
  for (const category of settings.categories) {
    const rule = settings.recurringPlaceRule(category);
    const windowFrom = planOf(category).from;
    for (const district of [...(districtsOf.get(category) ?? [])].sort()) {
      const inWindow = planOf(category).window.reduce((n, w) => n + (counts.get(`${w.bucket}|${seriesKeyOf.spike(category, district)}`) ?? 0), 0);
      if (inWindow === 0) continue;
      const reports = await ports.cases.placeReports(category, district, new Date(at.getTime() - rule.days * DAY_MS).toISOString(), at.toISOString());
      for (const place of findRecurringPlaces(reports, at, rule)) {
        if (place.lastReportedAt < windowFrom) continue;
        const evidence: PlaceEvidence = {
          placeKey: place.placeKey,
          address: place.address,
          ...(place.lat !== undefined && place.lng !== undefined ? { lat: place.lat, lng: place.lng } : {}),
          from: place.firstReportedAt,
          to: place.lastReportedAt,
          count: place.caseNos.length,
          days: rule.days,
          caseNos: place.caseNos.slice(-MAX_EVIDENCE_CASES),
        };
        const department = settings.departmentOf(category, district);
        // A place stays one episode while it keeps being reported within the rule's days.
        await recordFinding(ports, report, 'recurring-place', seriesKeyOf.place(category, place.placeKey), at, rule.days * DAY_MS, evidence, (id) => ({
          id,
          kind: 'recurring-place',
          category,
          district,
          ...(department ? { department } : {}),
          evidence,
        }));
      }
    }
  }

  // 4. alerts
  const months = [...new Set([monthOf(at), monthOf(new Date(at.getTime() - 31 * DAY_MS))])];
  for (const w of await ports.warnings.list(months)) {
    if (w.notifiedAt) continue;
    await ports.alerts.send(w);
    await ports.warnings.markNotified(w.id, at.toISOString());
    report.notified.push(w.id);
  }
  return report;
}

type NewWarning = { id: string; category: string; district?: string; department?: string } & (
  | { kind: 'spike'; evidence: SpikeEvidence }
  | { kind: 'recurring-place'; evidence: PlaceEvidence }
);

async function recordFinding(
  ports: ScanPorts,
  report: ScanReport,
  kind: WarningKind,
  seriesKey: string,
  at: Date,
  quietPeriodMs: number,
  evidence: EarlyWarning['evidence'],
  build: (id: string) => NewWarning,
): Promise<void> {
  const decision = decideEpisode(kind, seriesKey, await ports.warnings.episode(seriesKey), true, at, quietPeriodMs);
  if (decision.action === 'none') return;
  const iso = at.toISOString();
  if (decision.action === 'raise') {
    const warning = { ...build(decision.warningId), seriesKey, status: 'open', history: [], raisedAt: iso, lastSeenAt: iso } as EarlyWarning;
    if (await ports.warnings.raise(warning)) report.raised.push(warning.id);
  } else {
    await ports.warnings.extend(decision.warningId, iso, evidence);
    report.extended.push(decision.warningId);
  }
  await ports.warnings.saveEpisode(seriesKey, decision.episode);
}

function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

// ------------------------------------------------------------------------------------------- supervisors

export interface WarningFilter {
  /** yyyy-mm; default this month and the previous one. */
  month?: string;
  status?: WarningStatus;
  kind?: WarningKind;
  category?: string;
  district?: string;
}

/**
 * The warnings of a month (default: this month and the last), filtered, newest first.
 * Steps: 1. the months to read; 2. one Query per month; 3. the filter.
 */
export async function listWarnings(store: Pick<WarningStore, 'list'>, filter: WarningFilter, at: Date = clockNow()): Promise<EarlyWarning[]> {
  const months = filter.month ? [filter.month] : [monthOf(at), monthOf(new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1)))];
  const all = await store.list(months);
  return all.filter(
    (w) =>
      (!filter.status || w.status === filter.status) &&
      (!filter.kind || w.kind === filter.kind) &&
      (!filter.category || w.category === filter.category) &&
      (!filter.district || w.district === filter.district),
  );
}

/**
 * Acknowledge or close a warning.
 * Steps:
 * 1. read it (404 when there is none; an id whose month cannot be read is a 400 naming `warningId`);
 * 2. changeWarningStatus: who, when, and for closing why (400 without a reason, 409 from a status that does not
 *    allow it, naming the current one);
 * 3. ONE conditional write on the status read: a concurrent change makes this a 409, never a lost update.
 */
export async function actOnWarning(store: Pick<WarningStore, 'get' | 'saveStatus'>, actor: Actor, id: string, action: WarningAction, reason?: string): Promise<EarlyWarning> {
  if (!warningMonth(id)) throw new ValidationError('Invalid warning id', [{ path: 'warningId', message: 'is not a warning id' }]);
  const warning = await store.get(id);
  if (!warning) throw new NotFoundError(`Warning ${id} not found`);
  const changed = changeWarningStatus(warning, action, actor.id, clockNow(), reason);
  return store.saveStatus(changed, warning.status);
}

// ---------------------------------------------------------------------------------------------------- alerts

export interface WarningAlertSettings {
  earlyWarningTopicArn: string;
  /** A department's topic ARN (from DEPARTMENT_TOPIC_ARN_PREFIX and the code); undefined for a code config does not know. */
  departmentTopicArn(code: string): string | undefined;
  consoleUrl: string;
  /** Names for the message; a code stands in for a name none of these knows. */
  names: {
    category(code: string): Localized;
    district(code: string): Localized;
    department(code: string): Localized;
  };
}

/**
 * Alerts through the notifier: the same message to the supervisors' early-warning topic and, when the warning has
 * one, to its department's topic (zh-TW first, the department notices' rules: domain/messages.ts warningNotice).
 */
export function topicWarningAlerts(notifier: Pick<Notifier, 'publish'>, settings: WarningAlertSettings): WarningAlerts {
  return {
    async send(w) {
      const message = warningNotice(
        {
          id: w.id,
          kind: w.kind,
          category: settings.names.category(w.category),
          ...(w.district ? { district: settings.names.district(w.district) } : {}),
          ...(w.kind === 'recurring-place' ? { address: w.evidence.address } : { expected: w.evidence.expected }),
          count: w.evidence.count,
          from: w.evidence.from,
          to: w.evidence.to,
          ...(w.department ? { department: { code: w.department, ...settings.names.department(w.department) } } : {}),
        },
        settings.consoleUrl,
      );
      const { subject, ...body } = message;
      const departmentTopic = w.department ? settings.departmentTopicArn(w.department) : undefined;
      const topics = [settings.earlyWarningTopicArn, ...(departmentTopic ? [departmentTopic] : [])];
      for (const topicArn of topics) await notifier.publish(topicArn, body, subject, { [NOTICE_ATTRIBUTE]: NOTICES.warning });
    },
  };
}
