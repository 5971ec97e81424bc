/**
 * `npm run bench -- intake` (also `npm run bench:local`): how fast the local cloud starts and answers, on this
 * machine, loopback only.
 *   1. startup: `local/start.ts` in a child process on a fresh data folder (demo data seeded through the API),
 *      then again on the same folder (demo data already there); time from spawn to the banner;
 *   2. POST /cases ×N sequentially, then ×N with 32 in flight, with a demo agent's token (each one also starts
 *      its case workflow in the background, as on AWS); after each run, the time until every new case has been
 *      routed by its workflow (no case left NEW);
 *   3. the floor: N raw PutItem calls of a case-sized item to the same dynalite, from the same client process,
 *      sequentially and with 32 in flight.
 * Budget rows: POST /cases p50 against the sequential PutItem floor (same client, same run), and the intake rate
 * with 32 in flight while the workflows run. The startup and latency tables are printed as detail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { limitRow, machineLine, ms, percentile, progress, table, type BudgetRow } from './lib/report';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TABLE = 'citydesk-local-cases';

export const BUDGETS = { postVsFloor: 5, casesPerSecond: 60 };

const CASE_BODY = JSON.stringify({
  category: 'pothole',
  description: '中正路與民生路口有一個大坑洞，下雨積水看不出來，已有機車滑倒。',
  location: { district: 'taoyuan', address: '桃園區中正路與民生路口', lat: 24.9937, lng: 121.3009 },
  reporter: { name: '陳志明', phone: '0912-000-102', notify: 'sms' },
  channel: 'phone',
  attributes: { size: 'large', dangerous: 'yes' },
});

async function freePort(): Promise<number> {
  // Seven consecutive free ports: the gateway and the six services after it (DynamoDB, Step Functions, SNS, SES,
  // Secrets Manager, S3).
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    if (port > 65_000) continue;
    const taken = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => isTaken(port + i)));
    if (!taken.some(Boolean)) return port;
  }
}

function isTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(true));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)));
  });
}

interface Started {
  child: ChildProcess;
  ms: number;
}

async function startCloud(port: number, dataDir: string): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'local', 'start.ts'), '--port', String(port), '--data-dir', dataDir, '--quiet'], {
    cwd: ROOT,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let up = false;
  // Handler logs keep coming on stdout: read them (or the pipe fills), keep only what precedes the banner.
  child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      if (up) return;
      out += c.toString();
      if (out.includes('local cloud is up')) {
        up = true;
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`local cloud exited with ${code}:\n${out}\n${err}`)));
  });
  return { child, ms: performance.now() - t0 };
}

async function stopCloud(child: ChildProcess): Promise<number> {
  const t0 = performance.now();
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
  return performance.now() - t0;
}

interface RunResult {
  totalMs: number;
  latencies: number[];
  failures: number;
}

async function run(n: number, concurrency: number, once: () => Promise<boolean>): Promise<RunResult> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        const s = performance.now();
        const ok = await once().catch(() => false);
        latencies.push(performance.now() - s);
        if (!ok) failures++;
      }
    }),
  );
  return { totalMs: performance.now() - t0, latencies, failures };
}

function row(name: string, r: RunResult): string[] {
  return [name, `${(r.totalMs / 1000).toFixed(2)} s`, `${((r.latencies.length / r.totalMs) * 1000).toFixed(0)}/s`, ...[50, 95, 99].map((p) => `${percentile(r.latencies, p).toFixed(1)} ms`), String(r.failures)];
}

export interface IntakeFigures {
  detail: string;
  rows: BudgetRow[];
}

export async function measureIntake(N: number, CONCURRENCY: number, keep = false): Promise<IntakeFigures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-bench-'));
  const port = await freePort();
  const api = `http://localhost:${port}`;
  let child: ChildProcess | undefined;
  try {
    progress(`intake: ${N} requests, ${CONCURRENCY} in flight, port ${port}, data in ${dataDir}`);
    const fresh = await startCloud(port, dataDir);
    const stopMs = await stopCloud(fresh.child);
    const again = await startCloud(port, dataDir);
    child = again.child;

    const { token } = (await (await fetch(`${api}/_local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent1' }) })).json()) as { token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const postCase = async () => {
      const res = await fetch(`${api}/cases`, { method: 'POST', headers, body: CASE_BODY });
      await res.arrayBuffer();
      return res.status === 201;
    };
    const firstT0 = performance.now();
    await postCase();
    const firstMs = performance.now() - firstT0;
    await run(20, 1, postCase);

    /** Until no case is NEW: every workflow started so far has applied its SOP. */
    const settle = async (): Promise<number> => {
      const t0 = performance.now();
      for (;;) {
        const res = await fetch(`${api}/cases?status=NEW&limit=1`, { headers });
        const body = (await res.json()) as { items: unknown[] };
        if (body.items.length === 0 || performance.now() - t0 > 120_000) return performance.now() - t0;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await settle();
    progress(`intake: POST /cases ×${N} sequentially, then ×${N} with ${CONCURRENCY} in flight, then the PutItem floor`);
    const sequential = await run(N, 1, postCase);
    const settleSequential = await settle();
    const concurrent = await run(N, CONCURRENCY, postCase);
    const settleConcurrent = await settle();

    // The SDK's notice that its 2027 releases need Node 22 (this machine runs 20; Lambda runs 22+).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const ddb = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port + 1}`, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    let i = 0;
    const item = (n: number) => ({
      pk: { S: `BENCH#${n}` },
      sk: { S: 'CASE' },
      description: { S: '中正路與民生路口有一個大坑洞，下雨積水看不出來，已有機車滑倒。'.repeat(3) },
      location: { M: { district: { S: 'taoyuan' }, address: { S: '桃園區中正路與民生路口' } } },
      status: { S: 'NEW' },
      version: { N: '1' },
      gsi2pk: { S: 'STATUS#BENCH' },
      gsi2sk: { S: `2026-11-27T01:00:00.000Z#${n}` },
    });
    const putItem = async () => {
      await ddb.send(new PutItemCommand({ TableName: TABLE, Item: item(i++) }));
      return true;
    };
    await run(20, 1, putItem);
    const floorSequential = await run(N, 1, putItem);
    const floorConcurrent = await run(N, CONCURRENCY, putItem);
    ddb.destroy();

    const s = (n: number) => `${(n / 1000).toFixed(2)} s`;
    const detail = [
      `Local cloud, ${machineLine()}`,
      table([
        ['startup', 'time'],
        ['fresh data folder, demo data seeded through the API', s(fresh.ms)],
        ['same folder again (demo data already there)', s(again.ms)],
        ['Ctrl-C to exit', s(stopMs)],
        ['first POST /cases after start (handler cold start)', `${firstMs.toFixed(0)} ms`],
      ]),
      '',
      table([
        ['run', 'total', 'rate', 'p50', 'p95', 'p99', 'failed'],
        row(`POST /cases x${N}, sequential`, sequential),
        row(`POST /cases x${N}, ${CONCURRENCY} in flight`, concurrent),
        row(`raw PutItem x${N}, sequential (floor)`, floorSequential),
        row(`raw PutItem x${N}, ${CONCURRENCY} in flight (floor)`, floorConcurrent),
      ]),
      `Workflows still routing cases after the POSTs returned: ${s(settleSequential)} after the sequential run, ${s(settleConcurrent)} after the concurrent one.`,
    ].join('\n');
    const postP50 = percentile(sequential.latencies, 50);
    const floorP50 = percentile(floorSequential.latencies, 50);
    const rate = (r: RunResult) => (r.latencies.length / r.totalMs) * 1000;
    // With the workflow running: the POSTs' rate counted until the last started workflow has routed its case.
    const intakeRate = (concurrent.latencies.length / (concurrent.totalMs + settleConcurrent)) * 1000;
    const rows = [
      limitRow('local POST /cases p50 vs raw PutItem floor', postP50 / floorP50, BUDGETS.postVsFloor, (x) => `${ms(postP50)} (${x.toFixed(1)}×)`, {
        baseline: `${ms(floorP50)} PutItem p50`,
        budget: `≤ ${BUDGETS.postVsFloor}× floor`,
      }),
      {
        ...limitRow(`local intake, ${CONCURRENCY} in flight, workflows running`, BUDGETS.casesPerSecond, intakeRate, () => `${intakeRate.toFixed(0)} cases/s`, {
          baseline: `floor ${rate(floorConcurrent).toFixed(0)} PutItem/s`,
          budget: `≥ ${BUDGETS.casesPerSecond} cases/s`,
          ratio: `${(intakeRate / BUDGETS.casesPerSecond).toFixed(2)}× of budget`,
        }),
      },
    ];
    return { detail, rows };
  } finally {
    if (child) await stopCloud(child);
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

