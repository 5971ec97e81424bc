/**
 * The supervisors' queue of personal-data access requests in a real browser against the local cloud: a department
 * handler asks on two cases, the supervisor sees both in the notifications, denies one with a reason and approves
 * then revokes the other, and the handler's next read of that case is masked again.
 */
import { describe, expect, it } from 'vitest';
import { apiAs, eventually, go } from './support/console';
import { storyCloud } from './support/stories';

const stories = storyCloud('e2e-access');

async function asApi(user: string, method: string, path: string, body?: unknown) {
  return apiAs(stories.cloud.urls.api, await stories.cloud.token(user), method, path, body);
}

/** A pothole with a named caller, routed to PWD, and PWD's handler asking to see the caller. */
async function requested(address: string): Promise<{ caseNo: string; requestId: string }> {
  const created = await asApi('agent1', 'POST', '/cases', {
    category: 'pothole',
    description: `${address} 有坑洞。`,
    location: { district: 'zhongli', address },
    reporter: { anonymous: false, name: '林小姐', phone: '0922-333-444', notify: 'none' },
    channel: 'phone',
    attributes: { size: 'small', dangerous: 'no' },
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const caseNo = (created.json as { caseNo: string }).caseNo;
  await eventually(async () => expect(((await asApi('pwd.staff', 'GET', `/cases/${caseNo}`)).json as { status: string }).status).toBe('ASSIGNED'));
  const asked = await asApi('pwd.staff', 'POST', `/cases/${caseNo}/pii-access-requests`, { reason: '需聯絡民眾確認坑洞位置' });
  expect(asked.status, JSON.stringify(asked.json)).toBe(201);
  return { caseNo, requestId: (asked.json as { request: { id: string } }).request.id };
}

describe("the supervisors' access queue", () => {
  it('a supervisor sees the requests as notifications, denies one with a reason and revokes another approval; the handler is masked again', { timeout: 240_000 }, async () => {
    const denied = await requested('中壢區中央西路 1 號');
    const revoked = await requested('中壢區中央西路 2 號');

    const supervisor = await stories.tab('supervisor1');
    // The requests are in the supervisors' notifications: the header counts them, the list names the cases.
    await supervisor.locator('[data-testid="notification-badge"]').waitFor();
    await go(supervisor, '#/notifications');
    await supervisor.locator(`li[data-kind="access-requested"][data-case-no="${denied.caseNo}"][data-unread="true"]`).waitFor();
    await supervisor.locator(`li[data-kind="access-requested"][data-case-no="${revoked.caseNo}"]`).waitFor();
    await supervisor.locator('button[data-action="mark-read"]').click();
    await supervisor.locator(`li[data-case-no="${denied.caseNo}"][data-unread="false"]`).waitFor();

    await go(supervisor, '#/access');
    const pending = supervisor.locator('[data-testid="access-pending"]');
    const item = (id: string) => supervisor.locator(`li[data-request-id="${id}"]`);
    await item(denied.requestId).waitFor();
    await item(revoked.requestId).waitFor();

    // Deny without a reason: the API's message shows under the reason field; then with one.
    await item(denied.requestId).locator('button[data-action="deny"]').click();
    await item(denied.requestId).locator('.field-error[data-field="reason"]').waitFor();
    await item(denied.requestId).locator('input[name="access-reason"]').fill('理由不足，請補充');
    await item(denied.requestId).locator('button[data-action="deny"]').click();
    await eventually(async () => expect(await pending.locator(`li[data-request-id="${denied.requestId}"]`).count()).toBe(0));

    // Approve the other: it moves to the running approvals; the handler sees the caller.
    await item(revoked.requestId).locator('button[data-action="approve"]').click();
    const running = supervisor.locator('[data-testid="access-approved"]');
    await running.locator(`li[data-request-id="${revoked.requestId}"]`).waitFor();
    const during = await asApi('pwd.staff', 'GET', `/cases/${revoked.caseNo}`);
    expect((during.json as { reporter: { masked: boolean } }).reporter.masked).toBe(false);

    const grant = running.locator(`li[data-request-id="${revoked.requestId}"]`);
    await grant.locator('input[name="access-reason"]').fill('已聯絡完畢，不再需要');
    await grant.locator('button[data-action="revoke"]').click();
    await eventually(async () => expect(await running.locator(`li[data-request-id="${revoked.requestId}"]`).count()).toBe(0));

    const after = await asApi('pwd.staff', 'GET', `/cases/${revoked.caseNo}`);
    expect((after.json as { reporter: { masked: boolean } }).reporter.masked).toBe(true);
    const timeline = (await asApi('supervisor1', 'GET', `/cases/${denied.caseNo}/timeline`)).json as { items: Array<{ type: string; data?: Record<string, unknown> }> };
    expect(timeline.items.filter((e) => e.type === 'pii-access-denied').map((e) => e.data?.reason)).toEqual(['理由不足，請補充']);
  });
});
