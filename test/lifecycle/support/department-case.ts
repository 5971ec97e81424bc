/** A case a department holds, waiting for its acknowledgement, stored through the repository (HTTP action tests). */
import type { Case } from '../../../functions/domain/case';
import type { CaseRepository } from '../../../functions/usecases/ports';

/** Stores case number `20261127-<seq>` of PWD (ASSIGNED, with a task token), with `state` over it. */
export function departmentCase(cases: Pick<CaseRepository, 'create'>, seq: number, state: Partial<Case> = {}): Promise<Case> {
  return cases.create(
    {
      caseNo: `20261127-${String(seq).padStart(5, '0')}`,
      status: 'ASSIGNED',
      category: 'pothole',
      description: '坑洞',
      location: { district: 'zhongli', address: '中山路 1 號' },
      reporter: { name: '王小明', phone: '0912345678', anonymous: false, notify: 'sms' },
      channel: 'phone',
      priority: 'normal',
      attributes: {},
      department: 'PWD',
      sopVersion: 1,
      acknowledgeDueAt: '2030-11-27T03:00:00.000Z',
      resolveDueAt: '2030-12-02T01:00:00.000Z',
      escalationLevel: 0,
      createdAt: '2026-11-27T01:00:00.000Z',
      createdBy: 'agent-1',
      updatedAt: '2026-11-27T01:00:00.000Z',
      version: 1,
      pendingTaskToken: `token-${seq}`,
      waitingFor: 'acknowledgement',
      ...state,
    },
    { type: 'created', by: 'agent-1' },
  );
}
