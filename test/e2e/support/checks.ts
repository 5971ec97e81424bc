/** What the browser stories share: axe-core's serious and critical findings, a map drawn and ready, a case logged. */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from './browser';

/** The serious and critical axe violations on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Waits until the city map inside `within` has drawn its boundaries. */
export async function mapReady(page: Page, within = 'body'): Promise<void> {
  await page.locator(`${within} [data-testid="city-map"][data-ready="true"] .leaflet-overlay-pane svg`).first().waitFor();
}

/** An agent logs a small, not dangerous pothole from the intake screen (the tab is on it); returns the case number. */
export async function logPothole(page: Page, report: { description: string; district: string; address: string; lat?: string; lng?: string; name: string }): Promise<string> {
  await page.locator('[data-testid="category-search"]').fill('坑洞');
  await page.keyboard.press('Enter');
  await page.locator('textarea[name="description"]').fill(report.description);
  await page.selectOption('select[name="district"]', report.district);
  await page.locator('input[name="address"]').fill(report.address);
  if (report.lat) await page.locator('input[name="lat"]').fill(report.lat);
  if (report.lng) await page.locator('input[name="lng"]').fill(report.lng);
  await page.selectOption('select[name="attributes.size"]', 'small');
  await page.selectOption('select[name="attributes.dangerous"]', 'no');
  await page.locator('input[name="name"]').fill(report.name);
  await page.selectOption('select[name="notify"]', 'none');
  await page.locator('[data-testid="submit-case"]').click();
  return (await page.locator('[data-testid="created-case-no"]').textContent({ timeout: 30_000 }))!.trim();
}
