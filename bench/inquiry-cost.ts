/**
 * What an inquiry closed on the call costs (`npx tsx bench/inquiry-cost.ts [calls]`): POST /cases with an
 * inquiry answered from an article, through the local cloud's gateway and the create-case handler, against
 * DynamoDB billed by the write-unit tap (bench/lib/wru-tap.ts: on-demand rules, GSI copies included). It counts
 * the case's state transitions (its timeline's status changes), the Step Functions executions started (none
 * expected), and the read and write units per call, then prices them at AWS list price (ap-northeast-1).
 * A first call warms the handler and is not counted. The counters' marker sets grow through a day, so their
 * writes grow with the day's calls: the run also reports the units of the last call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { startLocalCloud } from '../local/cloud';
import { startDynalite } from '../local/dynamodb';
import { nameRequestsByCaller } from './lib/caller';
import { startWriteUnitTap } from './lib/wru-tap';

// AWS list prices, ap-northeast-1 (on-demand DynamoDB, HTTP API, Lambda arm64).
const PRICE = { wru: 1.4269 / 1e6, rru: 0.285 / 1e6, httpApiRequest: 1.29 / 1e6, lambdaRequest: 0.2 / 1e6, lambdaGbSecond: 0.0000133334 };
/** The create-case function's memory and a generous time for the call (measured in the local cloud, not on AWS). */
const LAMBDA = { gb: 1, seconds: 0.15 };

async function main(): Promise<void> {
  const calls = Number(process.argv[2] ?? 20);
  nameRequestsByCaller();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-bench-inquiry-'));
  const dynamo = await startDynalite({});
  const tap = await startWriteUnitTap(dynamo.endpoint);
  const cloud = await startLocalCloud({ port: 0, dataDir, dynamodbEndpoint: tap.endpoint, demoData: false, quiet: true, timeScale: 0, handlerLogLevel: 'ERROR' });
  try {
    const token = await cloud.token('agent1');
    const post = async (i: number) => {
      const res = await fetch(`${cloud.urls.api}/cases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `bench-inquiry-${i}` },
        body: JSON.stringify({
          category: 'epidemic-info',
          description: '流感疫苗要去哪裡打',
          location: { district: 'zhongli', address: '中壢區' },
          reporter: { anonymous: true, notify: 'none' },
          channel: 'phone',
          inquiry: { outcome: 'answered', articleId: 'flu-vaccine' },
        }),
      });
      const body = (await res.json()) as { status: string; caseNo: string };
      if (res.status !== 201 || body.status !== 'CLOSED') throw new Error(`call ${i}: ${res.status} ${JSON.stringify(body)}`);
      return body.caseNo;
    };
    await post(0);
    tap.reset();
    let last = { wru: 0, rru: 0 };
    let transitions = 0;
    const caseNos: string[] = [];
    for (let i = 1; i <= calls; i++) {
      const before = tap.calls.length;
      caseNos.push(await post(i));
      const mine = tap.calls.slice(before);
      last = { wru: mine.reduce((a, c) => a + c.wru, 0), rru: mine.reduce((a, c) => a + c.rru, 0) };
    }
    for (const caseNo of caseNos.slice(-1)) {
      const res = await fetch(`${cloud.urls.api}/cases/${caseNo}/timeline`, { headers: { authorization: `Bearer ${token}` } });
      const events = ((await res.json()) as { items: Array<{ type: string; data?: { from?: string; to?: string } }> }).items;
      transitions = events.filter((e) => e.data?.from !== undefined && e.data?.to !== undefined).length;
      console.log(`timeline of ${caseNo}: ${events.map((e) => (e.data?.to ? `${e.type} (${e.data.from} -> ${e.data.to})` : e.type)).join(', ')}`);
    }
    const sfn = new SFNClient({ endpoint: cloud.urls.stepFunctions, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const machines = await sfn.send(new ListExecutionsCommand({ stateMachineArn: cloud.caseWorkflowArn }));
    sfn.destroy();
    const all = tap.calls;
    const wru = all.reduce((a, c) => a + c.wru, 0) / calls;
    const rru = all.reduce((a, c) => a + c.rru, 0) / calls;
    const byOp = new Map<string, number>();
    for (const c of all) byOp.set(c.operation, (byOp.get(c.operation) ?? 0) + c.wru / calls);
    const dynamoCost = wru * PRICE.wru + rru * PRICE.rru;
    const lambdaCost = PRICE.lambdaRequest + LAMBDA.gb * LAMBDA.seconds * PRICE.lambdaGbSecond;
    const total = dynamoCost + lambdaCost + PRICE.httpApiRequest;
    console.log(`inquiry closed on the call, ${calls} calls after a warm-up`);
    console.log(`  state transitions of the case: ${transitions} (NEW -> CLOSED); Step Functions executions started: ${machines.executions?.length ?? 0}; state-machine transitions: 0`);
    console.log(`  DynamoDB per call: ${wru.toFixed(1)} WRU (${[...byOp].map(([op, n]) => `${op} ${n.toFixed(1)}`).join(', ')}), ${rru.toFixed(1)} RRU; last call ${last.wru} WRU, ${last.rru} RRU`);
    console.log(`  cost per call: DynamoDB $${dynamoCost.toFixed(7)} + Lambda $${lambdaCost.toFixed(7)} + HTTP API $${PRICE.httpApiRequest.toFixed(7)} = $${total.toFixed(7)}`);
    console.log(`  60,000 such calls a month: $${(total * 60000).toFixed(2)}`);
  } finally {
    await cloud.close();
    await tap.close();
    await dynamo.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
