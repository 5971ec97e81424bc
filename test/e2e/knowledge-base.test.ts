/**
 * Inquiries in a real browser against the local cloud: an agent types what the caller asks, reads the answer from
 * the article the side panel offers and closes the call on the spot; another agent sends an inquiry no article
 * settles to the department as a normal case. One local cloud and one Chromium for the file.
 */
import { describe, expect, it } from 'vitest';
import { apiAs, eventually } from './support/console';
import type { Page } from './support/browser';
import { storyCloud } from './support/stories';

const stories = storyCloud('e2e-kb');

/** The agent picks the epidemic inquiry category and types the caller's question and place. */
async function startInquiry(agent: Page, question: string): Promise<void> {
  await agent.locator('[data-testid="category-search"]').fill('防疫');
  await agent.keyboard.press('Enter');
  await expect.poll(() => agent.locator('[data-testid="chosen-category"]').textContent()).toContain('防疫');
  await agent.locator('textarea[name="description"]').fill(question);
  await agent.selectOption('select[name="district"]', 'zhongli');
  await agent.locator('input[name="address"]').fill('中壢區');
  await agent.locator('input[name="anonymous"]').check();
}

async function caseAsAdmin(caseNo: string): Promise<{ status: string; department?: string; executionArn?: string; inquiry?: { outcome: string; articleId?: string } }> {
  const res = await apiAs(stories.cloud.urls.api, await stories.cloud.token('admin'), 'GET', `/cases/${caseNo}`);
  return res.json as { status: string; department?: string; executionArn?: string; inquiry?: { outcome: string; articleId?: string } };
}

describe('answering on the call', () => {
  it('an agent answers a question from a knowledge-base article and closes the call at once', { timeout: 180_000 }, async () => {
    const agent = await stories.tab('agent1');
    await startInquiry(agent, '流感疫苗要去哪裡打');

    // The side panel offers the article; the agent opens it, reads the answer aloud and uses it.
    const hit = agent.locator('.kb-panel li[data-article-id="flu-vaccine"]');
    await hit.waitFor({ timeout: 30_000 });
    await hit.locator('button.kb-title').click();
    const article = hit.locator('[data-testid="kb-article"]');
    expect(((await article.locator('.kb-answer').textContent()) ?? '').length).toBeGreaterThan(20);
    await article.locator('[data-testid="kb-use"]').click();
    await agent.locator('[data-testid="inquiry-answered"]:not([disabled])').click();

    const caseNo = (await agent.locator('[data-testid="created-case-no"]').textContent({ timeout: 30_000 }))!.trim();
    expect(await agent.locator('.intake-done h1').textContent()).toBe('已於通話中答復並結案');
    const c = await caseAsAdmin(caseNo);
    expect(c.status).toBe('CLOSED');
    expect(c.executionArn).toBeUndefined();
    expect(c.department).toBeUndefined();
    expect(c.inquiry).toMatchObject({ outcome: 'answered', articleId: 'flu-vaccine' });
  });

  it('an agent escalates an inquiry to the department, which gets it as a normal case', { timeout: 180_000 }, async () => {
    const agent = await stories.tab('agent2');
    await startInquiry(agent, '打完疫苗第三天還在發燒，要去哪裡看');
    await agent.locator('.kb-panel[data-loaded="true"]').waitFor({ timeout: 30_000 });
    await agent.locator('[data-testid="inquiry-escalate"]').click();

    const caseNo = (await agent.locator('[data-testid="created-case-no"]').textContent({ timeout: 30_000 }))!.trim();
    expect(await agent.locator('.intake-done h1').textContent()).toBe('案件已成立，請告知民眾案號');
    await eventually(async () => {
      const c = await caseAsAdmin(caseNo);
      expect(c.status).toBe('ASSIGNED');
      expect(c.department).toBe('HEALTH');
      expect(c.inquiry).toMatchObject({ outcome: 'escalated' });
    }, 45_000);
  });

  it('every agent sees a pinned surge topic at the top of intake and logs a call under it', { timeout: 180_000 }, async () => {
    const pinned = await apiAs(stories.cloud.urls.api, await stories.cloud.token('supervisor1'), 'POST', '/kb/surge-topics', {
      id: 'typhoon-e2e',
      title: '颱風來襲',
      script: '明日停班停課，垃圾車暫停收運。',
      articleIds: ['typhoon-day-off'],
      expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    });
    expect(pinned.status, JSON.stringify(pinned.json)).toBe(201);

    const agent = await stories.tab('agent1');
    const topic = agent.locator('.surge-topic[data-topic-id="typhoon-e2e"]');
    await topic.waitFor({ timeout: 30_000 });
    expect(await topic.locator('.surge-script').textContent()).toBe('明日停班停課，垃圾車暫停收運。');
    await topic.locator('input[name="surgeTopic"]').check();
    await startInquiry(agent, '明天要上班嗎');
    const hit = agent.locator('.kb-panel li[data-article-id="typhoon-day-off"]');
    await hit.waitFor({ timeout: 30_000 });
    await hit.locator('button.kb-title').click();
    await hit.locator('[data-testid="kb-use"]').click();
    await agent.locator('[data-testid="inquiry-answered"]:not([disabled])').click();

    const caseNo = (await agent.locator('[data-testid="created-case-no"]').textContent({ timeout: 30_000 }))!.trim();
    const c = (await caseAsAdmin(caseNo)) as { status: string; surgeTopic?: string };
    expect(c.status).toBe('CLOSED');
    expect(c.surgeTopic).toBe('typhoon-e2e');
  });
});
