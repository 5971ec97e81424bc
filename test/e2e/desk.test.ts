/**
 * The desk in a real browser against the local cloud: what the people on the phones and in the departments read
 * and do between the big steps (a readable timeline; more stories join as the desk grows).
 * One local cloud and one Chromium for the file; each story signs in in its own tab.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../../console/src/i18n';
import { act, apiAs, eventually, go, waitForStatus } from './support/console';
import { storyCloud } from './support/stories';

const stories = storyCloud('e2e-desk');
const tab = (username: string) => stories.tab(username);

/** A pothole logged by phone through the API (setting a story up), by a caller with a name and a number. */
async function loggedPothole(agent: string, address: string, reporter: { name: string; phone: string }): Promise<string> {
  const created = await apiAs(stories.cloud.urls.api, await stories.cloud.token(agent), 'POST', '/cases', {
    category: 'pothole',
    description: `${address} 有坑洞。`,
    location: { district: 'zhongli', address },
    reporter: { anonymous: false, ...reporter, notify: 'none' },
    channel: 'phone',
    attributes: { size: 'small', dangerous: 'no' },
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return (created.json as { caseNo: string }).caseNo;
}

describe('the desk', () => {
  it('the timeline names people, speaks one language and keeps views of personal data on the access tab', { timeout: 240_000 }, async () => {
    const caseNo = await loggedPothole('agent1', '中壢區民權路 10 號', { name: '陳大文', phone: '0922-111-222' });

    // The department acknowledges it in the console (signing in puts its name in the directory).
    const dept = await tab('pwd.staff');
    await eventually(async () => {
      const c = await apiAs(stories.cloud.urls.api, await stories.cloud.token('pwd.staff'), 'GET', `/cases/${caseNo}`);
      expect((c.json as { status: string }).status).toBe('ASSIGNED');
    });
    await go(dept, `#/cases/${caseNo}`);
    await waitForStatus(dept, '已分派');
    await act(dept, 'acknowledge');
    await waitForStatus(dept, '已簽收');

    // A supervisor opens it: the caller's details are shown, and that view is recorded.
    const supervisor = await tab('supervisor1');
    await go(supervisor, `#/cases/${caseNo}`);
    await waitForStatus(supervisor, '已簽收');

    // The directory has the department's name once its sign-in is recorded (PUT /me, sent as the console starts).
    await eventually(async () => {
      const staff = await apiAs(stories.cloud.urls.api, await stories.cloud.token('supervisor1'), 'GET', '/users/staff?department=PWD');
      expect(JSON.stringify(staff.json)).toContain('工務局');
    });

    // The agent reads the timeline.
    const agent = await tab('agent1');
    await go(agent, `#/cases/${caseNo}`);
    await waitForStatus(agent, '已簽收');
    const work = agent.locator('[data-testid="timeline"]');
    const acknowledged = work.locator('li[data-event-type="acknowledged"]');
    await acknowledged.waitFor();
    // Names come from the staff directory after the timeline is drawn (ids first, then names): wait for them.
    await expect.poll(() => acknowledged.locator('[data-testid="event-by"]').textContent(), { timeout: 20_000 }).toContain('工務局');
    expect(await work.locator('li[data-event-type="routed"] [data-testid="event-by"]').textContent()).toBe('系統流程');
    const workText = (await work.textContent()) ?? '';
    expect(workText).not.toMatch(/Routed by|notified;|Case workflow started/);
    // Each event under its own label in the UI's language (a case's workflow start is no event of its own now).
    expect(workText).toContain('已通知局處');
    expect(await work.locator('li[data-event-type="pii-viewed"]').count()).toBe(0);

    await agent.locator('button[data-tab="access"]').click();
    const access = agent.locator('[data-testid="access-timeline"]');
    await eventually(async () => {
      const viewers = await access.locator('li[data-event-type="pii-viewed"] [data-testid="event-by"]').allTextContents();
      expect(viewers.some((v) => v.includes('王主任'))).toBe(true);
    });

    // In English, the same timeline in English only.
    await agent.locator('[data-testid="language-switch"]').click();
    await agent.locator('button[data-tab="work"]').click();
    await eventually(async () => {
      const text = (await work.textContent()) ?? '';
      expect(text).toContain('Department notified');
      expect(text).not.toMatch(/依 SOP|已通知/);
    });
    // Back to Chinese: the language is kept per browser, and the stories after this one read zh-TW.
    await agent.locator('[data-testid="language-switch"]').click();
    await eventually(async () => expect((await work.textContent()) ?? '').toContain('已通知局處'));
  });

  it("an agent sees a repeat caller's recent cases beside the intake form as soon as the number is typed", { timeout: 180_000 }, async () => {
    const caseNo = await loggedPothole('agent2', '中壢區介壽路 1 號', { name: '黃阿姨', phone: '0933-444-555' });

    const agent = await tab('agent1');
    await go(agent, '#/intake');
    await agent.locator('input[name="name"]').fill('黃阿姨');
    await agent.locator('input[name="phone"]').fill('0933 444 555');

    const history = agent.locator('[data-testid="caller-history"]');
    await history.locator(`li[data-case-no="${caseNo}"]`).waitFor({ timeout: 20_000 });
    const text = (await history.textContent()) ?? '';
    expect(text).toMatch(/坑洞|Pothole/i); // the language the last story chose stays (it is stored per browser)
    expect(text).not.toMatch(/黃阿姨|0933/);

    // The look-up is on the day's audit, with the reason the API recorded for it.
    const audit = await apiAs(stories.cloud.urls.api, await stories.cloud.token('supervisor1'), 'GET', '/privacy/phone-searches');
    expect((audit.json as { items: Array<{ reason: string; caseNos: string[] }> }).items).toContainEqual(expect.objectContaining({ reason: 'intake', caseNos: [caseNo] }));
  });

  it('an agent records a callback nobody answered, and later a satisfied one with four stars', { timeout: 300_000 }, async () => {
    const api = stories.cloud.urls.api;
    const caseNo = await loggedPothole('agent1', '中壢區中正路 20 號', { name: '周先生', phone: '0911-222-333' });
    const staff = await stories.cloud.token('pwd.staff');
    const statusOf = async () => ((await apiAs(api, staff, 'GET', `/cases/${caseNo}`)).json as { status: string; waitingFor?: string });
    await eventually(async () => expect((await statusOf()).waitingFor).toBe('acknowledgement'));
    expect((await apiAs(api, staff, 'POST', `/cases/${caseNo}/acknowledge`, {})).status).toBe(200);
    await eventually(async () => expect((await statusOf()).waitingFor).toBe('resolution'));
    expect((await apiAs(api, staff, 'POST', `/cases/${caseNo}/resolve`, { resolution: '已於當日填補坑洞。' })).status).toBe(200);

    // Half a day at a time until the follow-up delay has passed, each step only once the workflow has caught up
    // (a jump past the callback window would close the case as unanswered).
    const agentToken = await stories.cloud.token('agent1');
    await eventually(
      async () => {
        const c = (await apiAs(api, agentToken, 'GET', `/cases/${caseNo}`)).json as { status: string; waitingFor?: string };
        expect(c.status, 'the case must still wait for its callback').toBe('RESOLVED');
        if (c.waitingFor === 'survey') return;
        await apiAs(api, agentToken, 'POST', '/_local/clock', { advance: 'PT12H' });
        throw new Error(`case ${caseNo} is not in the callback queue yet`);
      },
      180_000,
      2000,
    );

    const agent = await tab('agent1');
    await go(agent, '#/callback');
    const row = agent.locator(`tr[data-case-no="${caseNo}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.locator('[data-testid="callback-resolution"]').textContent()).toContain('已於當日填補坑洞');
    expect((await row.locator('[data-testid="callback-due"]').textContent())?.trim()).not.toBe('—');
    // The number is masked until the agent asks for it; asking is a recorded view of the caller's data.
    expect(await row.locator('[data-testid="callback-phone"]').textContent()).toContain('0911-***-333');
    await row.locator('[data-testid="reveal-phone"]').click();
    expect(await row.locator('[data-testid="revealed-phone"]').textContent()).toContain('0911222333');
    await eventually(async () => {
      const timeline = (await apiAs(api, await stories.cloud.token('supervisor1'), 'GET', `/cases/${caseNo}/timeline`)).json as { items: Array<{ type: string; by: string; data?: { reason?: string } }> };
      expect(timeline.items.some((e) => e.type === 'pii-viewed' && e.data?.reason === 'follow-up-call')).toBe(true);
    });

    await row.locator('a.case-no').click();
    await act(agent, 'no-answer');
    await go(agent, '#/callback');
    await eventually(async () => expect(await agent.locator(`tr[data-case-no="${caseNo}"] [data-testid="callback-attempts"]`).textContent()).toMatch(/1/));

    await agent.locator(`tr[data-case-no="${caseNo}"] a.case-no`).click();
    await act(agent, 'survey', { answer: 'satisfied', rating: '4', comment: '謝謝。' });
    await eventually(async () => {
      const c = (await apiAs(api, agentToken, 'GET', `/cases/${caseNo}`)).json as { status: string; survey?: { rating?: number; answer: string }; callback?: { attempts: number } };
      expect(c).toMatchObject({ status: 'CLOSED', survey: { answer: 'satisfied', rating: 4 }, callback: { attempts: 1 } });
    });
  });

  it('a supervisor exports the case list as a CSV Excel opens (BOM, the screen columns in the UI language) and prints a case file', { timeout: 180_000 }, async () => {
    const caseNo = await loggedPothole('agent1', '中壢區中山路 8 號, 2 樓', { name: '林小姐', phone: '0955-666-777' });

    const supervisor = await tab('supervisor1');
    await go(supervisor, '#/find?category=pothole&district=zhongli');
    await supervisor.locator(`tr[data-case-no="${caseNo}"]`).waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([supervisor.waitForEvent('download'), supervisor.locator('[data-testid="export-csv"]').click()]);
    const file = readFileSync(await download.path());
    await supervisor.locator('[data-testid="export-message"]').waitFor();

    expect(download.suggestedFilename()).toMatch(/^cases-\d{8}-\d{4}\.csv$/);
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = file.toString('utf8').slice(1).split('\r\n');
    const columns: MessageKey[] = ['list.caseNo', 'list.status', 'list.escalation', 'list.urgent', 'list.category', 'list.district', 'list.address', 'list.department', 'list.due', 'list.overdue', 'list.created'];
    expect(lines[0]).toBe(columns.map((k) => translate('zh-TW', k)).join(','));
    const row = lines.find((l) => l.startsWith(`${caseNo},`));
    expect(row).toContain('"中壢區中山路 8 號, 2 樓"');
    expect(row).not.toContain('林小姐');
    expect(await supervisor.locator('[data-testid="export-message"]').textContent()).toMatch(/已匯出 \d+ 筆/);

    // The case file for paper: no navigation, the fields and the timeline; printed on A4 without the toolbar.
    await go(supervisor, `#/cases/${caseNo}`);
    await supervisor.locator('[data-testid="print-link"]').click();
    const sheet = supervisor.locator('[data-testid="print-view"]');
    await sheet.locator('[data-testid="print-timeline"] li[data-event-type="created"]').waitFor({ timeout: 20_000 });
    expect(await supervisor.locator('header.top').count()).toBe(0);
    expect(await sheet.locator('h1').textContent()).toContain(caseNo);
    expect(await sheet.locator('[data-testid="printed-by"]').textContent()).toContain('王主任');
    await supervisor.emulateMedia({ media: 'print' });
    expect(await sheet.locator('.print-toolbar').isVisible()).toBe(false);
    const pdf = await supervisor.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // A4 is 595 x 842 points.
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
    expect(box?.slice(1, 3).map((n) => Math.round(Number(n))), pdf.toString('latin1').slice(0, 600)).toEqual([595, 842]);
    await supervisor.emulateMedia({ media: 'screen' });
  });

  it('department staff pick cases in the inbox and acknowledge them at once, each with its outcome', { timeout: 180_000 }, async () => {
    const first = await loggedPothole('agent1', '中壢區環北路 1 號', { name: '張先生', phone: '0966-111-222' });
    const second = await loggedPothole('agent1', '中壢區環北路 2 號', { name: '張太太', phone: '0966-111-333' });

    const dept = await tab('pwd.staff');
    await go(dept, '#/inbox?status=ASSIGNED');
    for (const caseNo of [first, second]) {
      const row = dept.locator(`tr[data-case-no="${caseNo}"]`);
      await row.waitFor({ timeout: 45_000 });
      await row.locator('[data-testid="select-case"]').check();
    }
    // Someone acknowledges the second case on its own page meanwhile: the bulk answer says so for that case only.
    const pwdToken = await stories.cloud.token('pwd.staff');
    await eventually(async () => {
      const c = (await apiAs(stories.cloud.urls.api, pwdToken, 'GET', `/cases/${second}`)).json as { waitingFor?: string };
      expect(c.waitingFor).toBe('acknowledgement');
    });
    expect((await apiAs(stories.cloud.urls.api, pwdToken, 'POST', `/cases/${second}/acknowledge`, {})).status).toBe(200);
    await dept.locator('[data-testid="bulk-acknowledge"]').click();

    const results = dept.locator('[data-testid="bulk-results"]');
    await results.waitFor({ timeout: 20_000 });
    expect(await results.locator(`li[data-case-no="${first}"]`).getAttribute('data-outcome')).toBe('acknowledged');
    expect(await results.locator(`li[data-case-no="${second}"]`).getAttribute('data-outcome')).toBe('conflict');
    expect(await results.locator(`li[data-case-no="${second}"]`).textContent()).toContain('已簽收');
    await eventually(async () => {
      const c = (await apiAs(stories.cloud.urls.api, pwdToken, 'GET', `/cases/${first}`)).json as { status: string };
      expect(c.status).toBe('ACKNOWLEDGED');
    });
  });
  it("the department's lead assigns picked cases to a staff member, whose My cases tab lists them and whose name the timeline shows", { timeout: 180_000 }, async () => {
    const caseNo = await loggedPothole('agent1', '中壢區環北路 21 號', { name: '吳先生', phone: '0966-222-111' });
    // The staff member signs in: the console records them in the staff directory, on their department's list.
    const staff = await tab('pwd.staff');
    await go(staff, '#/inbox?status=ASSIGNED');
    const leadToken = await stories.cloud.token('pwd.lead');
    let staffId = '';
    await eventually(async () => {
      const list = (await apiAs(stories.cloud.urls.api, leadToken, 'GET', '/users/staff')).json as { items: Array<{ id: string; name: string }> };
      staffId = list.items.find((p) => p.name.includes('承辦人'))?.id ?? '';
      expect(staffId).not.toBe('');
    });

    const lead = await tab('pwd.lead');
    await go(lead, '#/inbox?status=ASSIGNED');
    const row = lead.locator(`tr[data-case-no="${caseNo}"]`);
    await row.waitFor({ timeout: 45_000 });
    await row.locator('[data-testid="select-case"]').check();
    await lead.locator(`select[name="assignee"] option[value="${staffId}"]`).waitFor({ state: 'attached', timeout: 20_000 });
    await lead.locator('select[name="assignee"]').selectOption(staffId);
    await lead.locator('input[name="assignReason"]').fill('本週輪值');
    await lead.locator('[data-testid="bulk-assign"]').click();

    const results = lead.locator('[data-testid="bulk-assign-results"]');
    await results.waitFor({ timeout: 20_000 });
    expect(await results.locator(`li[data-case-no="${caseNo}"]`).getAttribute('data-outcome')).toBe('assigned');

    // "My cases" is the staff member's first tab, and lists the case.
    await go(staff, '#/inbox?mine=1');
    expect(await staff.locator('[role="tablist"] button').first().getAttribute('data-status')).toBe('mine');
    await staff.locator(`tr[data-case-no="${caseNo}"]`).waitFor({ timeout: 20_000 });

    await go(lead, `#/cases/${caseNo}`);
    const assigned = lead.locator('li[data-event-type="assigned"]');
    await assigned.waitFor({ timeout: 20_000 });
    expect(await assigned.textContent()).toContain('本週輪值');
    await eventually(async () => expect(await assigned.locator('[data-field="assignee"]').textContent()).toContain('承辦人'));
  });
  it('a supervisor reassigns picked cases to another department with one reason; its lead assigns one from the case page, and the staff member starts on My cases', { timeout: 240_000 }, async () => {
    const first = await loggedPothole('agent1', '中壢區環北路 31 號', { name: '林先生', phone: '0966-333-111' });
    const second = await loggedPothole('agent1', '中壢區環北路 32 號', { name: '林太太', phone: '0966-333-222' });
    const api = stories.cloud.urls.api;
    const supervisorToken = await stories.cloud.token('supervisor1');
    const types = async (caseNo: string) => ((await apiAs(api, supervisorToken, 'GET', `/cases/${caseNo}/timeline?limit=200`)).json as { items: Array<{ type: string }> }).items.map((e) => e.type);
    // Taking an open case from its department answers the workflow's wait: both wait for PWD's acknowledgement first.
    for (const caseNo of [first, second])
      await eventually(async () => expect(((await apiAs(api, supervisorToken, 'GET', `/cases/${caseNo}`)).json as { waitingFor?: string }).waitingFor).toBe('acknowledgement'));

    const supervisor = await tab('supervisor1');
    await go(supervisor, '#/inbox?department=PWD&status=ASSIGNED');
    for (const caseNo of [first, second]) {
      const row = supervisor.locator(`tr[data-case-no="${caseNo}"]`);
      await row.waitFor({ timeout: 45_000 });
      await row.locator('[data-testid="select-case"]').check();
    }
    await supervisor.locator('select[name="reassignDepartment"]').selectOption('EPD');
    // Without a reason nothing is sent, and the form says why.
    await supervisor.locator('[data-testid="bulk-reassign"]').click();
    expect(await supervisor.locator('.bulk-reassign [role="alert"]').textContent()).toContain(translate('zh-TW', 'reassign.reasonRequired'));
    await supervisor.locator('input[name="reassignReason"]').fill('屬環保局權責');
    await supervisor.locator('[data-testid="bulk-reassign"]').click();
    const results = supervisor.locator('[data-testid="bulk-reassign-results"]');
    await results.waitFor({ timeout: 20_000 });
    for (const caseNo of [first, second]) expect(await results.locator(`li[data-case-no="${caseNo}"]`).getAttribute('data-outcome')).toBe('reassigned');

    // The workflow routes each to EPD again and notifies it; then EPD's lead assigns the first from its page.
    for (const caseNo of [first, second])
      await eventually(async () => {
        const t = await types(caseNo);
        expect(t.lastIndexOf('notified')).toBeGreaterThan(t.lastIndexOf('reassigned'));
      }, 60_000);
    const staff = await tab('epd.staff');
    const leadToken = await stories.cloud.token('epd.lead');
    let staffId = '';
    await eventually(async () => {
      const list = (await apiAs(api, leadToken, 'GET', '/users/staff')).json as { items: Array<{ id: string; name: string }> };
      staffId = list.items.find((p) => p.name.includes('承辦人'))?.id ?? '';
      expect(staffId).not.toBe('');
    });
    const lead = await tab('epd.lead');
    await go(lead, `#/cases/${first}`);
    await lead.locator('button[data-action="assign"]').click();
    const form = lead.locator('form[data-action-form="assign"]');
    await form.locator(`select[name="assignee"] option[value="${staffId}"]`).waitFor({ state: 'attached', timeout: 20_000 });
    await form.locator('select[name="assignee"]').selectOption(staffId);
    await form.locator('[name="reason"]').fill('熟悉該路段');
    await form.locator('[data-testid="confirm-action"]').click();
    const assigned = lead.locator('li[data-event-type="assigned"]');
    await assigned.waitFor({ timeout: 20_000 });
    expect(await assigned.textContent()).toContain('熟悉該路段');

    // Opened without a tab (here from another screen), the inbox of a staff member with cases assigned starts on My cases.
    await go(staff, '#/notifications');
    await go(staff, '#/inbox');
    await eventually(async () => expect(await staff.locator('[role="tablist"] button.active').getAttribute('data-status')).toBe('mine'));
    await staff.locator(`tr[data-case-no="${first}"]`).waitFor({ timeout: 20_000 });
    expect(await staff.locator(`tr[data-case-no="${second}"]`).count()).toBe(0);
  });
});
