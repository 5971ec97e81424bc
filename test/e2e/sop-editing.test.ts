/**
 * SOP editing in a real browser against the local cloud: a supervisor changes what agents are told to say and ask,
 * reviews the changes before saving, gives the reason; the next call of that category follows the new version.
 */
import { describe, expect, it } from 'vitest';
import { apiAs, eventually, go } from './support/console';
import { storyCloud } from './support/stories';

const stories = storyCloud('e2e-sop-editing');
const tab = (username: string) => stories.tab(username);

const GUIDANCE = '先請民眾說出附近的店家或門牌，燈桿編號常被塗掉。';

describe('SOP editing', () => {
  it('a supervisor edits the guidance, adds and retires a question, reviews the diff and gives a reason; the next intake asks the new question', { timeout: 240_000 }, async () => {
    const supervisor = await tab('supervisor1');
    await go(supervisor, '#/sops/street-light');
    const editor = supervisor.locator('.sop-editor');
    await editor.waitFor();

    // The guidance agents read on the call, a new question, and the pole number no longer asked.
    await editor.locator('textarea[name="guidance.zh"]').fill(GUIDANCE);
    await editor.getByRole('button', { name: '新增問題' }).click();
    const added = editor.locator('[data-testid="question-2"]');
    await added.locator('input[name="attributes.2.code"]').fill('nearShop');
    await added.locator('input[name="attributes.2.description.zh"]').fill('附近店家或門牌');
    await added.locator('input[name="attributes.2.description.en"]').fill('A shop or door number nearby');
    await added.getByRole('button', { name: '上移' }).click();
    await editor.locator('[data-testid="question-0"]').getByRole('button', { name: '停用' }).click();

    // The changes against v1, field by field, before anything is saved.
    const diff = editor.locator('[data-testid="sop-diff"]');
    await expect.poll(() => diff.textContent()).toContain('attributes[poleNumber].retired');
    const diffText = (await diff.textContent()) ?? '';
    expect(diffText).toContain('v1');
    expect(diffText).toContain('guidance.zh');
    expect(diffText).toContain(GUIDANCE);
    expect(diffText).toContain('attributes[nearShop].description.zh');
    expect(diffText).toContain('附近店家或門牌');

    // A reason of spaces: the API's 400 is shown under the reason field, and nothing is saved.
    await editor.locator('input[name="reason"]').fill('   ');
    await supervisor.locator('[data-testid="save-sop"]').click();
    await editor.locator('.field-error[data-field="reason"]').waitFor();
    const stillV1 = await apiAs(stories.cloud.urls.api, await stories.cloud.token('supervisor1'), 'GET', '/sops/street-light');
    expect((stillV1.json as { version: number }).version).toBe(1);

    await editor.locator('input[name="reason"]').fill('燈桿編號常被塗掉，改問附近店家');
    await supervisor.locator('[data-testid="save-sop"]').click();
    await supervisor.locator('.banner.ok', { hasText: 'v2' }).waitFor();

    // The history lists v2 with its author, reason and the same changes.
    const v2 = supervisor.locator('[data-testid="sop-versions"] li[data-version="2"]');
    await v2.waitFor();
    expect(await v2.textContent()).toContain('燈桿編號常被塗掉，改問附近店家');
    expect(await v2.textContent()).toContain('王主任');
    await v2.locator('summary').click();
    expect(await v2.locator('table').textContent()).toContain('attributes[nearShop].description.zh');

    // An agent's next street-light call: the guidance beside the form, the new question, no pole number.
    const agent = await tab('agent1');
    await agent.locator('[data-testid="category-search"]').fill('路燈');
    await agent.keyboard.press('Enter');
    await expect.poll(() => agent.locator('[data-testid="chosen-category"]').textContent()).toContain('路燈');
    expect(await agent.locator('[data-testid="sop-guidance"]').textContent()).toContain(GUIDANCE);
    expect(await agent.locator('.sop-summary').textContent()).toContain('v2');
    await agent.locator('input[name="attributes.nearShop"]').waitFor();
    expect(await agent.locator('input[name="attributes.poleNumber"]').count()).toBe(0);
    const asked = await agent.locator('[name^="attributes."]').evaluateAll((els) => els.map((e) => e.getAttribute('name')));
    expect(asked).toEqual(['attributes.nearShop', 'attributes.lightState']);

    await agent.locator('textarea[name="description"]').fill('巷口路燈整晚不亮。');
    await agent.selectOption('select[name="district"]', 'zhongli');
    await agent.locator('input[name="address"]').fill('中壢區新生路 200 巷口');
    await agent.locator('input[name="attributes.nearShop"]').fill('全家便利商店對面');
    await agent.locator('input[name="name"]').fill('林小姐');
    await agent.locator('input[name="phone"]').fill('0933-222-111');
    await agent.locator('textarea[name="description"]').press('Control+Enter');
    const caseNo = (await agent.locator('[data-testid="created-case-no"]').textContent({ timeout: 30_000 }))!.trim();

    const logged = await eventually(async () => {
      const c = await apiAs(stories.cloud.urls.api, await stories.cloud.token('agent1'), 'GET', `/cases/${caseNo}`);
      const body = c.json as { sopVersion?: number; attributes: Record<string, unknown> };
      expect(body.sopVersion).toBe(2);
      return body;
    });
    expect(logged.attributes).toEqual({ nearShop: '全家便利商店對面' });

    // The agent may read the history too: the author by name from the staff directory, not an id.
    await go(agent, '#/sops/street-light');
    const agentsV2 = agent.locator('[data-testid="sop-versions"] li[data-version="2"]');
    await agentsV2.waitFor();
    await expect.poll(() => agentsV2.textContent()).toContain('王主任');
  });
});
