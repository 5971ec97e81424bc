import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  base64UrlDecode,
  base64UrlEncode,
  callbackCleanUrl,
  challengeS256,
  createVerifier,
  OidcError,
  parseCallback,
  parseDiscovery,
  tokenRequestBody,
  type Discovery,
} from '../../console/src/auth/pkce';
import { decodeJwtPayload, isExpired, sessionFromToken, TokenError } from '../../console/src/auth/session';
import { createOidcAuth, type OidcDeps } from '../../console/src/auth/oidc';
import { parseRuntimeConfig, ConfigError } from '../../console/src/config';

const ISSUER = 'https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_Example';
const DISCOVERY: Discovery = {
  issuer: ISSUER,
  authorization_endpoint: 'https://citydesk.auth.ap-northeast-1.amazoncognito.com/oauth2/authorize',
  token_endpoint: 'https://citydesk.auth.ap-northeast-1.amazoncognito.com/oauth2/token',
};

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => base64UrlEncode(new TextEncoder().encode(JSON.stringify(o)));
  return `${part({ alg: 'RS256', kid: 'k' })}.${part(claims)}.c2ln`;
}

describe('PKCE', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await challengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes fresh 43-character verifiers of unreserved characters', () => {
    const a = createVerifier();
    const b = createVerifier();

    expect(a).toMatch(/^[A-Za-z0-9\-_]{43}$/);
    expect(a).not.toBe(b);
  });

  it('refuses a verifier too short to be safe', async () => {
    await expect(challengeS256('short')).rejects.toBeInstanceOf(OidcError);
  });

  it('base64url round-trips bytes without padding', () => {
    const bytes = Uint8Array.from([251, 255, 191, 0, 1]);

    expect(base64UrlEncode(bytes)).toBe('-_-_AAE');
    expect([...base64UrlDecode('-_-_AAE')]).toEqual([...bytes]);
  });

  it('builds the authorize request with the challenge, state and scopes', () => {
    const url = new URL(authorizeUrl(DISCOVERY, { clientId: 'console', redirectUri: 'https://console.example/', scopes: ['openid', 'email'], state: 'st', codeChallenge: 'ch' }));

    expect(url.origin + url.pathname).toBe(DISCOVERY.authorization_endpoint);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'console',
      redirect_uri: 'https://console.example/',
      scope: 'openid email',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
  });

  it('redeems the code with the verifier and no client secret', () => {
    expect(Object.fromEntries(tokenRequestBody({ code: 'c', redirectUri: 'https://console.example/', clientId: 'console', codeVerifier: 'v' }))).toEqual({
      grant_type: 'authorization_code',
      code: 'c',
      redirect_uri: 'https://console.example/',
      client_id: 'console',
      code_verifier: 'v',
    });
  });

  it('accepts only a callback carrying the state this tab sent', () => {
    const url = (q: string) => new URL(`https://console.example/?${q}`);

    expect(parseCallback(url('code=abc&state=s1'), 's1')).toEqual({ kind: 'code', code: 'abc' });
    expect(parseCallback(url('code=abc&state=forged'), 's1')).toMatchObject({ kind: 'error', error: 'state_mismatch' });
    expect(parseCallback(url('code=abc&state=s1'), undefined)).toMatchObject({ kind: 'error', error: 'state_mismatch' });
    expect(parseCallback(url('error=access_denied&state=s1'), 's1')).toMatchObject({ kind: 'error', error: 'access_denied' });
    expect(parseCallback(url('foo=bar'), 's1')).toEqual({ kind: 'none' });
    expect(callbackCleanUrl(url('code=abc&state=s1&keep=1'))).toBe('https://console.example/?keep=1');
  });

  it('reads a discovery document of the issuer asked for, Cognito style (no PKCE methods listed)', () => {
    expect(parseDiscovery({ ...DISCOVERY, jwks_uri: 'x' }, `${ISSUER}/`)).toEqual(DISCOVERY);
    expect(() => parseDiscovery({ ...DISCOVERY, issuer: 'https://evil.example' }, ISSUER)).toThrow(/not https:\/\/cognito/);
    expect(() => parseDiscovery({ ...DISCOVERY, code_challenge_methods_supported: ['plain'] }, ISSUER)).toThrow(/S256/);
    expect(() => parseDiscovery({ issuer: ISSUER }, ISSUER)).toThrow(/authorization_endpoint/);
  });
});

describe('the OIDC module', () => {
  function deps(responses: Record<string, unknown>) {
    const store = new Map<string, string>();
    const calls: Array<{ url: string; body?: string }> = [];
    const navigated: string[] = [];
    const d: OidcDeps = {
      fetch: (async (input: string | URL | Request, init?: RequestInit) => {
        const url = input instanceof Request ? input.url : input.toString();
        calls.push({ url, body: typeof init?.body === 'string' ? init.body : init?.body ? new URLSearchParams(init.body as URLSearchParams).toString() : undefined });
        const body = responses[url];
        return new Response(JSON.stringify(body ?? {}), { status: body ? 200 : 404 });
      }),
      storage: {
        getItem: (k: string) => store.get(k) ?? null,
        setItem: (k: string, v: string) => void store.set(k, v),
        removeItem: (k: string) => void store.delete(k),
        clear: () => store.clear(),
        key: () => null,
        length: 0,
      },
      navigate: (u) => void navigated.push(u),
      replaceUrl: () => undefined,
      currentHash: () => '#/inbox',
    };
    return { d, calls, navigated };
  }

  it('signs in with code + PKCE: redirect with a challenge, then redeem the code with its verifier', async () => {
    const idToken = jwt({ sub: 'u1', 'cognito:groups': ['staff'], 'custom:department': 'PWD', name: '王小明', exp: 4_000_000_000 });
    const { d, calls, navigated } = deps({ [`${ISSUER}/.well-known/openid-configuration`]: DISCOVERY, [DISCOVERY.token_endpoint]: { id_token: idToken, access_token: 'a' } });
    const auth = createOidcAuth({ mode: 'oidc', issuer: ISSUER, clientId: 'console', scopes: ['openid'] }, 'https://console.example', d);

    await auth.beginSignIn();
    const authorize = new URL(navigated[0]);
    const state = authorize.searchParams.get('state')!;
    const session = await auth.completeRedirect(new URL(`https://console.example/?code=the-code&state=${state}`));

    const tokenCall = new URLSearchParams(calls.find((c) => c.url === DISCOVERY.token_endpoint)!.body);
    expect(await challengeS256(tokenCall.get('code_verifier')!)).toBe(authorize.searchParams.get('code_challenge'));
    expect(tokenCall.get('code')).toBe('the-code');
    expect(session?.user).toEqual({ sub: 'u1', name: '王小明', role: 'staff', department: 'PWD' });
  });

  it('an issuer of "/" is this origin, and its discovery document is trusted to name itself', async () => {
    const local = { ...DISCOVERY, issuer: 'http://localhost:3000', authorization_endpoint: 'http://localhost:3000/oauth2/authorize' };
    const { d, calls, navigated } = deps({ 'http://127.0.0.1:3000/.well-known/openid-configuration': local });
    const auth = createOidcAuth({ mode: 'oidc', issuer: '/', clientId: 'citydesk-local-console', scopes: ['openid'] }, 'http://127.0.0.1:3000', d);

    await auth.beginSignIn();

    expect(calls[0].url).toBe('http://127.0.0.1:3000/.well-known/openid-configuration');
    expect(new URL(navigated[0]).searchParams.get('redirect_uri')).toBe('http://127.0.0.1:3000/');
  });

  it('a page load that is not a callback does nothing', async () => {
    const { d, calls } = deps({});
    const auth = createOidcAuth({ mode: 'oidc', issuer: ISSUER, clientId: 'console', scopes: ['openid'] }, 'https://console.example', d);

    expect(await auth.completeRedirect(new URL('https://console.example/#/inbox'))).toBeUndefined();
    expect(calls).toEqual([]);
  });
});

describe('session from a token', () => {
  it('takes role and department from the Cognito claims', () => {
    const s = sessionFromToken(jwt({ sub: 's', 'cognito:groups': ['supervisor'], 'cognito:username': 'supervisor1', exp: 100 }));

    expect(s.user).toEqual({ sub: 's', name: 'supervisor1', role: 'supervisor', username: 'supervisor1' });
    expect(s.expiresAt).toBe(100_000);
  });

  it("knows a department's lead (staff in the lead group), and no one else as one", () => {
    const lead = sessionFromToken(jwt({ sub: 'l', 'cognito:groups': ['staff', 'lead'], 'custom:department': 'PWD', exp: 100 }));
    const staff = sessionFromToken(jwt({ sub: 's', 'cognito:groups': ['staff'], 'custom:department': 'PWD', exp: 100 }));
    const supervisor = sessionFromToken(jwt({ sub: 'v', 'cognito:groups': ['lead', 'supervisor'], exp: 100 }));

    expect(lead.user).toMatchObject({ role: 'staff', department: 'PWD', lead: true });
    expect(staff.user.lead).toBeUndefined();
    expect(supervisor.user).toMatchObject({ role: 'supervisor' });
    expect(supervisor.user.lead).toBeUndefined();
  });

  it('refuses a token with no console role and a string that is no JWT', () => {
    expect(() => sessionFromToken(jwt({ sub: 's', 'cognito:groups': ['integration'] }))).toThrow(TokenError);
    expect(() => decodeJwtPayload('nope')).toThrow(TokenError);
  });

  it('counts a token expiring within a minute as expired', () => {
    const s = sessionFromToken(jwt({ sub: 's', 'cognito:groups': ['agent'], exp: 1000 }));

    expect(isExpired(s, 1000_000 - 61_000)).toBe(false);
    expect(isExpired(s, 1000_000 - 30_000)).toBe(true);
  });
});

describe('runtime config', () => {
  it('reads the local cloud config and an OIDC config with default scopes', () => {
    expect(parseRuntimeConfig({ apiUrl: '', local: true, auth: { mode: 'local' } })).toEqual({ apiUrl: '', local: true, auth: { mode: 'local' } });
    expect(parseRuntimeConfig({ apiUrl: 'https://api.example/', auth: { mode: 'oidc', issuer: ISSUER, clientId: 'c' } })).toEqual({
      apiUrl: 'https://api.example',
      local: false,
      auth: { mode: 'oidc', issuer: ISSUER, clientId: 'c', scopes: ['openid', 'email', 'profile'] },
    });
  });

  it('names what is missing', () => {
    expect(() => parseRuntimeConfig({ auth: { mode: 'oidc', clientId: 'c' } })).toThrow(ConfigError);
    expect(() => parseRuntimeConfig({ auth: { mode: 'saml' } })).toThrow(/auth.mode/);
  });
});
