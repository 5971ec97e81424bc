/** Steps a person takes in the console, for the browser stories. Selectors are the console's own data attributes. */
import { expect } from 'vitest';
import type { Page } from './browser';

/**
 * Signs in as the console does with the local cloud's default config: OpenID Connect code + PKCE against the local
 * issuer, whose authorize page is a demo-user picker (one form per user). In `local` auth mode the console's own
 * picker is used instead.
 */
export async function signIn(page: Page, consoleUrl: string, username: string): Promise<void> {
  await page.goto(consoleUrl);
  const ownPicker = page.locator(`button[data-username="${username}"]`);
  const oidcButton = page.locator('.signin-card button.primary');
  await ownPicker.or(oidcButton).first().waitFor();
  if (await ownPicker.count()) await ownPicker.click();
  else {
    await oidcButton.click();
    await page.waitForURL(/\/oauth2\/authorize/);
    await page.locator(`form:has(input[name="username"][value="${username}"]) button`).click();
  }
  await page.locator('header.top nav').waitFor();
}

export async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
}

/** Waits until `check` passes, polling; fails with the last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000, everyMs = 500): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      return await check();
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw last instanceof Error ? last : new Error(String(last));
}

/** The case page's status badge text, once it shows `status` (the page follows the case every few seconds). */
export async function waitForStatus(page: Page, statusLabel: string, timeoutMs = 45_000): Promise<void> {
  await page.locator('[data-testid="case-status"]', { hasText: statusLabel }).waitFor({ timeout: timeoutMs });
}

export async function act(page: Page, action: string, fields: Record<string, string> = {}): Promise<void> {
  await page.locator(`button[data-action="${action}"]`).click();
  const form = page.locator(`form[data-action-form="${action}"]`);
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'answer' || name === 'rating') await form.locator(`input[name="${name}"][value="${value}"]`).check();
    else await form.locator(`[name="${name}"]`).fill(value);
  }
  await form.locator('[data-testid="confirm-action"]').click();
  await form.waitFor({ state: 'detached', timeout: 20_000 });
  expect(await page.locator('.banner.error').count()).toBe(0);
}

/** An API call as a demo user (for setting up a story, never for what the story checks). */
export async function apiAs(api: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}
