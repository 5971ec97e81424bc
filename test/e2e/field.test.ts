/**
 * Places and field work in a real browser against the local cloud: an agent at a 1,440 px desk picks the place on
 * the map, and a staff member on a 390 px phone finds the case in a card list and works it with the actions first.
 * axe-core checks each screen touched for serious or critical violations.
 */
import { describe, expect, it } from 'vitest';
import { districtOfPoint } from '../../console/src/logic/places';
import { act, eventually, go, waitForStatus } from './support/console';
import { screenshot } from './support/browser';
import { storyCloud } from './support/stories';
import { logPothole, mapReady, seriousViolations } from './support/checks';

const stories = storyCloud('e2e-field');
const PHONE = { width: 390, height: 844 };



describe('places and field work', () => {
  it('an agent at the desk picks the place on the map: coordinates and district follow, a point outside the city is refused', { timeout: 300_000 }, async () => {
    const agent = await stories.tab('agent1');
    await agent.locator('[data-testid="category-search"]').fill('坑洞');
    await agent.keyboard.press('Enter');
    await agent.locator('textarea[name="description"]').fill('路口有坑洞。');
    await agent.locator('input[name="address"]').fill('路口');
    await agent.selectOption('select[name="attributes.size"]', 'small');
    await agent.selectOption('select[name="attributes.dangerous"]', 'no');
    const map = agent.locator('.intake-map [data-testid="city-map"]');
    await mapReady(agent, '.intake-map');
    const box = (await map.boundingBox())!;

    // A point outside the city (the south-west corner lies in Hsinchu County): not taken, with the reason.
    await map.click({ position: { x: 12, y: box.height - 12 } });
    await expect.poll(() => agent.locator('[data-testid="map-note"]').textContent()).toMatch(/本市以外/);
    expect(await agent.locator('input[name="lat"]').inputValue()).toBe('');

    // The middle of the city: the coordinates are set and the district is the one whose boundary holds them.
    await map.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await expect.poll(() => agent.locator('input[name="lat"]').inputValue()).not.toBe('');
    const point = { lat: Number(await agent.locator('input[name="lat"]').inputValue()), lng: Number(await agent.locator('input[name="lng"]').inputValue()) };
    const district = districtOfPoint(point);
    expect(district).toBeDefined();
    expect(await agent.locator('select[name="district"]').inputValue()).toBe(district);
    // The agent may still correct the district; the point stays.
    await agent.selectOption('select[name="district"]', 'zhongli');
    expect(await agent.locator('input[name="lat"]').inputValue()).toBe(String(point.lat));
    await agent.selectOption('select[name="district"]', district!);
    await agent.locator('input[name="name"]').fill('林小姐');
    await agent.selectOption('select[name="notify"]', 'none');
    expect(await seriousViolations(agent)).toEqual([]);
    // The README's picture in English (CI's Chromium has no Chinese font), then back to the default language.
    await agent.locator('[data-testid="language-switch"]').click();
    // What the map said follows the language: the pick's note and the boundaries' attribution.
    await expect.poll(() => agent.locator('[data-testid="map-note"]').textContent()).toMatch(/^District from the map: /);
    expect(await agent.locator('.intake-map .leaflet-control-attribution').textContent()).toContain('MOTC town boundaries');
    await screenshot(agent, 'field-intake-map', { fullPage: false });
    await agent.locator('[data-testid="language-switch"]').click();

    await agent.locator('[data-testid="submit-case"]').click();
    const caseNo = (await agent.locator('[data-testid="created-case-no"]').textContent({ timeout: 30_000 }))!.trim();

    // The case page shows the place on a small map and offers the maps app.
    await go(agent, `#/cases/${caseNo}`);
    await agent.locator('[data-testid="case-no"]').waitFor();
    await mapReady(agent, '.case-map');
    expect(await agent.locator('[data-testid="open-in-maps"]').getAttribute('href')).toContain(`${point.lat}`);
    expect(await seriousViolations(agent)).toEqual([]);
  });

  it('a staff member on a 390 px phone: the inbox as cards beside a map, the case with status, due time and actions first, resolved from the phone', { timeout: 300_000 }, async () => {
    const agent = await stories.tab('agent2');
    const caseNo = await logPothole(agent, { description: '人行道破洞。', district: 'zhongli', address: 'No. 50, Sec. 2, Zhongyang W. Rd.', lat: '24.9537', lng: '121.2257', name: '陳先生' });

    const phone = await stories.tab('pwd.staff');
    await phone.setViewportSize(PHONE);
    const card = phone.locator(`tr[data-case-no="${caseNo}"]`);
    await card.waitFor({ timeout: 60_000 });
    await mapReady(phone, '.queue-map');
    // Cards, not a table wider than the phone: nothing scrolls sideways, the column headings are gone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await phone.locator('table.cases thead').isVisible()).toBe(false);
    const cardBox = (await card.boundingBox())!;
    expect(cardBox.width).toBeLessThanOrEqual(PHONE.width);
    expect(await card.textContent()).toContain('No. 50, Sec. 2, Zhongyang W. Rd.');
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.locator('[data-testid="language-switch"]').click();
    await screenshot(phone, 'field-phone-inbox', { fullPage: false });

    await card.locator('a.case-no').click();
    await waitForStatus(phone, 'Assigned');
    // Status, due time and actions come before the fields and the timeline.
    const actionsTop = (await phone.locator('.actions-panel').boundingBox())!.y;
    expect(actionsTop).toBeLessThan((await phone.locator('.case-grid .fields').boundingBox())!.y);
    expect(actionsTop).toBeLessThan((await phone.locator('[data-testid="timeline"]').boundingBox())!.y);
    expect(actionsTop).toBeLessThan(PHONE.height);
    const acknowledge = (await phone.locator('button[data-action="acknowledge"]').boundingBox())!;
    expect(acknowledge.height).toBeGreaterThanOrEqual(44);
    expect(await phone.locator('[data-testid="open-in-maps"]').getAttribute('href')).toMatch(/24\.9537/);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'field-phone-case', { fullPage: false });
    await phone.locator('[data-testid="language-switch"]').click();

    await act(phone, 'acknowledge');
    await waitForStatus(phone, '已簽收');
    await act(phone, 'resolve', { resolution: '已現場修復人行道。' });
    await eventually(() => waitForStatus(phone, '已處理', 5_000));
  });
});
