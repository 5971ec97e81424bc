/**
 * What every bench part shares: a row of the budget table (figure, baseline measured in the same run, budget,
 * ratio, verdict), progress lines on stderr for long steps, and the plain-text table printed at the end.
 */
import { cpus, loadavg } from 'node:os';

export interface BudgetRow {
  /** The row's name, as in the budget table. */
  what: string;
  /** The row's name without the parts that change between runs (the worst function's name): its key in bench/ceilings.json. */
  key: string;
  /** The measured figure, formatted with its unit. */
  measured: string;
  /** What it is compared with, measured in the same run (or "—" when the budget is absolute). */
  baseline: string;
  /** The budget, in words. */
  budget: string;
  /** measured ÷ baseline (or ÷ budget for absolute budgets), formatted. */
  ratio: string;
  /** Whether the figure is within budget; `margin` is how far past it CI still lets it through (noise). */
  ok: boolean;
  /** For CI: how far over budget the figure is, as a fraction of the budget (0 when within). */
  overBy: number;
}

/** A row whose budget is `measured <= limit` (both in one unit). */
export function limitRow(what: string, measured: number, limit: number, fmt: (n: number) => string, opts: { baseline?: string; budget: string; ratio?: string; key?: string }): BudgetRow {
  return {
    what,
    key: opts.key ?? what,
    measured: fmt(measured),
    baseline: opts.baseline ?? '—',
    budget: opts.budget,
    ratio: opts.ratio ?? `${(measured / limit).toFixed(2)}× of budget`,
    ok: measured <= limit,
    overBy: measured <= limit ? 0 : (measured - limit) / limit,
  };
}

export const kib = (bytes: number): string => `${(bytes / 1024).toLocaleString('en-US', { maximumFractionDigits: 0 })} KiB`;
export const ms = (n: number): string => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${n.toFixed(n < 10 ? 2 : 0)} ms`);
export const usd = (n: number): string => `$${n.toFixed(6)}`;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** A progress line on stderr (stdout keeps only the tables). */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Progress for a counted step: prints at most every two seconds and at the end. */
export function counter(label: string, total: number): (done: number) => void {
  let last = 0;
  const t0 = performance.now();
  return (done) => {
    const now = performance.now();
    if (done < total && now - last < 2000) return;
    last = now;
    const rate = done / ((now - t0) / 1000);
    progress(`${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${rate.toFixed(0)}/s)`);
  };
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

export function budgetTable(rows: readonly BudgetRow[]): string {
  return table([['what', 'measured', 'baseline (same run)', 'budget', 'ratio', 'verdict'], ...rows.map((r) => [r.what, r.measured, r.baseline, r.budget, r.ratio, r.ok ? 'within' : 'OVER'])]);
}

export function machineLine(): string {
  return `${cpus().length} CPUs, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}
