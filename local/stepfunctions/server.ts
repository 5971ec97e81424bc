/**
 * The local Step Functions service on its own HTTP port, speaking AWS JSON 1.0 like the real endpoint:
 * `POST /` with `X-Amz-Target: AWSStepFunctions.<Action>` and `Content-Type: application/x-amz-json-1.0`;
 * errors are `400 { "__type": "<Name>", "message": "..." }`. So `@aws-sdk/client-sfn` (AWS_ENDPOINT_URL_SFN)
 * and `aws --endpoint-url ... stepfunctions ...` work against it.
 *
 * Local-only, beside the AWS protocol: `GET /_local/clock` and `POST /_local/clock/advance` (`{ "ms": n }` or
 * `{ "seconds": n }`, as application/json, Host a loopback name) read and move the local clock, for tests and
 * demos; not served when the service listens on a non-loopback address.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createLocalClock, type LocalClock } from '../clock';
import { SfnApi } from './api';
import { substitute } from './asl';
import { ExecutionEngine } from './engine';
import { SfnServiceError } from './errors';
import type { StateMachineType } from './model';
import type { TaskResolver } from './resources';
import { createFileStore, createMemoryStore } from './store';
import { readBody } from '../http-body';
import { isLoopbackBind, localDoorRefusal } from '../loopback';

export interface StepFunctionsServiceOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Data folder; state lives in `<dataDir>/stepfunctions/`. Omit for an in-memory service. */
  dataDir?: string;
  region?: string;
  accountId?: string;
  /** The process's local clock (install the same one with useClock). Default: real time. */
  clock?: LocalClock;
  /** Binds Task resources; see createTaskResolver. */
  resolveTask: TaskResolver;
  /** `${...}` substitutions applied by createStateMachineFromFile (CDK's definitionSubstitutions). */
  substitutions?: Record<string, string>;
  /** Where engine problems are reported (default: console.error). */
  log?: (message: string) => void;
}

export interface DeployStateMachineInput {
  name: string;
  /** ASL text; `${...}` placeholders are replaced with the service's and these substitutions. */
  definition: string;
  substitutions?: Record<string, string>;
  roleArn?: string;
  type?: StateMachineType;
}

export interface StepFunctionsService {
  /** `http://host:port`, for AWS_ENDPOINT_URL_SFN. */
  endpoint: string;
  port: number;
  clock: LocalClock;
  /** Create the state machine, or update its definition if it changed; returns its ARN. Running executions keep theirs. */
  deployStateMachine(input: DeployStateMachineInput): Promise<string>;
  /** deployStateMachine from an ASL file (e.g. `workflows/case.asl.json`). */
  createStateMachineFromFile(name: string, file: string, substitutions?: Record<string, string>): Promise<string>;
  /** The same actions as over HTTP, in-process: `call('StartExecution', { stateMachineArn, input })`. */
  call(action: string, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Stop listening and timers; running executions stay persisted and continue at the next start. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function startStepFunctionsService(options: StepFunctionsServiceOptions): Promise<StepFunctionsService> {
  const region = options.region ?? process.env.AWS_REGION ?? 'ap-northeast-1';
  const accountId = options.accountId ?? '000000000000';
  const clock = options.clock ?? createLocalClock();
  const log = options.log ?? ((message: string) => console.error(message));
  const store = options.dataDir ? createFileStore(join(options.dataDir, 'stepfunctions')) : createMemoryStore();
  const engine = new ExecutionEngine({ clock, resolveTask: options.resolveTask, store, region, log });
  const api = new SfnApi({ region, accountId, clock, store, engine });
  api.load(await store.loadStateMachines());
  const executions = await store.loadExecutions();

  const server = createServer((req, res) => {
    void respond(req, res).catch((error: unknown) => {
      log(`stepfunctions: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) send(res, 500, { __type: 'InternalFailure', message: 'internal error' });
    });
  });

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/_local/')) {
      // The same doors as the gateway's (local/loopback.ts): off on a network address, loopback Host and JSON only.
      if (!isLoopbackBind(options.host ?? '127.0.0.1')) return send(res, 404, { __type: 'UnknownOperationException', message: 'Not Found' });
      const refusal = localDoorRefusal(req.method ?? 'GET', { host: req.headers.host, 'content-type': req.headers['content-type'] });
      if (refusal) return send(res, refusal.statusCode, { error: { code: refusal.statusCode === 403 ? 'Forbidden' : 'UnsupportedMediaType', message: refusal.message } });
      return localEndpoint(req, res, url.pathname);
    }
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith('AWSStepFunctions.')) {
      return send(res, 400, { __type: 'UnknownOperationException', message: 'Expected POST with X-Amz-Target: AWSStepFunctions.<Action>' });
    }
    let body: Record<string, unknown>;
    try {
      const text = await readBody(req, MAX_BODY_BYTES);
      const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the request body must be a JSON object');
      body = parsed as Record<string, unknown>;
    } catch (error) {
      return send(res, 400, { __type: 'SerializationException', message: (error as Error).message });
    }
    try {
      send(res, 200, await api.handle(target.slice('AWSStepFunctions.'.length), body));
    } catch (error) {
      if (error instanceof SfnServiceError) return send(res, 400, { __type: error.type, message: error.message });
      throw error;
    }
  }

  async function localEndpoint(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'GET' && path === '/_local/clock') {
      return send(res, 200, { now: clock.now().toISOString(), nowMs: clock.nowMs(), scale: clock.scale });
    }
    if (req.method === 'POST' && path === '/_local/clock/advance') {
      let amount: { ms?: unknown; seconds?: unknown };
      try {
        amount = JSON.parse((await readBody(req, MAX_BODY_BYTES)) || '{}') as { ms?: unknown; seconds?: unknown };
      } catch {
        return send(res, 400, { error: { code: 'BadRequest', message: 'body must be JSON: { "ms": n } or { "seconds": n }' } });
      }
      const ms = typeof amount.ms === 'number' ? amount.ms : typeof amount.seconds === 'number' ? amount.seconds * 1000 : Number.NaN;
      if (!Number.isFinite(ms) || ms < 0) {
        return send(res, 400, { error: { code: 'BadRequest', message: 'give a non-negative "ms" or "seconds"', fields: [{ path: 'ms', message: 'non-negative number' }] } });
      }
      clock.advance(ms);
      return send(res, 200, { now: clock.now().toISOString(), nowMs: clock.nowMs(), scale: clock.scale });
    }
    return send(res, 404, { error: { code: 'NotFound', message: `no local endpoint ${req.method} ${path}` } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // Listening on every interface still means "call me on loopback" for the clients in this process.
  const listenHost = options.host ?? '127.0.0.1';
  const endpoint = `http://${listenHost === '0.0.0.0' || listenHost === '::' ? '127.0.0.1' : listenHost}:${port}`;
  // Continue running executions once listening: their tasks may call this endpoint (SendTaskSuccess).
  engine.resume(executions);

  const deployStateMachine = async (input: DeployStateMachineInput): Promise<string> => {
    const definition = substitute(input.definition, { ...options.substitutions, ...input.substitutions });
    const stateMachineArn = api.stateMachineArnOf(input.name);
    const existing = api.stateMachines.get(stateMachineArn);
    if (!existing) {
      await api.handle('CreateStateMachine', {
        name: input.name,
        definition,
        roleArn: input.roleArn ?? `arn:aws:iam::${accountId}:role/local-stepfunctions`,
        type: input.type ?? 'STANDARD',
      });
    } else if (existing.definition !== definition || (input.roleArn !== undefined && existing.roleArn !== input.roleArn)) {
      await api.handle('UpdateStateMachine', { stateMachineArn, definition, ...(input.roleArn ? { roleArn: input.roleArn } : {}) });
    }
    return stateMachineArn;
  };

  return {
    endpoint,
    port,
    clock,
    deployStateMachine,
    async createStateMachineFromFile(name, file, substitutions) {
      return deployStateMachine({ name, definition: await readFile(file, 'utf8'), substitutions });
    },
    call: (action, body) => api.handle(action, body),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await engine.close();
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}

