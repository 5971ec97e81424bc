/**
 * Recurring places: the same place reported `times` times within `days` days in one category, whether the earlier
 * cases are open or closed (a light fixed three times, a drain that floods every rain).
 *
 * The same place is either the same normalised address, or, when both cases have coordinates, within
 * `distanceMeters` of each other. Cases group around the first case of a place (its anchor) rather than chaining
 * neighbour to neighbour, so a street of twenty lights a few metres apart does not become one place.
 *
 * Pure: the job passes the cases of the period.
 */

export interface RecurringPlaceRule {
  /** Reports of one place that make it recurring. */
  times: number;
  /** Within this many days (the latest report included). */
  days: number;
  /** Two coordinates at most this far apart are the same place. */
  distanceMeters: number;
}

export const DEFAULT_RECURRING_PLACE_RULE: RecurringPlaceRule = { times: 3, days: 30, distanceMeters: 30 };

export interface PlaceReport {
  caseNo: string;
  category: string;
  district: string;
  address: string;
  lat?: number;
  lng?: number;
  createdAt: string;
}

export interface RecurringPlace {
  category: string;
  district: string;
  /** The anchor's normalised address (with its district): a stable key for the place's warning. */
  placeKey: string;
  /** The address as the latest report gave it. */
  address: string;
  lat?: number;
  lng?: number;
  caseNos: string[];
  firstReportedAt: string;
  lastReportedAt: string;
}

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 -> 1, 十二 -> 12, 二十 -> 20, 一百零五 -> 105; anything else unchanged. */
function chineseNumber(text: string): string {
  if (!/^[零〇一二兩三四五六七八九十百]+$/.test(text)) return text;
  let total = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch === '百') {
      total += (digit || 1) * 100;
      digit = 0;
    } else if (ch === '十') {
      total += (digit || 1) * 10;
      digit = 0;
    } else {
      digit = DIGITS[ch];
    }
  }
  return String(total + digit);
}

/** Words callers add around an address that do not change the place. */
const QUALIFIER = /(附近|對面|旁邊|旁|前面|門口|前|後面|一帶|那邊|這邊|這裡|那裡)+$/;

/**
 * One spelling for the addresses of one place: full-width to half-width, no spaces or punctuation, 臺 -> 台,
 * no city prefix, Chinese numerals before 段/巷/弄/號/樓/鄰 as digits, 100號之1 as 100-1號, and no trailing
 * "in front of", "opposite", "near". The district code leads, so equal streets in two districts differ.
 */
export function normaliseAddress(address: string, district = ''): string {
  let a = address.normalize('NFKC').replace(/臺/g, '台').replace(/[\s,，。、()（）「」]/g, '');
  a = a.replace(/^(台灣省?)?桃園(市|縣)/, '');
  a = a.replace(/([零〇一二兩三四五六七八九十百]+)(段|巷|弄|號|樓|鄰)/g, (_, n: string, unit: string) => chineseNumber(n) + unit);
  a = a.replace(/(\d+)號之(\d+)/g, '$1-$2號').replace(/(\d+)之(\d+)號/g, '$1-$2號');
  a = a.replace(QUALIFIER, '');
  return `${district}|${a}`;
}

/** Distance in metres between two WGS84 points (haversine). */
export function distanceMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

function hasPoint(r: PlaceReport): r is PlaceReport & { lat: number; lng: number } {
  return Number.isFinite(r.lat) && Number.isFinite(r.lng);
}

export function assertRecurringPlaceRule(rule: RecurringPlaceRule): void {
  if (!Number.isInteger(rule.times) || rule.times < 2) throw new RangeError(`recurring-place times must be a whole number of at least 2, got ${rule.times}`);
  if (!(rule.days > 0)) throw new RangeError(`recurring-place days must be positive, got ${rule.days}`);
  if (!(rule.distanceMeters >= 0)) throw new RangeError(`recurring-place distanceMeters must be 0 or more, got ${rule.distanceMeters}`);
}

/** The places reported at least `rule.times` times in one category in the `rule.days` days up to `at`. */
export function findRecurringPlaces(reports: readonly PlaceReport[], at: Date, rule: RecurringPlaceRule = DEFAULT_RECURRING_PLACE_RULE): RecurringPlace[] {
  assertRecurringPlaceRule(rule);
  const since = at.getTime() - rule.days * 86_400_000;
  const inPeriod = reports
    .filter((r) => {
      const t = new Date(r.createdAt).getTime();
      return t > since && t <= at.getTime();
    })
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.caseNo.localeCompare(b.caseNo));

  interface Group {
    anchor: PlaceReport;
    key: string;
    members: PlaceReport[];
  }
  const groups = new Map<string, Group[]>();
  for (const report of inPeriod) {
    const key = normaliseAddress(report.address, report.district);
    const candidates = groups.get(report.category) ?? [];
    const place = candidates.find(
      (g) => g.key === key || (rule.distanceMeters > 0 && hasPoint(g.anchor) && hasPoint(report) && distanceMeters(g.anchor, report) <= rule.distanceMeters),
    );
    if (place) place.members.push(report);
    else candidates.push({ anchor: report, key, members: [report] });
    groups.set(report.category, candidates);
  }

  return [...groups.values()]
    .flat()
    .filter((g) => g.members.length >= rule.times)
    .map((g) => {
      const latest = g.members[g.members.length - 1];
      return {
        category: g.anchor.category,
        district: g.anchor.district,
        placeKey: g.key,
        address: latest.address,
        ...(hasPoint(g.anchor) ? { lat: g.anchor.lat, lng: g.anchor.lng } : {}),
        caseNos: g.members.map((m) => m.caseNo),
        firstReportedAt: g.members[0].createdAt,
        lastReportedAt: latest.createdAt,
      };
    })
    .sort((a, b) => b.caseNos.length - a.caseNos.length || a.category.localeCompare(b.category) || a.placeKey.localeCompare(b.placeKey));
}
