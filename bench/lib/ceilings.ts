/**
 * The CI gate of `npm run bench:ci`. A row within its budget passes; a row over it by no more than its noise margin
 * passes; a row known to be over budget (recorded in bench/ceilings.json with how far over it was) passes while its
 * figure is no more than the margin above the recorded one. The margin is a fraction of the figure it is compared
 * with (the budget, or the recorded figure) because noise scales with the figure: an import that takes 3.3× its
 * baseline moves by 3.3 times as many milliseconds as one within budget. So CI fails on any new miss and on any
 * row that gets worse beyond its noise, and a row's ceiling only moves when someone records a better figure on
 * purpose (`--record`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './functions';
import type { BudgetRow } from './report';

export const CEILINGS_FILE = path.join(ROOT, 'bench', 'ceilings.json');

export interface Ceiling {
  /** How far over its budget the row was when recorded, as a fraction of the budget (BudgetRow.overBy). */
  overBy: number;
  /** The figure as printed then, for the reader. */
  measured: string;
  budget: string;
}

export function readCeilings(file = CEILINGS_FILE): Record<string, Ceiling> {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { rows: Record<string, Ceiling> }).rows;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
}

export function gateRows(rows: readonly BudgetRow[], ceilings: Record<string, Ceiling>, marginOf: (r: BudgetRow) => number): { lines: string[]; failures: string[] } {
  const lines: string[] = [];
  const failures: string[] = [];
  for (const r of rows) {
    const margin = marginOf(r);
    const ceiling: Ceiling | undefined = ceilings[r.key];
    // measured / budget <= (recorded / budget) * (1 + margin), in overBy terms.
    const allowed = (1 + Math.max(0, ceiling?.overBy ?? 0)) * (1 + margin) - 1;
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    if (r.overBy <= margin) continue;
    if (r.overBy <= allowed) lines.push(`known miss, not worse than recorded (${ceiling?.measured ?? "-"}): ${r.what}: ${r.measured}, budget ${r.budget}`);
    else
      failures.push(
        ceiling
          ? `worse than its recorded figure ${ceiling.measured} (${pct(ceiling.overBy)} over budget) beyond the noise margin ${pct(margin)} of that figure: ${r.what}: ${r.measured}, budget ${r.budget}`
          : `budget missed beyond its noise margin (${pct(margin)}): ${r.what}: ${r.measured}, budget ${r.budget}`,
      );
  }
  return { lines, failures };
}

/** Writes this run's misses as the new ceilings; rows within budget leave the file. */
export function recordCeilings(rows: readonly BudgetRow[], file = CEILINGS_FILE): void {
  const misses = Object.fromEntries(rows.filter((r) => r.overBy > 0).map((r) => [r.key, { overBy: Math.ceil(r.overBy * 1e4) / 1e4, measured: r.measured, budget: r.budget } satisfies Ceiling]));
  const doc = {
    about: 'Rows of `npm run bench:ci` known to miss their budget, with how far over (a fraction of the budget) they were when recorded: CI fails if one gets worse beyond its noise margin (bench/lib/ceilings.ts). Rewritten by `npm run bench:ci -- --record`.',
    rows: misses,
  };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
}
