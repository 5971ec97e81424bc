/**
 * `npm run open311:key` as documented: against a running local cloud with nothing set but the flag (as a
 * developer's shell has no AWS region or credentials), against a table named by environment, and with a clear
 * answer when neither is reachable. The command runs in a child process with a bare environment, as typed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startLocalCloud, type LocalCloud } from '../../local/cloud';
import { runKeyTool } from '../../functions/open311/issue-api-key';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true, demoData: false, quiet: true });
});
afterAll(async () => {
  await cloud?.close();
});

/** The command in a shell that has no AWS variables at all (asynchronous: the local cloud answers from this process). */
function keyCommand(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string; key?: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), ['functions/open311/issue-api-key.ts', ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (status) => resolve({ status, stdout, stderr, key: /api_key: (c311_\S+)/.exec(stdout)?.[1] }));
  });
}

async function fileWith(apiKey: string): Promise<number> {
  const form = new URLSearchParams({ api_key: apiKey, service_code: 'litter', address_id: 'bade/1' });
  const res = await fetch(`${cloud.urls.api}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  return res.status;
}

describe('npm run open311:key', () => {
  it('--local issues a key into the running local cloud with no region or credentials set, and the key files a report', { timeout: 90_000 }, async () => {
    const run = await keyCommand(['--local', cloud.urls.api, 'Test citizen app']);

    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`table:   ${cloud.tableName}`);
    expect(await fileWith(run.key!)).toBe(200);

    const revoked = await keyCommand(['--local', cloud.urls.api, '--revoke', run.key!]);
    expect(revoked.stdout).toBe('Revoked.\n');
    expect(await fileWith(run.key!)).toBe(403);
  });

  it('TABLE_NAME and a DynamoDB endpoint on this machine need no region or credentials either', { timeout: 90_000 }, async () => {
    const run = await keyCommand(['Another app'], { TABLE_NAME: cloud.tableName, AWS_ENDPOINT_URL_DYNAMODB: cloud.urls.dynamodb });

    expect(run.status, run.stderr).toBe(0);
    expect(await fileWith(run.key!)).toBe(200);
  });

  it('a deployed table without a region is refused with what to set, before any AWS call', async () => {
    const err: string[] = [];
    const code = await runKeyTool(['--table', 'CityDesk-dev-Stateful-CaseTable', 'App'], {}, { out: () => undefined, err: (t) => err.push(t) });

    expect(code).toBe(1);
    expect(err.join('')).toMatch(/No AWS region for table CityDesk-dev-Stateful-CaseTable: pass --region <region> or set AWS_REGION/);
  });

  it('no table and no local cloud: says how to start one or name a stage', async () => {
    const err: string[] = [];
    const refused = (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;
    const code = await runKeyTool(['App'], {}, { out: () => undefined, err: (t) => err.push(t) }, refused);

    expect(code).toBe(1);
    expect(err.join('')).toMatch(/No local cloud answers at http:\/\/localhost:3000 .*Start it with npm start.*--table <the stage case table> --region <region>/s);
  });
});
