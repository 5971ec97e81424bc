/**
 * Times as the console shows them, and "now" as the system sees it.
 *
 * Deadlines are business time. On AWS that is wall-clock time; in the local cloud the clock may run faster or be
 * moved forward for a demo, so the console keeps a server clock: the last reading of `GET /_local/clock` plus
 * the browser's monotonic time since then, times the scale. Countdowns read `serverNow()`, never `Date.now()`.
 */
export const TIME_ZONE = 'Asia/Taipei';

export interface ClockReading {
  /** Server time in epoch ms. */
  nowMs: number;
  /** Server ms per real ms (1 on AWS). */
  scale: number;
}

export interface ServerClock {
  now(): number;
  sync(reading: ClockReading): void;
  readonly synced: boolean;
}

export function createServerClock(monotonic: () => number = () => performance.now(), wall: () => number = () => Date.now()): ServerClock {
  let anchor: { serverMs: number; at: number; scale: number } | undefined;
  return {
    now: () => (anchor ? Math.floor(anchor.serverMs + (monotonic() - anchor.at) * anchor.scale) : wall()),
    sync(reading) {
      anchor = { serverMs: reading.nowMs, at: monotonic(), scale: reading.scale };
    },
    get synced() {
      return anchor !== undefined;
    },
  };
}

/** The one server clock of the page. */
export const serverClock = createServerClock();

const partsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function taipeiParts(ms: number): Record<string, string> {
  return Object.fromEntries(partsFormat.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

/** `2026-11-27 14:05` in Taipei time, the same in both languages (agents read it aloud as digits). */
export function formatDateTime(iso: string | number | undefined, withSeconds = false): string {
  if (iso === undefined) return '';
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  const p = taipeiParts(ms);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${withSeconds ? `:${p.second}` : ''}`;
}

/**
 * ISO 8601 durations as the clock control takes them (`PT2H`, `P3D`, `P1DT12H`, `PT90M`, `PT30S`), in ms.
 * Years and months are refused: their length depends on the date.
 */
export function parseIsoDuration(text: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim());
  if (!m || text.trim().toUpperCase() === 'P' || /T$/i.test(text.trim())) return undefined;
  const [, w, d, h, min, s] = m;
  const n = (v: string | undefined) => (v === undefined ? 0 : Number(v));
  const ms = (((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(min)) * 60_000 + n(s) * 1000;
  return ms > 0 ? Math.round(ms) : undefined;
}
