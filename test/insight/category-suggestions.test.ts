/**
 * Category suggestions over DynamoDB: before any training the SOP keywords answer; the nightly run trains on the
 * corpus and the recent cases under their final category, stores the model in parts and makes it current; the
 * API then answers from the model (top three, confidences), and a bad body is a 400 naming `text`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCategoryModelStore, DynamoTrainingCases } from '../../functions/adapters/category-model-store';
import type { ApiHandler } from '../../functions/api/http';
import { loadConfig } from '../../functions/config/load';
import { shippedCorpus } from '../../functions/insight/category-corpus';
import { CachedCategoryModel, DEFAULT_TRAINING, suggestCategory, trainCategoryModel } from '../../functions/usecases/category-suggestions';
import { apiEvent, call, CLAIMS } from '../api/support/events';
import { startConsoleApi, type ConsoleApi } from '../console-api/support/console-api';

const config = loadConfig();
const categories = config.sops.map((s) => s.category);
const sops = async () => config.sops.map((s) => ({ category: s.category, keywords: s.keywords }));

let api: ConsoleApi;
let suggestions: ApiHandler;
let store: DynamoCategoryModelStore;

beforeAll(async () => {
  api = await startConsoleApi('citydesk-suggestions-test');
  suggestions = await api.handler('suggestions');
  store = new DynamoCategoryModelStore(api.local.ddb, api.local.tableName);
});
afterAll(async () => {
  await api.close();
});

const ask = async (text: unknown) => call(suggestions, apiEvent('suggestCategory', { claims: CLAIMS.agent, body: { text } }));

describe('category suggestions', () => {
  it('answers from the SOP keywords before there is a model', async () => {
    const res = await ask('我家門口的路燈不亮了');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ source: 'keywords', suggestions: [{ category: 'street-light' }] });
  });

  it('trains on the corpus and the recent cases under their final category, and suggests from the stored model', async () => {
    // A re-routed case: logged as a pothole, its final category is a blocked drain.
    await api.seed({ caseNo: '20261202-00001', category: 'blocked-drain', description: '路面一直積水，水溝蓋下面都是落葉', createdAt: '2026-12-02T01:00:00.000Z' });
    await api.seed({ caseNo: '20261202-00002', category: 'blocked-drain', description: '下雨就積水，水溝堵住了', createdAt: '2026-12-02T02:00:00.000Z' });
    const cases = new DynamoTrainingCases(api.local.ddb, api.local.tableName);
    expect(await cases.recent('2026-11-01', '2026-12-03', 10)).toEqual([
      { text: '下雨就積水，水溝堵住了', category: 'blocked-drain' },
      { text: '路面一直積水，水溝蓋下面都是落葉', category: 'blocked-drain' },
    ]);

    const report = await trainCategoryModel({ store, cases }, { ...DEFAULT_TRAINING, categories, corpus: shippedCorpus(categories) }, new Date('2026-12-03T18:30:00.000Z'));
    expect(report).toMatchObject({ version: '2026-12-03T18:30:00.000Z', cases: 2 });
    expect(report.corpus).toBeGreaterThan(500);
    expect((await store.current())?.version).toBe('2026-12-03T18:30:00.000Z');

    const answer = await suggestCategory({ model: new CachedCategoryModel(store), sops }, '路口那支路橙閃個不停，晚上很暗');
    expect(answer.source).toBe('model');
    expect(answer.modelVersion).toBe('2026-12-03T18:30:00.000Z');
    expect(answer.suggestions).toHaveLength(3);
    expect(answer.suggestions[0].category).toBe('street-light');
    expect(answer.suggestions[0].confidence).toBeGreaterThan(answer.suggestions[1].confidence);
  });

  it('keeps the newer model current when an older run finishes late', async () => {
    const current = (await store.current())!;
    await store.save(current.model, '2026-12-01T18:30:00.000Z');
    expect((await store.current())?.version).toBe('2026-12-03T18:30:00.000Z');
  });

  it('answers 400 naming text for an empty or missing text', async () => {
    for (const text of ['', '   ', undefined, 42]) {
      const res = await ask(text);
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.body)).toContain('text');
    }
  });
});
