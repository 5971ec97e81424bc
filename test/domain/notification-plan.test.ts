import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config/load';
import type { DepartmentsFile } from '../../functions/config/schema';
import { IMMEDIATE_EMAIL_DELIVERY } from '../../functions/domain/email-delivery';
import { ESCALATION_TOPIC_KEY, notificationPlan } from '../../functions/domain/notification-plan';

const departments = loadConfig().departments;

function withSubscriptions(file: DepartmentsFile, subs: Record<string, DepartmentsFile['departments'][number]['subscriptions']>): DepartmentsFile {
  return { ...file, departments: file.departments.map((d) => (subs[d.code] ? { ...d, subscriptions: subs[d.code] } : d)) };
}

describe('notification plan', () => {
  it('has one topic per department and the escalation topic, last', () => {
    const plan = notificationPlan(departments, 'dev');
    expect(plan.map((t) => t.key)).toEqual([...departments.departments.map((d) => d.code), ESCALATION_TOPIC_KEY]);
    expect(plan.at(-1)?.department).toBeUndefined();
  });

  it("keeps only the stage's subscriptions", () => {
    const file = withSubscriptions(departments, {
      PWD: [
        { protocol: 'email', endpoint: 'pwd-dev@example.test', stages: ['dev'] },
        { protocol: 'https', endpoint: 'https://pwd.example.test/hook' },
      ],
    });
    const pwd = (stage: string) => notificationPlan(file, stage).find((t) => t.key === 'PWD')?.subscriptions.map((s) => s.endpoint);
    expect(pwd('dev')).toEqual(['pwd-dev@example.test', 'https://pwd.example.test/hook']);
    expect(pwd('prod')).toEqual(['https://pwd.example.test/hook']);
  });

  it('lets the level-3 department hear escalations from level 3 only, and a subscriber of both levels once, in full', () => {
    const { level2, level3 } = departments.escalationDepartments;
    const file = withSubscriptions(departments, {
      [level2]: [{ protocol: 'email', endpoint: 'supervisors@example.test' }],
      [level3]: [
        { protocol: 'email', endpoint: 'mayor@example.test' },
        { protocol: 'email', endpoint: 'supervisors@example.test' },
      ],
    });
    const escalation = notificationPlan(file, 'prod', IMMEDIATE_EMAIL_DELIVERY).find((t) => t.key === ESCALATION_TOPIC_KEY);
    expect(escalation?.subscriptions).toEqual([
      { protocol: 'email', endpoint: 'supervisors@example.test' },
      { protocol: 'email', endpoint: 'mayor@example.test', minLevel: 3 },
    ]);
  });

  it('refuses an escalation level naming no department', () => {
    const file = { ...departments, escalationDepartments: { ...departments.escalationDepartments, level3: 'NOPE' } };
    expect(() => notificationPlan(file, 'dev')).toThrow(/escalationDepartments names NOPE/);
  });
});
