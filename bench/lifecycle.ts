/**
 * One happy-path case, end to end on the local cloud with the write-unit tap in front of DynamoDB: logged by an
 * agent (POST /cases), routed by the workflow, acknowledged and resolved by the department, the citizen told,
 * the satisfied survey closing it. From the tap and the execution history:
 *   - DynamoDB write units per case (table + every GSI copy), and read units;
 *   - DynamoDB calls per invocation of POST /cases, RouteCase and AwaitAction;
 *   - state transitions per case (one per state entered, as Step Functions bills them);
 *   - the AWS cost per case at list price, every service the case touches counted (see PRICES).
 * A first case warms the handlers (imports, SOP cache) and is not counted. The open-case counters are seeded with
 * every name the city's config gives (seedCityFigures), as a table that has served the city holds them.
 *
 * The scheduled jobs (functions/privacy/jobs.ts) run on the clock, not per case, and the bench moves the clock
 * CLOCK_JUMP_DAYS per case to reach the survey, so their runs land in the window. Their writes are split:
 *   - writes to a case's own items (`CASE#` partitions: the case, its events) are per-case work and count in full;
 *   - every other write of a job (day marks, day tallies, the category model) is per-day work. A job that runs
 *     at most daily on AWS is counted at its bench runs' mean times its runs a day (a bench run that caught up
 *     several days counts as one day's: an upper bound); a job that runs more often writes such items once per
 *     finished day, so its writes are divided by the days the bench's clock covered. The per-day total is then
 *     shared by the city's cases of a day, CITY_CASES_PER_MONTH / 30.4.
 * The row's figure is the cases' own writes plus that share; the detail shows both, and the raw job figure. The
 * cost counts the jobs' Lambda time, requests and traces the same way: each run's mean duration in the bench (an
 * upper bound: a bench run catches up on the days the clock jumped) times the runs a day, shared by a day's cases.
 * Not in the window: the reporter's erasure PII_RETENTION_DAYS after closing (a case write with its event, like
 * the closing survey's, per case).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { groupByItem } from '../functions/adapters/open-figure-updates';
import { loadConfig } from '../functions/config/load';
import { OPEN_STATUSES } from '../functions/domain/case';
import { FigureName, NO_DEPARTMENT } from '../functions/domain/open-figures';
import { OpenFiguresEntity } from '../functions/adapters/table';
import { executionArnFor } from '../functions/adapters/case-workflow';
import { startLocalCloud, type LocalCloud } from '../local/cloud';
import { startDynalite } from '../local/dynamodb';
import { localFunctionName } from '../local/lambda';
import { cronValues } from '../local/scheduler';
import { SCHEDULED_JOBS } from '../functions/privacy/jobs';
import { nameRequestsByCaller } from './lib/caller';
import { startWriteUnitTap, type CallRecord, type ItemWrite, type WriteUnitTap } from './lib/wru-tap';
import { limitRow, progress, table, usd, type BudgetRow } from './lib/report';

/**
 * List prices, us-east-1, on-demand, December 2026 (the region the first estimate used; Tokyo is about 14%
 * higher for DynamoDB and Lambda). Lambda arm64 at the functions' 1,024 MB.
 */
export const PRICES = {
  dynamoWru: 0.625 / 1e6,
  dynamoRru: 0.125 / 1e6,
  stepFunctionsTransition: 0.025 / 1000,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  httpApiRequest: 1.0 / 1e6,
  snsPublish: 0.5 / 1e6,
  /** SNS e-mail/HTTP delivery to a department subscriber, per notification. */
  snsEmailDelivery: 2.0 / 100_000,
  sesEmail: 0.1 / 1000,
  xrayTrace: 5.0 / 1e6,
};

/**
 * Budgets (the issue's table). AwaitAction has none there; it was measured at 2 calls then, and is held to that so
 * a step that reads the case twice again shows up.
 */
export const BUDGETS = { wruPerCase: 60, costPerCase: 0.0003, callsCreateCase: 2, callsRoute: 2, callsAwait: 2 };

/** The city's volume (DESIGN.md, docs/reference: about 20,000 calls a month), by which per-day job work is shared. */
export const CITY_CASES_PER_MONTH = 20_000;
/** How far the bench moves the clock per case, to the survey. */
const CLOCK_JUMP_DAYS = 10;

/** Runs a day of a job's EventBridge cron (minute and hour fields, every day). */
function runsPerDay(cron: { minute: string; hour: string }): number {
  return cronValues(cron.minute, 59).size * cronValues(cron.hour, 23).size;
}

export interface JobShare {
  job: string;
  runs: number;
  runsPerDay: number;
  /** Write units per measured case, as the bench saw them: on case items, and on other items. */
  caseWru: number;
  otherWru: number;
  /** The other items' write units per day on AWS (see the docblock), and per case at the city's volume. */
  perDay: number;
  perCase: number;
  /** Lambda GB-s (at 1 GB) per case at the city's volume: the bench runs' mean duration times the runs a day. */
  gbSecondsPerCase: number;
  /** Runs (Lambda requests, X-Ray traces) per case at the city's volume. */
  runsPerCase: number;
}

/** Each scheduled job's write units, split and amortised as the docblock says. */
export function jobShares(f: Pick<LifecycleFigures, 'cases' | 'byItem' | 'invocations'>): JobShare[] {
  const casesPerDay = CITY_CASES_PER_MONTH / 30.4;
  const simulatedDays = f.cases * CLOCK_JUMP_DAYS;
  return SCHEDULED_JOBS.map((j) => {
    const fn = localFunctionName('local', j.handler);
    const short = shortName(fn);
    const items = [...f.byItem.entries()].filter(([k]) => k.split(' ')[0] === short);
    const caseWru = items.filter(([k]) => k.split(' ')[1].startsWith('CASE/')).reduce((a, [, o]) => a + o.wru, 0) / f.cases;
    const other = items.filter(([k]) => !k.split(' ')[1].startsWith('CASE/')).reduce((a, [, o]) => a + o.wru, 0);
    const invocations = f.invocations.filter((i) => i.functionName === fn);
    const runs = invocations.length;
    const daily = runsPerDay(j.cron);
    const perDay = daily <= 1 ? (runs ? (other / runs) * daily : 0) : other / simulatedDays;
    // Every run costs its time, writing or not; a bench run that caught up days is longer than a day's: an upper bound.
    const meanGbS = runs ? invocations.reduce((a, i) => a + Math.max(1, i.ms + 3), 0) / 1000 / runs : 0;
    return { job: short, runs, runsPerDay: daily, caseWru, otherWru: other / f.cases, perDay, perCase: perDay / casesPerDay, gbSecondsPerCase: (meanGbS * daily) / casesPerDay, runsPerCase: daily / casesPerDay };
  });
}

const CASE = {
  category: 'street-light',
  description: '路燈整晚不亮',
  location: { district: 'zhongli', address: '中正路 100 號前' },
  reporter: { name: '林美華', phone: '0912345678', notify: 'sms' },
  channel: 'phone',
  attributes: {},
};

interface Invocation {
  functionName: string;
  calls: CallRecord[];
  /** From the invocation's start to its last DynamoDB answer: what Lambda would bill, roughly (see cost). */
  ms: number;
}

function invocationsOf(calls: readonly CallRecord[]): Invocation[] {
  const by = new Map<string, Invocation & { startedAt: number }>();
  for (const c of calls) {
    const [fn, id, started] = c.caller.split(' ');
    if (!id) continue;
    let inv = by.get(id);
    if (!inv) by.set(id, (inv = { functionName: fn, calls: [], ms: 0, startedAt: Number(started) }));
    inv.calls.push(c);
    inv.ms = Math.max(inv.ms, c.at - inv.startedAt);
  }
  return [...by.values()];
}

/** The item writes of one function and kind of item (LifecycleFigures.byItem). */
export interface ItemTally {
  writes: number;
  wru: number;
  bytes: number;
  floor: number;
  inTransactions: number;
}

/** A local function's name without the stage prefix (`route-case`), as the bench's tables show it. */
const shortName = (functionName: string): string => functionName.replace('citydesk-local-', '');
/** The scheduled jobs' short names: their writes are per day, not per case. */
const JOB_NAMES: ReadonlySet<string> = new Set(SCHEDULED_JOBS.map((j) => shortName(localFunctionName('local', j.handler))));

export interface LifecycleFigures {
  cases: number;
  wru: number;
  tableWru: number;
  indexWru: Record<string, number>;
  rru: number;
  byOperation: Map<string, { calls: number; wru: number }>;
  /**
   * Write units by the function and the kind of item written (key prefixes), with the items' mean size; `floor` is
   * what the same writes would cost the table if every item were under 1 KB: 2 per item in a transaction (a
   * condition check included), 1 alone.
   */
  byItem: Map<string, ItemTally>;
  invocations: Invocation[];
  transitions: number;
  statesEntered: string[];
  apiRequests: number;
  /** API requests plus the workflow's Lambda tasks (from the history). */
  lambdaInvocations: number;
  snsPublishes: number;
}

/**
 * The open-case counters a table holds once it has served the city a while: every counter name the shipped config
 * can give (status, department × status, escalation level × department, category, district), each in every shard
 * and every department's item where a case of it can count, at 0 (a counter that fell to 0 stays). A case write's transaction is billed on the whole counter items it moves,
 * so a bench on an empty table would bill them as the few bytes one case's counters take.
 */
export async function seedCityFigures(ddb: DynamoDBDocumentClient, tableName: string): Promise<void> {
  const config = loadConfig();
  const departments = [...config.departments.departments.map((d) => d.code), NO_DEPARTMENT];
  const names = [
    ...OPEN_STATUSES.map((s) => FigureName.status(s)),
    ...config.departments.departments.flatMap((d) => [...OPEN_STATUSES, 'RESOLVED' as const].filter((s) => s !== 'NEW').map((s) => FigureName.departmentStatus(d.code, s))),
    ...departments.flatMap((d) => [1, 2, 3].map((level) => FigureName.escalated(level, d))),
    ...config.sops.map((s) => FigureName.category(s.category)),
    ...config.districts.districts.map((d) => FigureName.district(d.code)),
  ];
  const zeros = Object.fromEntries(names.map((n) => [n, 0]));
  // A department's item also holds the status, category and district counters of the cases it held
  // (open-figure-updates.ts), and the shard's item those of cases before that layout.
  const shared = Object.fromEntries(names.filter((n) => /^[SCX]#/.test(n)).map((n) => [n, 0]));
  for (let shard = 0; shard < OpenFiguresEntity.shards; shard++)
    for (const [key, counts] of groupByItem(shard, zeros).map(([key, counts]): [typeof key, Record<string, number>] => [key, key.sk === OpenFiguresEntity.key(shard).sk ? counts : { ...counts, ...shared }])) {
      const entries = Object.keys(counts);
      await ddb.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: `SET #entity = :entity ADD ${entries.map((_, i) => `#n${i} :zero`).join(', ')}`,
          ExpressionAttributeNames: { '#entity': 'entity', ...Object.fromEntries(entries.map((n, i) => [`#n${i}`, n])) },
          ExpressionAttributeValues: { ':entity': 'STATS', ':zero': 0 },
        }),
      );
    }
}

class Driver {
  private readonly sfn: SFNClient;
  private readonly raw: DynamoDBClient;
  constructor(private readonly cloud: LocalCloud, rawEndpoint: string) {
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    this.sfn = new SFNClient({ endpoint: cloud.urls.stepFunctions, region: cloud.region, credentials });
    this.raw = new DynamoDBClient({ endpoint: rawEndpoint, region: cloud.region, credentials });
  }

  async call(method: string, p: string, user: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.cloud.urls.api}${p}`, {
      method,
      headers: { authorization: `Bearer ${await this.cloud.token(user)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  /** Reads the case item straight from dynalite (not through the tap or the API, so nothing is counted). */
  async waitFor(caseNo: string, ok: (item: Record<string, AttributeValue>) => boolean, what: string): Promise<Record<string, AttributeValue>> {
    const until = Date.now() + 30_000;
    for (;;) {
      const { Item } = await this.raw.send(new GetItemCommand({ TableName: this.cloud.tableName, Key: { pk: { S: `CASE#${caseNo}` }, sk: { S: 'CASE' } }, ConsistentRead: true }));
      if (Item && ok(Item)) return Item;
      if (Date.now() > until) throw new Error(`case ${caseNo}: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  /** The happy path; returns the execution history and how many API requests it made. */
  async happyCase(): Promise<{ caseNo: string; history: HistoryEvent[]; apiRequests: number }> {
    const created = (await this.call('POST', '/cases', 'agent1', CASE)) as { caseNo: string };
    const caseNo = created.caseNo;
    const waiting = (w: string) => (item: Record<string, AttributeValue>) => item.waitingFor?.S === w;
    await this.waitFor(caseNo, waiting('acknowledgement'), 'the acknowledgement wait');
    // Named after the case (the case records an ARN only when the stalled-workflow job restarted it).
    const executionArn = executionArnFor(this.cloud.caseWorkflowArn, caseNo);
    await this.call('POST', `/cases/${caseNo}/acknowledge`, 'dist-zhongli.staff');
    await this.waitFor(caseNo, waiting('resolution'), 'the resolution wait');
    await this.call('POST', `/cases/${caseNo}/resolve`, 'dist-zhongli.staff', { resolution: '已更換燈泡' });
    // The survey wait starts when the citizen is told; the call is due after the follow-up delay.
    const surveyWait = await this.waitFor(caseNo, waiting('survey'), 'the survey wait');
    const dueFrom = Date.parse(surveyWait.callback?.M?.dueFrom?.S ?? '');
    if (dueFrom > this.cloud.clock.nowMs()) this.cloud.clock.advance(dueFrom - this.cloud.clock.nowMs());
    await this.call('POST', `/cases/${caseNo}/survey`, 'agent1', { answer: 'satisfied' });
    const until = Date.now() + 30_000;
    while ((await this.sfn.send(new DescribeExecutionCommand({ executionArn }))).status === 'RUNNING') {
      if (Date.now() > until) throw new Error(`case ${caseNo}: the execution did not end`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return { caseNo, history: await this.history(executionArn), apiRequests: 4 };
  }

  destroy(): void {
    this.sfn.destroy();
    this.raw.destroy();
  }
}

export async function measureLifecycle(cases: number): Promise<LifecycleFigures> {
  nameRequestsByCaller();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-bench-lifecycle-'));
  const dynamo = await startDynalite({});
  let tap: WriteUnitTap | undefined;
  let cloud: LocalCloud | undefined;
  let driver: Driver | undefined;
  try {
    tap = await startWriteUnitTap(dynamo.endpoint);
    // Real time (scale 1), as on AWS: a stopped clock would give every write of a case the same updatedAt, so an
    // index keyed by the time of a change would never move and its write units would not be counted.
    cloud = await startLocalCloud({ port: 0, dataDir, dynamodbEndpoint: tap.endpoint, demoData: false, quiet: true, timeScale: 1, handlerLogLevel: 'ERROR' });
    driver = new Driver(cloud, dynamo.endpoint);
    const seeding = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: cloud.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    await seedCityFigures(seeding, cloud.tableName);
    seeding.destroy();
    progress('lifecycle: a first case to warm the handlers (not counted)');
    await driver.happyCase();
    const snsBefore = await snsCount(cloud);
    tap.reset();
    let transitions = 0;
    let statesEntered: string[] = [];
    let apiRequests = 0;
    let lambdaTasks = 0;
    for (let i = 0; i < cases; i++) {
      progress(`lifecycle: case ${i + 1}/${cases}`);
      const r = await driver.happyCase();
      const entered = r.history.filter((e) => e.type?.endsWith('StateEntered'));
      transitions += entered.length;
      statesEntered = entered.map((e) => e.stateEnteredEventDetails!.name!);
      apiRequests += r.apiRequests;
      lambdaTasks += r.history.filter((e) => e.type === 'TaskScheduled' && e.taskScheduledEventDetails?.resourceType === 'lambda').length;
    }
    const snsPublishes = (await snsCount(cloud)) - snsBefore;
    const calls = tap.calls.filter((c) => c.caller !== 'other');
    const byOperation = new Map<string, { calls: number; wru: number }>();
    const indexWru: Record<string, number> = {};
    const byItem = new Map<string, ItemTally>();
    for (const c of calls) {
      const fn = shortName(c.caller.split(' ')[0]);
      for (const w of c.items) addItemWrite(byItem, fn, w);
      const key = `${fn} ${c.operation}`;
      const o = byOperation.get(key) ?? { calls: 0, wru: 0 };
      o.calls++;
      o.wru += c.wru;
      byOperation.set(key, o);
      for (const [ix, n] of Object.entries(c.indexWru)) indexWru[ix] = (indexWru[ix] ?? 0) + n;
    }
    return {
      cases,
      wru: calls.reduce((a, c) => a + c.wru, 0),
      tableWru: calls.reduce((a, c) => a + c.tableWru, 0),
      indexWru,
      rru: calls.reduce((a, c) => a + c.rru, 0),
      byOperation,
      byItem,
      invocations: invocationsOf(calls),
      transitions,
      statesEntered,
      apiRequests,
      lambdaInvocations: apiRequests + lambdaTasks,
      snsPublishes,
    };
  } finally {
    driver?.destroy();
    await cloud?.close();
    await tap?.close();
    await dynamo.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function snsCount(cloud: LocalCloud): Promise<number> {
  const r = (await fetch(`${cloud.urls.sns}/_local/outbox`).then((x) => x.json())) as { entries: unknown[] };
  return r.entries.length;
}

/** Adds one item write, as the tap billed it, to its function's and kind's tally. */
export function addItemWrite(byItem: Map<string, ItemTally>, fn: string, w: ItemWrite): void {
  const k = `${fn} ${w.kind}`;
  const o = byItem.get(k) ?? { writes: 0, wru: 0, bytes: 0, floor: 0, inTransactions: 0 };
  o.writes++;
  o.wru += w.tableWru + Object.values(w.indexWru).reduce((a, b) => a + b, 0);
  o.bytes += w.bytes;
  // Units a KB: 2 for an item in a transaction (a condition check too), 1 alone.
  const perKb = w.tableWru / Math.max(1, Math.ceil(w.bytes / 1024));
  o.floor += perKb;
  if (perKb >= 2) o.inTransactions++;
  byItem.set(k, o);
}

/**
 * The table write units the case's own writes could not go below under this design: the same item writes with
 * every item under 1 KB and no index entry. The budget of write units per case is read against it.
 */
export function designFloor(f: Pick<LifecycleFigures, 'byItem'>): { writes: number; inTransactions: number; wru: number; measured: number } {
  const own = [...f.byItem.entries()].filter(([k]) => !JOB_NAMES.has(k.split(' ')[0])).map(([, o]) => o);
  const sum = (pick: (o: (typeof own)[number]) => number) => own.reduce((a, o) => a + pick(o), 0);
  return { writes: sum((o) => o.writes), inTransactions: sum((o) => o.inTransactions), wru: sum((o) => o.floor), measured: sum((o) => o.wru) };
}

export function lifecycleRows(f: LifecycleFigures): { rows: BudgetRow[]; detail: string } {
  const per = (n: number) => n / f.cases;
  const invocationsOfHandler = (handler: string) => f.invocations.filter((i) => i.functionName === localFunctionName('local', handler));
  const callsOf = (handler: string) => {
    const invs = invocationsOfHandler(handler);
    return invs.length ? Math.max(...invs.map((i) => i.calls.length)) : NaN;
  };
  // The busiest invocation of each, call by call, so a change in the round trips shows what it was.
  const callList = (handler: string) => {
    const invs = invocationsOfHandler(handler);
    const busiest = invs.length ? invs.reduce((a, b) => (b.calls.length > a.calls.length ? b : a)) : undefined;
    return `${handler}: ${busiest ? busiest.calls.map((c) => `${c.operation} ${c.target}`).join('; ') : 'not invoked'}`;
  };
  const createCalls = callsOf('api/handlers/create-case');
  const routeCalls = callsOf('workflow/route-case');
  const awaitCalls = callsOf('workflow/await-action');
  // The scheduled jobs run per day, not per case (see the docblock): their case-item writes count in full, the
  // rest as their per-day write units shared by a day's cases at the city's volume.
  const jobs = jobShares(f);
  const jobRawWru = jobs.reduce((a, j) => a + j.caseWru + j.otherWru, 0);
  const jobWru = jobs.reduce((a, j) => a + j.caseWru + j.perCase, 0);
  const caseWru = per(f.wru) - jobRawWru;
  const wruPerCase = caseWru + jobWru;
  const lambdaInvocations = per(f.lambdaInvocations);
  // Lambda bills from the handler's start to its answer; the local figure runs to the last DynamoDB answer, so
  // add a few milliseconds for what follows it. Each invocation is billed at least 1 ms.
  // The jobs' invocations are per-day work too: counted at their runs a day shared by a day's cases (jobShares).
  const jobFunctions = new Set(SCHEDULED_JOBS.map((j) => localFunctionName('local', j.handler)));
  const caseGbS = f.invocations.filter((i) => !jobFunctions.has(i.functionName)).reduce((a, i) => a + Math.max(1, i.ms + 3), 0) / 1000 / f.cases;
  const jobGbS = jobs.reduce((a, j) => a + j.gbSecondsPerCase, 0);
  const jobRuns = jobs.reduce((a, j) => a + j.runsPerCase, 0);
  const lambdaGbS = caseGbS + jobGbS;
  const cost = {
    'Step Functions (state transitions)': per(f.transitions) * PRICES.stepFunctionsTransition,
    'DynamoDB (writes)': wruPerCase * PRICES.dynamoWru,
    'DynamoDB (reads)': per(f.rru) * PRICES.dynamoRru,
    'Lambda (requests + GB-s at 1 GB; scheduled jobs amortised)': (lambdaInvocations + jobRuns) * PRICES.lambdaRequest + lambdaGbS * PRICES.lambdaGbSecond,
    'API Gateway HTTP API (requests)': per(f.apiRequests) * PRICES.httpApiRequest,
    'SNS (publishes + department e-mail delivery)': per(f.snsPublishes) * PRICES.snsPublish + PRICES.snsEmailDelivery,
    'X-Ray (traces, all sampled; scheduled jobs amortised)': (per(f.apiRequests) + 1 + jobRuns) * PRICES.xrayTrace,
  };
  const total = Object.values(cost).reduce((a, b) => a + b, 0);
  const rows: BudgetRow[] = [
    limitRow('DynamoDB write units per happy-path case', wruPerCase, BUDGETS.wruPerCase, (n) => `${n.toFixed(1)} WRU`, {
      baseline: `the case's ${caseWru.toFixed(1)} + scheduled jobs ${jobWru.toFixed(2)} amortised (${jobRawWru.toFixed(1)} as the bench's clock jumps land them)`,
      budget: `≤ ${BUDGETS.wruPerCase} WRU`,
    }),
    limitRow('AWS cost per happy-path case at list price', total, BUDGETS.costPerCase, usd, { budget: `≤ ${usd(BUDGETS.costPerCase)}, every service` }),
    limitRow('DynamoDB calls in POST /cases', createCalls, BUDGETS.callsCreateCase, (n) => `${n} (+ StartExecution)`, { budget: `≤ ${BUDGETS.callsCreateCase} (+ StartExecution)` }),
    limitRow('DynamoDB calls in RouteCase', routeCalls, BUDGETS.callsRoute, String, { budget: `≤ ${BUDGETS.callsRoute}` }),
    limitRow('DynamoDB calls in AwaitAction', awaitCalls, BUDGETS.callsAwait, String, { budget: `≤ ${BUDGETS.callsAwait}` }),
  ];
  const ops = [...f.byOperation.entries()].sort((a, b) => b[1].wru - a[1].wru);
  const floor = designFloor(f);
  const detail = [
    `Per happy-path case (${f.cases} measured): ${per(f.transitions)} state transitions (${f.statesEntered.join(' → ')}), ${lambdaInvocations} Lambda invocations, ${per(f.apiRequests)} API requests, ${per(f.snsPublishes)} SNS messages, ${per(f.rru).toFixed(1)} RRU.`,
    'DynamoDB calls of the busiest invocation (entity key prefixes, or the index queried):',
    ...['api/handlers/create-case', 'workflow/route-case', 'workflow/await-action'].map((h) => `  ${callList(h)}`),
    table([['function and DynamoDB operation', 'calls per case', 'WRU per case'], ...ops.map(([k, o]) => [k, per(o.calls).toFixed(1), per(o.wru).toFixed(1)])]),
    '',
    table([['function and item written (key prefixes)', 'writes per case', 'mean bytes', 'WRU per case (table + GSIs)'], ...[...f.byItem.entries()].sort((a, b) => b[1].wru - a[1].wru).map(([k, o]) => [k, per(o.writes).toFixed(1), (o.bytes / o.writes).toFixed(0), per(o.wru).toFixed(1)])]),
    '',
    `Scheduled jobs: case-item writes per case in full; other writes per day on AWS shared by ${(CITY_CASES_PER_MONTH / 30.4).toFixed(0)} cases a day (${CITY_CASES_PER_MONTH.toLocaleString('en')} a month). All write units as measured: table ${per(f.tableWru).toFixed(1)} + GSIs ${per(f.wru - f.tableWru).toFixed(1)} = ${per(f.wru).toFixed(1)} per case.`,
    table([['job', 'runs in the bench', 'runs a day on AWS', 'WRU on case items per case', 'other WRU per case (raw)', 'other WRU per day', 'other WRU per case (amortised)', 'Lambda GB-s per case (amortised)'], ...jobs.map((j) => [j.job, String(j.runs), String(j.runsPerDay), j.caseWru.toFixed(1), j.otherWru.toFixed(1), j.perDay.toFixed(1), j.perCase.toFixed(3), j.gbSecondsPerCase.toFixed(3)])]),
    `Lambda GB-s per case: the case's invocations ${caseGbS.toFixed(2)} (local timings, to each invocation's last DynamoDB answer + 3 ms), the jobs' ${jobGbS.toFixed(2)} amortised.`,
    'Not in the window: the reporter\'s erasure PII_RETENTION_DAYS after closing, one case write with its event (like the closing survey\'s) per case.',
    '',
    `The design's floor: the case's own writes (the jobs' left out) are ${per(floor.writes).toFixed(1)} item writes per case, ${per(floor.inTransactions).toFixed(1)} of them in transactions (each change writes the case, its timeline event and the counters it moves together, conditionally); were every item under 1 KB and no index copying anything, they would still cost ${per(floor.wru).toFixed(1)} WRU (2 an item in a transaction, 1 alone). Measured for the same writes, indexes included: ${per(floor.measured).toFixed(1)} WRU.`,
    '',
    table([['index', 'WRU per case (raw, jobs included)'], ['table', per(f.tableWru).toFixed(1)], ...Object.entries(f.indexWru).sort().map(([ix, n]) => [ix, per(n).toFixed(1)])]),
    '',
    table([['service (cost per case)', 'USD'], ...Object.entries(cost).map(([k, v]) => [k, usd(v)]), ['total', usd(total)]]),
    'The SMS to the citizen is priced per message by its destination (not counted above: it is the message, not the platform).',
  ].join('\n');
  return { rows, detail };
}
