/**
 * A local cloud bound to a network address (`--host 0.0.0.0`, say for a demo on a phone) keeps its own doors shut:
 * no token minting, no clock, no outbox, on the gateway or the Step Functions service, whatever the Host header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, host: '0.0.0.0', inMemory: true, demoData: false, quiet: true });
});

afterAll(async () => {
  await cloud?.close();
});

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('a local cloud on a non-loopback address', () => {
  it('serves no token, clock or outbox endpoint, even to a request addressed to localhost', async () => {
    expect((await post(`${cloud.urls.api}/_local/token`, { username: 'sup1' })).status).toBe(404);
    expect((await fetch(`${cloud.urls.api}/_local/clock`)).status).toBe(404);
    expect((await post(`${cloud.urls.api}/_local/clock`, { advance: 'PT2H' })).status).toBe(404);
    expect((await fetch(`${cloud.urls.api}/_local/outbox`)).status).toBe(404);
    expect((await post(`${cloud.urls.stepFunctions}/_local/clock/advance`, { seconds: 3600 })).status).toBe(404);
  });

  it('still serves the API and its health', async () => {
    expect((await fetch(`${cloud.urls.api}/_local/health`)).status).toBe(200);
    const res = await fetch(`${cloud.urls.api}/departments`, { headers: { authorization: `Bearer ${await cloud.token('agent1')}` } });
    expect(res.status).toBe(200);
  });
});
