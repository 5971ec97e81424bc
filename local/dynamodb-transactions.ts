/**
 * DynamoDB transactions for dynalite, which has none. An HTTP front on the local DynamoDB endpoint: every call
 * except TransactWriteItems and TransactGetItems is forwarded unchanged; those two are carried out here with the
 * single-item calls dynalite does have, answering as DynamoDB does, so production code just calls
 * TransactWriteItems and works the same against AWS, DynamoDB Local and the local cloud.
 *
 * How a transaction is made atomic here:
 * - one read/write lock over the endpoint: every forwarded call holds it shared, a transaction holds it
 *   exclusively, so no other call (read or write) runs between its first and last write and nobody sees half of it;
 * - under the lock: read every item the transaction touches (the "before" images), write them to a journal file
 *   (with a data folder), then apply each action as its single-item call with its own condition (a ConditionCheck
 *   is an UpdateItem without updates; the key-only item it leaves on a missing key is deleted again). When any
 *   condition fails, every applied action is undone from the before images and the answer is
 *   TransactionCanceledException with one CancellationReason per action, shaped like AWS's (`ConditionalCheckFailed` with the old item when ReturnValuesOnConditionCheckFailure is ALL_OLD, `None`
 *   for the others). Any other error is undone the same way and passed on;
 * - a process killed mid-transaction leaves the journal behind; the next start puts the before images back before
 *   it serves a call, so a transaction is all or nothing across a crash too.
 * Refused like DynamoDB: no actions or more than 100, an action with not exactly one operation, two actions on one
 * item. ClientRequestToken (idempotent retries of a transaction) is not honoured.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

interface Expressions {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

interface TransactWriteItem {
  Put?: Expressions & { TableName: string; Item: Item };
  Update?: Expressions & { TableName: string; Key: Item; UpdateExpression: string };
  Delete?: Expressions & { TableName: string; Key: Item };
  ConditionCheck?: Expressions & { TableName: string; Key: Item; ConditionExpression: string };
}

interface TransactGetItem {
  Get?: { TableName: string; Key: Item; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> };
}

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

export interface TransactionFront {
  endpoint: string;
  close(): Promise<void>;
}

export const MAX_TRANSACTION_ACTIONS = 100;
const JSON_TYPE = 'application/x-amz-json-1.0';
const ERROR_PREFIX = 'com.amazonaws.dynamodb.v20120810#';
/** dynalite checks that a request is signed, not the signature. */
const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=local/20200101/ap-northeast-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0';

/** Shared for single calls, exclusive for a transaction; granted in arrival order so a transaction is not starved. */
class ReadWriteLock {
  private readers = 0;
  private writer = false;
  private readonly waiting: Array<{ exclusive: boolean; grant: () => void }> = [];

  async run<T>(exclusive: boolean, work: () => Promise<T>): Promise<T> {
    await new Promise<void>((grant) => {
      this.waiting.push({ exclusive, grant });
      this.next();
    });
    try {
      return await work();
    } finally {
      if (exclusive) this.writer = false;
      else this.readers -= 1;
      this.next();
    }
  }

  private next(): void {
    while (this.waiting.length && !this.writer) {
      const head = this.waiting[0];
      if (head.exclusive && this.readers > 0) return;
      this.waiting.shift();
      if (head.exclusive) this.writer = true;
      else this.readers += 1;
      head.grant();
      if (head.exclusive) return;
    }
  }
}

const errorAnswer = (type: string, message: string, extra: Record<string, unknown> = {}): Answer => ({
  status: 400,
  json: { __type: `${ERROR_PREFIX}${type}`, message, ...extra },
});

const errorName = (a: Answer): string => (typeof a.json.__type === 'string' ? a.json.__type : '').split('#').pop() ?? '';

/**
 * Starts the front on `host:port` (0 = any free port) before the DynamoDB at `upstream`. `journal` is the file a
 * transaction's before images are kept in while it runs (absent: in memory only, nothing to recover).
 */
export async function startTransactionFront(upstream: string, options: { host?: string; port?: number; journal?: string } = {}): Promise<TransactionFront> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const lock = new ReadWriteLock();
  const keySchemas = new Map<string, string[]>();

  const call = (operation: string, body: unknown): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: '/',
          agent,
          headers: { 'content-type': JSON_TYPE, 'x-amz-target': `DynamoDB_20120810.${operation}`, authorization: AUTHORIZATION, 'x-amz-date': '20200101T000000Z', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 500, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> });
            } catch (e) {
              reject(e instanceof Error ? e : new Error(String(e)));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  const keyAttributes = async (table: string): Promise<string[] | Answer> => {
    const known = keySchemas.get(table);
    if (known) return known;
    const described = await call('DescribeTable', { TableName: table });
    if (described.status !== 200) return described;
    const keys = ((described.json.Table as { KeySchema: Array<{ AttributeName: string }> }).KeySchema ?? []).map((k) => k.AttributeName);
    keySchemas.set(table, keys);
    return keys;
  };

  const getItem = async (table: string, key: Item): Promise<Item | undefined> => {
    const out = await call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
    if (out.status !== 200) throw new Error(`GetItem ${table}: ${JSON.stringify(out.json)}`);
    return out.json.Item as Item | undefined;
  };

  /** Puts the before images back, last action first. */
  const restore = async (images: Array<{ table: string; key: Item; before?: Item }>): Promise<void> => {
    for (const image of [...images].reverse()) {
      const out = image.before
        ? await call('PutItem', { TableName: image.table, Item: image.before })
        : await call('DeleteItem', { TableName: image.table, Key: image.key });
      if (out.status !== 200) throw new Error(`Undoing a transaction failed on ${image.table}: ${JSON.stringify(out.json)}`);
    }
  };

  // One journal file, opened on the first transaction and kept open: each transaction overwrites it and empties
  // it after, so the common path is two small writes, not a file created, synced and deleted per transaction. No
  // fsync: the journal guards against the process dying mid-transaction, where the page cache keeps what was
  // written; against the machine losing power it would not help, since LevelDB does not sync its own writes.
  let journalFd: number | undefined;
  const writeJournal = (images: Array<{ table: string; key: Item; before?: Item }>): void => {
    if (!options.journal) return;
    journalFd ??= openSync(options.journal, 'w');
    const text = Buffer.from(JSON.stringify(images));
    writeSync(journalFd, text, 0, text.length, 0);
    ftruncateSync(journalFd, text.length);
  };
  const clearJournal = (): void => {
    if (journalFd !== undefined) ftruncateSync(journalFd, 0);
  };
  const closeJournal = (): void => {
    if (journalFd === undefined) return;
    closeSync(journalFd);
    journalFd = undefined;
    rmSync(options.journal!, { force: true });
  };

  if (options.journal && existsSync(options.journal)) {
    // An empty journal is one left between transactions: nothing to undo.
    const text = readFileSync(options.journal, 'utf8');
    if (text) await restore(JSON.parse(text) as Array<{ table: string; key: Item; before?: Item }>);
    rmSync(options.journal, { force: true });
  }

  const transactWrite = async (body: { TransactItems?: TransactWriteItem[] }): Promise<Answer> => {
    const actions = body.TransactItems;
    if (!Array.isArray(actions) || actions.length === 0 || actions.length > MAX_TRANSACTION_ACTIONS)
      return errorAnswer('ValidationException', `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TRANSACTION_ACTIONS} and greater than or equal to 1`);
    const targets: Array<{ table: string; key: Item; operation: string; input: Record<string, unknown>; returnOld: boolean; check?: boolean }> = [];
    const seen = new Set<string>();
    for (const action of actions) {
      const kinds = (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).filter((k) => action[k] !== undefined);
      if (kinds.length !== 1) return errorAnswer('ValidationException', 'TransactItems can only contain one of Check, Put, Update or Delete');
      const kind = kinds[0];
      const a = action[kind]!;
      const keys = await keyAttributes(a.TableName);
      if (!Array.isArray(keys)) return keys;
      const key: Item = kind === 'Put' ? Object.fromEntries(keys.map((k) => [k, (a as { Item: Item }).Item?.[k]])) : (a as { Key: Item }).Key;
      const id = `${a.TableName}\n${JSON.stringify(keys.map((k) => key?.[k]))}`;
      if (seen.has(id)) return errorAnswer('ValidationException', 'Transaction request cannot include multiple operations on one item');
      seen.add(id);
      const { ReturnValuesOnConditionCheckFailure, ...input } = a;
      const returnOld = ReturnValuesOnConditionCheckFailure === 'ALL_OLD';
      if (kind === 'Put') targets.push({ table: a.TableName, key, operation: 'PutItem', input, returnOld });
      else if (kind === 'Update') targets.push({ table: a.TableName, key, operation: 'UpdateItem', input, returnOld });
      else if (kind === 'Delete') targets.push({ table: a.TableName, key, operation: 'DeleteItem', input, returnOld });
      // A condition check writes nothing: an UpdateItem without updates checks the condition, and the undo below
      // removes the key-only item it leaves when the item was missing, whether the transaction went through or not.
      else targets.push({ table: a.TableName, key, operation: 'UpdateItem', input, returnOld, check: true });
    }

    const images: Array<{ table: string; key: Item; before?: Item }> = [];
    for (const t of targets) images.push({ table: t.table, key: t.key, before: await getItem(t.table, t.key) });
    writeJournal(images);
    const reasons: Array<Record<string, unknown>> = [];
    let failed: Answer | undefined;
    let cancelled = false;
    try {
      for (const [i, t] of targets.entries()) {
        const out = await call(t.operation, t.input);
        if (out.status === 200) reasons.push({ Code: 'None' });
        else if (errorName(out) === 'ConditionalCheckFailedException') {
          cancelled = true;
          reasons.push({ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(t.returnOld && images[i].before ? { Item: images[i].before } : {}) });
        } else {
          failed = out;
          break;
        }
      }
      if (cancelled || failed) await restore(images);
      else await restore(images.filter((image, i) => targets[i].check && !image.before));
    } finally {
      clearJournal();
    }
    if (failed) return failed;
    if (cancelled) {
      const codes = reasons.map((r) => String(r.Code));
      while (codes.length < targets.length) codes.push('None');
      return errorAnswer('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`, {
        CancellationReasons: codes.map((code, i) => reasons[i] ?? { Code: code }),
      });
    }
    return { status: 200, json: {} };
  };

  const transactGet = async (body: { TransactItems?: TransactGetItem[] }): Promise<Answer> => {
    const actions = body.TransactItems;
    if (!Array.isArray(actions) || actions.length === 0 || actions.length > MAX_TRANSACTION_ACTIONS || actions.some((a) => !a.Get))
      return errorAnswer('ValidationException', `TransactItems must hold 1 to ${MAX_TRANSACTION_ACTIONS} Get actions`);
    const responses: Array<Record<string, unknown>> = [];
    for (const { Get: get } of actions) {
      const out = await call('GetItem', { ...get, ConsistentRead: true });
      if (out.status !== 200) return out;
      responses.push(out.json.Item ? { Item: out.json.Item } : {});
    }
    return { status: 200, json: { Responses: responses } };
  };

  const forward = (req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: target.host };
      const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', reject);
      });
      up.on('error', reject);
      up.end(raw);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    if (operation !== 'TransactWriteItems' && operation !== 'TransactGetItems') {
      await lock.run(false, () => forward(req, raw, res));
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      send(res, errorAnswer('SerializationException', 'The request body is not JSON'));
      return;
    }
    const answer = operation === 'TransactWriteItems' ? await lock.run(true, () => transactWrite(body)) : await lock.run(false, () => transactGet(body));
    send(res, answer);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, { status: 500, json: { __type: `${ERROR_PREFIX}InternalServerError`, message: e instanceof Error ? e.message : String(e) } });
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        closeJournal();
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, answer: Answer): void {
  const payload = JSON.stringify(answer.json);
  res.writeHead(answer.status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(payload), 'x-amzn-requestid': `local-${Date.now().toString(36)}` });
  res.end(payload);
}
