/**
 * OpenID Connect sign-in with authorization code + PKCE, for a public client (no secret in a browser):
 *   1. fetch the issuer's discovery document;
 *   2. keep a fresh verifier and state in sessionStorage, redirect to the authorization endpoint with the
 *      S256 challenge;
 *   3. back on the redirect URI: check the state, redeem the code with the verifier at the token endpoint;
 *   4. the ID token (it carries `cognito:groups` and `custom:department`) becomes the session's bearer token.
 */
import type { AuthConfig } from '../config';
import type { AuthModuleBase } from './base';
import {
  authorizeUrl,
  callbackCleanUrl,
  challengeS256,
  createVerifier,
  discoveryUrl,
  OidcError,
  parseCallback,
  parseDiscovery,
  randomUrlSafe,
  tokenRequestBody,
  type Discovery,
} from './pkce';
import { sessionFromToken, type Session } from './session';

export interface OidcAuth extends AuthModuleBase {
  mode: 'oidc';
  /** Redirects the browser to the issuer's sign-in page. */
  beginSignIn(): Promise<void>;
}

type OidcSettings = Extract<AuthConfig, { mode: 'oidc' }>;

interface PendingSignIn {
  state: string;
  verifier: string;
  redirectUri: string;
  /** Where to go back to after signing in (the hash route the user asked for). */
  returnTo: string;
}

const PENDING_KEY = 'citydesk.oidc.pending';

export interface OidcDeps {
  fetch: typeof fetch;
  storage: Storage;
  navigate: (url: string) => void;
  replaceUrl: (url: string) => void;
  currentHash: () => string;
}

const browserDeps = (): OidcDeps => ({
  fetch: (...a) => fetch(...a),
  storage: sessionStorage,
  navigate: (url) => window.location.assign(url),
  replaceUrl: (url) => window.history.replaceState(null, '', url),
  currentHash: () => window.location.hash,
});

export function createOidcAuth(settings: OidcSettings, origin: string, deps: OidcDeps = browserDeps()): OidcAuth {
  const redirectUri = settings.redirectUri ?? `${origin}/`;
  // A relative issuer is this origin's own: its discovery document is trusted to name itself (the local cloud
  // calls itself http://localhost:3000 also when the page was opened as http://127.0.0.1:3000).
  const sameOrigin = settings.issuer.startsWith('/');
  const issuerUrl = sameOrigin ? new URL(settings.issuer, origin).href.replace(/\/+$/, '') : settings.issuer;
  let discovery: Promise<Discovery> | undefined;
  const discover = () =>
    (discovery ??= deps
      .fetch(discoveryUrl(issuerUrl))
      .then(async (res) => {
        if (!res.ok) throw new OidcError(`discovery: HTTP ${res.status}`, 'discovery_failed');
        return parseDiscovery(await res.json(), sameOrigin ? undefined : issuerUrl);
      })
      .catch((e: unknown) => {
        discovery = undefined;
        throw e;
      }));

  return {
    mode: 'oidc',
    async beginSignIn() {
      const d = await discover();
      const pending: PendingSignIn = { state: randomUrlSafe(16), verifier: createVerifier(), redirectUri, returnTo: deps.currentHash() };
      deps.storage.setItem(PENDING_KEY, JSON.stringify(pending));
      const codeChallenge = await challengeS256(pending.verifier);
      deps.navigate(authorizeUrl(d, { clientId: settings.clientId, redirectUri, scopes: settings.scopes, state: pending.state, codeChallenge }));
    },
    async completeRedirect(url) {
      const raw = deps.storage.getItem(PENDING_KEY);
      const pending = raw ? (JSON.parse(raw) as PendingSignIn) : undefined;
      const result = parseCallback(url, pending?.state);
      if (result.kind === 'none') return undefined;
      deps.storage.removeItem(PENDING_KEY);
      // The code is single-use: take it out of the address bar before anything else can re-read it.
      deps.replaceUrl(callbackCleanUrl(url).replace(/#.*$/, '') + (pending?.returnTo ?? ''));
      if (result.kind === 'error') throw new OidcError(result.description ?? result.error, result.error);
      const d = await discover();
      const res = await deps.fetch(d.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: tokenRequestBody({ code: result.code, redirectUri: pending!.redirectUri, clientId: settings.clientId, codeVerifier: pending!.verifier }),
      });
      const json = (await res.json().catch(() => ({}))) as { id_token?: unknown; error?: string; error_description?: string };
      if (!res.ok || typeof json.id_token !== 'string') throw new OidcError(json.error_description ?? json.error ?? `token: HTTP ${res.status}`, json.error ?? 'token_failed');
      return sessionFromToken(json.id_token) satisfies Session;
    },
    async signOut() {
      if (settings.logoutUrl) {
        const url = new URL(settings.logoutUrl);
        url.searchParams.set('client_id', settings.clientId);
        url.searchParams.set('logout_uri', redirectUri);
        deps.navigate(url.toString());
        return;
      }
      const d = await discover().catch(() => undefined);
      if (d?.end_session_endpoint) {
        const url = new URL(d.end_session_endpoint);
        url.searchParams.set('client_id', settings.clientId);
        url.searchParams.set('post_logout_redirect_uri', redirectUri);
        deps.navigate(url.toString());
      }
    },
  };
}
