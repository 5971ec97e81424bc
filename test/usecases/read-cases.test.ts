import { beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, PreconditionFailedError } from '../../functions/domain/errors';
import { addNote } from '../../functions/usecases/add-note';
import { getCase } from '../../functions/usecases/get-case';
import { getTimeline } from '../../functions/usecases/get-timeline';
import { listCases } from '../../functions/usecases/list-cases';
import { aCase, ACTORS, InMemoryCaseRepository } from './support/fakes';

let cases: InMemoryCaseRepository;
beforeEach(() => {
  cases = new InMemoryCaseRepository();
  cases.seed(aCase({ caseNo: '20261127-00042', department: 'PWD' }));
});

describe('getCase and getTimeline', () => {
  it('an unknown case is a 404', async () => {
    await expect(getCase({ cases }, ACTORS.supervisor, '20261127-00099')).rejects.toBeInstanceOf(NotFoundError);
  });

  it("another department's case is a 404 for department staff", async () => {
    await expect(getCase({ cases }, ACTORS.staffEpd, '20261127-00042')).rejects.toBeInstanceOf(NotFoundError);
    await expect(getTimeline({ cases }, ACTORS.staffEpd, '20261127-00042', {})).rejects.toBeInstanceOf(NotFoundError);
  });

  it("department staff read their own department's case and its timeline", async () => {
    await expect(getCase({ cases }, ACTORS.staffPwd, '20261127-00042')).resolves.toMatchObject({ caseNo: '20261127-00042' });
    await expect(getTimeline({ cases }, ACTORS.staffPwd, '20261127-00042', {})).resolves.toMatchObject({ items: [{ type: 'created' }] });
  });
});

describe('listCases', () => {
  it('department staff are held to their own department', async () => {
    await listCases({ cases }, ACTORS.staffPwd, { status: 'ASSIGNED' });

    expect(cases.listCalls).toEqual([{ status: 'ASSIGNED', department: 'PWD' }]);
  });

  it('department staff asking for another department are refused', async () => {
    await expect(listCases({ cases }, ACTORS.staffPwd, { status: 'ASSIGNED', department: 'EPD' })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('supervisors list any filter as given', async () => {
    await listCases({ cases }, ACTORS.supervisor, { district: 'zhongli' });

    expect(cases.listCalls).toEqual([{ district: 'zhongli' }]);
  });
});

describe('addNote', () => {
  it('appends a note event in one versioned write', async () => {
    const res = await addNote({ cases }, ACTORS.staffPwd, '20261127-00042', '已派員查看');

    expect(res).toMatchObject({ caseNo: '20261127-00042', version: 4, note: { type: 'note', by: 'staff-pwd', text: '已派員查看' } });
    expect(cases.events('20261127-00042').at(-1)).toMatchObject({ type: 'note', text: '已派員查看' });
  });

  it('retries while other changes land between read and write (the workflow writes in bursts after intake)', async () => {
    let raced = 0;
    cases.beforeUpdate = (caseNo) => {
      if (raced >= 3) return;
      raced += 1;
      const c = cases.cases.get(caseNo)!;
      cases.cases.set(caseNo, { ...c, version: c.version + 1 });
    };

    const res = await addNote({ cases }, ACTORS.agent, '20261127-00042', 'note');

    expect(res.version).toBe(7);
  });

  it('losing five races in a row is a 412', async () => {
    let raced = 0;
    cases.beforeUpdate = (caseNo) => {
      raced += 1;
      const c = cases.cases.get(caseNo)!;
      cases.cases.set(caseNo, { ...c, version: c.version + 1 });
    };

    await expect(addNote({ cases }, ACTORS.agent, '20261127-00042', 'note')).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(raced).toBe(5);
  });

  it("department staff cannot note another department's case", async () => {
    await expect(addNote({ cases }, ACTORS.staffEpd, '20261127-00042', 'note')).rejects.toBeInstanceOf(NotFoundError);
  });
});
