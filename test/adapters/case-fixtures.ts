/** Cases for repository tests: a routed, realistic case with overridable fields. */
import type { Case } from '../../functions/domain/case';
import type { NewCaseEvent } from '../../functions/usecases/ports';

export function aCase(overrides: Partial<Case> & Pick<Case, 'caseNo'>): Case {
  const createdAt = overrides.createdAt ?? '2026-11-27T01:00:00.000Z';
  return {
    status: 'ASSIGNED',
    category: 'pothole',
    description: '中山路與環北路口有大坑洞，機車差點摔倒',
    location: { district: 'zhongli', address: '桃園市中壢區中山路100號', lat: 24.957, lng: 121.225 },
    reporter: { name: '王小明', phone: '0912345678', anonymous: false, notify: 'sms' },
    channel: 'phone',
    priority: 'normal',
    attributes: { lanes: 2 },
    department: 'PWD',
    sopVersion: 1,
    acknowledgeDueAt: '2026-11-27T05:00:00.000Z',
    resolveDueAt: '2026-12-02T09:30:00.000Z',
    escalationLevel: 0,
    createdBy: 'agent-1',
    updatedAt: createdAt,
    version: 1,
    ...overrides,
    createdAt,
  };
}

export const createdEvent: NewCaseEvent = { type: 'created', by: 'agent-1', text: '受理' };
