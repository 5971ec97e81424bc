/**
 * Runtime configuration, read at start from `/config.json` next to the app: written by CDK into the S3 bucket on
 * AWS (API URL, Cognito issuer and client), and served by the local cloud (same-origin API, demo sign-in,
 * `local: true` for the outbox and clock screens). The bundle itself is the same everywhere.
 */
export type AuthConfig =
  | { mode: 'local' }
  | {
      mode: 'oidc';
      /**
       * OpenID issuer: `https://cognito-idp.<region>.amazonaws.com/<pool id>`, or `/` for "this origin" (the local
       * cloud serves the console and its issuer together, on whatever port it runs).
       */
      issuer: string;
      clientId: string;
      scopes: string[];
      /** Where the issuer sends the browser back; default: the console's own address. */
      redirectUri?: string;
      /** Logout URL of the hosted UI (Cognito has no end_session_endpoint in its discovery document). */
      logoutUrl?: string;
    };

export interface RuntimeConfig {
  /** Base URL of the HTTP API without a trailing slash; empty = the console's own origin. */
  apiUrl: string;
  auth: AuthConfig;
  /** The local cloud: shows the outbox and clock screens and syncs the countdowns with the local clock. */
  local: boolean;
  /** Shown in the header (dev, prod...). */
  stage?: string;
  /**
   * Raster map tiles under the district boundaries, where a stage configures them (e.g. Amazon Location Service's
   * raster tiles with an API key); without them the maps draw the boundaries alone, which needs no network.
   */
  mapTiles?: { url: string; attribution: string };
  /** The stage has a place index: intake offers to find a typed address on the map (GET /places/geocode). */
  geocoding?: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseRuntimeConfig(json: unknown): RuntimeConfig {
  if (!json || typeof json !== 'object') throw new ConfigError('config.json is not a JSON object');
  const c = json as Record<string, unknown>;
  const apiUrl = typeof c.apiUrl === 'string' ? c.apiUrl.replace(/\/+$/, '') : '';
  const auth = (c.auth ?? { mode: 'local' }) as Record<string, unknown>;
  let parsedAuth: AuthConfig;
  if (auth.mode === 'local') parsedAuth = { mode: 'local' };
  else if (auth.mode === 'oidc') {
    if (typeof auth.issuer !== 'string' || !auth.issuer) throw new ConfigError('config.json: auth.issuer is required for oidc');
    if (typeof auth.clientId !== 'string' || !auth.clientId) throw new ConfigError('config.json: auth.clientId is required for oidc');
    const scopes = Array.isArray(auth.scopes) && auth.scopes.length ? auth.scopes.map(String) : ['openid', 'email', 'profile'];
    parsedAuth = {
      mode: 'oidc',
      issuer: auth.issuer,
      clientId: auth.clientId,
      scopes,
      ...(typeof auth.redirectUri === 'string' && auth.redirectUri ? { redirectUri: auth.redirectUri } : {}),
      ...(typeof auth.logoutUrl === 'string' && auth.logoutUrl ? { logoutUrl: auth.logoutUrl } : {}),
    };
  } else throw new ConfigError(`config.json: auth.mode must be "local" or "oidc", got ${JSON.stringify(auth.mode)}`);
  const tiles = (c.mapTiles ?? {}) as Record<string, unknown>;
  const mapTiles = typeof tiles.url === 'string' && /^https:\/\//.test(tiles.url) && typeof tiles.attribution === 'string' ? { url: tiles.url, attribution: tiles.attribution } : undefined;
  return { apiUrl, auth: parsedAuth, local: c.local === true, ...(typeof c.stage === 'string' ? { stage: c.stage } : {}), ...(mapTiles ? { mapTiles } : {}), ...(c.geocoding === true ? { geocoding: true } : {}) };
}

export async function loadRuntimeConfig(fetchFn: typeof fetch = fetch): Promise<RuntimeConfig> {
  const res = await fetchFn('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new ConfigError(`config.json: HTTP ${res.status}`);
  return parseRuntimeConfig(await res.json());
}

/** The API's base URL: the configured one, or this page's origin. */
export function apiBase(config: RuntimeConfig, origin: string): string {
  return config.apiUrl || origin;
}
