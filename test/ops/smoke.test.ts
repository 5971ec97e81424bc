/**
 * `npm run smoke` against the local cloud, in process, so the script a deploy runs cannot rot: the machine client
 * files, reads, notes and cancels a case, and a case it filed is never left open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';
import { parseSmokeArgs, runSmoke, SmokeArgsError } from '../../scripts/smoke';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true, demoData: false, quiet: true });
});

afterAll(async () => {
  await cloud?.close();
});

async function caseAsSupervisor(caseNo: string): Promise<Record<string, unknown>> {
  const token = await cloud.token('supervisor1');
  const res = await fetch(`${cloud.urls.api}/cases/${caseNo}`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as Record<string, unknown>;
}

async function timelineTypes(caseNo: string): Promise<string[]> {
  const token = await cloud.token('supervisor1');
  const res = await fetch(`${cloud.urls.api}/cases/${caseNo}/timeline`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { items: Array<{ type: string }> };
  return body.items.map((e) => e.type);
}

describe('npm run smoke', () => {
  it('creates, reads, notes and cancels a case with the integration client, and leaves it cancelled', async () => {
    const lines: string[] = [];

    const result = await runSmoke(parseSmokeArgs(['--api', cloud.urls.api], {}), (l) => lines.push(l));

    expect(result.steps.map((s) => [s.step, s.ok])).toEqual([
      ['token', true],
      ['create', true],
      ['read', true],
      ['note', true],
      ['cancel', true],
    ]);
    expect(result.ok).toBe(true);
    expect(await caseAsSupervisor(result.caseNo!)).toMatchObject({ status: 'CANCELLED', channel: 'web' });
    expect(await timelineTypes(result.caseNo!)).toEqual(expect.arrayContaining(['created', 'note', 'cancelled']));
    expect(lines.join('\n')).toContain(`case ${result.caseNo}`);
  });

  it('fails and files nothing when the client secret is wrong', async () => {
    const result = await runSmoke(parseSmokeArgs(['--api', cloud.urls.api, '--client-id', 'citydesk-local-integration', '--client-secret', 'wrong'], {}));

    expect(result.ok).toBe(false);
    expect(result.steps).toEqual([expect.objectContaining({ step: 'token', ok: false, status: 401 })]);
    expect(result.caseNo).toBeUndefined();
  });

  it('cancels the case it filed when a later step fails', async () => {
    // Requests 1-2 (token, create) go through; the read gets a 503 as from a broken stage, the note goes through,
    // the cancel never arrives (a network error); the clean-up then cancels the case.
    const options = parseSmokeArgs(['--api', cloud.urls.api], {});
    const lines: string[] = [];
    let calls = 0;
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      calls += 1;
      if (calls === 3) return new Response(JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE' } }), { status: 503 });
      if (calls === 5) throw new TypeError('fetch failed');
      return realFetch(input, init);
    });
    let result: Awaited<ReturnType<typeof runSmoke>>;
    try {
      result = await runSmoke(options, (l) => lines.push(l));
    } finally {
      globalThis.fetch = realFetch;
    }

    expect(result.ok).toBe(false);
    expect(result.steps.find((s) => s.step === 'read')).toMatchObject({ ok: false, status: 503 });
    expect(result.steps.at(-1)).toMatchObject({ step: 'clean-up', ok: true });
    expect(await caseAsSupervisor(result.caseNo!)).toMatchObject({ status: 'CANCELLED' });
  });

  it('a machine client may cancel only the cases it filed', async () => {
    const agent = await cloud.token('agent1');
    const filed = await fetch(`${cloud.urls.api}/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'street-light', description: '路燈不亮', location: { district: 'zhongli', address: '中壢區中央西路二段 30 號' }, reporter: { anonymous: true, notify: 'none' }, channel: 'phone' }),
    });
    const { caseNo } = (await filed.json()) as { caseNo: string };
    const tokenRes = await fetch(`${cloud.urls.api}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('citydesk-local-integration:citydesk-local-integration-secret').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    const { access_token: machine } = (await tokenRes.json()) as { access_token: string };

    const res = await fetch(`${cloud.urls.api}/cases/${caseNo}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${machine}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'not mine' }),
    });

    expect(res.status).toBe(403);
    expect(await caseAsSupervisor(caseNo)).not.toMatchObject({ status: 'CANCELLED' });
  });

  it('names what is missing: the API URL, or the secret of a client that is not the local one', () => {
    expect(() => parseSmokeArgs([], {})).toThrow(SmokeArgsError);
    expect(() => parseSmokeArgs(['--api', 'https://api.example', '--client-id', 'prod-smoke'], {})).toThrow(/SMOKE_CLIENT_SECRET/);
    expect(parseSmokeArgs(['--api', 'https://api.example/'], { SMOKE_CLIENT_ID: 'c', SMOKE_CLIENT_SECRET: 's', SMOKE_TOKEN_URL: 'https://auth.example/oauth2/token' })).toMatchObject({
      api: 'https://api.example',
      clientId: 'c',
      clientSecret: 's',
      tokenUrl: 'https://auth.example/oauth2/token',
    });
  });
});
