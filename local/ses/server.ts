/**
 * The local SES v2 on its own HTTP port, speaking SES v2's REST-JSON protocol: the operation is the method and
 * path (`POST /v2/email/outbound-emails` is SendEmail), JSON in and out, errors as an HTTP status, the error name
 * in `x-amzn-ErrorType` and `{ "message" }`. That is what `@aws-sdk/client-sesv2` (AwsRestJsonProtocol) and the
 * AWS CLI speak; handlers reach it through `AWS_ENDPOINT_URL_SESV2`.
 *
 * E-mails go to the outbox the local SNS writes (`<dataDir>/sns/outbox.jsonl`), one `email` entry per recipient,
 * so `GET /_local/outbox` and the console's outbox screen show them beside the SNS e-mails and SMS.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { EMAIL_PREVIEW_CHARS, oneLine, Outbox, type OutboxEntry, type OutboxFilter } from '../sns/outbox';
import { badRequest, SesError } from './errors';
import { IdentityStore } from './identities';
import { MAX_MESSAGE_BYTES, SesEngine } from './ses';
import { BodyTooLargeError, readBody } from '../http-body';
import { maskPersonalData } from '../../functions/shared/logger';

export interface SesServiceOptions {
  /** 0 picks a free port. */
  port: number;
  /** Interface to listen on; local only by default. */
  host?: string;
  /**
   * Identities persist under `<dataDir>/ses/`, e-mails go to the shared outbox under `<dataDir>/sns/`; without it
   * everything lives in memory (`--in-memory`), in an outbox of this service's own.
   */
  dataDir?: string;
  region?: string;
  /**
   * Identities (domains or addresses) that exist from the start, verified, as CDK's EmailIdentity makes them on
   * AWS; created when missing, left alone when present.
   */
  identities?: readonly string[];
  /** Called once per outbox entry (one recipient of one e-mail) with a one-line rendering. Default: console.log. */
  onDelivery?: (line: string, entry: OutboxEntry) => void;
}

export interface SesService {
  /** Base URL for AWS_ENDPOINT_URL_SESV2 and `aws --endpoint-url`. */
  endpoint: string;
  port: number;
  region: string;
  /**
   * Outbox entries, oldest first, filtered as `GET /_local/outbox` filters them. With a data folder this is the
   * whole shared outbox (the local SNS's entries too); in memory, only the e-mails this service sent.
   */
  outbox(filter?: OutboxFilter): Promise<OutboxEntry[]>;
  close(): Promise<void>;
}

/** The outbox folder both services share. */
export const sharedOutboxDir = (dataDir: string) => join(dataDir, 'sns');

/** Base64 makes a 40 MB message about 54 MB of JSON. */
const MAX_BODY_BYTES = Math.ceil((MAX_MESSAGE_BYTES * 4) / 3) + 1024 * 1024;


function parseJsonObject(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** One terminal line per recipient: the local stand-in for the citizen's mailbox. */
export function sesOutboxLine(e: OutboxEntry): string {
  // Masked as the handlers' logs are; the outbox entry keeps the address (the local stand-in for the mailbox).
  return maskPersonalData(`[ses email] to ${e.endpoint} from ${e.from ?? '?'}${e.subject ? ` «${oneLine(e.subject)}»` : ''}: ${oneLine(e.message, EMAIL_PREVIEW_CHARS)}`);
}

export async function startSesService(options: SesServiceOptions): Promise<SesService> {
  const region = options.region ?? 'ap-northeast-1';
  const onDelivery = options.onDelivery ?? ((line: string) => console.log(line));
  const identities = new IdentityStore(options.dataDir ? join(options.dataDir, 'ses') : undefined);
  const outbox = new Outbox(options.dataDir ? sharedOutboxDir(options.dataDir) : undefined);
  const engine = new SesEngine({
    region,
    identities,
    record: (entry) => {
      outbox.append(entry);
      onDelivery(sesOutboxLine(entry), entry);
    },
  });
  for (const name of options.identities ?? []) {
    if (!identities.get(name)) engine.createEmailIdentity({ EmailIdentity: name });
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  /** The SES v2 operation for a method and path, or undefined when the local SES does not have it. */
  const route = async (req: IncomingMessage, url: URL): Promise<unknown> => {
    const path = url.pathname.replace(/\/+$/, '');
    const identityPath = /^\/v2\/email\/identities\/([^/]+)$/.exec(path);
    const identity = identityPath ? decodeURIComponent(identityPath[1]) : undefined;
    const query = (k: string) => url.searchParams.get(k) ?? undefined;
    const pageSize = (v: unknown) => (v === undefined || v === null ? undefined : Number(v));
    switch (`${req.method} ${identity === undefined ? path : '/v2/email/identities/{EmailIdentity}'}`) {
      case 'POST /v2/email/outbound-emails':
        return engine.sendEmail(parseJsonObject(await readBody(req, MAX_BODY_BYTES)));
      case 'POST /v2/email/identities':
        return engine.createEmailIdentity(parseJsonObject(await readBody(req, MAX_BODY_BYTES)));
      case 'POST /v2/email/list-identities': {
        const body = parseJsonObject(await readBody(req, MAX_BODY_BYTES));
        return engine.listEmailIdentities(pageSize(body.PageSize), typeof body.NextToken === 'string' ? body.NextToken : undefined);
      }
      case 'GET /v2/email/identities':
        return engine.listEmailIdentities(pageSize(query('PageSize')), query('NextToken'));
      case 'GET /v2/email/identities/{EmailIdentity}':
        return engine.getEmailIdentity(identity!);
      case 'DELETE /v2/email/identities/{EmailIdentity}':
        return engine.deleteEmailIdentity(identity!);
      default:
        throw new SesError('UnknownOperationException', `The local SES does not support ${req.method} ${url.pathname}.`, 404);
    }
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const requestId = randomUUID();
    try {
      send(res, 200, await route(req, url), { 'x-amzn-requestid': requestId });
    } catch (e) {
      let error: SesError;
      if (e instanceof SesError) error = e;
      else if (e instanceof BodyTooLargeError) error = new SesError('MessageRejected', 'Message length is more than 40 MB.', 400);
      else {
        console.error('[ses] internal error', e);
        error = new SesError('InternalServiceErrorException', 'Internal failure.', 500);
      }
      send(res, error.status, { message: error.message }, { 'x-amzn-errortype': error.code, 'x-amzn-requestid': requestId });
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
      send(res, 200, { entries: outbox.list(filter) });
      return;
    }
    void handleApi(req, res, url);
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

  return {
    endpoint: `http://${urlHost}:${port}`,
    port,
    region,
    outbox: async (filter) => outbox.list(filter),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * The outboxes of several services as one list, oldest first, each entry once. With a data folder the local SNS
 * and SES share one file and list the same entries; in memory each keeps its own.
 */
export function mergeOutboxes(...lists: OutboxEntry[][]): OutboxEntry[] {
  const [first = [], ...rest] = lists;
  const seen = new Set(first.map((e) => e.id));
  const added = rest.flat().filter((e) => !seen.has(e.id) && seen.add(e.id));
  // Already in file order when nothing was added; otherwise interleave by time (a stable sort keeps ties in order).
  return added.length ? [...first, ...added].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)) : first;
}
