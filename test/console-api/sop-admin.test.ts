/** SOP administration over DynamoDB: versions, edits as new versions, If-Match, validation naming the field. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiHandler } from '../../functions/api/http';
import { loadConfig } from '../../functions/config/load';
import type { Sop } from '../../functions/config/schema';
import { SopEntity } from '../../functions/adapters/table';
import { apiEvent, call, CLAIMS } from '../api/support/events';
import { startConsoleApi, type ConsoleApi } from './support/console-api';

let api: ConsoleApi;
let sopAdmin: ApiHandler;
let reference: ApiHandler;

beforeAll(async () => {
  api = await startConsoleApi('citydesk-sop-admin-test');
  sopAdmin = await api.handler('sop-admin');
  reference = await api.handler('reference');
});
afterAll(async () => {
  await api.close();
});

const seed = (category: string): Sop => structuredClone(loadConfig().sops.find((s) => s.category === category)!);
/** A PUT body: the SOP and why it changes. */
const edit = (sop: Record<string, unknown>, reason = 'callers ask for it') => ({ ...sop, reason });

async function storedVersions(category: string): Promise<number> {
  const out = await api.local.ddb.send(
    new QueryCommand({ TableName: api.local.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': SopEntity.partition(category) } }),
  );
  return out.Count ?? 0;
}

type SopBody = Sop & { version: number; updatedBy?: string; origin?: string; reason?: string };
type ErrorBody = { error: { code: string; fields?: Array<{ path: string; message: string }>; currentVersion?: number } };

describe('PUT /sops/{category}', () => {
  it('saves an edit as version 2, which becomes current and is listed after version 1', async () => {
    const edited = { ...seed('pothole'), resolveWithin: { amount: 2, unit: 'workingDays' } };

    const res = await call(sopAdmin, apiEvent('editSop', { pathParameters: { category: 'pothole' }, body: edit(edited, 'two days is enough for PWD'), headers: { 'if-match': '"1"' }, claims: CLAIMS.supervisor }));
    const current = await call(reference, apiEvent('getSop', { pathParameters: { category: 'pothole' }, claims: CLAIMS.agent }));
    const versions = await call(sopAdmin, apiEvent('listSopVersions', { pathParameters: { category: 'pothole' }, claims: CLAIMS.staffPwd }));

    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({ category: 'pothole', version: 2, updatedBy: 'sup-1', origin: 'console', reason: 'two days is enough for PWD', resolveWithin: { amount: 2, unit: 'workingDays' } });
    expect(res.body).not.toHaveProperty('pk');
    expect(current.body).toMatchObject({ version: 2, resolveWithin: { amount: 2 } });
    expect((versions.body as { items: SopBody[] }).items.map((s) => [s.version, s.resolveWithin.amount, s.origin, s.updatedBy])).toEqual([
      [1, seed('pothole').resolveWithin.amount, 'config', 'config'],
      [2, 2, 'console', 'sup-1'],
    ]);
  });

  it('a stale If-Match is a 412 naming the current version, and nothing is written', async () => {
    const first = await call(sopAdmin, apiEvent('editSop', { pathParameters: { category: 'noise' }, body: edit(seed('noise')), headers: { 'if-match': '1' }, claims: CLAIMS.admin }));
    expect(first.statusCode).toBe(200);
    const before = await storedVersions('noise');

    const stale = await call(sopAdmin, apiEvent('editSop', { pathParameters: { category: 'noise' }, body: edit({ ...seed('noise'), priority: 'urgent' }), headers: { 'if-match': '1' }, claims: CLAIMS.supervisor }));

    expect(stale.statusCode).toBe(412);
    expect(stale.body).toMatchObject({ error: { code: 'PRECONDITION_FAILED', currentVersion: 2 } });
    expect(stale.headers.etag).toBe('"2"');
    expect(await storedVersions('noise')).toBe(before);
  });

  it('without If-Match it is a 428; a malformed one is a 400 naming If-Match', async () => {
    const missing = await call(sopAdmin, apiEvent('editSop', { pathParameters: { category: 'litter' }, body: edit(seed('litter')), claims: CLAIMS.supervisor }));
    const malformed = await call(sopAdmin, apiEvent('editSop', { pathParameters: { category: 'litter' }, body: edit(seed('litter')), headers: { 'if-match': 'latest' }, claims: CLAIMS.supervisor }));

    expect(missing.statusCode).toBe(428);
    expect(malformed.statusCode).toBe(400);
    expect((malformed.body as ErrorBody).error.fields).toEqual([{ path: 'If-Match', message: expect.any(String) }]);
    expect(await storedVersions('litter')).toBe(1);
  });

  it.each([
    ['a deadline of zero', { acknowledgeWithin: { amount: 0, unit: 'workingHours' } }, 'acknowledgeWithin.amount'],
    ['an unknown deadline unit', { resolveWithin: { amount: 3, unit: 'fortnights' } }, 'resolveWithin.unit'],
    ['a department that does not exist', { defaultDepartment: 'NOPE' }, 'defaultDepartment'],
    ['a department that does not receive cases', { defaultDepartment: 'RDEC' }, 'defaultDepartment'],
    ['an override for a district that does not exist', { districtOverrides: { atlantis: 'PWD' } }, 'districtOverrides.atlantis'],
    ['a list question without values', { attributes: [{ code: 'kind', datatype: 'singlevaluelist', description: { zh: '種類', en: 'Kind' } }] }, 'attributes.0.values'],
    ['another category than the path', { category: 'noise' }, 'category'],
    ['a name of spaces', { name: { zh: '   ', en: 'Litter' } }, 'name.zh'],
    ['a description over its limit', { description: { zh: '說明'.repeat(1001), en: 'ok' } }, 'description.zh'],
    ['a blank keyword', { keywords: ['垃圾', ' '] }, 'keywords.1'],
    ['an attribute description over its limit', { attributes: [{ code: 'kind', datatype: 'text', description: { zh: '種類', en: 'x'.repeat(501) } }] }, 'attributes.0.description.en'],
  ])('an invalid SOP body is a 400 naming the field: %s', async (_name, change, field) => {
    const res = await call(sopAdmin, apiEvent('editSop', { pathParameters: { category: 'litter' }, body: edit({ ...seed('litter'), ...change }), headers: { 'if-match': '1' }, claims: CLAIMS.supervisor }));

    expect(res.statusCode).toBe(400);
    expect((res.body as ErrorBody).error.fields?.map((f) => f.path)).toContain(field);
    expect(await storedVersions('litter')).toBe(1);
  });

  it.each([
    ['missing', undefined, 'is required: say why the SOP changes'],
    ['blank', '   ', 'is required: say why the SOP changes'],
    ['too long', 'x'.repeat(501), 'must be at most 500 characters'],
    ['not text', 42, 'must be text'],
  ])('an edit without a usable reason is a 400 naming reason (%s), and nothing is written', async (_name, reason, message) => {
    const res = await call(sopAdmin, apiEvent('editSop', { pathParameters: { category: 'litter' }, body: { ...seed('litter'), reason }, headers: { 'if-match': '1' }, claims: CLAIMS.supervisor }));

    expect(res.statusCode).toBe(400);
    expect((res.body as ErrorBody).error.fields).toEqual([{ path: 'reason', message }]);
    expect(await storedVersions('litter')).toBe(1);
  });

  it('texts are saved trimmed', async () => {
    const body = edit({ ...seed('fallen-tree'), name: { zh: '  路樹倒塌  ', en: ' Fallen tree\n' }, keywords: [' 倒樹 '] }, '  trimmed too  ');

    const res = await call(sopAdmin, apiEvent('editSop', { pathParameters: { category: 'fallen-tree' }, body, headers: { 'if-match': '1' }, claims: CLAIMS.supervisor }));

    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ name: { zh: '路樹倒塌', en: 'Fallen tree' }, keywords: ['倒樹'], reason: 'trimmed too' });
  });

  it('an unknown category is a 404 for reads and edits', async () => {
    const body = edit({ ...seed('litter'), category: 'unicorns' });

    const saved = await call(sopAdmin, apiEvent('editSop', { pathParameters: { category: 'unicorns' }, body, headers: { 'if-match': '1' }, claims: CLAIMS.supervisor }));
    const versions = await call(sopAdmin, apiEvent('listSopVersions', { pathParameters: { category: 'unicorns' }, claims: CLAIMS.supervisor }));

    expect(saved.statusCode).toBe(404);
    expect(versions.statusCode).toBe(404);
  });

  it.each([
    ['an agent', CLAIMS.agent],
    ['department staff', CLAIMS.staffPwd],
    ['an integration client', CLAIMS.integration],
  ])('%s may not edit a SOP (403)', async (_who, claims) => {
    const res = await call(sopAdmin, apiEvent('editSop', { pathParameters: { category: 'litter' }, body: edit(seed('litter')), headers: { 'if-match': '1' }, claims }));

    expect(res.statusCode).toBe(403);
    expect(await storedVersions('litter')).toBe(1);
  });

  it('an integration client may not read the version history (403); every staff role may', async () => {
    const integration = await call(sopAdmin, apiEvent('listSopVersions', { pathParameters: { category: 'litter' }, claims: CLAIMS.integration }));
    const statuses = await Promise.all(
      [CLAIMS.agent, CLAIMS.staffEpd, CLAIMS.supervisor, CLAIMS.admin].map(async (claims) => (await call(sopAdmin, apiEvent('listSopVersions', { pathParameters: { category: 'litter' }, claims }))).statusCode),
    );

    expect(integration.statusCode).toBe(403);
    expect(statuses).toEqual([200, 200, 200, 200]);
  });
});

describe('PUT /sops/{category}: guidance and the intake questions', () => {
  it('saves guidance, a new question, a retired one and a new order as the next version; every earlier version stays as it was', async () => {
    const sop = seed('street-light');
    const [pole, state] = sop.attributes;
    const body = edit(
      {
        ...sop,
        guidance: { zh: '  先請民眾看燈桿上的編號。 ', en: 'Ask for the number on the pole first.' },
        attributes: [
          { ...state, order: 1 },
          { ...pole, retired: true, order: 2 },
          { code: 'nearShop', datatype: 'string', required: false, description: { zh: '附近店家', en: 'Shop nearby' }, order: 3 },
        ],
      },
      'pole numbers are painted over; ask for a shop nearby',
    );

    const res = await call(sopAdmin, apiEvent('editSop', { pathParameters: { category: 'street-light' }, body, headers: { 'if-match': '1' }, claims: CLAIMS.supervisor }));
    const read = await call(reference, apiEvent('getSop', { pathParameters: { category: 'street-light' }, claims: CLAIMS.agent }));
    const versions = (await call(sopAdmin, apiEvent('listSopVersions', { pathParameters: { category: 'street-light' }, claims: CLAIMS.agent }))).body as { items: SopBody[] };

    expect(res.statusCode).toBe(200);
    expect(read.body).toMatchObject({ version: 2, guidance: { zh: '先請民眾看燈桿上的編號。', en: 'Ask for the number on the pole first.' } });
    expect((read.body as SopBody).attributes.map((a) => [a.code, a.retired ?? false, a.order])).toEqual([
      ['lightState', false, 1],
      ['poleNumber', true, 2],
      ['nearShop', false, 3],
    ]);
    expect(versions.items[0]).not.toHaveProperty('guidance');
    expect(versions.items[0].attributes.map((a) => a.code)).toEqual(['poleNumber', 'lightState']);
    expect(versions.items[1]).toMatchObject({ reason: 'pole numbers are painted over; ask for a shop nearby', updatedBy: 'sup-1' });
  });

  it('removing a question instead of retiring it is a 400 naming attributes, and nothing is written', async () => {
    const sop = seed('stray-animal');

    const res = await call(sopAdmin, apiEvent('editSop', { pathParameters: { category: 'stray-animal' }, body: edit({ ...sop, attributes: sop.attributes.slice(0, 2) }), headers: { 'if-match': '1' }, claims: CLAIMS.supervisor }));

    expect(res.statusCode).toBe(400);
    expect((res.body as ErrorBody).error.fields).toEqual([{ path: 'attributes', message: expect.stringContaining('must keep count') }]);
    expect(await storedVersions('stray-animal')).toBe(1);
  });

  it.each([
    ['guidance without Chinese', () => ({ guidance: { en: 'English only' } }), 'guidance.zh'],
    ['guidance over its limit', () => ({ guidance: { zh: '說'.repeat(2001) } }), 'guidance.zh'],
    ['a blank label on the third question', (s: Sop) => ({ attributes: [...s.attributes, { code: 'extra', datatype: 'text', description: { zh: ' ', en: 'Extra' } }] }), 'attributes.3.description.zh'],
    ['a new question reusing a retired code', (s: Sop) => ({ attributes: [...s.attributes.map((a) => ({ ...a, retired: true })), { ...s.attributes[0], retired: false }] }), 'attributes.3.code'],
    ['retired that is not a flag', (s: Sop) => ({ attributes: s.attributes.map((a, i) => (i === 1 ? { ...a, retired: 'yes' } : a)) }), 'attributes.1.retired'],
  ])('a bad question or guidance is a 400 naming the field: %s', async (_name, change, field) => {
    const sop = seed('stray-animal');

    const res = await call(sopAdmin, apiEvent('editSop', { pathParameters: { category: 'stray-animal' }, body: edit({ ...sop, ...change(sop) }), headers: { 'if-match': '1' }, claims: CLAIMS.supervisor }));

    expect(res.statusCode).toBe(400);
    expect((res.body as ErrorBody).error.fields?.map((f) => f.path)).toContain(field);
    expect(await storedVersions('stray-animal')).toBe(1);
  });
});
