/**
 * The daily e-mail digests over the real stores (dynalite): the notifications the case repository writes with an
 * escalation, the group's cursor moved by a conditional write, and a recording notifier standing in for SNS.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { DynamoDigestCursors, DynamoNotificationStore } from '../../functions/adapters/notification-store';
import type { Case } from '../../functions/domain/case';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { DEFAULT_EMAIL_DELIVERY, digestGroups } from '../../functions/domain/email-delivery';
import type { DepartmentsFile } from '../../functions/config/schema';
import { DigestRunError, sendEmailDigests, SETTLE_MS, type DigestPorts, type DigestSettings } from '../../functions/usecases/email-digests';
import type { Notifier } from '../../functions/usecases/ports';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { aCase } from './support/fakes';

const departments: DepartmentsFile = {
  escalationDepartments: { level2: 'RDEC', level3: 'MAYOR' },
  departments: [
    { code: 'PWD', name: { zh: '工務局', en: 'Public Works' }, receivesCases: true, escalation: [], subscriptions: [] },
    { code: 'RDEC', name: { zh: '研考會', en: 'RDEC' }, receivesCases: false, escalation: [], subscriptions: [] },
    { code: 'MAYOR', name: { zh: '市長室', en: "Mayor's Office" }, receivesCases: false, escalation: [], subscriptions: [] },
  ],
};

let local: LocalTable;
let repo: DynamoCaseRepository;
let cursors: DynamoDigestCursors;
let notifications: DynamoNotificationStore;
const clock = new ManualClock('2026-12-01T00:00:00.000Z');
let restoreClock: () => void;
let seq = 0;

type Sent = { topicArn: string; text: string; subject?: string; attributes: Record<string, string | number> };
function recordingNotifier(failFor: Set<string> = new Set()): Pick<Notifier, 'publish'> & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async publish(topicArn, message, subject, attributes = {}) {
      if (failFor.has(String(attributes.group))) throw new Error('SNS is down');
      sent.push({ topicArn, text: message.email ?? message.default, subject, attributes });
    },
  };
}

const settings: DigestSettings = {
  groups: digestGroups(DEFAULT_EMAIL_DELIVERY, departments),
  digestTopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:citydesk-test-digests',
  consoleUrl: 'https://console.example.test',
  names: { category: (c) => ({ zh: `類別${c}`, en: `category ${c}` }), department: (c) => departments.departments.find((d) => d.code === c)!.name },
};
const ports = (notifier: Pick<Notifier, 'publish'>): DigestPorts => ({ notifications, cursors, notifier });

async function escalated(level: 1 | 2 | 3): Promise<Case> {
  clock.advance(1000);
  const iso = clock.now().toISOString();
  const c = await repo.create(aCase({ caseNo: `20261201-${String(++seq).padStart(5, '0')}`, department: 'PWD', category: 'street-light', createdAt: iso, updatedAt: iso, version: 1 }), { type: 'created', by: 'agent', at: iso });
  clock.advance(1000);
  return repo.update(c.caseNo, c.version, { set: { escalationLevel: level }, event: { type: 'escalated', by: 'workflow', text: `level ${level}`, data: { level } } });
}

/** A run's instant late enough that everything written so far has settled. */
const later = () => new Date(clock.now().getTime() + SETTLE_MS + 1000);

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-digests-test' });
  repo = new DynamoCaseRepository(local.ddb, local.tableName);
  cursors = new DynamoDigestCursors(local.ddb, local.tableName);
  notifications = new DynamoNotificationStore(local.ddb, local.tableName);
});
afterAll(async () => local.close());
beforeEach(() => {
  restoreClock = useClock(clock);
});
afterEach(() => restoreClock());

describe('daily e-mail digests', () => {
  it("sends each digest group one e-mail of its inbox since the last digest, and a rerun sends nothing", async () => {
    const cases = [await escalated(1), await escalated(2), await escalated(3)];
    const notifier = recordingNotifier();

    const report = await sendEmailDigests(ports(notifier), settings, later());

    // Default delivery: the supervisors (RDEC, the mayor's office) get digests; PWD's staff are e-mailed at once.
    expect(report.sent).toEqual({ RDEC: 3, MAYOR: 1 });
    expect(notifier.sent.map((s) => [s.attributes.group, s.attributes.notice, s.topicArn])).toEqual([
      ['RDEC', 'digest', settings.digestTopicArn],
      ['MAYOR', 'digest', settings.digestTopicArn],
    ]);
    const [rdec, mayor] = notifier.sent;
    for (const c of cases) expect(rdec.text).toContain(`${c.caseNo} 類別street-light 工務局 https://console.example.test/#/cases/${c.caseNo}`);
    expect(rdec.text.indexOf('【1999 每日摘要】')).toBeLessThan(rdec.text.indexOf('[1999 daily digest]'));
    expect(mayor.text).toContain(cases[2].caseNo);
    expect(mayor.text).not.toContain(cases[0].caseNo);

    const again = await sendEmailDigests(ports(notifier), settings, later());
    expect(again.sent).toEqual({});
    expect(notifier.sent).toHaveLength(2);

    const next = await escalated(2);
    await sendEmailDigests(ports(notifier), settings, later());
    // The mayor's office is not told of a level-2 escalation; its cursor moved all the same.
    expect(notifier.sent.map((s) => s.attributes.group)).toEqual(['RDEC', 'MAYOR', 'RDEC']);
    expect(notifier.sent[2].text).toContain(next.caseNo);
    expect(notifier.sent[2].text).not.toContain(cases[0].caseNo);
  });

  it('sends nothing when another run moved the cursor between the read and the claim', async () => {
    await escalated(2);
    const notifier = recordingNotifier();
    // The other run (a redelivered schedule) claims right after this one read the cursor.
    const racing: DigestPorts = {
      ...ports(notifier),
      cursors: {
        ...cursors,
        read: async (group) => {
          const from = await cursors.read(group);
          if (group === 'RDEC') {
            const items = await notifications.after({ role: 'supervisor' }, from ?? '', 500);
            await cursors.claim(group, from, items[items.length - 1].id, clock.now().toISOString());
          }
          return from;
        },
        claim: (...args) => cursors.claim(...args),
        release: (...args) => cursors.release(...args),
      },
    };

    const report = await sendEmailDigests(racing, settings, later());

    expect(report.skipped).toEqual(['RDEC']);
    expect(notifier.sent.filter((s) => s.attributes.group === 'RDEC')).toEqual([]);
  });

  it('leaves the newest minute for the next digest', async () => {
    const c = await escalated(2);
    const notifier = recordingNotifier();

    await sendEmailDigests(ports(notifier), settings, clock.now());
    expect(notifier.sent.some((s) => s.text.includes(c.caseNo))).toBe(false);

    await sendEmailDigests(ports(notifier), settings, later());
    expect(notifier.sent.filter((s) => s.text.includes(c.caseNo)).map((s) => s.attributes.group)).toEqual(['RDEC']);
  });

  it('puts the cursor back when the digest cannot be published, so the next run sends it', async () => {
    const c = await escalated(3);
    const failing = recordingNotifier(new Set(['RDEC']));

    const run = sendEmailDigests(ports(failing), settings, later());

    await expect(run).rejects.toBeInstanceOf(DigestRunError);
    await expect(run).rejects.toMatchObject({ report: { failed: ['RDEC'], sent: { MAYOR: 1 } } });
    const working = recordingNotifier();
    const retry = await sendEmailDigests(ports(working), settings, later());
    expect(retry.sent).toEqual({ RDEC: 1 });
    expect(working.sent[0].text).toContain(c.caseNo);
  });
});
