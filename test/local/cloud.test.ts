/**
 * The whole local cloud, started in process on free ports with a temporary data folder, driven through real
 * HTTP with demo users' tokens and through the AWS SDK clients the handlers use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { DataDirInUseError } from '../../local/data-dir';
import { REPO_ROOT, startLocalCloud, type LocalCloud } from '../../local/cloud';
import { createLocalIssuer } from '../../local/identity';

let cloud: LocalCloud;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-cloud-'));
  cloud = await startLocalCloud({ port: 0, dataDir, demoData: false, quiet: true });
});

afterAll(async () => {
  await cloud?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const NEW_CASE = {
  category: 'pothole',
  description: '中正路與民生路口有一個大坑洞，機車經過很危險。',
  location: { district: 'taoyuan', address: '桃園區中正路與民生路口', lat: 24.9937, lng: 121.3009 },
  reporter: { name: '陳志明', phone: '0912-000-102', notify: 'sms' },
  channel: 'phone',
  attributes: { size: 'large', dangerous: 'yes' },
};

async function call(method: string, p: string, options: { user?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const token = options.token ?? (options.user ? await cloud.token(options.user) : undefined);
  const res = await fetch(`${cloud.urls.api}${p}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the case API through the local gateway', () => {
  it('creates, reads, lists, annotates and shows the timeline of a case for a demo agent', async () => {
    const created = await call('POST', '/cases', { user: 'agent1', body: NEW_CASE });
    expect(created.status).toBe(201);
    const caseNo = created.body.caseNo as string;
    expect(caseNo).toMatch(/^\d{8}-\d{5}$/);

    const read = await call('GET', `/cases/${caseNo}`, { user: 'agent1' });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ caseNo, category: 'pothole', location: { district: 'taoyuan' } });

    const listed = await call('GET', '/cases?category=pothole', { user: 'supervisor1' });
    expect(listed.status).toBe(200);
    expect((listed.body.items as Array<{ caseNo: string }>).map((c) => c.caseNo)).toContain(caseNo);

    const note = await call('POST', `/cases/${caseNo}/notes`, { user: 'agent1', body: { text: '民眾來電補充：坑洞約 50 公分寬。' } });
    expect(note.status).toBeLessThan(300);

    const timeline = await call('GET', `/cases/${caseNo}/timeline`, { user: 'agent1' });
    expect(timeline.status).toBe(200);
    const types = (timeline.body.items as Array<{ type: string }>).map((e) => e.type);
    expect(types).toContain('created');
    expect(types).toContain('note');
  });

  it('runs the case workflow: the execution is listed and the SOP routes the case', async () => {
    const created = await call('POST', '/cases', { user: 'agent2', body: NEW_CASE });
    const caseNo = created.body.caseNo as string;
    const sfn = new SFNClient({});
    const executions = await eventually(
      () => sfn.send(new ListExecutionsCommand({ stateMachineArn: cloud.caseWorkflowArn })),
      (r) => (r.executions ?? []).some((e) => e.name === caseNo),
    );
    expect(executions.executions?.find((e) => e.name === caseNo)?.status).toBe('RUNNING');
    const routed = await eventually(
      () => call('GET', `/cases/${caseNo}`, { user: 'agent2' }),
      (r) => r.body.waitingFor === 'acknowledgement',
    );
    expect(routed.body).toMatchObject({ status: 'ASSIGNED', department: 'PWD', waitingFor: 'acknowledgement' });
    sfn.destroy();
  });

  it('answers 401 without a token, with an expired one and with one signed by another key', async () => {
    const foreign = await createLocalIssuer({ issuer: cloud.urls.issuer, users: cloud.users });
    const expired = await cloud.token('agent1', { expiresInSeconds: -60 });
    for (const token of [undefined, expired, await foreign.token('agent1')]) {
      const res = await call('POST', '/cases', { token, body: NEW_CASE });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthorized' });
    }
  });

  it('lets the route table decide who may call what (staff cannot log cases)', async () => {
    expect((await call('POST', '/cases', { user: 'pwd.staff', body: NEW_CASE })).status).toBe(403);
  });

  it('serves public routes without a token and unknown API paths as 404', async () => {
    expect((await call('GET', '/openapi.json')).status).toBe(200);
    expect(await call('GET', '/cases/20261127-00001/nowhere', { user: 'agent1' })).toMatchObject({ status: 404, body: { message: 'Not Found' } });
    expect(await call('DELETE', '/cases', { user: 'agent1' })).toMatchObject({ status: 404, body: { message: 'Not Found' } });
  });
});

describe('the AWS services behind it', () => {
  it('gives handlers the environment handlerEnvironment() defines, with the SDK pointed at the local services', () => {
    for (const [k, v] of Object.entries(cloud.handlerEnv)) expect(process.env[k], k).toBe(v);
    expect(cloud.handlerEnv.CASE_WORKFLOW_ARN).toBe(cloud.caseWorkflowArn);
    // A department's topic ARN is the prefix and its code, as on AWS: the local SNS has that topic.
    expect(`${cloud.handlerEnv.DEPARTMENT_TOPIC_ARN_PREFIX}PWD`).toMatch(/^arn:aws:sns:[a-z0-9-]+:\d{12}:citydesk-local-PWD$/);
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(cloud.urls.dynamodb);
    expect(process.env.AWS_ENDPOINT_URL_SFN).toBe(cloud.urls.stepFunctions);
    expect(process.env.AWS_ENDPOINT_URL_SNS).toBe(cloud.urls.sns);
  });

  it('answers DynamoDB ListTables and Scan through AWS_ENDPOINT_URL_DYNAMODB (reference data included)', async () => {
    const client = new DynamoDBClient({});
    const tables = await client.send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain(cloud.tableName);
    const scan = await client.send(new ScanCommand({ TableName: cloud.tableName }));
    expect(scan.Items?.some((i) => i.pk?.S === 'DEPT#PWD')).toBe(true);
    client.destroy();
  });

  it('answers SNS ListTopics with the topics from config', async () => {
    const sns = new SNSClient({});
    const { Topics } = await sns.send(new ListTopicsCommand({}));
    expect(Topics?.map((t) => t.TopicArn)).toContain(cloud.handlerEnv.ESCALATION_TOPIC_ARN);
    sns.destroy();
  });
});

describe('local-only endpoints', () => {
  it('mint a token for a demo user, and refuse an unknown one naming the field', async () => {
    const ok = await call('POST', '/_local/token', { body: { username: 'epd.staff' } });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ role: 'staff', department: 'EPD' });
    const withToken = await call('GET', '/cases?status=ASSIGNED&department=EPD', { token: ok.body.token as string });
    expect(withToken.status).toBe(200);
    const bad = await call('POST', '/_local/token', { body: { username: 'nobody' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { fields: [{ path: 'username' }] } });
  });

  it('advance the one clock by an ISO duration or milliseconds, forward only', async () => {
    const before = cloud.clock.nowMs();
    const res = await call('POST', '/_local/clock', { body: { advance: 'PT2H' } });
    expect(res.status).toBe(200);
    expect(cloud.clock.nowMs() - before).toBeGreaterThanOrEqual(2 * 3600_000);
    expect((await call('POST', '/_local/clock', { body: { advance: 'soon' } })).status).toBe(400);
    expect((await call('POST', '/_local/clock', { body: { advance: -5 } })).status).toBe(400);
  });

  it('report health with every service endpoint', async () => {
    const res = await call('GET', '/_local/health');
    expect(res.body).toMatchObject({ status: 'ok', services: { dynamodb: cloud.urls.dynamodb, stepFunctions: cloud.urls.stepFunctions, sns: cloud.urls.sns } });
  });
});

describe('a second local cloud on the same data folder', () => {
  it('is refused in process with DataDirInUseError', async () => {
    await expect(startLocalCloud({ port: 0, dataDir, demoData: false, quiet: true })).rejects.toBeInstanceOf(DataDirInUseError);
  });

  it('is refused by npm start with a clear message and no stack trace', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'local', 'start.ts'), '--data-dir', dataDir, '--port', '0', '--no-demo-data'], {
      cwd: REPO_ROOT,
      env: { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: '', AWS_ENDPOINT_URL_SFN: '', AWS_ENDPOINT_URL_SNS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stderr).toContain(`is in use by another CityDesk local cloud (PID ${process.pid})`);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
