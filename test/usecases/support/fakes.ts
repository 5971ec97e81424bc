/**
 * In-memory ports for use-case tests: the same contracts as the DynamoDB/SFN adapters (conditional create,
 * version-checked update that appends the event, conditional idempotency claim), without I/O.
 */
import { loadConfig } from '../../../functions/config/load';
import type { Department, Sop, VersionedSop } from '../../../functions/config/schema';
import type { Actor } from '../../../functions/domain/actor';
import type { Case, CaseEvent } from '../../../functions/domain/case';
import { nowIso } from '../../../functions/domain/clock';
import { formatCaseNo, taipeiDay } from '../../../functions/domain/case-number';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../../functions/domain/errors';
import type {
  CaseChange,
  CaseListFilter,
  CaseRepository,
  CaseSummary,
  CaseWorkflow,
  ExecutionStatus,
  WorkflowExecutions,
  DepartmentDirectory,
  IdempotencyRecord,
  IdempotencyStore,
  NewCaseEvent,
  Page,
  PageRequest,
  SopAuthor,
  SopCatalog,
} from '../../../functions/usecases/ports';

export class InMemoryCaseRepository implements CaseRepository {
  readonly cases = new Map<string, Case>();
  readonly timelines = new Map<string, CaseEvent[]>();
  readonly listCalls: CaseListFilter[] = [];
  private readonly counters = new Map<string, number>();
  updates = 0;
  /** Runs before each update's version check: lets a test slip a concurrent change in. */
  beforeUpdate?: (caseNo: string) => void;

  async nextCaseNo(at: Date): Promise<string> {
    const day = taipeiDay(at);
    const seq = (this.counters.get(day) ?? 0) + 1;
    this.counters.set(day, seq);
    return formatCaseNo(day, seq);
  }

  async create(c: Case, event: NewCaseEvent): Promise<Case> {
    if (this.cases.has(c.caseNo)) throw new ConflictError(`Case ${c.caseNo} already exists`, { caseNo: c.caseNo });
    this.cases.set(c.caseNo, structuredClone(c));
    const at = event.at ?? c.createdAt;
    this.timelines.set(c.caseNo, [{ ...event, at, id: `${at}#${c.version}` }]);
    return structuredClone(c);
  }

  async get(caseNo: string): Promise<Case | undefined> {
    const c = this.cases.get(caseNo);
    return c ? structuredClone(c) : undefined;
  }

  async update(caseNo: string, expectedVersion: number, change: CaseChange): Promise<Case> {
    this.beforeUpdate?.(caseNo);
    const c = this.cases.get(caseNo);
    if (!c) throw new NotFoundError(`Case ${caseNo} not found`);
    if (c.version !== expectedVersion) throw new PreconditionFailedError(`Case ${caseNo} is at version ${c.version}`, c.version);
    const at = change.event?.at ?? nowIso();
    // Each event takes a version of its own (CaseChange.precededBy). Counts and rate limits are not kept here.
    const events = change.event ? [...(change.precededBy ?? []), change.event] : [];
    const next: Case = { ...c, ...structuredClone(change.set ?? {}), version: c.version + Math.max(1, events.length), updatedAt: at };
    for (const k of change.remove ?? []) delete next[k];
    this.cases.set(caseNo, next);
    events.forEach((e, i) => this.timelines.get(caseNo)!.push({ ...e, at: e.at ?? at, id: `${e.at ?? at}#${c.version + 1 + i}` }));
    this.updates++;
    return structuredClone(next);
  }

  async reviseEvent(caseNo: string, recorded: { at: string; version: number }, event: NewCaseEvent): Promise<void> {
    const events = this.timelines.get(caseNo) ?? [];
    const i = events.findIndex((e) => e.id === `${recorded.at}#${recorded.version}` && e.type === event.type);
    if (i < 0) throw new NotFoundError(`Case ${caseNo} has no ${event.type} event at version ${recorded.version}`);
    events[i] = { ...event, at: recorded.at, id: events[i].id };
  }

  async timeline(caseNo: string, page: PageRequest): Promise<Page<CaseEvent>> {
    const events = this.timelines.get(caseNo);
    if (!events) throw new NotFoundError(`Case ${caseNo} not found`);
    return { items: events.slice(0, page.limit ?? 50) };
  }

  async list(filter: CaseListFilter): Promise<Page<CaseSummary>> {
    this.listCalls.push(filter);
    const items = [...this.cases.values()]
      .filter((c) => (!filter.status || c.status === filter.status) && (!filter.department || c.department === filter.department))
      .map((c) => ({
        caseNo: c.caseNo,
        status: c.status,
        category: c.category,
        department: c.department,
        priority: c.priority,
        escalationLevel: c.escalationLevel,
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
        channel: c.channel,
        district: c.location.district,
        address: c.location.address,
      }));
    return { items };
  }

  /** Test helper: put a case straight into the store. */
  seed(c: Case): Case {
    this.cases.set(c.caseNo, structuredClone(c));
    this.timelines.set(c.caseNo, [{ id: `${c.createdAt}#1`, at: c.createdAt, type: 'created', by: c.createdBy }]);
    return c;
  }

  events(caseNo: string): CaseEvent[] {
    return this.timelines.get(caseNo) ?? [];
  }
}

export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly records = new Map<string, IdempotencyRecord>();
  async claim(record: IdempotencyRecord): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }> {
    const existing = this.records.get(record.key);
    if (existing) return { claimed: false, existing: { ...existing } };
    this.records.set(record.key, { ...record });
    return { claimed: true };
  }
}

/** The shipped SOPs as version 1, the way the real catalog seeds them. */
export class ConfigSopCatalog implements SopCatalog {
  private readonly sops: VersionedSop[] = loadConfig().sops.map((s) => ({ ...s, version: 1 }));
  async list(): Promise<VersionedSop[]> {
    return this.sops;
  }
  async current(category: string): Promise<VersionedSop | undefined> {
    return this.sops.find((s) => s.category === category);
  }
  async version(category: string, version: number): Promise<VersionedSop | undefined> {
    return version === 1 ? this.current(category) : undefined;
  }
  async versions(category: string): Promise<VersionedSop[]> {
    const s = await this.current(category);
    return s ? [s] : [];
  }
  async saveNewVersion(_sop: Sop, _expectedVersion: number, _author: SopAuthor): Promise<VersionedSop> {
    throw new Error('not used in these tests');
  }
}

/** The shipped SOPs at version 1, with `retired` questions marked in a version 2 of their category. */
export class RetiredQuestionSopCatalog extends ConfigSopCatalog {
  constructor(private readonly retiredCodes: Record<string, string[]>) {
    super();
  }
  override async current(category: string): Promise<VersionedSop | undefined> {
    const sop = await super.current(category);
    const retired = this.retiredCodes[category];
    if (!sop || !retired) return sop;
    return { ...sop, version: 2, attributes: sop.attributes.map((a) => (retired.includes(a.code) ? { ...a, retired: true } : a)) };
  }
}

export class ConfigDepartmentDirectory implements DepartmentDirectory {
  async list(): Promise<Department[]> {
    return loadConfig().departments.departments;
  }
  async get(code: string): Promise<Department | undefined> {
    return loadConfig().departments.departments.find((d) => d.code === code);
  }
}

export class FakeWorkflow implements CaseWorkflow, WorkflowExecutions {
  readonly started: string[] = [];
  /** Executions by name and what DescribeExecution says of them; a name not listed is RUNNING. */
  readonly executions = new Map<string, ExecutionStatus>();
  /** Named starts (the sweeper's restarts) with their input, one per name as Step Functions keeps them. */
  readonly namedStarts = new Map<string, Record<string, unknown>>();

  async status(executionName: string): Promise<ExecutionStatus> {
    return this.executions.get(executionName) ?? 'RUNNING';
  }
  async startNamed(executionName: string, input: Record<string, unknown>): Promise<{ executionArn: string }> {
    if (!this.namedStarts.has(executionName)) this.namedStarts.set(executionName, input);
    return { executionArn: `arn:aws:states:ap-northeast-1:123456789012:execution:case-lifecycle:${executionName}` };
  }
  readonly failures: Array<{ taskToken: string; error: string; cause: string }> = [];
  readonly successes: Array<{ taskToken: string; output: Record<string, unknown> }> = [];
  /** Set to make the next start throw. */
  failNextStart?: Error;
  failNextSend?: Error;

  async start(caseNo: string): Promise<{ executionArn: string }> {
    if (this.failNextStart) {
      const e = this.failNextStart;
      this.failNextStart = undefined;
      throw e;
    }
    if (!this.started.includes(caseNo)) this.started.push(caseNo);
    return { executionArn: `arn:aws:states:ap-northeast-1:123456789012:execution:case-lifecycle:${caseNo}` };
  }
  async sendSuccess(taskToken: string, output: Record<string, unknown>): Promise<void> {
    this.successes.push({ taskToken, output });
  }
  async sendFailure(taskToken: string, error: string, cause: string): Promise<void> {
    if (this.failNextSend) {
      const e = this.failNextSend;
      this.failNextSend = undefined;
      throw e;
    }
    this.failures.push({ taskToken, error, cause });
  }
}

export const ACTORS = {
  agent: { id: 'agent-1', role: 'agent' },
  otherAgent: { id: 'agent-2', role: 'agent' },
  staffPwd: { id: 'staff-pwd', role: 'staff', department: 'PWD' },
  staffEpd: { id: 'staff-epd', role: 'staff', department: 'EPD' },
  supervisor: { id: 'sup-1', role: 'supervisor' },
  admin: { id: 'admin-1', role: 'admin' },
  integration: { id: 'open311-app', role: 'integration', scopes: ['citydesk/cases.write'] },
} satisfies Record<string, Actor>;

/** A routed case, as the workflow leaves it, for tests that start mid-life. */
export function aCase(overrides: Partial<Case> = {}): Case {
  return {
    caseNo: '20261127-00042',
    status: 'ASSIGNED',
    category: 'pothole',
    description: '中山路一段近中正路口有大坑洞',
    location: { district: 'zhongli', address: '中山路一段 100 號前' },
    reporter: { name: '王大明', phone: '0912345678', email: 'wang@example.org', anonymous: false, notify: 'sms' },
    channel: 'phone',
    priority: 'normal',
    attributes: {},
    department: 'PWD',
    sopVersion: 1,
    acknowledgeDueAt: '2026-11-27T03:00:00.000Z',
    resolveDueAt: '2026-12-02T09:30:00.000Z',
    escalationLevel: 0,
    createdAt: '2026-11-27T01:00:00.000Z',
    createdBy: 'agent-1',
    updatedAt: '2026-11-27T01:00:00.000Z',
    version: 3,
    ...overrides,
  };
}
