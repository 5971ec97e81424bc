/**
 * Finding a typed address on the map at intake, in a real browser against the local cloud. The local cloud has no
 * Amazon Location place index, so the agent is offered no search there; a stage that has one (its config.json says
 * `geocoding: true`, and GET /places/geocode answers, both stood in for here at the browser's network layer) shows
 * "find on map" beside the address, and the place chosen sets the coordinates and the district as a map click does.
 */
import { describe, expect, it } from 'vitest';
import { storyCloud } from './support/stories';
import { seriousViolations } from './support/checks';

const stories = storyCloud('e2e-geocoding');
const ZHONGLI_STATION = { label: '中壢火車站, 中壢區, 桃園市', lat: 24.953652, lng: 121.225002, district: 'zhongli', relevance: 0.9 };

describe('finding an address on the map at intake', () => {
  it('no search without a place index; with one, the chosen place fills the coordinates and the district', { timeout: 300_000 }, async () => {
    const agent = await stories.tab('agent1');
    await agent.locator('input[name="address"]').waitFor();
    expect(await agent.locator('.address-search').count()).toBe(0);

    // A stage with a place index: config.json says so, and the API answers the search.
    const asked: string[] = [];
    await agent.route(/\/config\.json$/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...((await response.json()) as object), geocoding: true } });
    });
    await agent.route(/\/places\/geocode\?/, async (route) => {
      asked.push(new URL(route.request().url()).searchParams.get('address') ?? '');
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ items: [ZHONGLI_STATION] }) });
    });
    await agent.reload();
    await agent.locator('input[name="address"]').waitFor();

    const find = agent.locator('.address-search > button');
    expect(await find.isDisabled()).toBe(true);
    await agent.locator('input[name="address"]').fill('中壢火車站');
    await find.click();
    const candidate = agent.locator('.place-candidates button');
    await candidate.waitFor();
    expect(await candidate.textContent()).toContain('中壢火車站');
    expect(asked).toEqual(['中壢火車站']);
    expect(await seriousViolations(agent)).toEqual([]);

    await candidate.click();
    expect(await agent.locator('input[name="lat"]').inputValue()).toBe('24.953652');
    expect(await agent.locator('input[name="lng"]').inputValue()).toBe('121.225002');
    expect(await agent.locator('select[name="district"]').inputValue()).toBe('zhongli');
    expect(await agent.locator('.place-candidates').count()).toBe(0);
  });
});
