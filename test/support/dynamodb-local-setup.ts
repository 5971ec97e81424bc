/**
 * Vitest global setup of `npm run test:ddb-local`: starts AWS's DynamoDB Local (in memory, one shared database)
 * before the first test file and stops it after the last; every `startDynalite()` of the run then creates its
 * table there (test/support/dynalite.ts, CITYDESK_TEST_DYNAMODB_ENDPOINT). What dynalite accepts and DynamoDB
 * rejects (item size, expression limits, reserved words, transactions) fails here.
 *
 * The jar comes from the npm package amplify-dynamodb-simulator (it ships DynamoDBLocal.jar and its native
 * libraries under package/emulator), fetched once with `npm pack` at a pinned version and integrity into
 * node_modules/.cache (the package's own dependencies, the Amplify CLI, are not needed and not installed). Java is
 * Debian's openjdk-17-jre-headless (.ci/run installs it).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXTERNAL_ENDPOINT_ENV } from './dynalite';

const PACKAGE = 'amplify-dynamodb-simulator';
const VERSION = '2.9.30';
const INTEGRITY = 'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'dynamodb-local', VERSION);
const EMULATOR = path.join(CACHE, 'package', 'emulator');
const STARTUP_MS = 60_000;

/** The folder holding DynamoDBLocal.jar, fetched on first use. */
function emulatorFolder(): string {
  if (existsSync(path.join(EMULATOR, 'DynamoDBLocal.jar'))) return EMULATOR;
  rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  const packed = JSON.parse(execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--json', '--pack-destination', CACHE], { cwd: CACHE, encoding: 'utf8' })) as Array<{ filename: string; integrity: string }>;
  if (packed[0]?.integrity !== INTEGRITY) throw new Error(`${PACKAGE}@${VERSION} has integrity ${packed[0]?.integrity}, expected ${INTEGRITY}`);
  execFileSync('tar', ['-xzf', packed[0].filename, 'package/emulator'], { cwd: CACHE });
  rmSync(path.join(CACHE, packed[0].filename));
  return EMULATOR;
}

function assertJava(): void {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    throw new Error('DynamoDB Local needs Java: apt-get install -y openjdk-17-jre-headless');
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(endpoint: string, java: ChildProcess): Promise<void> {
  const until = Date.now() + STARTUP_MS;
  while (Date.now() < until) {
    if (java.exitCode !== null) throw new Error(`DynamoDB Local exited with ${java.exitCode} before it served`);
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization: 'AWS4-HMAC-SHA256 Credential=test/20200101/ap-northeast-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: '{}',
      });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`DynamoDB Local did not answer within ${STARTUP_MS / 1000} s`);
}

export default async function setup(): Promise<() => Promise<void>> {
  assertJava();
  const folder = emulatorFolder();
  const port = await freePort();
  // C1 only and a small heap: a test run is short, so JIT warm-up would cost more CPU than it saves.
  const java = spawn('java', ['-XX:TieredStopAtLevel=1', '-Xmx1g', '-Djava.library.path=./DynamoDBLocal_lib', '-jar', 'DynamoDBLocal.jar', '-inMemory', '-sharedDb', '-port', String(port)], {
    cwd: folder,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(endpoint, java);
  } catch (e) {
    java.kill('SIGKILL');
    throw e;
  }
  process.env[EXTERNAL_ENDPOINT_ENV] = endpoint;
  return async () => {
    if (java.exitCode !== null) return;
    const exited = new Promise((resolve) => java.once('exit', resolve));
    java.kill('SIGTERM');
    await exited;
  };
}
