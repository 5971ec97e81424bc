/**
 * Do the supervisors' dashboard and a department inbox stay flat as history grows? Both are timed through the
 * local gateway (handler + local DynamoDB) at 1,000 cases and again at 100,000, in one run: the first figure is
 * the baseline of the second.
 *
 * Seeding writes real case items: one case is logged through the API and routed by the workflow, then cloned
 * with `CaseEntity.toItem` under new case numbers, dates, statuses, departments, districts and categories (so
 * every index key is the code's own), 25 per BatchWriteItem, several batches in flight, then the open cases'
 * figures as a rebuild writes them. History dominates, as in a city's hotline: 85% of the cases are closed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BatchWriteItemCommand, DynamoDBClient, GetItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { startLocalCloud, type LocalCloud } from '../local/cloud';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CaseEntity } from '../functions/adapters/table';
import { DynamoOpenFigures } from '../functions/adapters/open-figures-store';
import { TERMINAL_STATUSES } from '../functions/domain/case';
import type { FigureCase } from '../functions/domain/open-figures';
import { loadConfig } from '../functions/config/load';
import type { Case, CaseStatus } from '../functions/domain/case';
import { startDynaliteProcess } from './lib/dynalite-process';
import { counter, limitRow, ms, percentile, progress, type BudgetRow } from './lib/report';

export const BUDGETS = { dashboardAtLargeMs: 300, growth: 1.2 };

const STATUS_MIX: Array<[CaseStatus, number]> = [
  ['CLOSED', 0.85],
  ['RESOLVED', 0.03],
  ['ASSIGNED', 0.06],
  ['ACKNOWLEDGED', 0.045],
  ['RETURNED', 0.01],
  ['REOPENED', 0.005],
];

/** A small deterministic generator: the same seed gives the same cases run after run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

interface Template {
  c: Case;
  phoneHash?: string;
}

export class CaseSeeder {
  private readonly random = rng(1999);
  private readonly departments = loadConfig().departments.departments.map((d) => d.code);
  private readonly districts = loadConfig().districts.districts.map((d) => d.code);
  private readonly categories = loadConfig().sops.map((s) => s.category);
  private seeded = 0;
  /** The cases seeded still open or resolved: their figures are written with them (DynamoOpenFigures.replace, as a rebuild does). */
  private readonly open: FigureCase[] = [];

  constructor(
    private readonly ddb: DynamoDBClient,
    private readonly tableName: string,
    private readonly template: Template,
  ) {
    if (!TERMINAL_STATUSES.includes(template.c.status)) this.open.push(template.c);
  }

  get count(): number {
    return this.seeded;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.random() * xs.length)];
  }

  private status(): CaseStatus {
    let r = this.random();
    for (const [s, p] of STATUS_MIX) if ((r -= p) < 0) return s;
    return 'CLOSED';
  }

  /** The n-th seeded case: spread over the year before the template, a few hundred a day. */
  private caseItem(n: number): Record<string, unknown> {
    const t = this.template.c;
    const created = new Date(Date.parse(t.createdAt) - 86_400_000 * 2 - Math.floor(this.random() * 365 * 86_400_000));
    const day = created.toISOString().slice(0, 10).replace(/-/g, '');
    const caseNo = `${day}-${String(90_000 + (n % 10_000)).padStart(5, '0')}${n >= 10_000 ? `-${Math.floor(n / 10_000)}` : ''}`;
    const status = this.status();
    const at = (hours: number) => new Date(created.getTime() + hours * 3_600_000).toISOString();
    const c: Case = {
      ...t,
      caseNo,
      status,
      category: this.pick(this.categories),
      department: this.pick(this.departments),
      location: { ...t.location, district: this.pick(this.districts) },
      createdAt: created.toISOString(),
      updatedAt: at(status === 'CLOSED' ? 96 : 2),
      acknowledgeDueAt: at(4),
      resolveDueAt: at(72),
      ...(status === 'CLOSED' ? { closedAt: at(96) } : {}),
    };
    if (status !== 'CLOSED') delete (c as Partial<Case>).closedAt;
    if (!TERMINAL_STATUSES.includes(c.status)) this.open.push(c);
    return CaseEntity.toItem(c, this.template.phoneHash);
  }

  /** Writes cases until `total` are seeded, `inFlight` batches at a time, retrying what DynamoDB left over. */
  async seedTo(total: number, inFlight = 6): Promise<void> {
    const tick = counter(`seeding cases`, total);
    const next = () => {
      const items: WriteRequest[] = [];
      while (items.length < 25 && this.seeded < total) items.push({ PutRequest: { Item: marshall(this.caseItem(this.seeded++), { removeUndefinedValues: true }) } });
      return items;
    };
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        for (let batch = next(); batch.length; batch = next()) {
          let pending: WriteRequest[] = batch;
          while (pending.length) {
            const out = await this.ddb.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } }));
            pending = out.UnprocessedItems?.[this.tableName] ?? [];
          }
          tick(this.seeded);
        }
      }),
    );
    // Batch writes bypass the repository's transactions, so the open-case figures are written as a rebuild does.
    await new DynamoOpenFigures(DynamoDBDocumentClient.from(this.ddb), this.tableName).replace(this.open);
  }
}

interface Timings {
  dashboard: number[];
  inbox: number[];
}

async function time(fn: () => Promise<void>, runs: number): Promise<number[]> {
  await fn(); // warm: the handler's first import and caches are not what is measured
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export interface QueryFigures {
  small: number;
  large: number;
  at: { small: Timings; large: Timings };
  seedMs: number;
}

export async function measureQueries(opts: { small: number; large: number; runs: number }): Promise<QueryFigures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'citydesk-bench-queries-'));
  let cloud: LocalCloud | undefined;
  let ddb: DynamoDBClient | undefined;
  const dynamo = await startDynaliteProcess(dataDir);
  try {
    cloud = await startLocalCloud({ port: 0, dataDir, dynamodbEndpoint: dynamo.endpoint, demoData: false, quiet: true, handlerLogLevel: 'ERROR' });
    ddb = new DynamoDBClient({ endpoint: cloud.urls.dynamodb, region: cloud.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const api = cloud.urls.api;
    const auth = async (user: string) => ({ authorization: `Bearer ${await cloud!.token(user)}` });
    const created = await fetch(`${api}/cases`, {
      method: 'POST',
      headers: { ...(await auth('agent1')), 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'street-light', description: '路燈整晚不亮', location: { district: 'zhongli', address: '中正路 100 號前' }, reporter: { name: '林美華', phone: '0912345678', notify: 'sms' }, channel: 'phone', attributes: {} }),
    }).then((r) => r.json() as Promise<{ caseNo: string }>);
    let item: Record<string, unknown> | undefined;
    for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
      const got = await ddb.send(new GetItemCommand({ TableName: cloud.tableName, Key: marshall(CaseEntity.key(created.caseNo)), ConsistentRead: true }));
      item = got.Item && unmarshall(got.Item);
      if (item?.department) break;
    }
    if (!item?.department) throw new Error('the template case was not routed');
    const template: Template = { c: CaseEntity.fromItem(item), phoneHash: typeof item.gsi8pk === 'string' ? item.gsi8pk.slice('PHONE#'.length) : undefined };
    const seeder = new CaseSeeder(ddb, cloud.tableName, template);
    const department = template.c.department!;

    const dashboard = async (h: Record<string, string>) => {
      const r = await fetch(`${api}/dashboard`, { headers: h });
      if (r.status !== 200) throw new Error(`GET /dashboard: ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    };
    const inbox = async (h: Record<string, string>) => {
      const r = await fetch(`${api}/queues/department?department=${department}&status=ASSIGNED&limit=50`, { headers: h });
      if (r.status !== 200) throw new Error(`GET /queues/department: ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    };
    const measure = async (label: string): Promise<Timings> => {
      // Tokens expire: fetch them per measurement, not once for a run that may take minutes.
      const h = await auth('supervisor1');
      progress(`queries at ${label}: GET /dashboard ×${opts.runs}, department inbox ×${opts.runs * 2}`);
      return { dashboard: await time(() => dashboard(h), opts.runs), inbox: await time(() => inbox(h), opts.runs * 2) };
    };

    const t0 = performance.now();
    await seeder.seedTo(opts.small);
    const small = await measure(`${opts.small.toLocaleString('en-US')} cases`);
    await seeder.seedTo(opts.large);
    const seedMs = performance.now() - t0;
    progress(`seeded ${seeder.count.toLocaleString('en-US')} cases in ${ms(seedMs)}`);
    const large = await measure(`${opts.large.toLocaleString('en-US')} cases`);
    return { small: opts.small, large: opts.large, at: { small, large }, seedMs };
  } finally {
    ddb?.destroy();
    await cloud?.close();
    await dynamo.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function queryRows(f: QueryFigures): BudgetRow[] {
  const p50 = (xs: number[]) => percentile(xs, 50);
  const n = (x: number) => x.toLocaleString('en-US');
  const dash = { s: p50(f.at.small.dashboard), l: p50(f.at.large.dashboard) };
  const inbox = { s: p50(f.at.small.inbox), l: p50(f.at.large.inbox) };
  return [
    limitRow(`GET /dashboard p50 at ${n(f.large)} cases`, dash.l, BUDGETS.dashboardAtLargeMs, ms, { baseline: `${ms(dash.s)} at ${n(f.small)}`, budget: `≤ ${BUDGETS.dashboardAtLargeMs} ms` }),
    limitRow(`GET /dashboard growth ${n(f.small)} → ${n(f.large)}`, dash.l / dash.s, BUDGETS.growth, (x) => `${x.toFixed(2)}×`, { baseline: `${ms(dash.s)} → ${ms(dash.l)}`, budget: `≤ ${BUDGETS.growth}×` }),
    limitRow(`department inbox p50 growth ${n(f.small)} → ${n(f.large)}`, inbox.l / inbox.s, BUDGETS.growth, (x) => `${x.toFixed(2)}×`, { baseline: `${ms(inbox.s)} → ${ms(inbox.l)}`, budget: `≤ ${BUDGETS.growth}×` }),
  ];
}
