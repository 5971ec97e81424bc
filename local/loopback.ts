/**
 * The local cloud's own doors (`/_local/token`, `/_local/clock`...) mint supervisor tokens and move time. A web
 * page the developer visits can reach a loopback port too: by DNS rebinding (its own name resolving to 127.0.0.1,
 * so the browser sends `Host: evil.example`) or by a cross-site form (no preflight for form or text bodies).
 * Requests to them must name a loopback host and carry JSON; and when the local cloud is bound to a non-loopback
 * address (reachable from the network), they are not served at all.
 */

/** `localhost`, `127.0.0.1` (any 127.x), `[::1]`, with or without a port; anything else (or nothing) is not. */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  return m !== null && isLoopbackName(m[1].replace(/^\[|\]$/g, ''));
}

/** Whether a server bound to this address is reachable only from this machine. */
export function isLoopbackBind(address: string): boolean {
  return isLoopbackName(address.trim().toLowerCase().replace(/^\[|\]$/g, ''));
}

function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** `application/json`, with or without parameters such as `; charset=utf-8`. */
export function isJsonContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

/**
 * Why a request to a local-only endpoint is refused, or undefined when it may go on. 403 for a foreign Host
 * (the request may have reached this port, but it is not addressed to it: the same answer Vite's dev server
 * gives); 415 for a body that is not JSON (a POST without a JSON content type, however empty).
 */
export function localDoorRefusal(method: string, headers: { host?: string; 'content-type'?: string }): { statusCode: 403 | 415; message: string } | undefined {
  if (!isLoopbackHostHeader(headers.host))
    return { statusCode: 403, message: 'Local-only endpoints answer requests addressed to localhost, 127.0.0.1 or [::1] only (Host header)' };
  if (method !== 'GET' && method !== 'HEAD' && !isJsonContentType(headers['content-type']))
    return { statusCode: 415, message: 'Local-only endpoints take application/json (Content-Type header)' };
  return undefined;
}
