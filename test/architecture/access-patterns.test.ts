/**
 * The README's access-pattern table is the map a new engineer reads before touching the table; it must name
 * every kind of item the code writes and every index. The keys are spelled once, by the entities' key builders in
 * functions/adapters/table.ts: this test asks each builder for its key and fails when the README has no row with
 * that key's prefix (or a row for an index that no longer exists), naming what to add.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as table from '../../functions/adapters/table';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The rows of the "Access patterns" table, as their cells. */
function accessPatternRows(): string[][] {
  const section = README.split(/^## Access patterns$/m)[1]?.split(/^## /m)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---') && !line.startsWith('| access pattern'))
    .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '')));
}

const SAMPLE_ISO = '2026-12-03T01:02:03.000Z';

/** The uppercase prefix of a key value: `STATS#SLA#2026-12` -> `STATS#SLA#`, `CASE#20261203-0001` -> `CASE#`. */
const prefixOf = (value: string): string | undefined => /^(?:[A-Z][A-Z0-9_]*#)+/.exec(value)?.[0];

/** Every exported `...Entity` with a `key` builder, and the prefixes of the partition and sort keys it builds. */
function entityKeyPrefixes(): Array<{ entity: string; prefixes: string[] }> {
  return Object.entries(table)
    .filter(([name, value]) => name.endsWith('Entity') && typeof (value as { key?: unknown }).key === 'function')
    .map(([entity, value]) => {
      const key = (value as { key: (...args: unknown[]) => table.ItemKey }).key;
      // Builders take strings (ids, days, instants) or, for the audit, the record: an ISO instant fits every one.
      const args = Array.from({ length: Math.max(key.length, 1) }, () => SAMPLE_ISO);
      let built: table.ItemKey;
      try {
        built = key(...args);
      } catch {
        built = key({ at: SAMPLE_ISO, id: 'sample' });
      }
      const prefixes = [prefixOf(built.pk), prefixOf(built.sk)].filter((p): p is string => p !== undefined);
      return { entity, prefixes };
    });
}

describe('README access-pattern table', () => {
  const rows = accessPatternRows();
  const keyCells = rows.map((r) => r[1] ?? '');

  it('has rows to check', () => {
    expect(rows.length).toBeGreaterThan(10);
  });

  it.each(entityKeyPrefixes())('names the keys of $entity', ({ entity, prefixes }) => {
    const missing = prefixes.filter((prefix) => !keyCells.some((cell) => new RegExp(`(^|[^A-Z])${prefix}`).test(cell)));
    expect(missing, `${entity} writes keys starting ${missing.join(', ')}: add a row to README.md "Access patterns"`).toEqual([]);
  });

  it.each(table.GSI_LIST.map((g) => ({ index: g.indexName, partition: prefixOf(g.purpose.split(': ')[1] ?? '') })))(
    'describes $index with its partition key',
    ({ index, partition }) => {
      const row = keyCells.find((cell) => new RegExp(`\\b${index}\\b`).test(cell));
      expect(row, `README.md "Access patterns" has no row for ${index}`).toBeDefined();
      expect(partition, `GSIS.${index}.purpose should name its partition key after ': '`).toBeDefined();
      expect(row).toContain(partition);
    },
  );

  it('describes no index the table does not have', () => {
    const named = new Set(keyCells.flatMap((cell) => cell.match(/\bgsi\d+\b/g) ?? []));
    expect([...named].filter((n) => !table.GSI_LIST.some((g) => g.indexName === n))).toEqual([]);
  });
});
