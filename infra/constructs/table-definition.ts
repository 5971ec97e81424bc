/**
 * The table's key schema as CDK needs it, read from the store's table definition (`functions/adapters/table.ts`),
 * the same constants the repository and the local cloud's dynalite table use.
 */
import { GSI_LIST, indexProjection, PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from '../../functions/adapters/table';

export interface TableIndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** The non-key attributes the index copies; none is KEYS_ONLY (`indexProjection`, as the local table has it). */
  projection: ReturnType<typeof indexProjection>;
}

export interface TableDefinition {
  partitionKey: string;
  sortKey: string;
  ttlAttribute: string;
  indexes: readonly TableIndexDefinition[];
}

export const CASE_TABLE: TableDefinition = {
  partitionKey: PARTITION_KEY,
  sortKey: SORT_KEY,
  ttlAttribute: TTL_ATTRIBUTE,
  indexes: GSI_LIST.map((g) => ({ name: g.indexName, partitionKey: g.partitionKey, sortKey: g.sortKey, projection: indexProjection(g) })),
};
