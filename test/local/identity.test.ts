/**
 * The local issuer hands out tokens shaped like Cognito's, the authorizer checks them as the HTTP API JWT
 * authorizer does, and the API's own claim reader turns them into the right Actor.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { actorFromClaims } from '../../functions/api/actor-from-claims';
import { loadConfig } from '../../functions/config/load';
import { stringifyClaims } from '../../local/gateway';
import { createJwtAuthorizer, createLocalIssuer, demoUsers, localCursorSecret, localPiiHashKey, signingKeyFile, UnknownUserError } from '../../local/identity';

const ISSUER = 'http://localhost:3999';
const users = demoUsers(loadConfig().departments.departments);
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'citydesk-identity-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('demo users', () => {
  it('cover every role, and every department that receives cases has its staff', () => {
    const roles = new Set(users.map((u) => u.role));
    expect([...roles].sort()).toEqual(['admin', 'agent', 'integration', 'staff', 'supervisor']);
    expect(users.filter((u) => u.role === 'agent')).toHaveLength(2);
    const receiving = loadConfig().departments.departments.filter((d) => d.receivesCases);
    for (const d of receiving) expect(users.find((u) => u.username === `${d.code.toLowerCase()}.staff`)?.department).toBe(d.code);
    expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['pwd.staff', 'epd.staff', 'dist-zhongli.staff']));
    expect(users.some((u) => u.username === 'rdec.staff')).toBe(false);
  });

  it('keep the same subject everywhere', () => {
    expect(demoUsers(loadConfig().departments.departments).find((u) => u.username === 'agent1')?.sub).toBe(users.find((u) => u.username === 'agent1')?.sub);
  });
});

describe('tokens', () => {
  it('for people are ID tokens shaped as Cognito issues them', async () => {
    const issuer = await createLocalIssuer({ issuer: ISSUER, users });
    const token = await issuer.token('pwd.staff');
    const claims = decodeJwt(token);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: issuer.jwks().keys[0].kid });
    expect(claims).toMatchObject({
      iss: ISSUER,
      aud: issuer.consoleClientId,
      token_use: 'id',
      'cognito:groups': ['staff'],
      'cognito:username': 'pwd.staff',
      'custom:department': 'PWD',
      email: 'pwd.staff@example.org',
      email_verified: true,
    });
    expect(claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.exp! - claims.iat!).toBeGreaterThan(3600);
  });

  it("a department's lead is its staff in the lead group too", async () => {
    const issuer = await createLocalIssuer({ issuer: ISSUER, users });
    for (const d of loadConfig().departments.departments.filter((x) => x.receivesCases))
      expect(users.find((u) => u.username === `${d.code.toLowerCase()}.lead`)).toMatchObject({ role: 'staff', department: d.code, lead: true });
    expect(decodeJwt(await issuer.token('pwd.lead'))).toMatchObject({ 'cognito:groups': ['staff', 'lead'], 'custom:department': 'PWD' });
    expect(decodeJwt(await issuer.token('pwd.staff'))['cognito:groups']).toEqual(['staff']);
  });

  it('for the integration client are client-credentials access tokens', async () => {
    const issuer = await createLocalIssuer({ issuer: ISSUER, users });
    const claims = decodeJwt(await issuer.token('integration'));
    expect(claims).toMatchObject({ token_use: 'access', client_id: claims.sub });
    expect(claims.aud).toBeUndefined();
    expect(String(claims.scope)).toContain('citydesk/cases.write');
  });

  it('become the right Actor once API Gateway has flattened the claims', async () => {
    const issuer = await createLocalIssuer({ issuer: ISSUER, users });
    const actorOf = async (u: string) => actorFromClaims(stringifyClaims(decodeJwt(await issuer.token(u))));
    expect(await actorOf('dist-zhongli.staff')).toMatchObject({ role: 'staff', department: 'DIST-ZHONGLI' });
    expect(await actorOf('agent2')).toMatchObject({ role: 'agent' });
    expect(await actorOf('supervisor1')).toMatchObject({ role: 'supervisor' });
    expect(await actorOf('admin')).toMatchObject({ role: 'admin' });
    expect(await actorOf('integration')).toMatchObject({ role: 'integration', scopes: ['citydesk/cases.read', 'citydesk/cases.write'] });
  });

  it('are refused for an unknown user, naming the known ones', async () => {
    const issuer = await createLocalIssuer({ issuer: ISSUER, users });
    await expect(issuer.token('mallory')).rejects.toBeInstanceOf(UnknownUserError);
    await expect(issuer.token('mallory')).rejects.toThrow(/agent1/);
  });

  it('stay valid across restarts: the signing key is kept in the data folder', async () => {
    const dataDir = tempDir();
    const first = await createLocalIssuer({ issuer: ISSUER, users, dataDir });
    const token = await first.token('agent1');
    const second = await createLocalIssuer({ issuer: ISSUER, users, dataDir });
    const verdict = await createJwtAuthorizer({ issuer: ISSUER, audiences: second.audiences, jwks: () => second.jwks() })(`Bearer ${token}`);
    expect(verdict.ok).toBe(true);
    expect(statSync(signingKeyFile(dataDir)).mode & 0o077).toBe(0);
  });
});

describe('the JWT authorizer', () => {
  const setup = async () => {
    const issuer = await createLocalIssuer({ issuer: ISSUER, users });
    const authorize = createJwtAuthorizer({ issuer: ISSUER, audiences: issuer.audiences, jwks: () => issuer.jwks() });
    return { issuer, authorize };
  };

  it('accepts a valid ID token and a valid client-credentials token', async () => {
    const { issuer, authorize } = await setup();
    expect(await authorize(`Bearer ${await issuer.token('agent1')}`)).toMatchObject({ ok: true, scopes: null });
    expect(await authorize(`Bearer ${await issuer.token('integration')}`)).toMatchObject({ ok: true, scopes: ['citydesk/cases.read', 'citydesk/cases.write'] });
  });

  it('refuses a missing, expired, not-yet-valid, foreign-signed or garbled token', async () => {
    const { issuer, authorize } = await setup();
    const foreign = await createLocalIssuer({ issuer: ISSUER, users });
    expect(await authorize(undefined)).toEqual({ ok: false, description: 'the token is missing' });
    expect(await authorize(`Bearer ${await issuer.token('agent1', { expiresInSeconds: -1 })}`)).toEqual({ ok: false, description: 'the token has expired' });
    expect((await authorize(`Bearer ${await issuer.token('agent1', { notBeforeInSeconds: 600 })}`)).ok).toBe(false);
    expect((await authorize(`Bearer ${await foreign.token('agent1')}`)).ok).toBe(false);
    expect((await authorize('Bearer not.a.jwt')).ok).toBe(false);
  });

  it('refuses a token from another issuer or for another audience', async () => {
    const { issuer } = await setup();
    const token = await issuer.token('agent1');
    const otherIssuer = createJwtAuthorizer({ issuer: 'http://localhost:4000', audiences: issuer.audiences, jwks: () => issuer.jwks() });
    const otherAudience = createJwtAuthorizer({ issuer: ISSUER, audiences: ['some-other-client'], jwks: () => issuer.jwks() });
    expect((await otherIssuer(`Bearer ${token}`)).ok).toBe(false);
    expect(await otherAudience(`Bearer ${token}`)).toEqual({ ok: false, description: 'the token does not have a valid audience' });
  });
});

describe('the local cursor secret', () => {
  it('is random per data folder, kept there (cursors survive a restart), and never a public value', () => {
    const one = mkdtempSync(path.join(tmpdir(), 'citydesk-cursor-'));
    const two = mkdtempSync(path.join(tmpdir(), 'citydesk-cursor-'));
    try {
      const first = localCursorSecret(one);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(localCursorSecret(one)).toBe(first);
      expect(localCursorSecret(two)).not.toBe(first);
      expect(localCursorSecret(one)).not.toBe(localPiiHashKey(one));
      expect(statSync(path.join(one, 'identity', 'cursor-secret')).mode & 0o077).toBe(0);
    } finally {
      rmSync(one, { recursive: true, force: true });
      rmSync(two, { recursive: true, force: true });
    }
  });
});
