/**
 * The local Secrets Manager: the one action the functions call, `GetSecretValue`, over AWS JSON 1.1 like the real
 * endpoint (`POST /` with `X-Amz-Target: secretsmanager.GetSecretValue`, `Content-Type: application/x-amz-json-1.1`;
 * errors are `400 { "__type": "<Name>", "message": "..." }`). So `@aws-sdk/client-secrets-manager`
 * (AWS_ENDPOINT_URL_SECRETS_MANAGER) and Powertools Parameters read the stage's keys here as they do on AWS.
 *
 * It serves the secrets it is started with (the local cloud's keys, kept in its data folder), found by ARN or by
 * name as on AWS; each has one version, AWSCURRENT. Any other action is refused with AWS's error, never ignored.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, readBody } from './http-body';

export interface LocalSecret {
  name: string;
  value: string;
}

export interface SecretsManagerServiceOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  region?: string;
  accountId?: string;
  secrets: readonly LocalSecret[];
}

export interface SecretsManagerService {
  /** `http://host:port`, for AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  endpoint: string;
  port: number;
  /** The ARN of each secret by name, as CDK's `secret.secretArn` gives the functions on AWS. */
  arns: Record<string, string>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
const TARGET_PREFIX = 'secretsmanager.';

/** AWS appends a dash and six characters to a secret's name in its ARN; here they are derived from the name. */
export function localSecretArn(name: string, region: string, accountId: string): string {
  const suffix = createHash('sha256').update(name).digest('base64url').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 6);
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`;
}

export async function startSecretsManagerService(options: SecretsManagerServiceOptions): Promise<SecretsManagerService> {
  const region = options.region ?? 'ap-northeast-1';
  const accountId = options.accountId ?? '000000000000';
  // One version per secret, fixed for the service's life: the SDK and Powertools see a stable VersionId.
  const secrets = options.secrets.map((s) => ({ ...s, arn: localSecretArn(s.name, region, accountId), versionId: randomUUID(), created: Date.now() / 1000 }));
  const find = (id: string) => secrets.find((s) => s.arn === id || s.name === id);

  const server = createServer((req, res) => {
    void respond(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { __type: 'InternalServiceError', message: 'internal error' });
    });
  });

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX))
      return send(res, 400, { __type: 'UnknownOperationException', message: 'Expected POST with X-Amz-Target: secretsmanager.<Action>' });
    let body: { SecretId?: unknown; VersionId?: unknown; VersionStage?: unknown };
    try {
      const parsed: unknown = JSON.parse((await readBody(req, MAX_BODY_BYTES)) || '{}');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the request body must be a JSON object');
      body = parsed;
    } catch (error) {
      const message = error instanceof BodyTooLargeError ? error.message : `Cannot parse the request: ${(error as Error).message}`;
      return send(res, 400, { __type: 'SerializationException', message });
    }
    const action = target.slice(TARGET_PREFIX.length);
    if (action !== 'GetSecretValue') return send(res, 400, { __type: 'UnknownOperationException', message: `The local Secrets Manager answers GetSecretValue only, not ${action}` });
    if (typeof body.SecretId !== 'string' || body.SecretId === '')
      return send(res, 400, { __type: 'InvalidParameterException', message: 'SecretId must be a secret name or ARN' });
    const secret = find(body.SecretId);
    if (!secret) return send(res, 400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
    if ((body.VersionId !== undefined && body.VersionId !== secret.versionId) || (body.VersionStage !== undefined && body.VersionStage !== 'AWSCURRENT'))
      return send(res, 400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret value for VersionId or VersionStage." });
    send(res, 200, { ARN: secret.arn, Name: secret.name, SecretString: secret.value, VersionId: secret.versionId, VersionStages: ['AWSCURRENT'], CreatedDate: secret.created });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Never the reason a process stays up (the test setup starts one per test file).
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    arns: Object.fromEntries(secrets.map((s) => [s.name, s.arn])),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': randomUUID() });
  res.end(text);
}
