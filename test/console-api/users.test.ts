/** The staff directory: a console records who signed in, timelines name people by it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandler } from '../../functions/api/http';
import { apiEvent, call, CLAIMS } from '../api/support/events';
import { startConsoleApi, type ConsoleApi } from './support/console-api';

let api: ConsoleApi;
let users: ApiHandler;
type Profiles = { items: Array<{ id: string; name: string; role: string; department?: string }> };

const STAFF = { ...CLAIMS.staffPwd, name: '工務局 承辦人 李小姐' };
const AGENT = { ...CLAIMS.agent, 'cognito:username': 'agent1' };

beforeAll(async () => {
  api = await startConsoleApi('citydesk-users-test');
  users = await api.handler('users');
});
afterAll(async () => {
  await api.close();
});

describe('PUT /me and GET /users', () => {
  it('names the people who signed in by the name their token carries, and leaves the others out', async () => {
    const signedIn = await call(users, apiEvent('recordSignIn', { claims: STAFF }));
    await call(users, apiEvent('recordSignIn', { claims: AGENT }));

    const res = await call(users, apiEvent('listUsers', { claims: CLAIMS.agent, query: { ids: 'staff-pwd,agent-1,never-signed-in,workflow' } }));

    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.body).toEqual({ id: 'staff-pwd', name: '工務局 承辦人 李小姐', role: 'staff', department: 'PWD' });
    expect(res.statusCode).toBe(200);
    expect((res.body as Profiles).items.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'agent-1', name: 'agent1', role: 'agent' },
      { id: 'staff-pwd', name: '工務局 承辦人 李小姐', role: 'staff', department: 'PWD' },
    ]);
  });

  it('keeps the newest name when a person signs in again under another one', async () => {
    await call(users, apiEvent('recordSignIn', { claims: { ...STAFF, name: '李承辦' } }));

    const res = await call(users, apiEvent('listUsers', { claims: CLAIMS.supervisor, query: { ids: 'staff-pwd' } }));

    expect((res.body as Profiles).items).toEqual([{ id: 'staff-pwd', name: '李承辦', role: 'staff', department: 'PWD' }]);
  });

  it('refuses an integration client both routes, and a look-up without ids names the field', async () => {
    const signIn = await call(users, apiEvent('recordSignIn', { claims: CLAIMS.integration }));
    const list = await call(users, apiEvent('listUsers', { claims: CLAIMS.integration, query: { ids: 'agent-1' } }));
    const empty = await call(users, apiEvent('listUsers', { claims: CLAIMS.agent, query: { ids: ' , ' } }));
    const tooMany = await call(users, apiEvent('listUsers', { claims: CLAIMS.agent, query: { ids: Array.from({ length: 101 }, (_, i) => `u${i}`).join(',') } }));

    expect(signIn.statusCode).toBe(403);
    expect(list.statusCode).toBe(403);
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('ids');
    expect(tooMany.statusCode).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('ids');
  });
});

describe("GET /users/staff: a department's staff, whom its cases can be assigned to", () => {
  it('lists who signed in as staff of the department, by name, and drops someone since moved to another', async () => {
    const ann = { sub: 'ann-pwd', 'cognito:groups': '[staff]', 'custom:department': 'PWD', name: '安 (PWD)' };
    const lead = { sub: 'lead-pwd', 'cognito:groups': '[staff lead]', 'custom:department': 'PWD', name: '科長 (PWD)' };
    const moving = { sub: 'moving-1', 'cognito:groups': '[staff]', 'custom:department': 'PWD', name: '調動者' };
    for (const claims of [ann, lead, moving, { ...CLAIMS.staffEpd, name: '環保局 承辦人' }]) expect((await call(users, apiEvent('recordSignIn', { claims }))).statusCode).toBe(200);
    await call(users, apiEvent('recordSignIn', { claims: { ...moving, 'custom:department': 'EPD' } }));

    const asLead = await call(users, apiEvent('listDepartmentStaff', { claims: lead }));
    const asSupervisor = await call(users, apiEvent('listDepartmentStaff', { claims: CLAIMS.supervisor, query: { department: 'EPD' } }));

    expect(asLead.statusCode).toBe(200);
    const names = (asLead.body as Profiles).items.map((p) => p.name);
    expect([...names].sort()).toEqual(['安 (PWD)', '李承辦', '科長 (PWD)'].sort());
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect((asSupervisor.body as Profiles).items.map((p) => p.id).sort()).toEqual(['moving-1', 'staff-epd']);
  });

  it("staff may not list another department's (403); a supervisor must name one (400 naming department); agents are refused", async () => {
    const other = await call(users, apiEvent('listDepartmentStaff', { claims: CLAIMS.staffPwd, query: { department: 'EPD' } }));
    const unnamed = await call(users, apiEvent('listDepartmentStaff', { claims: CLAIMS.supervisor }));
    const agent = await call(users, apiEvent('listDepartmentStaff', { claims: CLAIMS.agent, query: { department: 'PWD' } }));

    expect(other.statusCode).toBe(403);
    expect(unnamed).toMatchObject({ statusCode: 400, body: { error: { fields: [{ path: 'department' }] } } });
    expect(agent.statusCode).toBe(403);
  });
});
