/**
 * Case items by key, a page at a time: BatchGetItem in chunks of 100 (DynamoDB's limit), unprocessed keys retried.
 * The indexes that project only their keys and what their filters test (table.ts GSIS) name the cases of a page;
 * the page's summaries come from here, so a change of a case's status, deadlines or bookkeeping writes nothing to
 * those indexes. One call for a page of up to 100 cases; an empty page costs none.
 */
import type { BatchGetCommandOutput, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseSummary } from '../usecases/ports';
import { CaseEntity, type Item } from './table';

const BATCH_GET_MAX = 100;
const ATTEMPTS = 5;

/** A ProjectionExpression of top-level attributes and `location.<member>` paths. */
export interface Projection {
  ProjectionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
}

/** What a summary shows (CaseEntity.toSummary): its attributes and the place with its map point. */
export function summaryProjection(extra: readonly string[] = []): Projection {
  const attributes = [...new Set([...CaseEntity.summaryAttributes, ...extra])];
  const members = ['district', 'address', 'lat', 'lng'];
  const names: Record<string, string> = { '#location': 'location' };
  for (const a of [...attributes, ...members]) names[`#${a}`] = a;
  return {
    ProjectionExpression: [...attributes.map((a) => `#${a}`), ...members.map((m) => `#location.#${m}`)].join(', '),
    ExpressionAttributeNames: names,
  };
}

/** The case items of these case numbers (in no particular order; a missing case is left out). */
export async function casesByNumber(ddb: DynamoDBDocumentClient, tableName: string, caseNos: readonly string[], projection: Projection): Promise<Item[]> {
  const unique = [...new Set(caseNos)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += BATCH_GET_MAX) chunks.push(unique.slice(i, i + BATCH_GET_MAX));
  const pages = await Promise.all(
    chunks.map(async (chunk) => {
      const found: Item[] = [];
      let keys: Array<Record<string, unknown>> | undefined = chunk.map((n) => ({ ...CaseEntity.key(n) }));
      for (let attempt = 0; keys?.length && attempt < ATTEMPTS; attempt++) {
        const out: BatchGetCommandOutput = await ddb.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ...projection } } }));
        found.push(...(out.Responses?.[tableName] ?? []));
        keys = out.UnprocessedKeys?.[tableName]?.Keys;
      }
      if (keys?.length) throw new Error('DynamoDB left keys unprocessed after retries');
      return found;
    }),
  );
  return pages.flat();
}

/** The case number of an index item: every index projects the table keys. */
export function caseNoOf(item: Item): string {
  return typeof item.caseNo === 'string' ? item.caseNo : CaseEntity.caseNoOfKey(String(item.pk));
}

/** The summaries of the cases these index items name, in their order; a case gone since is left out. */
export async function summariesOf(ddb: DynamoDBDocumentClient, tableName: string, indexItems: readonly Item[]): Promise<CaseSummary[]> {
  if (indexItems.length === 0) return [];
  const items = await casesByNumber(ddb, tableName, indexItems.map(caseNoOf), summaryProjection());
  const byNo = new Map(items.map((i) => [String(i.caseNo), i]));
  return indexItems.flatMap((i) => {
    const item = byNo.get(caseNoOf(i));
    return item ? [CaseEntity.toSummary(item)] : [];
  });
}
