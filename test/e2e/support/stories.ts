/**
 * One local cloud (random ports, a temporary data folder, demo data) and one Chromium for a story file; each story
 * signs in in its own tab (sessionStorage is per tab, so each tab is its own user). Call at the top of the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud';
import { launchBrowser, type LaunchedBrowser, type Page } from './browser';
import { signIn } from './console';

export interface Stories {
  /** The running local cloud (set once beforeAll has run). */
  readonly cloud: LocalCloud;
  /** A new tab signed in as the demo user. */
  tab(username: string): Promise<Page>;
}

export function storyCloud(name: string): Stories {
  let cloud: LocalCloud | undefined;
  let browser: LaunchedBrowser | undefined;
  let dataDir: string | undefined;
  const pages: Page[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), `citydesk-${name}-`));
    cloud = await startLocalCloud({ port: 0, dataDir, quiet: true, timeScale: 1 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const p of pages) await p.close().catch(() => undefined);
    await browser?.close();
    await cloud?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    get cloud() {
      if (!cloud) throw new Error('the local cloud starts in beforeAll');
      return cloud;
    },
    async tab(username) {
      if (!browser || !cloud) throw new Error('the browser starts in beforeAll');
      const page = await browser.browser.newPage();
      pages.push(page);
      page.on('pageerror', (e) => console.error(`[browser ${username}] ${e.message}`));
      await signIn(page, cloud.urls.console, username);
      return page;
    },
  };
}
