/**
 * The one way the console talks to the API: bearer token, JSON, If-Match and Idempotency-Key, and every error
 * turned into an ApiError that keeps the standard error shape (`{ error: { code, message, fields } }`) so a
 * screen can put each field's message next to its field.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    readonly details: { currentStatus?: string; currentVersion?: number; requestId?: string } = {},
  ) {
    super(message);
  }

  /** The message of one field (`location.district`), or of any field under it. */
  fieldMessage(path: string): string | undefined {
    return this.fields.find((f) => f.path === path || f.path.startsWith(`${path}.`) || f.path.startsWith(`${path}[`))?.message;
  }
}

/** Reads an error response in the standard shape, or the gateway's own (`{ message }`), or none. */
export function toApiError(status: number, json: unknown): ApiError {
  const body = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const e = body.error && typeof body.error === 'object' ? (body.error as Record<string, unknown>) : undefined;
  if (e) {
    const fields = Array.isArray(e.fields)
      ? e.fields.filter((f): f is FieldError => !!f && typeof (f as FieldError).path === 'string' && typeof (f as FieldError).message === 'string')
      : [];
    return new ApiError(status, typeof e.code === 'string' ? e.code : `HTTP_${status}`, typeof e.message === 'string' ? e.message : `HTTP ${status}`, fields, {
      ...(typeof e.currentStatus === 'string' ? { currentStatus: e.currentStatus } : {}),
      ...(typeof e.currentVersion === 'number' ? { currentVersion: e.currentVersion } : {}),
      ...(typeof e.requestId === 'string' ? { requestId: e.requestId } : {}),
    });
  }
  const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
  return new ApiError(status, `HTTP_${status}`, message);
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  ifMatch?: number | string;
  idempotencyKey?: string;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  etag?: string;
}

export interface ApiClientOptions {
  baseUrl: string;
  token: () => string | undefined;
  /** Called on a 401: the token expired or was refused. */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
}

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const url = new URL(path.startsWith('http') ? path : `${this.options.baseUrl}${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.ifMatch !== undefined) headers['if-match'] = String(opts.ifMatch);
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    const fetchFn = this.options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
    let res: Response;
    try {
      res = await fetchFn(url.toString(), { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    } catch {
      throw new ApiError(0, 'NETWORK', 'network error');
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      if (res.status === 401) this.options.onUnauthorized?.();
      throw toApiError(res.status, json);
    }
    const etag = res.headers.get('etag') ?? undefined;
    return { status: res.status, data: json as T, ...(etag ? { etag: etag.replace(/^W\//, '').replace(/"/g, '') } : {}) };
  }

  async get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return (await this.request<T>('GET', path, { query })).data;
  }
}

/** A random id for Idempotency-Key (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function newRequestId(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
