/**
 * A short story against a deployed stage with a machine client (the `integration` client-credentials client):
 * create a case, read it, add a note, cancel it. Cleans up after itself: whatever step fails, a case it created
 * is cancelled before it exits. Exit code 0 when every step answered as expected, 1 otherwise.
 *
 *   npm run smoke -- --api <ApiUrl> [--token-url <HostedUiUrl>/oauth2/token] [--client-id <id> --client-secret <secret>]
 *
 * The client id and secret may come from SMOKE_CLIENT_ID / SMOKE_CLIENT_SECRET instead (CI keeps the secret out
 * of the command line); the token URL defaults to `<api>/oauth2/token`, where the local cloud serves it. Against
 * `npm start` the local integration client is the default: `npm run smoke -- --api http://localhost:3000`.
 * The case it files is anonymous (no personal data), says it is a smoke test, and is cancelled.
 */
import { randomUUID } from 'node:crypto';

export interface SmokeOptions {
  api: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  category: string;
  district: string;
}

export interface SmokeStep {
  step: string;
  ok: boolean;
  status?: number;
  detail: string;
}

export class SmokeArgsError extends Error {}

/** What the local cloud's integration client is (local/identity.ts): published, valid only against `npm start`. */
const LOCAL_CLIENT = { id: 'citydesk-local-integration', secret: 'citydesk-local-integration-secret' };

export function parseSmokeArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env): SmokeOptions {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    const v = i >= 0 ? argv[i + 1] : undefined;
    return v && !v.startsWith('--') ? v : undefined;
  };
  const api = value('--api')?.replace(/\/+$/, '');
  if (!api || !/^https?:\/\/\S+$/.test(api)) throw new SmokeArgsError('--api <the stage’s ApiUrl, e.g. https://abc123.execute-api.ap-northeast-1.amazonaws.com> is required');
  const clientId = value('--client-id') ?? env.SMOKE_CLIENT_ID ?? LOCAL_CLIENT.id;
  const clientSecret = value('--client-secret') ?? env.SMOKE_CLIENT_SECRET ?? (clientId === LOCAL_CLIENT.id ? LOCAL_CLIENT.secret : undefined);
  if (!clientSecret) throw new SmokeArgsError(`no secret for client ${clientId}: pass --client-secret or set SMOKE_CLIENT_SECRET`);
  return {
    api,
    tokenUrl: value('--token-url') ?? env.SMOKE_TOKEN_URL ?? `${api}/oauth2/token`,
    clientId,
    clientSecret,
    category: value('--category') ?? 'street-light',
    district: value('--district') ?? 'zhongli',
  };
}

/** A JSON body, or the start of a text one (an API Gateway or proxy error page). */
function parseBody(text: string): Record<string, unknown> {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return { text: text.slice(0, 200) };
  }
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** Runs the story; `log` gets one line per step. Never throws: a failure is a step with `ok: false`. */
export async function runSmoke(o: SmokeOptions, log: (line: string) => void = () => {}): Promise<{ ok: boolean; steps: SmokeStep[]; caseNo?: string }> {
  const steps: SmokeStep[] = [];
  const record = (s: SmokeStep) => {
    steps.push(s);
    log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.step}${s.status ? ` (${s.status})` : ''}: ${s.detail}`);
    return s.ok;
  };
  let token = '';
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${o.api}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: parseBody(text) };
  };
  const problem = (a: Answer) => JSON.stringify(a.body.error ?? a.body).slice(0, 300);

  let caseNo: string | undefined;
  let cancelled = false;
  try {
    const tokenRes = await fetch(o.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'citydesk/cases.read citydesk/cases.write' }).toString(),
    });
    const tokenBody = (await tokenRes.json().catch(() => ({}))) as { access_token?: string; error?: string };
    if (!record({ step: 'token', ok: tokenRes.status === 200 && !!tokenBody.access_token, status: tokenRes.status, detail: tokenBody.access_token ? `client ${o.clientId}` : String(tokenBody.error ?? 'no access_token') })) return { ok: false, steps };
    token = tokenBody.access_token!;

    const created = await call(
      'POST',
      '/cases',
      {
        category: o.category,
        description: '煙霧測試：請忽略，系統會自行取消 / Smoke test: ignore, it cancels itself',
        location: { district: o.district, address: '煙霧測試 smoke test' },
        reporter: { anonymous: true, notify: 'none' },
        channel: 'web',
      },
      { 'idempotency-key': `smoke-${randomUUID()}` },
    );
    caseNo = typeof created.body.caseNo === 'string' ? created.body.caseNo : undefined;
    if (!record({ step: 'create', ok: created.status === 201 && !!caseNo, status: created.status, detail: caseNo ? `case ${caseNo}` : problem(created) })) return { ok: false, steps };

    const read = await call('GET', `/cases/${caseNo}`);
    record({ step: 'read', ok: read.status === 200 && read.body.caseNo === caseNo, status: read.status, detail: read.status === 200 ? `status ${String(read.body.status)}` : problem(read) });

    const note = await call('POST', `/cases/${caseNo}/notes`, { text: '煙霧測試備註 / smoke test note' });
    record({ step: 'note', ok: note.status === 201, status: note.status, detail: note.status === 201 ? 'note recorded' : problem(note) });

    const cancel = await call('POST', `/cases/${caseNo}/cancel`, { reason: '煙霧測試結束 / smoke test done' });
    cancelled = cancel.status === 200 && cancel.body.status === 'CANCELLED';
    record({ step: 'cancel', ok: cancelled, status: cancel.status, detail: cancelled ? 'CANCELLED' : problem(cancel) });
  } catch (e) {
    record({ step: 'request', ok: false, detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  } finally {
    // Clean up: a case this run filed never stays open, whichever step failed.
    if (caseNo && !cancelled) {
      const retry = await call('POST', `/cases/${caseNo}/cancel`, { reason: '煙霧測試清理 / smoke test clean-up' }).catch(() => undefined);
      record({ step: 'clean-up', ok: retry?.status === 200, ...(retry ? { status: retry.status } : {}), detail: retry?.status === 200 ? `case ${caseNo} cancelled` : `case ${caseNo} may still be open: cancel it by hand` });
    }
  }
  return { ok: steps.every((s) => s.ok), steps, ...(caseNo ? { caseNo } : {}) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let options: SmokeOptions;
  try {
    options = parseSmokeArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof SmokeArgsError)) throw e;
    console.error(`${e.message}\nUsage: npm run smoke -- --api <url> [--token-url <url>] [--client-id <id> --client-secret <secret>] [--category <code>] [--district <code>]`);
    process.exit(2);
  }
  const { ok } = await runSmoke(options, (line) => console.log(line));
  console.log(ok ? 'smoke: ok' : 'smoke: FAILED');
  process.exit(ok ? 0 : 1);
}
