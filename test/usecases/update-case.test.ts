import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../functions/domain/errors';
import { REROUTED_ERROR, updateCase, type UpdateCasePorts } from '../../functions/usecases/update-case';
import { aCase, ACTORS, ConfigSopCatalog, FakeWorkflow, InMemoryCaseRepository, RetiredQuestionSopCatalog } from './support/fakes';

let cases: InMemoryCaseRepository;
let workflow: FakeWorkflow;
let ports: UpdateCasePorts;

beforeEach(() => {
  cases = new InMemoryCaseRepository();
  workflow = new FakeWorkflow();
  ports = { cases, sops: new ConfigSopCatalog(), workflow };
});

describe('updateCase', () => {
  it('a stale version is a 412 and nothing is written', async () => {
    cases.seed(aCase({ version: 5 }));

    const err = await updateCase(ports, ACTORS.agent, '20261127-00042', 4, { description: 'new' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(PreconditionFailedError);
    expect((err as PreconditionFailedError).currentVersion).toBe(5);
    expect(cases.updates).toBe(0);
  });

  it('an unknown case is a 404', async () => {
    await expect(updateCase(ports, ACTORS.agent, '20261127-00099', 1, { description: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('records an updated event naming the changed fields and never their personal values', async () => {
    cases.seed(aCase({ reporter: { name: '王大明', phone: '0912345678', email: 'wang@example.org', anonymous: false, notify: 'sms' } }));

    const c = await updateCase(ports, ACTORS.agent, '20261127-00042', 3, { description: '坑洞變大了', reporter: { notify: 'email' }, priorityOverride: 'urgent' });

    expect(c).toMatchObject({ version: 4, description: '坑洞變大了', priorityOverride: 'urgent', reporter: { notify: 'email', name: '王大明' } });
    const event = cases.events('20261127-00042').at(-1)!;
    expect(event).toMatchObject({ type: 'updated', by: 'agent-1', data: { fields: 'description,priorityOverride,reporter.notify' } });
    expect(JSON.stringify(event)).not.toMatch(/0912345678|wang@example.org|王大明/);
  });

  it('fields sent with their current value change nothing and write nothing', async () => {
    const seeded = cases.seed(aCase());

    const c = await updateCase(ports, ACTORS.agent, seeded.caseNo, 3, { description: seeded.description, location: { ...seeded.location } });

    expect(c.version).toBe(3);
    expect(cases.updates).toBe(0);
  });

  it('a category change fails the waiting task with Case.Rerouted after the write', async () => {
    cases.seed(aCase({ pendingTaskToken: 'token-ack', waitingFor: 'acknowledgement' }));

    const c = await updateCase(ports, ACTORS.agent, '20261127-00042', 3, { category: 'street-light', attributes: { lightState: 'dark' } });

    expect(c).toMatchObject({ category: 'street-light', attributes: { lightState: 'dark' } });
    expect(workflow.failures).toEqual([{ taskToken: 'token-ack', error: REROUTED_ERROR, cause: JSON.stringify({ caseNo: '20261127-00042', category: 'street-light' }) }]);
    expect(cases.events('20261127-00042').at(-1)!.data).toMatchObject({ fields: 'category,attributes', fromCategory: 'pothole', toCategory: 'street-light' });
  });

  it('a new category starts without the old answers and must get its required ones', async () => {
    cases.seed(aCase({ category: 'street-light', attributes: { lightState: 'dark' } }));

    const err = await updateCase(ports, ACTORS.agent, '20261127-00042', 3, { category: 'pothole' }).catch((e: unknown) => e);

    expect((err as ValidationError).fields.map((f) => f.path).sort()).toEqual(['attributes.dangerous', 'attributes.size']);
    expect(cases.updates).toBe(0);
  });

  it('a correction keeps the answer to a question retired since the case was logged', async () => {
    ports.sops = new RetiredQuestionSopCatalog({ pothole: ['size'] });
    cases.seed(aCase({ attributes: { size: 'large', dangerous: 'yes' } }));

    const c = await updateCase(ports, ACTORS.agent, '20261127-00042', 3, { attributes: { size: 'large', dangerous: 'no' } });

    expect(c.attributes).toEqual({ size: 'large', dangerous: 'no' });
  });

  it('a case moved to another category cannot answer that category\'s retired questions', async () => {
    ports.sops = new RetiredQuestionSopCatalog({ 'street-light': ['poleNumber'] });
    cases.seed(aCase());

    const err = await updateCase(ports, ACTORS.agent, '20261127-00042', 3, { category: 'street-light', attributes: { poleNumber: 'A-12' } }).catch((e: unknown) => e);

    expect((err as ValidationError).fields.map((f) => f.path)).toEqual(['attributes.poleNumber']);
    expect(cases.updates).toBe(0);
  });

  it('the category of a resolved case cannot change', async () => {
    cases.seed(aCase({ status: 'RESOLVED' }));

    await expect(updateCase(ports, ACTORS.agent, '20261127-00042', 3, { category: 'litter' })).rejects.toBeInstanceOf(ConflictError);
    expect(cases.updates).toBe(0);
  });

  it('an unknown category is a 400 naming category', async () => {
    cases.seed(aCase());

    const err = await updateCase(ports, ACTORS.agent, '20261127-00042', 3, { category: 'ufo' }).catch((e: unknown) => e);

    expect((err as ValidationError).fields).toEqual([{ path: 'category', message: expect.any(String) }]);
  });

  it('notify by sms needs a mobile number on file', async () => {
    cases.seed(aCase({ reporter: { anonymous: false, notify: 'none', email: 'a@example.org' } }));

    const err = await updateCase(ports, ACTORS.agent, '20261127-00042', 3, { reporter: { notify: 'sms' } }).catch((e: unknown) => e);

    expect((err as ValidationError).fields.map((f) => f.path)).toEqual(['reporter.notify']);
  });

  it('a waiting task that already ended does not undo the correction', async () => {
    cases.seed(aCase({ pendingTaskToken: 'old-token' }));
    workflow.failNextSend = new ConflictError('gone', { reason: 'TaskTimedOut' });

    const c = await updateCase(ports, ACTORS.agent, '20261127-00042', 3, { category: 'litter' });

    expect(c.category).toBe('litter');
  });
});
