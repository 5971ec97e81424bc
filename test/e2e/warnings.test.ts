/**
 * Early warnings in a real browser against the local cloud: eight street-light calls from Bade within minutes are
 * a spike; at the next quarter-hour the scheduled scan (SCHEDULED_JOBS, fired by the local scheduler on the local
 * clock) raises a warning, which appears in the supervisor's header badge and warnings page; the supervisor
 * sees the district marked on the dashboard's map and the calls on today's trend line, acknowledges it and merges
 * its duplicates into one parent case; the month's meeting pack downloads as CSV and XLSX and prints. And at intake, the likeliest categories are
 * suggested from the description as the agent types.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { apiAs, eventually, go } from './support/console';
import { storyCloud } from './support/stories';

const stories = storyCloud('e2e-warnings');

describe('early warnings', () => {
  it('a planted spike appears as a warning; a supervisor acknowledges it and merges its duplicates', { timeout: 300_000 }, async () => {
    const { api } = stories.cloud.urls;
    const agent = await stories.cloud.token('agent1');
    const caseNos: string[] = [];
    for (let i = 1; i <= 8; i++) {
      const created = await apiAs(api, agent, 'POST', '/cases', {
        category: 'street-light',
        description: `介壽路的路燈整排不亮（第 ${i} 通）`,
        location: { district: 'bade', address: `八德區介壽路一段 ${100 + i} 號前` },
        reporter: { anonymous: true, notify: 'none' },
        channel: 'phone',
        attributes: { lightState: 'dark' },
      });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      caseNos.push((created.json as { caseNo: string }).caseNo);
    }
    // Routed (RouteCase counts each call in its hour).
    for (const caseNo of caseNos)
      await eventually(async () => {
        const c = await apiAs(api, agent, 'GET', `/cases/${caseNo}`);
        expect((c.json as { status: string }).status).toBe('ASSIGNED');
      }, 60_000);

    const supervisor = await stories.tab('supervisor1');
    await go(supervisor, '#/warnings');
    expect(await supervisor.locator('[data-testid="warning"][data-warning-id^="spike:street-light@bade:"]').count()).toBe(0);

    // The clock to just past the next quarter-hour: the default schedule's next scan.
    const clock = (await (await fetch(`${api}/_local/clock`)).json()) as { now: string };
    const now = Date.parse(clock.now);
    const quarter = 15 * 60_000;
    const advanceMs = Math.ceil((now + 1) / quarter) * quarter + 5_000 - now;
    const advanced = await fetch(`${api}/_local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: advanceMs }) });
    expect(advanced.status).toBe(200);
    const advancedAt = Date.now();

    const warning = supervisor.locator('[data-testid="warning"][data-warning-id^="spike:street-light@bade:"]');
    await eventually(async () => {
      await supervisor.locator('.warnings .screen-head button').click();
      expect(await warning.count()).toBe(1);
    }, 90_000, 2_000);
    console.log(`[e2e warnings] scan after the clock reached the quarter-hour to the warning on the page: ${Date.now() - advancedAt} ms (real)`);
    expect(await warning.getAttribute('data-status')).toBe('open');
    // The eight calls, and any the demo data logged there in the same hours.
    const evidence = (await warning.locator('[data-testid="warning-evidence"]').textContent()) ?? '';
    expect(Number(/共 (\d+) 件/.exec(evidence)?.[1])).toBeGreaterThanOrEqual(8);
    for (const caseNo of caseNos) expect(await warning.locator(`a[href="#/cases/${caseNo}"]`).count()).toBe(1);
    // The header badge counts it (the badge reloads every minute; a fresh page reads it at once).
    await supervisor.reload();
    await supervisor.locator('[data-testid="warning-badge"]').waitFor({ timeout: 30_000 });

    // The dashboard's map marks Bade (its open cases and the warning), and today's trend line counts the calls.
    await go(supervisor, '#/dashboard');
    await supervisor.locator('button[data-window="today"]').click();
    const bade = supervisor.locator('[data-testid="district-map"] [data-district="bade"]');
    await eventually(async () => {
      expect(Number(await bade.getAttribute('data-open'))).toBeGreaterThanOrEqual(8);
      expect(Number(await bade.getAttribute('data-warnings'))).toBeGreaterThanOrEqual(1);
    }, 30_000);
    const trend = supervisor.locator('[data-testid="trend-categories"]');
    await trend.locator('summary').click();
    const streetLights = trend.locator('tr[data-code="street-light"] td').last();
    expect(Number(await streetLights.textContent())).toBeGreaterThanOrEqual(8);
    await go(supervisor, '#/warnings');
    await warning.waitFor({ timeout: 30_000 });

    // Acknowledge: it leaves the open list and is found under its new status.
    await warning.locator('[data-testid="warning-acknowledge"]').click();
    await eventually(async () => expect(await warning.count()).toBe(0), 30_000);
    await go(supervisor, '#/warnings?status=acknowledged');
    await warning.waitFor({ timeout: 30_000 });
    expect(await warning.getAttribute('data-status')).toBe('acknowledged');

    // Merge the duplicates into the first call.
    await warning.locator(`input[type="radio"][value="${caseNos[0]}"]`).check();
    await warning.locator('[data-testid="warning-merge"]').click();
    await warning.locator('[role="status"]').waitFor({ timeout: 60_000 });
    for (const caseNo of caseNos.slice(1))
      await eventually(async () => {
        const c = await apiAs(api, agent, 'GET', `/cases/${caseNo}`);
        expect(c.json).toMatchObject({ status: 'MERGED', parentCaseNo: caseNos[0] });
      }, 60_000);
  });

  it("a supervisor opens this month's meeting pack, downloads it as CSV and XLSX and prints it on A4", { timeout: 180_000 }, async () => {
    const supervisor = await stories.tab('supervisor1');
    await go(supervisor, '#/meeting');
    const pack = supervisor.locator('[data-testid="meeting-pack"]');
    await pack.waitFor({ timeout: 60_000 });
    // The demo data's calls are this month's: the total is the sum of the category rows.
    const total = Number(await pack.locator('[data-testid="meeting-totals"] [data-total]').getAttribute('data-total'));
    const counts = await pack.locator('[data-testid="meeting-categories"] tbody tr td:nth-child(2)').allTextContents();
    expect(total).toBeGreaterThan(0);
    expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(total);

    // The month's knowledge-base figures are part of the pack.
    await pack.locator('[data-testid="kb-figures"] [data-testid="fcr"]').waitFor({ timeout: 30_000 });

    const categories = pack.locator('[data-testid="meeting-categories"]');
    const [csv] = await Promise.all([supervisor.waitForEvent('download'), categories.locator('[data-testid="export-csv"]').click()]);
    const text = readFileSync(await csv.path()).toString('utf8');
    expect(text.startsWith('\uFEFF類別,通數,上月,增減 (%),')).toBe(true);

    const [xlsx] = await Promise.all([supervisor.waitForEvent('download'), supervisor.locator('[data-testid="meeting-xlsx"]').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^meeting-\d{4}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    const file = readFileSync(await xlsx.path());
    await book.xlsx.load(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
    expect(book.worksheets.map((w) => w.name)).toEqual(['各類別受理量', '各行政區受理量', '各機關：時效、重新派案與不滿意', '預警與處置情形', 'SOP 異動']);
    expect(book.worksheets[0].getRow(2).getCell(2).value).toBe(Number(counts[0]));

    await supervisor.emulateMedia({ media: 'print' });
    expect(await categories.locator('[data-testid="export-csv"]').isVisible()).toBe(false);
    expect(await supervisor.locator('header.top').isVisible()).toBe(false);
    const pdf = await supervisor.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await supervisor.emulateMedia({ media: 'screen' });
  });

  it('the intake screen suggests the likeliest categories as the agent types, and one click files it there', { timeout: 120_000 }, async () => {
    const agent = await stories.tab('agent1');
    await go(agent, '#/intake');
    await agent.locator('textarea[name="description"]').fill('我家巷口那支路燈從昨天晚上就不亮了');
    const suggestions = agent.locator('[data-testid="category-suggestions"]');
    await suggestions.waitFor({ timeout: 30_000 });
    const first = suggestions.locator('button.chip').first();
    expect(await first.getAttribute('data-category')).toBe('street-light');
    expect(await suggestions.locator('button.chip').count()).toBeLessThanOrEqual(3);
    expect(await first.textContent()).toMatch(/\d+%/);
    await first.click();
    await expect.poll(() => agent.locator('[data-testid="chosen-category"]').textContent()).toContain('路燈');
  });
});
