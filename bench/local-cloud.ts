/**
 * `npm run bench:local`: how fast the local cloud starts and answers, on this machine, loopback only.
 *   1. startup: `local/start.ts` in a child process on a fresh data folder (demo data seeded through the API),
 *      then again on the same folder (demo data already there); time from spawn to the banner;
 *   2. POST /cases ×N sequentially, then ×N with 32 in flight, with a demo agent's token (each one also starts
 *      its case workflow in the background, as on AWS); after each run, the time until every new case has been
 *      routed by its workflow (no case left NEW);
 *   3. the floor: N raw PutItem calls of a case-sized item to the same dynalite, from the same client process,
 *      sequentially and with 32 in flight.
 * Prints a small table. Options: --requests 1000 --concurrency 32 --keep (keep the data folder).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TABLE = 'citydesk-local-cases';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '32' }, keep: { type: 'boolean', default: false } } });
const N = Math.min(Math.max(Number(values.requests), 1), 10_000);
const CONCURRENCY = Math.min(Math.max(Number(values.concurrency), 1), 256);

const CASE_BODY = JSON.stringify({
  category: 'pothole',
  description: '中正路與民生路口有一個大坑洞，下雨積水看不出來，已有機車滑倒。',
  location: { district: 'taoyuan', address: '桃園區中正路與民生路口', lat: 24.9937, lng: 121.3009 },
  reporter: { name: '陳志明', phone: '0912-000-102', notify: 'sms' },
  channel: 'phone',
  attributes: { size: 'large', dangerous: 'yes' },
});

async function freePort(): Promise<number> {
  // Five consecutive free ports: the gateway and the four services after it (DynamoDB, Step Functions, SNS, SES).
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
    const taken = await Promise.all([1, 2, 3, 4].map((i) => isTaken(port + i)));
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
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function row(name: string, r: RunResult): string[] {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return [name, `${(r.totalMs / 1000).toFixed(2)} s`, `${((r.latencies.length / r.totalMs) * 1000).toFixed(0)}/s`, ...[50, 95, 99].map((p) => `${percentile(sorted, p).toFixed(1)} ms`), String(r.failures)];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-bench-'));
  const port = await freePort();
  const api = `http://localhost:${port}`;
  let child: ChildProcess | undefined;
  try {
    console.error(`Local cloud bench: ${N} requests, ${CONCURRENCY} in flight, port ${port}, data in ${dataDir}`);
    const fresh = await startCloud(port, dataDir);
    const stopMs = await stopCloud(fresh.child);
    const again = await startCloud(port, dataDir);
    child = again.child;

    const { token } = (await (await fetch(`${api}/_local/token`, { method: 'POST', body: JSON.stringify({ username: 'agent1' }) })).json()) as { token: string };
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

    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`\nCityDesk 1999 local cloud, ${cpus().length} CPUs, Node ${process.version}, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
    console.log(
      table([
        ['startup', 'time'],
        ['fresh data folder, demo data seeded through the API', s(fresh.ms)],
        ['same folder again (demo data already there)', s(again.ms)],
        ['Ctrl-C to exit', s(stopMs)],
        ['first POST /cases after start (handler cold start)', `${firstMs.toFixed(0)} ms`],
      ]),
    );
    console.log();
    console.log(
      table([
        ['run', 'total', 'rate', 'p50', 'p95', 'p99', 'failed'],
        row(`POST /cases x${N}, sequential`, sequential),
        row(`POST /cases x${N}, ${CONCURRENCY} in flight`, concurrent),
        row(`raw PutItem x${N}, sequential (floor)`, floorSequential),
        row(`raw PutItem x${N}, ${CONCURRENCY} in flight (floor)`, floorConcurrent),
      ]),
    );
    console.log(`\nWorkflows still routing cases after the POSTs returned: ${s(settleSequential)} after the sequential run, ${s(settleConcurrent)} after the concurrent one.`);
  } finally {
    if (child) await stopCloud(child);
    if (!values.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
