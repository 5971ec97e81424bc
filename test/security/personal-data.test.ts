/**
 * Personal data in what leaves the building: the open Open311 feed masks contact details in every free-text
 * field (address included), machine clients read masked free text, and the workflow's execution ARN (account,
 * region, state machine) is shown to admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentCase } from '../../functions/api/present';
import type { Actor } from '../../functions/domain/actor';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { aCase, createdEvent } from '../adapters/case-fixtures';
import { formBody, json, startOpen311, type Harness } from '../open311/support/harness';

const LEAKY_ADDRESS = '中壢區 王大明家門口 電話0912-345-678 wang@example.org';
const LEAKY_TEXT = '請打 TEL0912345678 或 ０９１２３４５６７８ 或 0912.345.678 或 0 9 1 2 3 4 5 6 7 8，信箱 wang＠example.org / wang(at)example.org';
const CONTACT = /0912|０９１２|0 9 1 2|wang/;

describe('the open Open311 feed', () => {
  let h: Harness;
  let restoreClock: () => void;
  const clock = new ManualClock('2026-11-27T01:00:00.000Z');

  beforeAll(async () => {
    restoreClock = useClock(clock);
    h = await startOpen311();
    await h.cases.create(
      aCase({ caseNo: '20261126-00007', createdAt: '2026-11-26T02:00:00.000Z', updatedAt: '2026-11-26T02:00:00.000Z', channel: 'open311', description: LEAKY_TEXT, location: { district: 'zhongli', address: LEAKY_ADDRESS }, status: 'RESOLVED', resolvedAt: '2026-11-26T05:00:00.000Z', resolution: `已修復，聯絡 ${LEAKY_TEXT}` }),
      createdEvent,
    );
  });
  afterAll(async () => {
    await h.close();
    restoreClock();
  });

  it('GET requests carries no phone number or e-mail address in address, description or status_notes', async () => {
    const [request] = json(await h.send('GET', '/open311/v2/requests.json'));
    expect(request).toBeDefined();
    expect(String(request.address)).toBe('中壢區 王大明家門口 電話*** ***@***');
    for (const field of ['address', 'description', 'status_notes']) expect(String(request[field]), field).not.toMatch(CONTACT);
  });

  it('a report filed with contact details in its address comes back masked in GET requests/{id}', async () => {
    const posted = await h.send('POST', '/open311/v2/requests.json', { form: formBody([['api_key', h.apiKey], ['service_code', 'pothole'], ['address_string', LEAKY_ADDRESS], ['description', LEAKY_TEXT], ['attribute[size]', 'large'], ['attribute[dangerous]', 'yes']]) });
    expect(posted.statusCode, posted.body).toBeLessThan(300);
    const id = String(json(posted)[0].service_request_id);
    const read = await h.send('GET', `/open311/v2/requests/${id}.json`);
    expect(read.statusCode).toBe(200);
    const [request] = json(read);
    expect(request.address).toBe('中壢區 王大明家門口 電話*** ***@***');
    expect(JSON.stringify(request)).not.toMatch(CONTACT);
  });
});

describe('case views', () => {
  const c = aCase({
    caseNo: '20261127-00001',
    description: LEAKY_TEXT,
    location: { district: 'zhongli', address: LEAKY_ADDRESS },
    executionArn: 'arn:aws:states:ap-northeast-1:123456789012:execution:citydesk-prod-case-lifecycle:20261127-00001',
  });
  const as = (role: Actor['role']): Actor => ({ id: `${role}-1`, role, ...(role === 'staff' ? { department: c.department } : {}) });

  it('show the execution ARN to admins only', () => {
    expect(presentCase(c, as('admin')).executionArn).toBe(c.executionArn);
    for (const role of ['agent', 'staff', 'supervisor', 'integration'] as const) expect(presentCase(c, as(role)), role).not.toHaveProperty('executionArn');
  });

  it('give machine clients free text with contact details masked; people read it as typed', () => {
    const machine = presentCase(c, as('integration'));
    expect(JSON.stringify([machine.description, machine.location])).not.toMatch(CONTACT);
    expect(presentCase(c, as('agent')).description).toBe(LEAKY_TEXT);
  });
});
