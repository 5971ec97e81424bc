/**
 * A write-unit tap: an HTTP proxy in front of a local DynamoDB (dynalite) that forwards every call unchanged and
 * bills it the way DynamoDB on-demand does, so the bench can count write units per operation and per case.
 *
 * How DynamoDB bills a write (developer guide, "Read/write capacity mode" and "Provisioned throughput
 * considerations for GSIs"):
 * - the table: one WRU per started KiB of the larger of the item before and after (PutItem, UpdateItem,
 *   DeleteItem; a write that fails its condition still costs the item's size, at least 1);
 * - each GSI: the index entry is an item of its own (table keys + index keys + projected attributes; the 100 bytes
 *   per index item the guide adds are storage overhead, not billed per write); an item entering the index costs
 *   one put, leaving it one delete, a changed index key both (each rounded on its own entry), and a change to a
 *   projected attribute under the same key one write of the larger entry. An item absent before and after, or
 *   whose keys and projected attributes did not change, costs that index nothing;
 * - transactions (TransactWriteItems) cost the table twice, a ConditionCheck included (the checked item's size).
 *   The index copies are not transactional: DynamoDB propagates a committed transaction to the GSIs afterwards,
 *   as it does any write, so they are billed once, like a single call's;
 * - BatchWriteItem bills each put or delete like the single call.
 * Reads: one RRU per started 4 KiB read, half for eventually consistent reads; the tap asks dynalite for the
 * consumed capacity of reads and keeps it.
 *
 * To know the item before and after, the tap reads it from dynalite (consistent GetItem) around each write. The
 * bench drives one case at a time, so these extra reads do not race with other writers of the same item.
 * Calls are attributed to the caller named in the `x-bench-caller` header (set by the bench, see caller.ts).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

/** The parts of a DynamoDB JSON request that name the items it writes. */
interface RequestBody {
  TableName?: string;
  Item?: Item;
  Key?: Item;
  ReturnConsumedCapacity?: string;
  RequestItems?: Record<string, Array<{ PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }>>;
  TransactItems?: Array<{
    Put?: { TableName: string; Item: Item };
    Update?: { TableName: string; Key: Item };
    Delete?: { TableName: string; Key: Item };
    ConditionCheck?: { TableName: string; Key: Item };
  }>;
}

interface IndexDef {
  name: string;
  keys: string[];
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  include: string[];
}

export interface CallRecord {
  at: number;
  caller: string;
  operation: string;
  wru: number;
  /** Of which: table writes, and writes per index. */
  tableWru: number;
  indexWru: Record<string, number>;
  rru: number;
  /** What the call touched: the key prefixes of its items (`CASE/CASE`), or the index it queried. */
  target: string;
  /** Each item written, by its key prefixes: its size (the larger of before and after) and what it was billed. */
  items: ItemWrite[];
}

export interface ItemWrite {
  kind: string;
  bytes: number;
  tableWru: number;
  indexWru: Record<string, number>;
}

export interface WriteUnitTap {
  endpoint: string;
  calls: CallRecord[];
  /** Drops the records so far (e.g. after seeding). */
  reset(): void;
  close(): Promise<void>;
}

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

/** A number's size: about one byte per two significant digits, plus one. */
function numberSize(n: string): number {
  const digits = n.replace(/^-/, '').replace('.', '').replace(/e.*$/i, '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/**
 * `CASE#20261203-00001` -> `CASE`, `STATS#OPEN` -> `STATS#OPEN`, `2026-12-14` -> `…`: the key's leading upper-case
 * words name the entity; what follows identifies the item (and may hold personal data) and is left out.
 */
const prefixOf = (v: AttributeValue | undefined): string => {
  const words: string[] = [];
  for (const part of (v?.S ?? '?').split('#')) {
    if (!/^[A-Z][A-Z_]*$/.test(part)) break;
    words.push(part);
  }
  return words.join('#') || '…';
};
const keyName = (k: Item): string => `${prefixOf(k.pk)}/${prefixOf(k.sk)}`;

function targetOf(op: string, body: RequestBody & { IndexName?: string; KeyConditionExpression?: string }): string {
  switch (op) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return keyName(body.Key ?? {});
    case 'PutItem':
      return keyName(body.Item ?? {});
    case 'Query':
      return body.IndexName ?? 'table';
    case 'TransactWriteItems':
      return (body.TransactItems ?? [])
        .map((t) => {
          const [kind, x] = Object.entries(t)[0] as [string, { Item?: Item; Key?: Item }];
          return `${kind} ${keyName(x.Item ?? x.Key ?? {})}`;
        })
        .join(', ');
    default:
      return '';
  }
}

export function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return (v.B).length ?? Buffer.from(v.B as unknown as string, 'base64').length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((a, s) => a + utf8(s), 0);
  if (v.NS) return v.NS.reduce((a, s) => a + numberSize(s), 0);
  if (v.BS) return v.BS.reduce((a, b) => a + (b).length, 0);
  if (v.L) return 3 + v.L.reduce((a, e) => a + 1 + valueSize(e), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((a, [k, e]) => a + 1 + utf8(k) + valueSize(e), 0);
  return 0;
}

export function itemSize(item: Item | undefined, only?: ReadonlySet<string>): number {
  if (!item) return 0;
  let size = 0;
  for (const [k, v] of Object.entries(item)) if (!only || only.has(k)) size += utf8(k) + valueSize(v);
  return size;
}

const units = (bytes: number, unit: number): number => Math.max(1, Math.ceil(bytes / unit));
const same = (a: AttributeValue | undefined, b: AttributeValue | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Write units of one item write across the table and its indexes. */
export function billWrite(before: Item | undefined, after: Item | undefined, tableKeys: string[], indexes: readonly IndexDef[]): { table: number; index: Record<string, number> } {
  const table = units(Math.max(itemSize(before), itemSize(after)), 1024);
  const index: Record<string, number> = {};
  for (const ix of indexes) {
    const inOld = !!before && ix.keys.every((k) => before[k]?.S !== undefined);
    const inNew = !!after && ix.keys.every((k) => after[k]?.S !== undefined);
    const projected = (it: Item): ReadonlySet<string> | undefined =>
      ix.projection === 'ALL' ? undefined : new Set([...tableKeys, ...ix.keys, ...(ix.projection === 'INCLUDE' ? ix.include : [])].filter((k) => k in it));
    const entry = (it: Item) => itemSize(it, projected(it));
    let w = 0;
    if (inOld && inNew) {
      const keyMoved = ix.keys.some((k) => !same(before[k], after[k]));
      if (keyMoved) w = units(entry(before), 1024) + units(entry(after), 1024);
      else {
        const attrs = ix.projection === 'ALL' ? new Set([...Object.keys(before), ...Object.keys(after)]) : new Set([...(projected(before) ?? []), ...(projected(after) ?? [])]);
        if ([...attrs].some((k) => !same(before[k], after[k]))) w = units(Math.max(entry(before), entry(after)), 1024);
      }
    } else if (inNew) w = units(entry(after), 1024);
    else if (inOld) w = units(entry(before), 1024);
    if (w) index[ix.name] = w;
  }
  return { table, index };
}

interface Upstream {
  call<T>(target: string, body: unknown): Promise<{ status: number; text: string; json: T }>;
}

function upstreamOf(endpoint: string): Upstream {
  const url = new URL(endpoint);
  return {
    call<T>(target: string, body: unknown): Promise<{ status: number; text: string; json: T }> {
      const payload = JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          { host: url.hostname, port: url.port, method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${target}`, authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/ap-northeast-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0', 'x-amz-date': '20200101T000000Z', 'content-length': Buffer.byteLength(payload) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              resolve({ status: res.statusCode ?? 0, text, json: (text ? JSON.parse(text) : {}) as T });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startWriteUnitTap(upstreamEndpoint: string): Promise<WriteUnitTap> {
  const upstream = upstreamOf(upstreamEndpoint);
  const schemas = new Map<string, { keys: string[]; indexes: IndexDef[] }>();
  const schemaOf = async (table: string) => {
    let s = schemas.get(table);
    if (!s) {
      const described = await upstream.call<{ Table: { KeySchema: Array<{ AttributeName: string }>; GlobalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: Array<{ AttributeName: string }>; Projection: { ProjectionType: IndexDef['projection']; NonKeyAttributes?: string[] } }> } }>('DescribeTable', { TableName: table });
      if (described.status !== 200) throw new Error(`DescribeTable ${table}: ${described.status} ${described.text}`);
      const d = described.json.Table;
      s = {
        keys: d.KeySchema.map((k) => k.AttributeName),
        indexes: (d.GlobalSecondaryIndexes ?? []).map((g) => ({ name: g.IndexName, keys: g.KeySchema.map((k) => k.AttributeName), projection: g.Projection.ProjectionType, include: g.Projection.NonKeyAttributes ?? [] })),
      };
      schemas.set(table, s);
    }
    return s;
  };
  const getItem = async (table: string, key: Item): Promise<Item | undefined> => (await upstream.call<{ Item?: Item }>('GetItem', { TableName: table, Key: key, ConsistentRead: true })).json.Item;
  const keyOf = (item: Item, keys: string[]): Item => Object.fromEntries(keys.map((k) => [k, item[k]]));

  const calls: CallRecord[] = [];
  /** The item writes a request makes: table + key, or the whole put item. */
  const writesOf = async (op: string, body: RequestBody): Promise<Array<{ table: string; key: Item; factor: number }>> => {
    const table = body.TableName ?? '';
    switch (op) {
      case 'PutItem':
        return [{ table, key: keyOf(body.Item ?? {}, (await schemaOf(table)).keys), factor: 1 }];
      case 'UpdateItem':
      case 'DeleteItem':
        return [{ table, key: body.Key ?? {}, factor: 1 }];
      case 'BatchWriteItem': {
        const out = [];
        for (const [table, reqs] of Object.entries(body.RequestItems ?? {})) {
          const { keys } = await schemaOf(table);
          for (const r of reqs) out.push({ table, key: r.PutRequest ? keyOf(r.PutRequest.Item, keys) : (r.DeleteRequest?.Key ?? {}), factor: 1 });
        }
        return out;
      }
      case 'TransactWriteItems': {
        const out = [];
        for (const t of body.TransactItems ?? []) {
          if (t.Put) out.push({ table: t.Put.TableName, key: keyOf(t.Put.Item, (await schemaOf(t.Put.TableName)).keys), factor: 2 });
          else if (t.Update) out.push({ table: t.Update.TableName, key: t.Update.Key, factor: 2 });
          else if (t.Delete) out.push({ table: t.Delete.TableName, key: t.Delete.Key, factor: 2 });
          // A ConditionCheck costs one WRU of the checked item's size, twice as a transaction item.
          else if (t.ConditionCheck) out.push({ table: t.ConditionCheck.TableName, key: t.ConditionCheck.Key, factor: -2 });
        }
        return out;
      }
      default:
        return [];
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const raw = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.split('.')[1] ?? '';
      const caller = String(req.headers['x-bench-caller'] ?? 'other');
      let body: RequestBody = {};
      try {
        body = (raw.length ? JSON.parse(raw.toString('utf8')) : {}) as RequestBody;
      } catch {
        /* forwarded as is; dynalite answers the parse error */
      }
      const writes = await writesOf(op, body).catch(() => []);
      const before = await Promise.all(writes.map((w) => getItem(w.table, w.key)));
      const isRead = ['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems'].includes(op);
      const forwarded = isRead && !body.ReturnConsumedCapacity ? JSON.stringify({ ...body, ReturnConsumedCapacity: 'TOTAL' }) : raw;
      const answer = await new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        const url = new URL(upstreamEndpoint);
        const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: url.host, 'content-length': String(Buffer.byteLength(forwarded)) };
        delete headers['x-bench-caller'];
        const up = httpRequest({ host: url.hostname, port: url.port, method: req.method, path: req.url, headers }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ status: r.statusCode ?? 500, headers: r.headers, body: Buffer.concat(chunks) }));
          r.on('error', reject);
        });
        up.on('error', reject);
        up.end(forwarded);
      });
      let tableWru = 0;
      const indexWru: Record<string, number> = {};
      const items: ItemWrite[] = [];
      if (writes.length) {
        const after = await Promise.all(writes.map((w) => getItem(w.table, w.key)));
        for (let i = 0; i < writes.length; i++) {
          const w = writes[i];
          const { keys, indexes } = await schemaOf(w.table);
          const kind = keyName(w.key);
          if (w.factor < 0) {
            const checked = -w.factor * units(itemSize(before[i]), 1024);
            tableWru += checked;
            items.push({ kind: `${kind} (check)`, bytes: itemSize(before[i]), tableWru: checked, indexWru: {} });
            continue;
          }
          const next = answer.status === 200 ? after[i] : before[i];
          const bill = billWrite(before[i], next, keys, indexes);
          tableWru += w.factor * bill.table;
          // The index copies are billed once, transaction or not (see the docblock).
          for (const [ix, n] of Object.entries(bill.index)) indexWru[ix] = (indexWru[ix] ?? 0) + n;
          items.push({ kind, bytes: Math.max(itemSize(before[i]), itemSize(next)), tableWru: w.factor * bill.table, indexWru: bill.index });
        }
      }
      let rru = 0;
      if (isRead && answer.status === 200) {
        const parsed = JSON.parse(answer.body.toString('utf8')) as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> };
        const cc = parsed.ConsumedCapacity;
        rru = Array.isArray(cc) ? cc.reduce((a, c) => a + (c.CapacityUnits ?? 0), 0) : (cc?.CapacityUnits ?? 0);
      }
      const wru = tableWru + Object.values(indexWru).reduce((a, b) => a + b, 0);
      calls.push({ at: Date.now(), caller, operation: op, wru, tableWru, indexWru, rru, target: targetOf(op, body), items });
      res.writeHead(answer.status, answer.headers as Record<string, string>);
      res.end(answer.body);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(e) }));
    }
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    reset: () => void calls.splice(0),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
