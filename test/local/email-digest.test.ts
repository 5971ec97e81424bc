/**
 * E-mail as a per-role choice, end to end on the local cloud: many escalations of a few cases, the clock moved
 * over five days, once with every event e-mailed as it happens and once with the default (the supervisors'
 * daily digest). The supervisors' and the mayor's office's e-mail counts fall to one digest a day per group, the
 * digests list every escalated case, and the department keeps getting its own escalations at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config/load';
import { DEFAULT_EMAIL_DELIVERY, IMMEDIATE_EMAIL_DELIVERY, type EmailDelivery } from '../../functions/domain/email-delivery';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';
import { advanceHours, emailsByDepartment, settle } from '../../bench/lib/email-run';

const departments = loadConfig().departments;
const CASES = 4;
let cloud: LocalCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

async function call(c: LocalCloud, method: string, p: string, user: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${c.urls.api}${p}`, {
    method,
    headers: { authorization: `Bearer ${await c.token(user)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

interface Run {
  caseNos: string[];
  /** Escalation levels recorded on the cases' timelines, one per escalation (reminders included). */
  levels: number[];
  emails: Record<string, number>;
  /** E-mails of the supervisors and the mayor's office, with their text. */
  supervisorMail: Array<{ endpoint: string; message: string; subject?: string }>;
  digestRuns: number;
}

async function run(emailDelivery: EmailDelivery): Promise<Run> {
  const c = await startLocalCloud({ port: 0, inMemory: true, demoData: false, quiet: true, timeScale: 0, emailDelivery, log: () => undefined });
  cloud = c;
  const caseNos: string[] = [];
  for (let i = 0; i < CASES; i++) {
    const created = await call(c, 'POST', '/cases', 'agent1', {
      category: 'street-light',
      description: `路燈整晚不亮 ${i}`,
      location: { district: 'zhongli', address: `中正路 ${100 + i} 號前` },
      reporter: { anonymous: true, notify: 'none' },
      channel: 'phone',
      attributes: {},
    });
    expect(created.status).toBe(201);
    caseNos.push(created.body.caseNo as string);
  }
  await settle(c, 1_000);
  // Nobody acknowledges: each case climbs the ladder (department supervisor, 1999 supervisors, mayor's office).
  // A short quiet spell between steps: a step taken while the last one's work still runs only moves a later
  // escalation to the next step (each case needs 3 escalations over the 20 steps); the settles before the digest job and before
  // anything is read are full ones.
  await advanceHours(c, 120, 6, 400);
  await settle(c, 1_000);
  // Past the next 00:00 UTC, when the digest job runs, with everything settled before it.
  const now = c.clock.nowMs();
  c.clock.advance(Math.ceil(now / 86_400_000) * 86_400_000 + 120_000 - now);
  await settle(c, 1_000);

  const levels: number[] = [];
  for (const caseNo of caseNos) {
    const timeline = await call(c, 'GET', `/cases/${caseNo}/timeline?limit=200`, 'supervisor1');
    for (const e of timeline.body.items as Array<{ type: string; data?: { level?: number } }>) if (e.type === 'escalated') levels.push(Number(e.data?.level));
  }
  const outbox = (await (await fetch(`${c.urls.api}/_local/outbox?protocol=email`)).json()) as { entries: Array<{ endpoint: string; message: string; subject?: string }> };
  const supervisorAddresses = ['rdec-1999@example.org', 'mayor-1999@example.org'];
  return {
    caseNos,
    levels,
    emails: await emailsByDepartment(c, departments),
    supervisorMail: outbox.entries.filter((e) => supervisorAddresses.includes(e.endpoint)),
    digestRuns: c.scheduledJobRuns().SendEmailDigests ?? 0,
  };
}

describe('e-mail digests on the local cloud', () => {
  it('one e-mail per escalation before; one digest a day per supervisors group after, listing every case, and the department unchanged', async () => {
    const { level2, level3 } = departments.escalationDepartments;
    // The digest run first: handler modules and their composition root live once per process, as once per Lambda
    // container, and keep the first cloud's EMAIL_DELIVERY. The immediate run's digest topic has no subscribers,
    // so its digest job, whatever it reads, e-mails nobody.
    const after = await run(DEFAULT_EMAIL_DELIVERY);
    await cloud?.close();
    cloud = undefined;
    const before = await run(IMMEDIATE_EMAIL_DELIVERY);
    console.log(`e-mails per group, before -> after: ${level2} ${before.emails[level2]} -> ${after.emails[level2]}, ${level3} ${before.emails[level3]} -> ${after.emails[level3]}, DIST-ZHONGLI ${before.emails['DIST-ZHONGLI']} -> ${after.emails['DIST-ZHONGLI']} (${after.digestRuns} digest runs)`);

    expect(before.levels.length).toBeGreaterThanOrEqual(CASES * 3);
    // Every escalation e-mailed the 1999 supervisors, every one from level 3 the mayor's office.
    expect(before.emails[level2]).toBe(before.levels.length);
    expect(before.emails[level3]).toBe(before.levels.filter((l) => l >= 3).length);
    // The district office: each case's dispatch notice and its level-1 escalation.
    expect(before.emails['DIST-ZHONGLI']).toBe(CASES + before.levels.filter((l) => l === 1).length);

    expect(after.levels.length).toBeGreaterThanOrEqual(CASES * 3);
    expect(after.emails[level2]).toBeGreaterThanOrEqual(1);
    expect(after.emails[level2]).toBeLessThanOrEqual(after.digestRuns);
    expect(after.emails[level3]).toBeGreaterThanOrEqual(1);
    expect(after.emails[level3]).toBeLessThanOrEqual(after.digestRuns);
    expect(after.emails['DIST-ZHONGLI']).toBe(CASES + after.levels.filter((l) => l === 1).length);
    // Only digests reached them, and together they list every case, zh-TW first, with no reporter data.
    expect(after.supervisorMail.every((m) => m.subject?.startsWith('[1999 每日摘要]'))).toBe(true);
    const rdecText = after.supervisorMail.filter((m) => m.endpoint === 'rdec-1999@example.org').map((m) => m.message).join('\n');
    for (const caseNo of after.caseNos) expect(rdecText).toContain(`/#/cases/${caseNo}`);
    expect(rdecText.indexOf('逾期升級')).toBeLessThan(rdecText.indexOf('Escalated'));
  }, 300_000);
});
