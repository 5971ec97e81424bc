/** Local cloud sign-in: pick a demo user, get a token minted by the local issuer. */
import type { Role } from '../../../functions/domain/actor';
import type { AuthModuleBase } from './base';
import { sessionFromToken, type Session } from './session';

export interface DemoUser {
  username: string;
  name: string;
  role: Role;
  department?: string;
  kind?: 'user' | 'client';
}

export interface LocalAuth extends AuthModuleBase {
  mode: 'local';
  users(): Promise<DemoUser[]>;
  signIn(username: string): Promise<Session>;
}

/** `GET /_local/users` answers a list, or `{ users }` / `{ items }` around it. */
export function parseDemoUsers(json: unknown): DemoUser[] {
  const list = Array.isArray(json) ? json : json && typeof json === 'object' ? ((json as Record<string, unknown>).users ?? (json as Record<string, unknown>).items) : undefined;
  if (!Array.isArray(list)) return [];
  return list
    .filter((u): u is DemoUser => !!u && typeof u === 'object' && typeof (u as DemoUser).username === 'string' && typeof (u as DemoUser).role === 'string')
    .filter((u) => u.kind !== 'client' && u.role !== 'integration');
}

export function createLocalAuth(base: string, fetchFn: typeof fetch = (...a) => fetch(...a)): LocalAuth {
  return {
    mode: 'local',
    async users() {
      const res = await fetchFn(`${base}/_local/users`);
      if (!res.ok) throw new Error(`GET /_local/users: HTTP ${res.status}`);
      return parseDemoUsers(await res.json());
    },
    async signIn(username) {
      const res = await fetchFn(`${base}/_local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username }) });
      const json = (await res.json().catch(() => ({}))) as { token?: unknown; error?: { message?: string }; message?: string };
      if (!res.ok || typeof json.token !== 'string') throw new Error(json.error?.message ?? json.message ?? `POST /_local/token: HTTP ${res.status}`);
      return sessionFromToken(json.token);
    },
    completeRedirect() {
      return Promise.resolve(undefined);
    },
    async signOut() {
      // Local tokens are not revocable; forgetting the session is signing out.
    },
  };
}
