/**
 * The pluggable sign-in. The console asks the module of the configured mode for a session and never cares how
 * it was got:
 *   - `local`: the local cloud's demo users (`GET /_local/users`, `POST /_local/token`), one click each;
 *   - `oidc`: authorization code + PKCE against any OpenID issuer (Cognito's hosted UI on AWS, the local issuer
 *     once it speaks the flow), with the ID token as the API's bearer token.
 */
import type { RuntimeConfig } from '../config';
import { createLocalAuth, type LocalAuth } from './local';
import { createOidcAuth, type OidcAuth } from './oidc';

export type { Session, SessionUser } from './session';
export type { LocalAuth, DemoUser } from './local';
export type { OidcAuth } from './oidc';

export type { AuthModuleBase } from './base';

export type AuthModule = LocalAuth | OidcAuth;

export function createAuth(config: RuntimeConfig, origin: string): AuthModule {
  if (config.auth.mode === 'oidc') return createOidcAuth(config.auth, origin);
  return createLocalAuth(config.apiUrl || origin);
}
