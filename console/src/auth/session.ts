/**
 * Who is signed in: the bearer token the API takes and the user it names, read from the token's claims
 * (the same claims the API's actor comes from: `cognito:groups`, `custom:department`). The browser does not
 * verify the signature; the API does. Kept in sessionStorage: a shared workstation forgets it with the tab.
 */
import { ROLES, type Role } from '../../../functions/domain/actor';
import { base64UrlDecode } from './pkce';

export interface SessionUser {
  sub: string;
  name: string;
  role: Role;
  department?: string;
  username?: string;
  /** Department staff in the `lead` group: they assign the department's cases to its staff. */
  lead?: boolean;
}

export interface Session {
  token: string;
  /** Epoch ms (wall clock: token expiry is not business time). */
  expiresAt: number;
  user: SessionUser;
}

export class TokenError extends Error {
  override name = 'TokenError';
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenError('not a JWT');
  try {
    const json = new TextDecoder().decode(base64UrlDecode(parts[1]));
    const payload = JSON.parse(json) as unknown;
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new TokenError('the JWT payload is not an object');
    return payload as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TokenError) throw e;
    throw new TokenError('the JWT payload cannot be read');
  }
}

/** `cognito:groups` arrives as an array in the token (and as `[a b]` text through API Gateway). */
function groups(claims: Record<string, unknown>): string[] {
  const g = claims['cognito:groups'];
  if (Array.isArray(g)) return g.map(String);
  if (typeof g === 'string') return g.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
  return [];
}

/** The session a token gives, or a TokenError when it names no console role. */
export function sessionFromToken(token: string): Session {
  const claims = decodeJwtPayload(token);
  const role = groups(claims).find((g): g is Role => (ROLES as readonly string[]).includes(g) && g !== 'integration');
  if (!role) throw new TokenError('the token names no console role (cognito:groups)');
  if (typeof claims.sub !== 'string') throw new TokenError('the token has no subject');
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + 3600_000;
  const username = typeof claims['cognito:username'] === 'string' ? claims['cognito:username'] : undefined;
  const name = [claims.name, username, claims.email, claims.sub].find((v): v is string => typeof v === 'string' && v.length > 0)!;
  const department = typeof claims['custom:department'] === 'string' && claims['custom:department'] ? claims['custom:department'] : undefined;
  const lead = role === 'staff' && groups(claims).includes('lead');
  return { token, expiresAt: exp, user: { sub: claims.sub, name, role, ...(department ? { department } : {}), ...(username ? { username } : {}), ...(lead ? { lead } : {}) } };
}

export function isExpired(session: Session, nowMs: number = Date.now()): boolean {
  // A minute of margin: a token that expires mid-request is as good as expired.
  return session.expiresAt - 60_000 <= nowMs;
}

const KEY = 'citydesk.session';

export function saveSession(session: Session | undefined, storage: Storage = sessionStorage): void {
  if (session) storage.setItem(KEY, session.token);
  else storage.removeItem(KEY);
}

export function loadSession(storage: Storage = sessionStorage): Session | undefined {
  const token = storage.getItem(KEY);
  if (!token) return undefined;
  try {
    const session = sessionFromToken(token);
    return isExpired(session) ? undefined : session;
  } catch {
    return undefined;
  }
}
