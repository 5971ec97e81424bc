/**
 * Citizen e-mail on the local cloud (local/cloud.ts): the workflow's TellCitizen task e-mails a reporter who chose
 * e-mail through the real SESv2 client, which finds the local SES through AWS_ENDPOINT_URL_SESV2, and the e-mail
 * shows up in the gateway's outbox (the console's outbox screen) beside the SNS messages. Driven through the HTTP
 * API with demo users' tokens; the clock is stopped (time scale 0).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { LOCAL_CITIZEN_EMAIL_FROM, startLocalCloud, type LocalCloud } from '../../local/cloud';
import type { OutboxEntry } from '../../local/sns';

const REPORTER_EMAIL = 'lin.meihua@example.org';

let cloud: LocalCloud;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-ses-cloud-'));
  cloud = await startLocalCloud({ port: 0, dataDir, demoData: false, quiet: true, timeScale: 0 });
}, 60_000);

afterAll(async () => {
  await cloud?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, p: string, user: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${cloud.urls.api}${p}`, {
    method,
    headers: { authorization: `Bearer ${await cloud.token(user)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

interface TimelineEvent {
  type: string;
  text?: string;
}

async function timeline(caseNo: string): Promise<TimelineEvent[]> {
  return (await call('GET', `/cases/${caseNo}/timeline?limit=200`, 'supervisor1')).body.items as TimelineEvent[];
}

async function outbox(query: string): Promise<OutboxEntry[]> {
  const res = await fetch(`${cloud.urls.api}/_local/outbox?${query}`, { headers: { authorization: `Bearer ${await cloud.token('supervisor1')}` } });
  return ((await res.json()) as { entries: OutboxEntry[] }).entries;
}

/** Polls until `ok` (the workflow runs asynchronously), failing with the last value seen. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const until = Date.now() + 15_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('citizen e-mail on the local cloud', () => {
  it('the handlers get CITIZEN_EMAIL_FROM and the SES endpoint, and the sender domain is a verified identity', async () => {
    const ses = new SESv2Client({ endpoint: cloud.urls.ses, region: cloud.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

    const identity = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: LOCAL_CITIZEN_EMAIL_FROM.split('@')[1] }));
    ses.destroy();

    expect(cloud.handlerEnv.CITIZEN_EMAIL_FROM).toBe(LOCAL_CITIZEN_EMAIL_FROM);
    expect(process.env.AWS_ENDPOINT_URL_SESV2).toBe(cloud.urls.ses);
    expect(identity).toMatchObject({ IdentityType: 'DOMAIN', VerifiedForSendingStatus: true });
  });

  it('a resolved case whose reporter chose e-mail puts the e-mail in the outbox and records it as delivered', async () => {
    const created = await call('POST', '/cases', 'agent1', {
      category: 'street-light',
      description: '路燈整晚不亮',
      location: { district: 'zhongli', address: '中正路 100 號前' },
      reporter: { name: '林美華', email: REPORTER_EMAIL, notify: 'email' },
      channel: 'phone',
      attributes: {},
    });
    expect(created.status).toBe(201);
    const caseNo = created.body.caseNo as string;
    await eventually(() => timeline(caseNo), (t) => t.some((e) => e.type === 'notified'), 'the department notice');

    expect((await call('POST', `/cases/${caseNo}/acknowledge`, 'dist-zhongli.staff')).status).toBe(200);
    await eventually(() => timeline(caseNo), (t) => t.some((e) => e.type === 'waiting'), 'the resolution wait');
    expect((await call('POST', `/cases/${caseNo}/resolve`, 'dist-zhongli.staff', { resolution: '已更換燈泡' })).status).toBe(200);
    const told = await eventually(() => timeline(caseNo), (t) => t.some((e) => e.type === 'citizen-notified'), 'the citizen notice');

    expect(told.find((e) => e.type === 'citizen-notified')?.text).toContain('Citizen told by e-mail');
    const emails = await outbox(`protocol=email&endpoint=${encodeURIComponent(REPORTER_EMAIL)}`);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ protocol: 'email', endpoint: REPORTER_EMAIL, from: LOCAL_CITIZEN_EMAIL_FROM, status: 'stored' });
    expect(emails[0].subject).toContain(`案件 ${caseNo} 已處理完成`);
    expect(emails[0].message).toContain(caseNo);
    expect(emails[0].topicArn).toBeUndefined();
  }, 60_000);
});
