import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateRows, readCeilings, recordCeilings } from '../../bench/lib/ceilings';
import { limitRow, type BudgetRow } from '../../bench/lib/report';

const wru = (n: number): BudgetRow => limitRow('DynamoDB write units per happy-path case', n, 60, String, { budget: '≤ 60 WRU' });
const noMargin = () => 0;

describe('the bench CI gate', () => {
  it('passes a row within budget and fails a new miss', () => {
    expect(gateRows([wru(60)], {}, noMargin).failures).toEqual([]);
    expect(gateRows([wru(61)], {}, noMargin).failures).toEqual([expect.stringContaining('budget missed beyond its noise margin (0%)')]);
  });

  it('lets a miss through by its noise margin only', () => {
    expect(gateRows([wru(65)], {}, () => 0.1).failures).toEqual([]);
    expect(gateRows([wru(67)], {}, () => 0.1).failures).toHaveLength(1);
  });

  it('holds a recorded miss to its recorded figure: equal or better passes, worse fails', () => {
    const ceilings = { [wru(0).key]: { overBy: 1, measured: '120 WRU', budget: '≤ 60 WRU' } };
    const same = gateRows([wru(120)], ceilings, noMargin);
    expect(same.failures).toEqual([]);
    expect(same.lines).toEqual([expect.stringContaining('known miss, not worse than recorded (120 WRU)')]);
    expect(gateRows([wru(90)], ceilings, noMargin).failures).toEqual([]);
    expect(gateRows([wru(121)], ceilings, noMargin).failures).toEqual([expect.stringContaining('worse than its recorded figure 120 WRU')]);
  });

  it('measures the noise margin of a recorded miss from its recorded figure, not from the budget', () => {
    const ceilings = { [wru(0).key]: { overBy: 1, measured: '120 WRU', budget: '≤ 60 WRU' } };
    // 10% of 120 WRU is 12: 130 is within the noise of the recorded figure (10% of the budget would allow only 126).
    expect(gateRows([wru(130)], ceilings, () => 0.1).failures).toEqual([]);
    expect(gateRows([wru(133)], ceilings, () => 0.1).failures).toEqual([expect.stringContaining('beyond the noise margin 10% of that figure')]);
  });

  it('records only the rows over budget, by their stable key', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ceilings-')), 'ceilings.json');
    const bundle = limitRow('Lambda bundle size (41 functions; worst: api/x)', 300, 200, String, { budget: '≤ baseline + 150 KiB', key: 'Lambda bundle size' });
    recordCeilings([wru(50), bundle], file);
    expect(readCeilings(file)).toEqual({ 'Lambda bundle size': { overBy: 0.5, measured: '300', budget: '≤ baseline + 150 KiB' } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('about');
    expect(readCeilings(path.join(path.dirname(file), 'absent.json'))).toEqual({});
  });

  it('records a figure rounded up, so the run that recorded it passes against it', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ceilings-')), 'ceilings.json');
    const row = limitRow('Lambda bundle size (41 functions; worst: api/x)', 1_057_792, 384_000 + 153_600, String, { budget: '≤ baseline + 150 KiB', key: 'Lambda bundle size' });
    recordCeilings([row], file);
    expect(gateRows([row], readCeilings(file), noMargin).failures).toEqual([]);
  });
});
