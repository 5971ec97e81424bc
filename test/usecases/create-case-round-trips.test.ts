/**
 * POST /cases over DynamoDB (dynalite), counted on the client: a warm container logs a case in two calls (the day's
 * counter and one transaction) and reads no SOP, because the transaction itself holds that the SOP version the
 * answers were checked against is still the newest. An edit stored meanwhile is caught by that transaction: the
 * answers are checked against the new version and the case is created under it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { DynamoSopCatalog } from '../../functions/adapters/sop-catalog';
import { loadConfig } from '../../functions/config/load';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { ValidationError } from '../../functions/domain/errors';
import { createCase, type CreateCasePorts, type NewCase } from '../../functions/usecases/create-case';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { ACTORS, FakeWorkflow, InMemoryIdempotencyStore } from './support/fakes';
import { countingClient } from '../support/counting-client';

const CATEGORIES = loadConfig().sops.map((s) => s.category);
const streetLight: NewCase = {
  category: 'street-light',
  description: '路燈整晚不亮',
  location: { district: 'zhongli', address: '中央西路二段 50 號' },
  reporter: { anonymous: true, notify: 'none' },
  channel: 'phone',
  attributes: { lightState: 'dark' },
};

let table: LocalTable;
let calls: string[];
let ports: CreateCasePorts;
let restoreClock: () => void;

beforeAll(async () => {
  table = await startDynalite();
});
afterAll(async () => table.close());
beforeEach(() => {
  restoreClock = useClock(new ManualClock('2026-11-27T01:00:00.000Z'));
  const c = countingClient(table.ddb);
  calls = c.calls;
  // One container: its repository and catalogue, over the counting client.
  ports = { cases: new DynamoCaseRepository(c.client, table.tableName), idempotency: new InMemoryIdempotencyStore(), sops: new DynamoSopCatalog(c.client, table.tableName, CATEGORIES), workflow: new FakeWorkflow() };
});
afterEach(() => restoreClock());

/** Another container (a supervisor's edit through the API) stores the next version of street-light's SOP. */
async function editStreetLight(change: (attributes: Array<Record<string, unknown>>) => Array<Record<string, unknown>>): Promise<number> {
  const other = new DynamoSopCatalog(table.ddb, table.tableName, CATEGORIES);
  const current = (await other.current('street-light'))!;
  const { version: _v, updatedAt: _u, updatedBy: _b, origin: _o, reason: _r, contentHash: _h, ...sop } = current;
  const saved = await other.saveNewVersion({ ...sop, attributes: change(sop.attributes) as never }, current.version, { by: 'sup-1', reason: 'test' });
  return saved.version;
}

describe('POST /cases: DynamoDB round trips', () => {
  it('a warm container logs a case with the counter and one transaction, reading no SOP', async () => {
    await createCase(ports, ACTORS.agent, streetLight); // the container's first case reads the SOP once
    calls.splice(0);

    const { case: c } = await createCase(ports, ACTORS.agent, streetLight);

    expect(calls).toEqual(['Update', 'TransactWrite']);
    expect(c.status).toBe('NEW');
  });

  it('a SOP edited by another container since is caught by the create: the answers are checked against the new version, and the case runs under it', async () => {
    const first = await createCase(ports, ACTORS.agent, streetLight);
    const edited = await editStreetLight((attributes) => [...attributes, { code: 'nearShop', datatype: 'string', required: false, description: { zh: '附近店家', en: 'Shop nearby' }, order: 9 }]);
    calls.splice(0);

    // The new question is unknown to the version this container read; the create finds the newer one.
    const { case: c } = await createCase(ports, ACTORS.agent, { ...streetLight, attributes: { lightState: 'dark', nearShop: '全家' } });

    expect(edited).toBeGreaterThan(first.case.sopVersion!);
    expect(c).toMatchObject({ sopVersion: edited, attributes: { lightState: 'dark', nearShop: '全家' } });
    // Refused by the version this container read, so checked again against the stored newest before the write.
    expect(calls).toEqual(['Query', 'Update', 'TransactWrite']);
  });

  it('an edit that leaves the answers valid is still caught by the create, and the case runs under the new version', async () => {
    await createCase(ports, ACTORS.agent, streetLight);
    const edited = await editStreetLight((attributes) => attributes.map((a) => (a.code === 'poleNumber' ? { ...a, required: false, order: 5 } : a)));
    calls.splice(0);

    const { case: c } = await createCase(ports, ACTORS.agent, streetLight);

    expect(c.sopVersion).toBe(edited);
    // The counter, the create refused by the SOP check, the newest version read, the create again.
    expect(calls).toEqual(['Update', 'TransactWrite', 'Query', 'TransactWrite']);
  });

  it('answers that no longer fit the newer version are a 400 naming the field, and nothing is created', async () => {
    await createCase(ports, ACTORS.agent, streetLight);
    await editStreetLight((attributes) => attributes.map((a) => (a.code === 'lightState' ? { ...a, retired: true } : a)));
    calls.splice(0);

    const err = await createCase(ports, ACTORS.agent, streetLight).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields?.map((f) => f.path)).toEqual(['attributes.lightState']);
    // The counter, the create refused by the SOP check, the current version read (and no case written).
    expect(calls).toEqual(['Update', 'TransactWrite', 'Query']);
  });
});
