/**
 * OAuth 2.0 authorization code + PKCE (RFC 7636) and OpenID Connect discovery, with nothing provider-specific:
 * the same helpers sign in against Amazon Cognito's hosted UI and the local cloud's issuer. Pure functions over
 * Web Crypto and URLs, so they are tested in Node exactly as the browser runs them.
 */

/** What the console needs from `/.well-known/openid-configuration`. */
export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
  code_challenge_methods_supported?: string[];
}

export class OidcError extends Error {
  constructor(
    message: string,
    readonly code: string = 'oidc_error',
  ) {
    super(message);
    this.name = 'OidcError';
  }
}

export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64UrlDecode(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  const binary = atob(padded);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** A random string of unreserved characters: 32 random bytes give the 43-character verifier RFC 7636 suggests. */
export function randomUrlSafe(byteCount = 32): string {
  const bytes = new Uint8Array(byteCount);
  crypto.getRandomValues(bytes);
  return base64UrlEncode(bytes);
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function createVerifier(): string {
  return randomUrlSafe(32);
}

/** `BASE64URL(SHA256(ASCII(code_verifier)))`, the S256 method. */
export async function challengeS256(verifier: string): Promise<string> {
  if (!VERIFIER.test(verifier)) throw new OidcError('code_verifier must be 43-128 unreserved characters', 'invalid_verifier');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64UrlEncode(new Uint8Array(digest));
}

/**
 * Checks a discovery document names the endpoints the flow needs and that it is the issuer asked for
 * (`expectedIssuer` undefined: the console's own origin, whatever it calls itself).
 */
export function parseDiscovery(doc: unknown, expectedIssuer: string | undefined): Discovery {
  if (!doc || typeof doc !== 'object') throw new OidcError('the discovery document is not a JSON object', 'invalid_discovery');
  const d = doc as Record<string, unknown>;
  for (const k of ['issuer', 'authorization_endpoint', 'token_endpoint'] as const) {
    if (typeof d[k] !== 'string' || !d[k]) throw new OidcError(`the discovery document has no ${k}`, 'invalid_discovery');
  }
  if (expectedIssuer !== undefined && trimSlash(String(d.issuer)) !== trimSlash(expectedIssuer)) {
    throw new OidcError(`the discovery document is for issuer ${String(d.issuer)}, not ${expectedIssuer}`, 'issuer_mismatch');
  }
  const methods = Array.isArray(d.code_challenge_methods_supported) ? d.code_challenge_methods_supported.map(String) : undefined;
  // Cognito's discovery document does not list PKCE methods although it supports S256; only a list without it counts.
  if (methods && !methods.includes('S256')) throw new OidcError('the issuer does not support PKCE S256', 'pkce_unsupported');
  return {
    issuer: String(d.issuer),
    authorization_endpoint: String(d.authorization_endpoint),
    token_endpoint: String(d.token_endpoint),
    ...(typeof d.end_session_endpoint === 'string' ? { end_session_endpoint: d.end_session_endpoint } : {}),
    ...(methods ? { code_challenge_methods_supported: methods } : {}),
  };
}

export function discoveryUrl(issuer: string): string {
  return `${trimSlash(issuer)}/.well-known/openid-configuration`;
}

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  codeChallenge: string;
  nonce?: string;
}

export function authorizeUrl(discovery: Discovery, req: AuthorizeRequest): string {
  const url = new URL(discovery.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', req.clientId);
  url.searchParams.set('redirect_uri', req.redirectUri);
  url.searchParams.set('scope', req.scopes.join(' '));
  url.searchParams.set('state', req.state);
  url.searchParams.set('code_challenge', req.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  if (req.nonce) url.searchParams.set('nonce', req.nonce);
  return url.toString();
}

export type CallbackResult = { kind: 'none' } | { kind: 'code'; code: string } | { kind: 'error'; error: string; description?: string };

/**
 * Reads the redirect back from the authorization endpoint. A URL without `code` or `error` is not a callback; a
 * `state` that differs from the one this tab sent is refused (a forged or replayed response).
 */
export function parseCallback(url: URL, expectedState: string | undefined): CallbackResult {
  const q = url.searchParams;
  const code = q.get('code');
  const error = q.get('error');
  if (!code && !error) return { kind: 'none' };
  if (!expectedState || q.get('state') !== expectedState) return { kind: 'error', error: 'state_mismatch', description: 'the sign-in response does not belong to this tab' };
  if (error) return { kind: 'error', error, ...(q.get('error_description') ? { description: q.get('error_description')! } : {}) };
  return { kind: 'code', code: code! };
}

/** The form body of the token request that redeems the code (a public client: no secret, the verifier instead). */
export function tokenRequestBody(p: { code: string; redirectUri: string; clientId: string; codeVerifier: string }): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    code: p.code,
    redirect_uri: p.redirectUri,
    client_id: p.clientId,
    code_verifier: p.codeVerifier,
  });
}

/** The redirect URI without the callback's query: where the issuer sends the browser back. */
export function callbackCleanUrl(url: URL): string {
  const clean = new URL(url.toString());
  for (const k of ['code', 'state', 'error', 'error_description', 'session_state', 'iss']) clean.searchParams.delete(k);
  return clean.toString();
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}
