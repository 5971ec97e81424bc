/**
 * The local identity provider: an RS256 issuer whose tokens look like the ones the Cognito user pool issues
 * (infra/constructs/identity.ts), so the same API code and the same JWT checks run locally and on AWS.
 *   - people get ID tokens: `sub`, `cognito:groups: [role]`, `custom:department`, `email`, `token_use: 'id'`,
 *     `aud` = the console client id;
 *   - the integration client gets a client-credentials access token: `client_id`, `scope`, `token_use: 'access'`.
 * The signing key lives in the data folder, so tokens survive restarts; JWKS and the OpenID discovery document
 * are served on the gateway port (issuer URL = gateway URL). The authorization code + PKCE flow, the token
 * endpoint (also client credentials), userInfo and logout live in local/oauth.ts, on the gateway's `/oauth2/*`.
 *
 * Token times are wall-clock time, not the local (possibly scaled) business clock: at LOCAL_TIME_SCALE=3600 a
 * one-hour token would otherwise expire in a second.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, errors as joseErrors, type JSONWebKeySet, type JWK, type JWTPayload } from 'jose';
import { LEAD_GROUP, type Role } from '../functions/domain/actor';
import type { Department } from '../functions/config/schema';

export const LOCAL_CONSOLE_CLIENT_ID = 'citydesk-local-console';
export const LOCAL_INTEGRATION_CLIENT_ID = 'citydesk-local-integration';
/** Scopes of the API's resource server (infra/constructs/identity.ts); the integration client holds all of them locally. */
export const INTEGRATION_SCOPES = ['citydesk/cases.read', 'citydesk/cases.write'] as const;
/**
 * The local integration client's secret for the client-credentials grant (POST /oauth2/token). A published demo
 * value: the local cloud is for one machine, and its tokens are worthless anywhere else.
 */
export const LOCAL_INTEGRATION_CLIENT_SECRET = 'citydesk-local-integration-secret';

/** Local tokens last a working day, so a curl session does not need a fresh one every hour. */
export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 3600;

export interface DemoUser {
  username: string;
  /** Display name (a demo persona, not a real person). */
  name: string;
  role: Role;
  department?: string;
  /** Department staff who lead their department (the `lead` group beside `staff`): they assign its cases. */
  lead?: boolean;
  /** Stable across restarts and data folders: derived from the username. */
  sub: string;
  email?: string;
  kind: 'user' | 'client';
}

/** Deterministic UUID-shaped id from a name, so `sub` stays the same for a demo user everywhere. */
function stableSub(username: string): string {
  const h = createHash('sha256').update(`citydesk-local:${username}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function person(username: string, name: string, role: Role, department?: string): DemoUser {
  return { username, name, role, ...(department ? { department } : {}), sub: stableSub(username), email: `${username}@example.org`, kind: 'user' };
}

/**
 * Demo users for every role: two call agents, the staff of every department that receives cases
 * (`pwd.staff`, `dist-zhongli.staff`...) and its lead (`pwd.lead`: staff in the `lead` group, who assigns the
 * department's cases), two 1999 supervisors, an admin and one integration client.
 */
export function demoUsers(departments: readonly Pick<Department, 'code' | 'receivesCases' | 'name'>[]): DemoUser[] {
  const users: DemoUser[] = [
    person('agent1', '話務員 林小姐 (agent)', 'agent'),
    person('agent2', '話務員 陳先生 (agent)', 'agent'),
  ];
  for (const d of departments) {
    if (d.receivesCases === false) continue;
    users.push(person(`${d.code.toLowerCase()}.staff`, `${d.name.zh} 承辦人 (${d.name.en} staff)`, 'staff', d.code));
    users.push({ ...person(`${d.code.toLowerCase()}.lead`, `${d.name.zh} 科長 (${d.name.en} lead)`, 'staff', d.code), lead: true });
  }
  users.push(person('supervisor1', '研考會 督導 王主任 (supervisor)', 'supervisor', 'RDEC'));
  users.push(person('supervisor2', '研考會 督導 張專員 (supervisor)', 'supervisor', 'RDEC'));
  users.push(person('admin', '系統管理員 (admin)', 'admin'));
  users.push({ username: 'integration', name: 'Open311 integration client', role: 'integration', sub: LOCAL_INTEGRATION_CLIENT_ID, kind: 'client' });
  return users;
}

/** The Cognito groups a demo user's tokens carry: the role, and `lead` for a department's lead. */
export function groupsOf(u: Pick<DemoUser, 'role' | 'lead'>): string[] {
  return u.lead ? [u.role, LEAD_GROUP] : [u.role];
}

export class UnknownUserError extends Error {
  constructor(
    readonly username: string,
    readonly known: string[],
  ) {
    super(`No demo user "${username}". Known users: ${known.join(', ')}`);
    this.name = 'UnknownUserError';
  }
}

export interface TokenOptions {
  /** Seconds until expiry; negative mints an already expired token (tests). */
  expiresInSeconds?: number;
  /** Not valid before this many seconds from now. */
  notBeforeInSeconds?: number;
  /** OpenID Connect `nonce` echoed into an ID token. */
  nonce?: string;
  /** A person's access token (as Cognito's hosted UI also returns) instead of the ID token. */
  tokenUse?: 'id' | 'access';
  /** Scopes granted (space-separated): a client's requested subset, or a person's OpenID scopes. */
  scope?: string;
}

export interface LocalIssuer {
  issuer: string;
  consoleClientId: string;
  /** Client ids the JWT authorizer accepts, as `Identity.audiences` on AWS. */
  audiences: string[];
  users: readonly DemoUser[];
  user(username: string): DemoUser;
  jwks(): JSONWebKeySet;
  openIdConfiguration(): Record<string, unknown>;
  token(username: string, options?: TokenOptions): Promise<string>;
}

export interface LocalIssuerOptions {
  /** The gateway URL (no trailing slash). */
  issuer: string;
  users: readonly DemoUser[];
  /** Where the signing key lives; absent = a fresh key per process (in-memory runs). */
  dataDir?: string;
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
}

const PRIVATE_JWK_FIELDS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

export function signingKeyFile(dataDir: string): string {
  return path.join(dataDir, 'identity', 'signing-key.json');
}

async function loadOrCreateKey(dataDir: string | undefined): Promise<StoredKey> {
  const file = dataDir ? signingKeyFile(dataDir) : undefined;
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const stored: StoredKey = { kid: randomUUID(), privateJwk: await exportJWK(privateKey) };
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(stored), { mode: 0o600 });
    renameSync(tmp, file);
  }
  return stored;
}

export async function createLocalIssuer(options: LocalIssuerOptions): Promise<LocalIssuer> {
  const issuer = options.issuer.replace(/\/+$/, '');
  const stored = await loadOrCreateKey(options.dataDir);
  const privateKey = await importJWK({ ...stored.privateJwk, alg: 'RS256' }, 'RS256');
  const publicJwk: JWK = { ...stored.privateJwk };
  for (const f of PRIVATE_JWK_FIELDS) delete publicJwk[f];
  const jwks: JSONWebKeySet = { keys: [{ ...publicJwk, kid: stored.kid, alg: 'RS256', use: 'sig' }] };
  const byName = new Map(options.users.map((u) => [u.username, u]));

  const user = (username: string): DemoUser => {
    const u = byName.get(username);
    if (!u) throw new UnknownUserError(username, [...byName.keys()]);
    return u;
  };

  return {
    issuer,
    consoleClientId: LOCAL_CONSOLE_CLIENT_ID,
    audiences: [LOCAL_CONSOLE_CLIENT_ID, LOCAL_INTEGRATION_CLIENT_ID],
    users: options.users,
    user,
    jwks: () => jwks,
    openIdConfiguration: () => ({
      issuer,
      // local/oauth.ts: a demo-user picker instead of a password, authorization code + PKCE (S256) as on Cognito.
      authorization_endpoint: `${issuer}/oauth2/authorize`,
      token_endpoint: `${issuer}/oauth2/token`,
      userinfo_endpoint: `${issuer}/oauth2/userInfo`,
      end_session_endpoint: `${issuer}/oauth2/logout`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'client_credentials'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile', ...INTEGRATION_SCOPES],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      code_challenge_methods_supported: ['S256'],
      claims_supported: ['sub', 'email', 'email_verified', 'name', 'cognito:groups', 'cognito:username', 'custom:department'],
    }),
    async token(username, opts = {}) {
      const u = user(username);
      const nowSec = Math.floor(Date.now() / 1000);
      const exp = nowSec + (opts.expiresInSeconds ?? DEFAULT_TOKEN_TTL_SECONDS);
      const claims: JWTPayload & Record<string, unknown> =
        u.kind === 'client'
          ? {
              // Cognito client-credentials access token: the subject is the client itself, no audience claim.
              sub: u.sub,
              token_use: 'access',
              scope: opts.scope ?? INTEGRATION_SCOPES.join(' '),
              auth_time: nowSec,
              version: 2,
              client_id: u.sub,
            }
          : opts.tokenUse === 'access'
            ? {
                // Cognito's user access token: groups and scopes, no audience, no profile or custom attributes.
                sub: u.sub,
                'cognito:groups': groupsOf(u),
                token_use: 'access',
                scope: opts.scope ?? 'openid email profile',
                auth_time: nowSec,
                version: 2,
                client_id: LOCAL_CONSOLE_CLIENT_ID,
                username: u.username,
                origin_jti: randomUUID(),
                event_id: randomUUID(),
              }
            : {
              sub: u.sub,
              'cognito:groups': groupsOf(u),
              email_verified: true,
              'cognito:username': u.username,
              origin_jti: randomUUID(),
              aud: LOCAL_CONSOLE_CLIENT_ID,
              event_id: randomUUID(),
              token_use: 'id',
              auth_time: nowSec,
              name: u.name,
              email: u.email,
              ...(u.department ? { 'custom:department': u.department } : {}),
              ...(opts.nonce ? { nonce: opts.nonce } : {}),
            };
      let jwt = new SignJWT(claims).setProtectedHeader({ kid: stored.kid, alg: 'RS256' }).setIssuer(issuer).setIssuedAt(nowSec).setExpirationTime(exp).setJti(randomUUID());
      if (opts.notBeforeInSeconds !== undefined) jwt = jwt.setNotBefore(nowSec + opts.notBeforeInSeconds);
      return jwt.sign(privateKey);
    },
  };
}

// ---------------------------------------------------------------------------------------- JWT authorizer

export interface JwtAuthorizerConfig {
  issuer: string;
  /** Accepted client ids: a token passes when its `aud` or `client_id` is one of them. */
  audiences: readonly string[];
  /** The issuer's key set (the local issuer's, or one fetched from its jwks_uri). */
  jwks: () => JSONWebKeySet;
}

export type JwtVerdict =
  | { ok: true; claims: JWTPayload & Record<string, unknown>; scopes: string[] | null }
  | { ok: false; description: string };

/**
 * Checks a bearer token the way the API Gateway HTTP API JWT authorizer does: RS256 signature against the
 * issuer's JWKS (by `kid`), `iss` equal to the configured issuer, `aud` or `client_id` among the audiences,
 * `exp` in the future and `nbf`/`iat` not in the future. Any failure is a 401 at the gateway.
 */
export function createJwtAuthorizer(config: JwtAuthorizerConfig): (authorizationHeader: string | undefined) => Promise<JwtVerdict> {
  // The key set is imported once per distinct JWKS document (jose caches imported keys inside it).
  let keySet: { source: JSONWebKeySet; get: ReturnType<typeof createLocalJWKSet> } | undefined;
  const keys = () => {
    const source = config.jwks();
    if (keySet?.source !== source) keySet = { source, get: createLocalJWKSet(source) };
    return keySet.get;
  };
  return async (header) => {
    if (!header?.trim()) return { ok: false, description: 'the token is missing' };
    // API Gateway takes the header value with or without the Bearer prefix.
    const token = header.trim().replace(/^Bearer\s+/i, '');
    try {
      const { payload } = await jwtVerify(token, keys(), {
        issuer: config.issuer,
        algorithms: ['RS256'],
        requiredClaims: ['exp'],
      });
      const nowSec = Math.floor(Date.now() / 1000);
      if (typeof payload.iat === 'number' && payload.iat > nowSec) return { ok: false, description: 'the token was issued in the future' };
      const aud = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      const clientId = typeof payload.client_id === 'string' ? payload.client_id : undefined;
      const accepted = aud.some((a) => config.audiences.includes(a)) || (clientId !== undefined && config.audiences.includes(clientId));
      if (!accepted) return { ok: false, description: 'the token does not have a valid audience' };
      const scope = payload.scope ?? payload.scp;
      const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : Array.isArray(scope) ? scope.map(String) : null;
      return { ok: true, claims: payload, scopes };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return { ok: false, description: 'the token has expired' };
      if (e instanceof joseErrors.JWTClaimValidationFailed) return { ok: false, description: `the token ${e.claim} claim is invalid` };
      return { ok: false, description: 'the token is not valid' };
    }
  };
}

// ------------------------------------------------------------------------------------- phone-search key

/**
 * The local stage's phone-hash key (functions/privacy/phone-hash.ts), which the local Secrets Manager serves: random, kept in the data folder next to the
 * signing key so the phone-search index stays valid across restarts; a fresh one per process without a folder.
 */
export function localPiiHashKey(dataDir: string | undefined): string {
  return localSecret(dataDir, 'pii-hash-key');
}

/** The local stage's cursor MAC key (served like the phone-hash key): random per data folder and kept there, so cursors handed out survive a restart. */
export function localCursorSecret(dataDir: string | undefined): string {
  return localSecret(dataDir, 'cursor-secret');
}

function localSecret(dataDir: string | undefined, name: string): string {
  const file = dataDir ? path.join(dataDir, 'identity', name) : undefined;
  if (file && existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('hex');
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, key, { mode: 0o600 });
    renameSync(tmp, file);
  }
  return key;
}
