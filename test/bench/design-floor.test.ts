import { describe, expect, it } from 'vitest';
import { addItemWrite, designFloor, type LifecycleFigures } from '../../bench/lifecycle';

describe("the write units' design floor", () => {
  it("counts the case's own item writes at 2 in a transaction and 1 alone, and leaves the scheduled jobs out", () => {
    const byItem: LifecycleFigures['byItem'] = new Map();
    // A 1.5 KB case item in a transaction: 4 WRU on the table, 2 at the floor; with its index copies.
    for (let i = 0; i < 3; i++) addItemWrite(byItem, 'case-actions', { kind: 'CASE/CASE', bytes: 1500, tableWru: 4, indexWru: { gsi1: 2, gsi2: 1 } });
    addItemWrite(byItem, 'create-case', { kind: 'SOP/V (check)', bytes: 700, tableWru: 2, indexWru: {} });
    addItemWrite(byItem, 'create-case', { kind: 'SEQ/SEQ', bytes: 24, tableWru: 1, indexWru: {} });
    addItemWrite(byItem, 'retention-job', { kind: 'JOB/JOB', bytes: 87, tableWru: 1, indexWru: {} });
    expect(byItem.get('case-actions CASE/CASE')).toEqual({ writes: 3, wru: 21, bytes: 4500, floor: 6, inTransactions: 3 });
    expect(designFloor({ byItem })).toEqual({ writes: 5, inTransactions: 4, wru: 9, measured: 24 });
  });
});
