/**
 * Photos on cases in a real browser against the local cloud (its S3 included): an agent at a 1,440 px desk attaches
 * a camera photo at intake, takes the place its EXIF holds and picks a better one on the map; the photo arrives
 * reduced and without EXIF, as a thumbnail and on the timeline. A staff member on a 390 px phone resolves a case
 * with an after photo. axe-core checks each screen touched for serious or critical violations.
 */
import { describe, expect, it } from 'vitest';
import { districtOfPoint } from '../../console/src/logic/places';
import { exifGps } from '../../console/src/logic/photos';
import { withExifGps } from '../support/exif';
import { act, eventually, go, waitForStatus } from './support/console';
import type { Page } from './support/browser';
import { storyCloud } from './support/stories';
import { logPothole, mapReady, seriousViolations } from './support/checks';

const stories = storyCloud('e2e-attachments');
const PHONE = { width: 390, height: 844 };
/** Where the camera was: Zhongli, by the district boundaries the API uses. */
const PHOTO_PLACE = { lat: 24.9537, lng: 121.2257 };


/** A real JPEG as a phone takes it (3,000 × 2,000 px), drawn and encoded by the browser itself. */
async function cameraJpeg(page: Page): Promise<Uint8Array> {
  const bytes = await page.evaluate(
    () =>
      new Promise<number[]>((resolve, reject) => {
        const canvas = document.createElement('canvas');
        canvas.width = 3000;
        canvas.height = 2000;
        const g = canvas.getContext('2d')!;
        g.fillStyle = '#8a8f98';
        g.fillRect(0, 0, 3000, 2000);
        g.fillStyle = '#3b3f46';
        g.beginPath();
        g.ellipse(1500, 1000, 700, 350, 0, 0, Math.PI * 2);
        g.fill();
        canvas.toBlob((b) => (b ? void b.arrayBuffer().then((a) => resolve([...new Uint8Array(a)])) : reject(new Error('no blob'))), 'image/jpeg', 0.9);
      }),
  );
  return Uint8Array.from(bytes);
}


describe('photos on cases', () => {
  it('an agent at the desk attaches a camera photo at intake, takes its place, then picks the place on the map; the case shows it reduced and without EXIF', { timeout: 300_000 }, async () => {
    const agent = await stories.tab('agent1');
    await agent.locator('[data-testid="category-search"]').fill('坑洞');
    await agent.keyboard.press('Enter');
    await agent.locator('textarea[name="description"]').fill('路口有坑洞，民眾傳來照片。');
    await agent.locator('input[name="address"]').fill('中央西路二段口');
    await agent.selectOption('select[name="attributes.size"]', 'small');
    await agent.selectOption('select[name="attributes.dangerous"]', 'no');
    await agent.locator('input[name="name"]').fill('林小姐');
    await agent.selectOption('select[name="notify"]', 'none');

    const photo = withExifGps(await cameraJpeg(agent), PHOTO_PLACE.lat, PHOTO_PLACE.lng);
    await agent.locator('[data-testid="attach-input"]').setInputFiles({ name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(photo) });
    expect(await agent.locator('[data-testid="picked-files"]').textContent()).toContain('IMG_2041.jpg');
    // The photo's place is offered, and taken only when the agent says so.
    const usePlace = agent.locator('[data-testid="use-photo-place"]');
    await usePlace.waitFor();
    expect(await agent.locator('input[name="lat"]').inputValue()).toBe('');
    await usePlace.click();
    expect(Number(await agent.locator('input[name="lat"]').inputValue())).toBeCloseTo(PHOTO_PLACE.lat, 4);
    expect(await agent.locator('select[name="district"]').inputValue()).toBe(districtOfPoint(PHOTO_PLACE));

    // The caller says the hole is elsewhere: the agent picks it on the map; the district follows the point.
    const fromPhoto = await agent.locator('input[name="lat"]').inputValue();
    const map = agent.locator('.intake-map [data-testid="city-map"]');
    await mapReady(agent, '.intake-map');
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await expect.poll(() => agent.locator('input[name="lat"]').inputValue()).not.toBe(fromPhoto);
    const picked = { lat: Number(await agent.locator('input[name="lat"]').inputValue()), lng: Number(await agent.locator('input[name="lng"]').inputValue()) };
    expect(await agent.locator('select[name="district"]').inputValue()).toBe(districtOfPoint(picked));
    expect(await seriousViolations(agent)).toEqual([]);

    await agent.locator('[data-testid="submit-case"]').click();
    const caseNo = (await agent.locator('[data-testid="created-case-no"]').textContent({ timeout: 60_000 }))!.trim();
    expect(await agent.locator('.intake-done .banner.error').count()).toBe(0);

    await go(agent, `#/cases/${caseNo}`);
    const thumb = agent.locator('[data-testid="thumbnails"] img');
    await thumb.waitFor({ timeout: 30_000 });
    expect(await agent.locator('[data-testid="thumbnails"] [data-kind="intake"]').count()).toBe(1);
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    // Reduced to 2,048 px on its longest side, re-encoded: the stored file carries no EXIF, so no place.
    expect(await thumb.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([2048, 1365]);
    const stored = Uint8Array.from(await thumb.evaluate(async (img: HTMLImageElement) => [...new Uint8Array(await (await fetch(img.src)).arrayBuffer())]));
    expect([...stored.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(exifGps(stored)).toBeUndefined();
    expect(stored.length).toBeLessThan(photo.length);
    // The timeline says a file was added at intake, with the file beside it.
    const event = agent.locator('[data-testid="timeline"] [data-event-type="attachment-added"]');
    await event.waitFor();
    expect(await event.locator('[data-field="kind"]').textContent()).toContain('受理時');
    expect(await event.locator('.event-attachment img').count()).toBe(1);
    expect(await seriousViolations(agent)).toEqual([]);
  });

  it('a staff member on a 390 px phone resolves the case with an after photo taken on the spot', { timeout: 300_000 }, async () => {
    const agent = await stories.tab('agent2');
    const caseNo = await logPothole(agent, { description: '人行道破洞。', district: 'zhongli', address: '中央西路二段 50 號', name: '陳先生' });
    const afterPhoto = await cameraJpeg(agent);

    const phone = await stories.tab('pwd.staff');
    await phone.setViewportSize(PHONE);
    await go(phone, `#/cases/${caseNo}`);
    await waitForStatus(phone, '已分派', 60_000);
    await act(phone, 'acknowledge');
    await waitForStatus(phone, '已簽收');

    // Acknowledged: the photo the department adds now is the after photo, from the camera the picker offers.
    const input = phone.locator('[data-testid="attach-input"]');
    expect(await input.getAttribute('capture')).toBe('environment');
    expect(await input.getAttribute('accept')).toBe('image/*,application/pdf');
    expect(await phone.locator('[data-testid="attach-kind"]').inputValue()).toBe('after');
    expect((await input.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await input.setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(afterPhoto) });
    await phone.locator('[data-testid="upload-list"] li[data-state="done"]').waitFor({ timeout: 30_000 });
    expect(await phone.locator('[data-testid="upload-list"] progress').evaluate((p: HTMLProgressElement) => p.value)).toBe(1);
    await phone.locator('[data-testid="thumbnails"] [data-kind="after"] img').waitFor({ timeout: 30_000 });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(phone)).toEqual([]);

    await act(phone, 'resolve', { resolution: '已現場修復人行道，附完工照片。' });
    await eventually(() => waitForStatus(phone, '已處理', 5_000));
    expect(await phone.locator('[data-testid="timeline"] [data-event-type="attachment-added"] [data-field="kind"]').textContent()).toContain('完工後');
  });
});
