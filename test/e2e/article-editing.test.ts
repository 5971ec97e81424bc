/**
 * Writing the knowledge base in a real browser against the local cloud: a department editor drafts an article
 * with its preview and the reason, a supervisor publishes it, and an agent finds it in the intake side panel from
 * the caller's words; a question no article fit reaches the department's editor; a supervisor pins a surge topic
 * and unpins it. One local cloud and one Chromium for the file.
 */
import { describe, expect, it } from 'vitest';
import { apiAs, eventually, go } from './support/console';
import type { Page } from './support/browser';
import { storyCloud } from './support/stories';

const stories = storyCloud('e2e-articles');

/** Waits for the editor's answer to a save, publish or retire; an error banner fails with its text. */
async function settled(page: Page): Promise<void> {
  await page.locator('[data-testid="article-done"], .article-editor .banner.error').first().waitFor({ timeout: 30_000 });
  const errors = await page.locator('.article-editor .banner.error').allTextContents();
  expect(errors).toEqual([]);
}

const ARTICLE = {
  id: 'loose-drain-cover',
  title: '水溝蓋鬆動會發出聲響怎麼辦',
  question: '水溝蓋鬆動一直發出聲響',
  answer: '道路水溝蓋鬆動或破損，請告知確切地點（路名與門牌或明顯地標），工務局會於三日內派員固定或更換。',
};

describe('writing the knowledge base', () => {
  it('a department editor drafts an article, a supervisor publishes it, and an agent finds it in the intake search', { timeout: 240_000 }, async () => {
    // The editor of the public works department writes a draft and sees it previewed as agents will.
    const editor = await stories.tab('pwd.staff');
    await go(editor, '#/articles?article=new');
    const form = editor.locator('[data-testid="article-editor"]');
    await form.waitFor({ timeout: 30_000 });
    await form.locator('input[name="id"]').fill(ARTICLE.id);
    await form.locator('input[name="titleZh"]').fill(ARTICLE.title);
    await form.locator('textarea[name="questions"]').fill(`${ARTICLE.question}\n水溝蓋會晃動`);
    await form.locator('textarea[name="answerZh"]').fill(ARTICLE.answer);
    expect(await form.locator('[data-testid="article-preview"] .kb-answer').textContent()).toBe(ARTICLE.answer);
    expect(await form.locator('select[name="department"]').inputValue()).toBe('PWD');
    await form.locator('input[name="reason"]').fill('民眾常問水溝蓋異音');
    await form.locator('[data-testid="save-article"]').click();
    await settled(editor);
    await expect.poll(() => editor.locator('[data-testid="article-status"]').textContent(), { timeout: 30_000 }).toBe('草稿');
    // The editor cannot publish: no button, and the public does not see the draft.
    expect(await editor.locator('[data-testid="publish-article"]').count()).toBe(0);
    expect((await apiAs(stories.cloud.urls.api, await stories.cloud.token('agent1'), 'GET', `/kb/articles/${ARTICLE.id}`)).status).toBe(404);

    // A supervisor finds it among the drafts and publishes it with the reason.
    const supervisor = await stories.tab('supervisor1');
    await go(supervisor, '#/articles?status=draft');
    const listed = supervisor.locator(`[data-testid="article-list"] li[data-article-id="${ARTICLE.id}"] a`);
    await listed.waitFor({ timeout: 30_000 });
    await listed.click();
    await supervisor.locator('input[name="statusReason"]').fill('內容已與工務局確認');
    await supervisor.locator('[data-testid="publish-article"]:not([disabled])').click();
    await settled(supervisor);
    await expect.poll(() => supervisor.locator('[data-testid="article-status"]').textContent(), { timeout: 30_000 }).toBe('已發布');
    // Who changed what and why: the draft and the publish, newest first.
    await expect
      .poll(async () => (await supervisor.locator('[data-testid="article-versions"] li').allTextContents()).map((line) => line.replace(/（.*?）/, '')), { timeout: 30_000 })
      .toEqual(['v2 已發布 · 內容已與工務局確認', 'v1 草稿 · 民眾常問水溝蓋異音']);

    // An agent types what the caller says; the side panel offers the article, and its answer reads aloud.
    const agent = await stories.tab('agent1');
    await agent.locator('textarea[name="description"]').fill(ARTICLE.question);
    const hit = agent.locator(`.kb-panel li[data-article-id="${ARTICLE.id}"]`);
    await hit.waitFor({ timeout: 30_000 });
    await hit.locator('button.kb-title').click();
    expect(await hit.locator('.kb-answer').textContent()).toBe(ARTICLE.answer);
    const published = await apiAs(stories.cloud.urls.api, await stories.cloud.token('agent1'), 'GET', `/kb/articles/${ARTICLE.id}`);
    expect(published.json).toMatchObject({ id: ARTICLE.id, version: 2 });
  });

  it('a question no article fit reaches its department, whose editor starts an article from it', { timeout: 180_000 }, async () => {
    const question = '接種疫苗後可以捐血嗎';
    const logged = await apiAs(stories.cloud.urls.api, await stories.cloud.token('agent2'), 'POST', '/cases', {
      category: 'epidemic-info',
      description: `民眾詢問${question}`,
      location: { district: 'zhongli', address: '中壢區' },
      reporter: { anonymous: true, notify: 'none' },
      channel: 'phone',
      inquiry: { outcome: 'no-article', question },
    });
    expect(logged.status, JSON.stringify(logged.json)).toBe(201);

    const editor = await stories.tab('health.staff');
    await go(editor, '#/articles');
    const request = editor.locator('[data-testid="article-requests"] li', { hasText: question });
    await request.waitFor({ timeout: 30_000 });
    await request.locator('[data-testid="draft-from-request"]').click();
    await expect.poll(() => editor.locator('textarea[name="questions"]').inputValue(), { timeout: 30_000 }).toBe(question);
    expect(await editor.locator('select[name="department"]').inputValue()).toBe('HEALTH');
  });

  it('a supervisor pins a surge topic for every agent and unpins it', { timeout: 180_000 }, async () => {
    const supervisor = await stories.tab('supervisor2');
    await go(supervisor, '#/articles');
    const admin = supervisor.locator('[data-testid="surge-admin"]');
    await admin.waitFor({ timeout: 30_000 });
    await admin.locator('input[name="topicId"]').fill('water-outage-e2e');
    await admin.locator('input[name="topicTitle"]').fill('中壢區停水');
    await admin.locator('textarea[name="topicScript"]').fill('中壢區今日停水至晚間八點，請民眾儲水。');
    await admin.locator('input[name="topicArticles"]').fill('water-outage');
    await admin.locator('[data-testid="pin-topic"]').click();
    await admin.locator('li[data-topic-id="water-outage-e2e"]').waitFor({ timeout: 30_000 });

    const agent = await stories.tab('agent2');
    await agent.locator('.surge-topic[data-topic-id="water-outage-e2e"]').waitFor({ timeout: 30_000 });

    await admin.locator('li[data-topic-id="water-outage-e2e"] [data-testid="unpin-topic"]').click();
    await admin.locator('li[data-topic-id="water-outage-e2e"]').waitFor({ state: 'detached', timeout: 30_000 });
    await eventually(async () => {
      const topics = await apiAs(stories.cloud.urls.api, await stories.cloud.token('agent2'), 'GET', '/kb/surge-topics');
      expect((topics.json as { items: Array<{ id: string }> }).items.map((t) => t.id)).not.toContain('water-outage-e2e');
    });
  });
});
