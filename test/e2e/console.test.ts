/**
 * The console in a real browser against the local cloud: the console's user stories (intake, inbox, case actions, dashboard, SOP edits), each as a person would do them.
 * One local cloud (random ports, a temporary data folder, demo data) and one Chromium for the file; each story
 * signs in in its own tab (sessionStorage is per tab, so each tab is its own user).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../local/cloud';
import { launchBrowser, screenshot, type LaunchedBrowser, type Page } from './support/browser';
import { act, apiAs, eventually, go, signIn, waitForStatus } from './support/console';

const CASE_NO = /^\d{8}-\d{5}$/;
const DOCS_SCREENSHOTS = path.resolve('docs', 'screenshots');

let cloud: LocalCloud;
let browser: LaunchedBrowser;
let dataDir: string;
const pages: Page[] = [];

async function tab(username: string): Promise<Page> {
  const page = await browser.browser.newPage();
  pages.push(page);
  page.on('pageerror', (e) => console.error(`[browser ${username}] ${e.message}`));
  await signIn(page, cloud.urls.console, username);
  return page;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-e2e-'));
  cloud = await startLocalCloud({ port: 0, dataDir, quiet: true, timeScale: 1 });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const p of pages) await p.close().catch(() => undefined);
  await browser?.close();
  await cloud?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('console stories', () => {
  it('the whole story: logged by an agent, worked by the department, the citizen told, surveyed, closed', { timeout: 420_000 }, async () => {
    // An agent logs a pothole reported by phone and reads out its number.
    const agent = await tab('agent1');
    await agent.locator('[data-testid="category-search"]').fill('坑洞');
    await agent.keyboard.press('Enter');
    await expect.poll(() => agent.locator('[data-testid="chosen-category"]').textContent()).toContain('坑洞');
    await agent.locator('textarea[name="description"]').fill('中山路上有一個大坑洞，機車經過很危險。');
    await agent.selectOption('select[name="district"]', 'zhongli');
    await agent.locator('input[name="address"]').fill('中壢區中山路 100 號前');
    await agent.selectOption('select[name="attributes.size"]', 'large');
    await agent.selectOption('select[name="attributes.dangerous"]', 'yes');
    await agent.locator('input[name="name"]').fill('王小明');
    await agent.locator('input[name="phone"]').fill('0912-345-678');
    await agent.locator('.duplicates[data-loaded="true"]').waitFor();
    await screenshot(agent, 'intake');
    await agent.locator('textarea[name="description"]').press('Control+Enter');
    const caseNo = (await agent.locator('[data-testid="created-case-no"]').textContent({ timeout: 30_000 }))!.trim();
    expect(caseNo).toMatch(CASE_NO);
    await screenshot(agent, 'intake-case-number');

    // The department sees it in its inbox, acknowledges and resolves it.
    const dept = await tab('pwd.staff');
    const row = dept.locator(`tr[data-case-no="${caseNo}"]`);
    await row.waitFor({ timeout: 45_000 });
    await screenshot(dept, 'inbox');
    await row.locator('a.case-no').click();
    await waitForStatus(dept, '已分派');
    await act(dept, 'acknowledge');
    await waitForStatus(dept, '已簽收');
    await act(dept, 'resolve', { resolution: '已於當日完成坑洞填補。' });
    await waitForStatus(dept, '已處理');
    await screenshot(dept, 'case-resolved');

    // The outbox shows the SMS the citizen got: the receipt with the case number at intake, then the outcome.
    await go(agent, '#/outbox');
    const sms = agent.locator('tr[data-protocol="sms"]', { hasText: caseNo }).filter({ hasText: '已處理完成' });
    await sms.first().waitFor({ timeout: 45_000 });
    expect(await sms.first().locator('.endpoint').textContent()).toMatch(/912\D?345\D?678/);
    await expect.poll(() => agent.locator('tr[data-protocol="sms"]', { hasText: caseNo }).filter({ hasText: '已受理' }).count()).toBe(1);
    await screenshot(agent, 'outbox');

    // The clock moves a day at a time until the follow-up delay has passed and the case is in the callback queue.
    await go(agent, '#/clock');
    const agentToken = await cloud.token('agent1');
    await eventually(
      async () => {
        const queue = await apiAs(cloud.urls.api, agentToken, 'GET', '/queues/callback');
        if ((queue.json as { items: Array<{ caseNo: string }> }).items.some((c) => c.caseNo === caseNo)) return;
        // One day at a time, each advance confirmed before the next: a jump past the callback window would close
        // the case as unanswered.
        const before = await agent.locator('.banner.ok').textContent({ timeout: 100 }).catch(() => '');
        await agent.locator('button[data-duration="P1D"]').click();
        await expect.poll(() => agent.locator('.banner.ok').textContent({ timeout: 1000 }).catch(() => ''), { timeout: 10_000 }).not.toBe(before);
        throw new Error(`case ${caseNo} is not in the callback queue yet`);
      },
      120_000,
      1500,
    );
    await screenshot(agent, 'clock');

    // An agent calls back from the queue and records "satisfied".
    await go(agent, '#/callback');
    const callbackRow = agent.locator(`tr[data-case-no="${caseNo}"]`);
    await callbackRow.waitFor({ timeout: 20_000 });
    await screenshot(agent, 'callback-queue');
    await callbackRow.locator('a.case-no').click();
    await agent.locator('button[data-action="survey"]').waitFor({ timeout: 20_000 });
    await act(agent, 'survey', { answer: 'satisfied', rating: '5', comment: '修得很快，謝謝。' });

    // The case shows CLOSED with the full timeline.
    await waitForStatus(agent, '已結案');
    await eventually(async () => {
      const types = await agent.locator('[data-testid="timeline"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-event-type')));
      // The receipt SMS, then the work, then the outcome notice: each found after the one before.
      const expected = ['created', 'citizen-notified', 'routed', 'acknowledged', 'resolved', 'citizen-notified', 'follow-up', 'survey'];
      let from = -1;
      const positions = expected.map((t) => (from = types.indexOf(t, from + 1)));
      expect(positions.every((p) => p >= 0), `timeline ${types.join(', ')}`).toBe(true);
    });
    await screenshot(agent, 'case-closed');
  });

  it('an unacknowledged case escalates and appears on the supervisor dashboard', { timeout: 240_000 }, async () => {
    const created = await apiAs(cloud.urls.api, await cloud.token('agent2'), 'POST', '/cases', {
      category: 'street-light',
      description: '整排路燈都不亮，晚上很暗。',
      location: { district: 'bade', address: '八德區介壽路二段 500 號' },
      reporter: { anonymous: true, notify: 'none' },
      channel: 'phone',
    });
    expect(created.status).toBe(201);
    const caseNo = (created.json as { caseNo: string }).caseNo;

    const supervisor = await tab('supervisor1');
    // Wait for the workflow to route it, then let the acknowledge deadline pass on the clock.
    await eventually(async () => {
      const c = await apiAs(cloud.urls.api, await cloud.token('supervisor1'), 'GET', `/cases/${caseNo}`);
      expect((c.json as { status: string }).status).toBe('ASSIGNED');
    });
    // A day at a time until it has escalated: how many days depends on the weekday and holidays the clock is at.
    await go(supervisor, '#/clock');
    const supervisorToken = await cloud.token('supervisor1');
    await eventually(
      async () => {
        const c = await apiAs(cloud.urls.api, supervisorToken, 'GET', `/cases/${caseNo}`);
        if ((c.json as { escalationLevel: number }).escalationLevel >= 1) return;
        const before = await supervisor.locator('.banner.ok').textContent({ timeout: 100 }).catch(() => '');
        await supervisor.locator('button[data-duration="P1D"]').click();
        await expect.poll(() => supervisor.locator('.banner.ok').textContent({ timeout: 1000 }).catch(() => ''), { timeout: 10_000 }).not.toBe(before);
        throw new Error(`case ${caseNo} has not escalated yet`);
      },
      90_000,
      1500,
    );

    await go(supervisor, '#/dashboard');
    await eventually(
      async () => {
        await supervisor.locator('.dashboard .screen-head button:not([data-window])').click();
        const escalated = supervisor.locator('[data-testid="dashboard-escalated"]');
        await escalated.waitFor();
        // A long list shows its first rows; the rest are one click away.
        if (await escalated.locator('button.more').count()) await escalated.locator('button.more').click();
        await escalated.locator(`tr[data-case-no="${caseNo}"]`).waitFor({ timeout: 3000 });
      },
      60_000,
      1000,
    );
    await screenshot(supervisor, 'dashboard-escalated');
    const fewer = supervisor.locator('[data-testid="dashboard-escalated"] button.more');
    if (await fewer.count()) await fewer.click();
    await supervisor.evaluate(() => window.scrollTo(0, 0));
    await screenshot(supervisor, 'dashboard', { fullPage: false });

    // Keyboard first: "/" jumps to the case-number box.
    await supervisor.locator('body').press('/');
    await supervisor.keyboard.type(caseNo);
    await supervisor.keyboard.press('Enter');
    await expect.poll(() => supervisor.locator('[data-testid="escalation-level"]').textContent(), { timeout: 20_000 }).toMatch(/第 [123] 級/);
    await screenshot(supervisor, 'case-escalated');
    await go(supervisor, '#/dispatch');
    await supervisor.locator('.queue-dispatch table.cases, .queue-dispatch .empty').first().waitFor();
    await screenshot(supervisor, 'dispatch-queue');
  });

  it("a department user cannot see another department's case", { timeout: 180_000 }, async () => {
    const created = await apiAs(cloud.urls.api, await cloud.token('agent1'), 'POST', '/cases', {
      category: 'noise',
      description: '工地清晨五點就開始施工。',
      location: { district: 'taoyuan', address: '桃園區中正路 1 號旁工地' },
      reporter: { anonymous: true, notify: 'none' },
      channel: 'phone',
      attributes: { source: 'construction' },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const caseNo = (created.json as { caseNo: string }).caseNo;
    await eventually(async () => {
      const c = await apiAs(cloud.urls.api, await cloud.token('epd.staff'), 'GET', `/cases/${caseNo}`);
      expect((c.json as { status: string }).status).toBe('ASSIGNED');
    });

    const pwd = await tab('pwd.staff');
    await go(pwd, `#/cases/${caseNo}`);
    await pwd.locator('[data-testid="case-not-found"]').waitFor({ timeout: 20_000 });
    expect(await pwd.locator('[data-testid="case-status"]').count()).toBe(0);
    expect(await pwd.locator('button[data-action]').count()).toBe(0);
    await go(pwd, '#/inbox?status=ASSIGNED');
    await pwd.locator('table.cases, .empty').first().waitFor();
    expect(await pwd.locator(`tr[data-case-no="${caseNo}"]`).count()).toBe(0);
    await screenshot(pwd, 'other-department-case');

    // Its own department does see it.
    const epd = await tab('epd.staff');
    await go(epd, `#/cases/${caseNo}`);
    await waitForStatus(epd, '已分派');
  });

  it('signs in with code + PKCE at the local issuer, and with the demo-user picker of the local auth mode', { timeout: 120_000 }, async () => {
    const page = await browser.browser.newPage();
    pages.push(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    await signIn(page, cloud.urls.console, 'dist-zhongli.staff');

    const authorize = new URL(requests.find((u) => u.includes('/oauth2/authorize?'))!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('client_id')).toBe('citydesk-local-console');
    expect(requests.some((u) => u.endsWith('/oauth2/token'))).toBe(true);
    expect(page.url()).not.toContain('code=');
    expect(await page.locator('header.top nav').textContent()).toContain('待辦案件');

    // Signing out goes through the issuer's logout and back to the sign-in screen.
    await page.locator('header.top .who button.link', { hasText: '登出' }).click();
    await page.locator('.signin-card').waitFor();

    // The other auth module: the console's own demo-user picker (GET /_local/users, POST /_local/token).
    await page.route('**/config.json', (route) => route.fulfill({ json: { apiUrl: '', local: true, auth: { mode: 'local' } } }));
    await page.goto(cloud.urls.console);
    await screenshot(page, 'sign-in');
    await page.locator('button[data-username="agent2"]').click();
    await expect.poll(() => page.locator('header.top nav').textContent()).toContain('受理');
    await page.unroute('**/config.json');
  });

  it('the language switch changes the interface', { timeout: 120_000 }, async () => {
    const page = await tab('supervisor2');
    const nav = page.locator('header.top nav');
    await expect.poll(() => nav.textContent()).toContain('儀表板');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-Hant-TW');

    await page.locator('[data-testid="language-switch"]').click();

    await expect.poll(() => nav.textContent()).toContain('Dashboard');
    expect(await nav.textContent()).not.toContain('儀表板');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await go(page, '#/sops/pothole');
    await page.locator('.sop-editor').waitFor();
    expect(await page.locator('h1').textContent()).toBe('SOP administration');
    await screenshot(page, 'sop-admin-en');

    await page.locator('[data-testid="language-switch"]').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('SOP 管理');
    await screenshot(page, 'sop-admin');
    await go(page, '#/find?status=ASSIGNED');
    await page.locator('.results table.cases').waitFor({ timeout: 20_000 });
    await screenshot(page, 'find');
  });

  afterAll(() => {
    // The README shows the intake screen and the dashboard: refreshed only where Chinese fonts exist, so a machine
    // without them (CI installs only Chromium) never replaces them with empty boxes.
    if (!hasChineseFont()) return;
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    for (const name of ['intake', 'dashboard']) {
      try {
        copyFileSync(path.resolve('test-results', 'screenshots', `${name}.png`), path.join(DOCS_SCREENSHOTS, `${name}.png`));
      } catch {
        // The story that takes it failed and says why; nothing to copy.
      }
    }
  });
});

function hasChineseFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=zh-tw', 'family'], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
}
