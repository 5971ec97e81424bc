/**
 * The local issuer's OAuth 2.0 / OpenID Connect endpoints, on the gateway's `/oauth2/*`, so the console signs in
 * locally exactly as on AWS (Cognito hosted UI): discovery -> authorize -> code -> token with PKCE.
 *   GET  /oauth2/authorize   checks the request (client, redirect URI, PKCE S256) and shows a demo-user picker
 *                            (the local stand-in for the hosted UI's password page);
 *   POST /oauth2/authorize   the picked user: a single-use code (60 s) back to the redirect URI with `state`;
 *   POST /oauth2/token       `authorization_code`: code + the PKCE verifier -> ID and access tokens (the claims of
 *                            local/identity.ts, the same as Cognito's); `client_credentials`: the integration
 *                            client with its secret -> an access token with the scopes it asked for;
 *   GET  /oauth2/userInfo    the signed-in user's claims, for a bearer access or ID token;
 *   GET  /oauth2/logout      back to a local post-logout address (sessions live in the browser only).
 * Errors follow RFC 6749: before the redirect URI is trusted an error page, after it a redirect with `error`;
 * the token endpoint answers JSON `{ error, error_description }`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createJwtAuthorizer,
  groupsOf,
  INTEGRATION_SCOPES,
  LOCAL_CONSOLE_CLIENT_ID,
  LOCAL_INTEGRATION_CLIENT_ID,
  LOCAL_INTEGRATION_CLIENT_SECRET,
  type DemoUser,
  type LocalIssuer,
} from './identity';

/** A code is redeemed at once by the console; a minute is plenty and keeps stolen codes short-lived. */
export const CODE_TTL_MS = 60_000;
const OPENID_SCOPES = ['openid', 'email', 'profile'];

interface PendingCode {
  username: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  nonce?: string;
  expiresAt: number;
}

interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  state?: string;
  scope: string;
  codeChallenge: string;
  nonce?: string;
}

export interface OAuthOptions {
  /** Redirect URIs the console client may use besides any page on the issuer's own origin or on localhost. */
  redirectUris?: readonly string[];
  /** Wall clock (ms); tests move it. */
  now?: () => number;
}

export type OAuthHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void>;

export function createOAuthEndpoints(issuer: LocalIssuer, options: OAuthOptions = {}): OAuthHandler {
  const now = options.now ?? (() => Date.now());
  const codes = new Map<string, PendingCode>();
  const verify = createJwtAuthorizer({ issuer: issuer.issuer, audiences: issuer.audiences, jwks: () => issuer.jwks() });
  const people = issuer.users.filter((u) => u.kind === 'user');

  const redirectAllowed = (uri: string): boolean => {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return false;
    }
    if (url.hash) return false;
    if (options.redirectUris?.includes(uri)) return true;
    if (url.origin === new URL(issuer.issuer).origin) return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  };

  /** Validates an authorization request; `redirect` is set once the redirect URI can be trusted. */
  const readAuthorize = (q: URLSearchParams): { params?: AuthorizeParams; page?: string; redirect?: { uri: string; error: string; description: string; state?: string } } => {
    const clientId = q.get('client_id') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    if (clientId !== LOCAL_CONSOLE_CLIENT_ID) return { page: `Unknown client_id "${clientId}". The console's client id is ${LOCAL_CONSOLE_CLIENT_ID}.` };
    if (!redirectAllowed(redirectUri)) return { page: `redirect_uri "${redirectUri}" is not allowed for ${clientId}.` };
    const state = q.get('state') ?? undefined;
    const fail = (error: string, description: string) => ({ redirect: { uri: redirectUri, error, description, ...(state ? { state } : {}) } });
    if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'only response_type=code is supported');
    const codeChallenge = q.get('code_challenge') ?? '';
    if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge) || q.get('code_challenge_method') !== 'S256')
      return fail('invalid_request', 'PKCE is required: code_challenge (S256, 43 characters) and code_challenge_method=S256');
    const scopes = (q.get('scope') ?? 'openid').split(' ').filter(Boolean);
    if (!scopes.includes('openid') || scopes.some((s) => !OPENID_SCOPES.includes(s))) return fail('invalid_scope', `scope must include openid and only ${OPENID_SCOPES.join(', ')}`);
    const nonce = q.get('nonce') ?? undefined;
    return { params: { clientId, redirectUri, scope: scopes.join(' '), codeChallenge, ...(state ? { state } : {}), ...(nonce ? { nonce } : {}) } };
  };

  const authorizeGet = (res: ServerResponse, q: URLSearchParams) => {
    const read = readAuthorize(q);
    if (read.page) return html(res, 400, errorPage(read.page));
    if (read.redirect) return redirectWithError(res, read.redirect);
    html(res, 200, pickerPage(read.params!, people));
  };

  const authorizePost = (res: ServerResponse, form: URLSearchParams) => {
    const read = readAuthorize(form);
    if (read.page) return html(res, 400, errorPage(read.page));
    if (read.redirect) return redirectWithError(res, read.redirect);
    const p = read.params!;
    const user = people.find((u) => u.username === form.get('username'));
    if (!user) return html(res, 400, pickerPage(p, people, `Pick one of the demo users (got "${form.get('username') ?? ''}").`));
    for (const [code, pending] of codes) if (pending.expiresAt <= now()) codes.delete(code);
    const code = randomBytes(32).toString('base64url');
    codes.set(code, { username: user.username, clientId: p.clientId, redirectUri: p.redirectUri, codeChallenge: p.codeChallenge, scope: p.scope, ...(p.nonce ? { nonce: p.nonce } : {}), expiresAt: now() + CODE_TTL_MS });
    const target = new URL(p.redirectUri);
    target.searchParams.set('code', code);
    if (p.state) target.searchParams.set('state', p.state);
    redirect(res, target.toString());
  };

  const token = async (req: IncomingMessage, res: ServerResponse, form: URLSearchParams) => {
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const pending = codes.get(code);
      // Single use: a code is gone after its first redemption, whatever the outcome.
      codes.delete(code);
      if (!pending || pending.expiresAt <= now()) return tokenError(res, 400, 'invalid_grant', 'the code is unknown, used or expired');
      if (form.get('client_id') !== pending.clientId) return tokenError(res, 400, 'invalid_grant', 'the code was issued to another client');
      if (form.get('redirect_uri') !== pending.redirectUri) return tokenError(res, 400, 'invalid_grant', 'redirect_uri differs from the authorization request');
      const verifier = form.get('code_verifier') ?? '';
      if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || !sameText(s256(verifier), pending.codeChallenge))
        return tokenError(res, 400, 'invalid_grant', 'code_verifier does not match the code_challenge');
      const [idToken, accessToken] = await Promise.all([
        issuer.token(pending.username, pending.nonce ? { nonce: pending.nonce } : {}),
        issuer.token(pending.username, { tokenUse: 'access', scope: pending.scope }),
      ]);
      return json(res, 200, { id_token: idToken, access_token: accessToken, token_type: 'Bearer', expires_in: secondsLeft(idToken) });
    }
    if (grant === 'client_credentials') {
      const client = clientCredentials(req, form);
      if (!client || client.id !== LOCAL_INTEGRATION_CLIENT_ID || !sameText(client.secret, LOCAL_INTEGRATION_CLIENT_SECRET))
        return tokenError(res, 401, 'invalid_client', 'unknown client or wrong secret', { 'www-authenticate': 'Basic realm="citydesk-local"' });
      const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
      const allowed: readonly string[] = INTEGRATION_SCOPES;
      if (asked.some((s) => !allowed.includes(s))) return tokenError(res, 400, 'invalid_scope', `this client may ask for ${allowed.join(', ')}`);
      const user = issuer.users.find((u) => u.kind === 'client' && u.sub === client.id)!;
      const accessToken = await issuer.token(user.username, { scope: (asked.length ? asked : allowed).join(' ') });
      return json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: secondsLeft(accessToken) });
    }
    return tokenError(res, 400, 'unsupported_grant_type', 'grant_type must be authorization_code or client_credentials');
  };

  const userInfo = async (req: IncomingMessage, res: ServerResponse) => {
    const verdict = await verify(header(req, 'authorization'));
    if (!verdict.ok) return json(res, 401, { error: 'invalid_token', error_description: verdict.description }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    const user = people.find((u) => u.sub === verdict.claims.sub);
    if (!user) return json(res, 401, { error: 'invalid_token', error_description: 'not a user token' });
    json(res, 200, {
      sub: user.sub,
      username: user.username,
      name: user.name,
      email: user.email,
      email_verified: true,
      'cognito:groups': groupsOf(user),
      ...(user.department ? { 'custom:department': user.department } : {}),
    });
  };

  return async (req, res, body) => {
    const url = new URL(req.url ?? '/', issuer.issuer);
    const method = req.method ?? 'GET';
    const form = new URLSearchParams(body.toString('utf8'));
    switch (`${method} ${url.pathname}`) {
      case 'GET /oauth2/authorize':
        return authorizeGet(res, url.searchParams);
      case 'POST /oauth2/authorize':
        return authorizePost(res, form);
      case 'POST /oauth2/token':
        return token(req, res, form);
      case 'GET /oauth2/userInfo':
        return userInfo(req, res);
      case 'GET /oauth2/logout': {
        const back = url.searchParams.get('post_logout_redirect_uri') ?? url.searchParams.get('logout_uri');
        if (back && redirectAllowed(back)) return redirect(res, back);
        return html(res, 200, page('Signed out', '<p>You are signed out of the local console. Close this tab, or <a href="/">open the console</a>.</p>'));
      }
      default:
        return json(res, 404, { error: 'not_found', error_description: `${method} ${url.pathname} is not an endpoint of the local issuer` });
    }
  };
}

// ------------------------------------------------------------------------------------------------- helpers

function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function secondsLeft(jwt: string): number {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { exp: number };
  return Math.max(0, payload.exp - Math.floor(Date.now() / 1000));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** HTTP Basic (client_secret_basic) or form fields (client_secret_post). */
function clientCredentials(req: IncomingMessage, form: URLSearchParams): { id: string; secret: string } | undefined {
  const auth = header(req, 'authorization');
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id && secret ? { id, secret } : undefined;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache', ...headers });
  res.end(JSON.stringify(body));
}

function tokenError(res: ServerResponse, status: number, error: string, description: string, headers: Record<string, string> = {}): void {
  json(res, status, { error, error_description: description }, headers);
}

function html(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" });
  res.end(text);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
}

function redirectWithError(res: ServerResponse, r: { uri: string; error: string; description: string; state?: string }): void {
  const url = new URL(r.uri);
  url.searchParams.set('error', r.error);
  url.searchParams.set('error_description', r.description);
  if (r.state) url.searchParams.set('state', r.state);
  redirect(res, url.toString());
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,"Noto Sans TC",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.4rem}
form{margin:0}ul{list-style:none;padding:0}li{margin:.4rem 0}button{width:100%;text-align:left;padding:.6rem .8rem;border:1px solid #888;border-radius:.4rem;background:#f6f6f6;font-size:1rem;cursor:pointer}
button:hover,button:focus{background:#e3eefc}.role{color:#555;font-size:.85rem}.err{color:#a00}</style></head><body>${body}</body></html>`;
}

function errorPage(message: string): string {
  return page('Sign-in error', `<h1>無法登入 / Cannot sign in</h1><p class="err">${escapeHtml(message)}</p>`);
}

/** The demo-user picker: one form per user, carrying the authorization request back in hidden fields. */
function pickerPage(p: AuthorizeParams, users: readonly DemoUser[], problem?: string): string {
  const hidden = Object.entries({
    response_type: 'code',
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    scope: p.scope,
    code_challenge: p.codeChallenge,
    code_challenge_method: 'S256',
    ...(p.state ? { state: p.state } : {}),
    ...(p.nonce ? { nonce: p.nonce } : {}),
  })
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
    .join('');
  const items = users
    .map(
      (u) =>
        `<li><form method="post" action="/oauth2/authorize">${hidden}<input type="hidden" name="username" value="${escapeHtml(u.username)}"><button type="submit">${escapeHtml(u.name)}<br><span class="role">${escapeHtml(u.username)} · ${u.role}${u.department ? ` · ${escapeHtml(u.department)}` : ''}</span></button></form></li>`,
    )
    .join('');
  return page(
    'CityDesk 1999 (local) sign-in',
    `<h1>CityDesk 1999 本機登入 / local sign-in</h1><p>選擇示範使用者（本機環境沒有密碼）。Pick a demo user: the local cloud has no passwords.</p>${problem ? `<p class="err">${escapeHtml(problem)}</p>` : ''}<ul>${items}</ul>`,
  );
}
