/**
 * The local SNS on its own HTTP port. AWS clients POST form-encoded query requests to `/` (GET with the same
 * parameters in the URL works too: SubscribeURL and UnsubscribeURL are such links). Local-only routes live
 * under `/_local/`: the outbox and the certificate that verifies notification signatures.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { DepartmentsFile } from '../../functions/config/schema';
import type { EmailDelivery } from '../../functions/domain/email-delivery';
import { loadConfig } from '../../functions/config/load';
import { DEFAULT_RETRY_POLICY, WebhookDeliverer, type RetryPolicy } from './delivery';
import { SnsError } from './errors';
import { Outbox, outboxLine, type OutboxEntry, type OutboxFilter } from './outbox';
import { provisionTopics, type ProvisionedTopics } from './provision';
import { errorXml, QueryParams, successXml } from './query-protocol';
import { lazySigningIdentity } from './signing';
import { SnsEngine } from './sns';
import { SnsStore } from './store';
import { BodyTooLargeError, readBody } from '../http-body';

export interface SnsServiceOptions {
  /** 0 picks a free port. */
  port: number;
  /** Interface to listen on; local only by default. */
  host?: string;
  /** Persist under `<dataDir>/sns/`; without it everything lives in memory (`--in-memory`). */
  dataDir?: string;
  region?: string;
  accountId?: string;
  /**
   * Called once per outbox entry with a one-line rendering: each email and SMS when it is stored, each webhook
   * delivery when it has succeeded or given up. Default: console.log.
   */
  onDelivery?: (line: string, entry: OutboxEntry) => void;
  /** Webhook retries; default 4 attempts, 1 s doubling to 20 s, 15 s timeout. */
  retry?: Partial<RetryPolicy>;
  /** `auto` (default): http/https subscriptions are confirmed at once. `handshake`: as on AWS, see README. */
  confirmHttpSubscriptions?: 'auto' | 'handshake';
}

export interface SnsService {
  /** Base URL for AWS_ENDPOINT_URL_SNS and `aws --endpoint-url`. */
  endpoint: string;
  region: string;
  accountId: string;
  /** Outbox entries (oldest first), optionally filtered as `GET /_local/outbox` filters them. */
  outbox(filter?: OutboxFilter): Promise<OutboxEntry[]>;
  /**
   * Topics and subscriptions for this stage from the departments config (default: `loadConfig().departments`,
   * the file CDK reads); safe to call on every start.
   */
  provisionFromConfig(departments: DepartmentsFile | undefined, stage: string, delivery?: EmailDelivery): Promise<ProvisionedTopics>;
  /** Resolves once every webhook delivery started so far has finished (for tests and orderly shutdown). */
  idle(): Promise<void>;
  /** Stop listening; webhook deliveries still retrying are abandoned and recorded as failed. */
  close(): Promise<void>;
}

/** 256 KiB messages, url-encoded, in batches of ten fit well below this. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;


export async function startSnsService(options: SnsServiceOptions): Promise<SnsService> {
  const region = options.region ?? 'ap-northeast-1';
  const accountId = options.accountId ?? '000000000000';
  const dir = options.dataDir ? join(options.dataDir, 'sns') : undefined;
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const onDelivery = options.onDelivery ?? ((line: string) => console.log(line));

  const store = new SnsStore(dir);
  const outbox = new Outbox(dir);
  const signing = lazySigningIdentity(dir);
  const record = (entry: OutboxEntry) => {
    outbox.append(entry);
    onDelivery(outboxLine(entry), entry);
  };
  const deliverer = new WebhookDeliverer(retry, record, dir ? join(dir, 'pending') : undefined);
  const engine = new SnsEngine({
    region,
    accountId,
    store,
    outbox,
    deliverer,
    signing,
    retry,
    confirmHttpSubscriptions: options.confirmHttpSubscriptions ?? 'auto',
    onOutboxEntry: (entry) => onDelivery(outboxLine(entry), entry),
  });

  const send = (res: ServerResponse, status: number, contentType: string, body: string, requestId?: string) => {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...(requestId ? { 'x-amzn-requestid': requestId } : {}) });
    res.end(body);
  };

  const handleQuery = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const requestId = randomUUID();
    try {
      const params = new URLSearchParams(url.search);
      if (req.method === 'POST') for (const [k, v] of new URLSearchParams(await readBody(req, MAX_BODY_BYTES))) params.set(k, v);
      const action = params.get('Action');
      if (!action) throw new SnsError('MissingAction', 'Missing Action', 400);
      const result = engine.handle(action, QueryParams.fromSearchParams(params));
      send(res, 200, 'text/xml', successXml(action, requestId, result), requestId);
    } catch (e) {
      let error: SnsError;
      if (e instanceof SnsError) error = e;
      else if (e instanceof BodyTooLargeError) error = new SnsError('RequestEntityTooLarge', 'Request body is too large', 413);
      else {
        console.error('[sns] internal error', e);
        error = new SnsError('InternalError', 'Internal failure', 500, 'Receiver');
      }
      send(res, error.status, 'text/xml', errorXml(error, requestId), requestId);
    }
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/_local/outbox') {
      const filter: OutboxFilter = {};
      for (const k of ['protocol', 'endpoint', 'topicArn', 'messageId', 'status', 'since'] as const) {
        const v = url.searchParams.get(k);
        if (v) filter[k] = v;
      }
      send(res, 200, 'application/json', JSON.stringify({ entries: outbox.list(filter) }));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/_local/sns/signing-cert.pem') {
      send(res, 200, 'application/x-pem-file', signing().certificatePem);
      return;
    }
    if ((req.method === 'POST' || req.method === 'GET') && url.pathname === '/') {
      void handleQuery(req, res, url);
      return;
    }
    send(res, 404, 'application/json', JSON.stringify({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${url.pathname}` } }));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const endpoint = `http://${urlHost}:${port}`;
  engine.baseUrl = endpoint;
  // Webhook deliveries the last run left pending (stopped, or killed mid-retry) go on now.
  deliverer.resumePending();

  return {
    endpoint,
    region,
    accountId,
    outbox: async (filter) => outbox.list(filter),
    provisionFromConfig: async (departments, stage, delivery) => provisionTopics(engine, store, departments ?? loadConfig().departments, stage, delivery),
    idle: () => deliverer.idle(),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await deliverer.close();
      await closed;
    },
  };
}
