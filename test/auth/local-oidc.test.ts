/**
 * The local issuer speaks the OpenID Connect flow the console uses against Cognito: discovery, authorize with a
 * demo-user picker, code + PKCE at the token endpoint, JWKS-verifiable tokens with the same claims; and client
 * credentials for machine callers. Driven with the console's own PKCE helpers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { authorizeUrl, challengeS256, createVerifier, parseCallback, parseDiscovery, tokenRequestBody, type Discovery } from '../../console/src/auth/pkce';
import { actorFromClaims } from '../../functions/api/actor-from-claims';
import { loadConfig } from '../../functions/config/load';
import { stringifyClaims } from '../../local/gateway';
import {
  createJwtAuthorizer,
  createLocalIssuer,
  demoUsers,
  LOCAL_CONSOLE_CLIENT_ID,
  LOCAL_INTEGRATION_CLIENT_ID,
  LOCAL_INTEGRATION_CLIENT_SECRET,
  type LocalIssuer,
} from '../../local/identity';
import { CODE_TTL_MS, createOAuthEndpoints, type OAuthHandler } from '../../local/oauth';

let server: Server;
let issuer: LocalIssuer;
let discovery: Discovery;
let oauth: OAuthHandler;
let clockMs = Date.now();
const REDIRECT = 'http://localhost:5173/';

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => void oauth(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = await createLocalIssuer({ issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, users: demoUsers(loadConfig().departments.departments) });
  oauth = createOAuthEndpoints(issuer, { now: () => clockMs });
  discovery = parseDiscovery(issuer.openIdConfiguration(), issuer.issuer);
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

const verify = () => createJwtAuthorizer({ issuer: issuer.issuer, audiences: issuer.audiences, jwks: () => issuer.jwks() });

/** Steps 1-2 of the console's flow: the authorization URL, with a fresh verifier. */
async function begin(overrides: { state?: string; nonce?: string } = {}) {
  const verifier = createVerifier();
  const url = authorizeUrl(discovery, {
    clientId: LOCAL_CONSOLE_CLIENT_ID,
    redirectUri: REDIRECT,
    scopes: ['openid', 'email', 'profile'],
    state: overrides.state ?? 'state-1',
    codeChallenge: await challengeS256(verifier),
    ...(overrides.nonce ? { nonce: overrides.nonce } : {}),
  });
  return { verifier, url: new URL(url) };
}

/** The picker's form submission for one user: the request's parameters plus the username. */
async function pick(url: URL, username: string) {
  const form = new URLSearchParams(url.searchParams);
  form.set('username', username);
  return fetch(`${issuer.issuer}/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
}

async function redeem(code: string, verifier: string, redirectUri = REDIRECT) {
  return fetch(discovery.token_endpoint, { method: 'POST', body: tokenRequestBody({ code, redirectUri, clientId: LOCAL_CONSOLE_CLIENT_ID, codeVerifier: verifier }) });
}

async function signIn(username: string, opts: { nonce?: string } = {}) {
  const { verifier, url } = await begin(opts);
  const picked = await pick(url, username);
  const callback = parseCallback(new URL(picked.headers.get('location')!), 'state-1');
  if (callback.kind !== 'code') throw new Error(`no code: ${JSON.stringify(callback)}`);
  return { code: callback.code, verifier };
}

describe('authorization code + PKCE', () => {
  it('discovery names the endpoints on the issuer, S256 only', () => {
    expect(issuer.openIdConfiguration()).toMatchObject({
      issuer: issuer.issuer,
      authorization_endpoint: `${issuer.issuer}/oauth2/authorize`,
      token_endpoint: `${issuer.issuer}/oauth2/token`,
      jwks_uri: `${issuer.issuer}/.well-known/jwks.json`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
    });
  });

  it('the authorize page lists the demo users to pick from, never the machine client', async () => {
    const { url } = await begin();

    const res = await fetch(url);
    const text = await res.text();

    expect(res.status).toBe(200);
    expect(text).toContain('name="username" value="pwd.staff"');
    expect(text).toContain('name="username" value="supervisor1"');
    expect(text).not.toContain('value="integration"');
  });

  it('picking a user returns a code to the redirect URI; the code and the verifier give an ID token with the same claims as on AWS', async () => {
    const { code, verifier } = await signIn('pwd.staff', { nonce: 'nonce-7' });

    const res = await redeem(code, verifier);
    const body = (await res.json()) as { id_token: string; access_token: string; token_type: string; expires_in: number };
    const verdict = await verify()(`Bearer ${body.id_token}`);

    expect(res.status).toBe(200);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBeGreaterThan(3600);
    expect(verdict.ok).toBe(true);
    const claims = decodeJwt(body.id_token);
    expect(claims).toMatchObject({ iss: issuer.issuer, aud: LOCAL_CONSOLE_CLIENT_ID, token_use: 'id', 'cognito:groups': ['staff'], 'custom:department': 'PWD', nonce: 'nonce-7' });
    const direct = decodeJwt(await issuer.token('pwd.staff'));
    expect(Object.keys(claims).filter((k) => k !== 'nonce').sort()).toEqual(Object.keys(direct).sort());
    expect(actorFromClaims(stringifyClaims(claims))).toEqual({ id: direct.sub, role: 'staff', department: 'PWD', name: direct.name });
    expect(decodeJwt(body.access_token)).toMatchObject({ token_use: 'access', client_id: LOCAL_CONSOLE_CLIENT_ID, 'cognito:groups': ['staff'], scope: 'openid email profile' });
  });

  it('a code is single-use, bound to its verifier and redirect URI, and short-lived', async () => {
    const first = await signIn('agent1');
    expect((await redeem(first.code, first.verifier)).status).toBe(200);
    const reused = await redeem(first.code, first.verifier);

    const second = await signIn('agent1');
    const wrongVerifier = await redeem(second.code, createVerifier());

    const third = await signIn('agent1');
    const wrongRedirect = await redeem(third.code, third.verifier, 'http://localhost:5173/other');

    const fourth = await signIn('agent1');
    clockMs += CODE_TTL_MS;
    const expired = await redeem(fourth.code, fourth.verifier);

    for (const res of [reused, wrongVerifier, wrongRedirect, expired]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    }
  });

  it('without PKCE the browser goes back with invalid_request and its state', async () => {
    const { url } = await begin({ state: 'state-9' });
    url.searchParams.delete('code_challenge');

    const res = await fetch(url, { redirect: 'manual' });
    const back = new URL(res.headers.get('location')!);

    expect(res.status).toBe(302);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ error: 'invalid_request', state: 'state-9' });
  });

  it('an unknown client or a foreign redirect URI gets an error page, never a redirect', async () => {
    const { url } = await begin();
    const unknownClient = new URL(url);
    unknownClient.searchParams.set('client_id', 'someone-else');
    const foreign = new URL(url);
    foreign.searchParams.set('redirect_uri', 'https://evil.example/steal');

    const a = await fetch(unknownClient, { redirect: 'manual' });
    const b = await fetch(foreign, { redirect: 'manual' });

    expect([a.status, b.status]).toEqual([400, 400]);
    expect(a.headers.get('location')).toBeNull();
    expect(b.headers.get('location')).toBeNull();
  });

  it('userInfo answers the signed-in user for the access token', async () => {
    const { code, verifier } = await signIn('supervisor1');
    const { access_token } = (await (await redeem(code, verifier)).json()) as { access_token: string };

    const res = await fetch(`${issuer.issuer}/oauth2/userInfo`, { headers: { authorization: `Bearer ${access_token}` } });

    expect(await res.json()).toMatchObject({ username: 'supervisor1', 'cognito:groups': ['supervisor'] });
  });
});

describe('client credentials', () => {
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  it('the integration client gets an access token with the scopes it asks for, accepted by the API', async () => {
    const res = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { authorization: basic(LOCAL_INTEGRATION_CLIENT_ID, LOCAL_INTEGRATION_CLIENT_SECRET) },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'citydesk/cases.read' }),
    });
    const { access_token } = (await res.json()) as { access_token: string };
    const verdict = await verify()(access_token);

    expect(res.status).toBe(200);
    expect(verdict).toMatchObject({ ok: true, scopes: ['citydesk/cases.read'] });
    expect(actorFromClaims(stringifyClaims(decodeJwt(access_token)))).toEqual({ id: LOCAL_INTEGRATION_CLIENT_ID, role: 'integration', scopes: ['citydesk/cases.read'] });
  });

  it('a wrong secret is invalid_client; a scope beyond the client is invalid_scope', async () => {
    const wrong = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { authorization: basic(LOCAL_INTEGRATION_CLIENT_ID, 'guess') },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const beyond = await fetch(discovery.token_endpoint, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: LOCAL_INTEGRATION_CLIENT_ID, client_secret: LOCAL_INTEGRATION_CLIENT_SECRET, scope: 'citydesk/admin' }),
    });

    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    expect(beyond.status).toBe(400);
    expect(await beyond.json()).toMatchObject({ error: 'invalid_scope' });
  });
});
