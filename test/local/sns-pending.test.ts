/**
 * Local SNS keeps its promises across a stop or a crash: a webhook delivery still being retried is journalled in
 * the data folder, and the next start delivers it with the same document (same MessageId) and the attempts it had
 * left; a delivery that finished leaves nothing behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebhookDeliverer, type RetryPolicy } from '../../local/sns/delivery';
import type { OutboxEntry } from '../../local/sns/outbox';

const POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 200, timeoutMs: 2_000 };
const dirs: string[] = [];
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function hook(status: () => number): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(status()).end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

const job = (endpoint: string) => ({
  entry: { protocol: 'https' as const, endpoint, messageId: 'm-1', message: '{"type":"case.dispatched"}', topicArn: 'arn:aws:sns:ap-northeast-1:000000000000:citydesk-local-PWD' },
  body: JSON.stringify({ Type: 'Notification', MessageId: 'm-1', Message: '{"type":"case.dispatched"}' }),
  headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-id': 'm-1' },
});

describe('pending webhook deliveries', () => {
  it('survive a stop mid-retry and are delivered on the next start with the same MessageId and the attempts left', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'citydesk-sns-pending-'));
    dirs.push(dir);
    let up = false;
    const receiver = await hook(() => (up ? 200 : 503));
    const first: OutboxEntry[] = [];
    const before = new WebhookDeliverer(POLICY, (e) => first.push(e), dir);
    before.deliver(job(receiver.url));
    // Stopped once the second attempt has reached the hook (the first was answered 503): polled, since on a busy
    // machine a fixed wait may end before the first retry.
    while (receiver.bodies.length < 2) await new Promise((r) => setTimeout(r, 5));
    await before.close();

    expect(first).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(1);

    up = true;
    const second: OutboxEntry[] = [];
    const after = new WebhookDeliverer(POLICY, (e) => second.push(e), dir);
    expect(after.resumePending()).toBe(1);
    await after.idle();

    expect(second).toMatchObject([{ status: 'delivered', messageId: 'm-1', httpStatus: 200 }]);
    expect(second[0].attempts).toBeGreaterThan(1);
    expect(second[0].attempts).toBeLessThanOrEqual(POLICY.maxAttempts);
    const ids = new Set(receiver.bodies.map((b) => (JSON.parse(b) as { MessageId: string }).MessageId));
    expect([...ids]).toEqual(['m-1']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('without a journal (in memory) a delivery cut by the stop is recorded as failed, as before', async () => {
    const receiver = await hook(() => 503);
    const entries: OutboxEntry[] = [];
    const d = new WebhookDeliverer(POLICY, (e) => entries.push(e));
    d.deliver(job(receiver.url));
    await new Promise((r) => setTimeout(r, 80));
    await d.close();
    expect(entries).toMatchObject([{ status: 'failed', error: 'the local SNS stopped before the delivery succeeded' }]);
  });
});
