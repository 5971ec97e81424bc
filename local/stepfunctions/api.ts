/**
 * The Step Functions API actions, with AWS's request validation, error names and response shapes. Dates are
 * epoch seconds, as the AWS JSON 1.0 protocol carries them. Transport (HTTP) is in server.ts.
 */
import { randomUUID } from 'node:crypto';
import type { LocalClock } from '../clock';
import { parseDefinition, type Json } from './asl';
import type { ExecutionEngine } from './engine';
import { SfnServiceError } from './errors';
import type { ExecutionRecord, ExecutionStatus, HistoryEvent, StateMachineRecord, StateMachineType } from './model';
import type { SfnStore } from './store';
import { executionOfToken } from './tokens';

export interface ApiOptions {
  region: string;
  accountId: string;
  clock: LocalClock;
  store: SfnStore;
  engine: ExecutionEngine;
}

type Body = Record<string, unknown>;
type Action = (body: Body) => Promise<Body>;

const EXECUTION_STATUSES: ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:(execution|express):[^:]+:[^:]+$/;
// Names may not contain whitespace, brackets, wildcards, these specials, or control characters.
// eslint-disable-next-line no-control-regex -- Step Functions names may not contain control characters
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

export class SfnApi {
  readonly stateMachines = new Map<string, StateMachineRecord>();
  private readonly actions: Record<string, Action>;

  constructor(private readonly options: ApiOptions) {
    this.actions = {
      CreateStateMachine: (b) => this.createStateMachine(b),
      UpdateStateMachine: (b) => this.updateStateMachine(b),
      DeleteStateMachine: (b) => this.deleteStateMachine(b),
      ListStateMachines: (b) => this.listStateMachines(b),
      DescribeStateMachine: (b) => this.describeStateMachine(b),
      DescribeStateMachineForExecution: (b) => this.describeStateMachineForExecution(b),
      StartExecution: (b) => this.startExecution(b),
      DescribeExecution: (b) => this.describeExecution(b),
      ListExecutions: (b) => this.listExecutions(b),
      GetExecutionHistory: (b) => this.getExecutionHistory(b),
      StopExecution: (b) => this.stopExecution(b),
      SendTaskSuccess: (b) => this.sendTaskSuccess(b),
      SendTaskFailure: (b) => this.sendTaskFailure(b),
      SendTaskHeartbeat: (b) => this.sendTaskHeartbeat(b),
    };
  }

  load(records: StateMachineRecord[]): void {
    for (const record of records) this.stateMachines.set(record.stateMachineArn, record);
  }

  /** Dispatch one action by its name (the part after `AWSStepFunctions.` in X-Amz-Target). */
  async handle(action: string, body: Body): Promise<Body> {
    const run = Object.prototype.hasOwnProperty.call(this.actions, action) ? this.actions[action] : undefined;
    if (!run) throw new SfnServiceError('UnknownOperationException', `Operation ${action} is not supported by the local Step Functions service`);
    return run(body);
  }

  stateMachineArnOf(name: string): string {
    return `arn:aws:states:${this.options.region}:${this.options.accountId}:stateMachine:${name}`;
  }

  // --- state machines -------------------------------------------------------------------------------------

  private async createStateMachine(body: Body): Promise<Body> {
    const name = requireString(body, 'name');
    const definition = requireString(body, 'definition');
    const roleArn = requireString(body, 'roleArn');
    const type = (optionalString(body, 'type') ?? 'STANDARD') as StateMachineType;
    if (type !== 'STANDARD' && type !== 'EXPRESS') throw validation('type', type, 'Member must satisfy enum value set: [STANDARD, EXPRESS]');
    checkName(name);
    parseDefinition(definition);
    const stateMachineArn = this.stateMachineArnOf(name);
    const existing = this.stateMachines.get(stateMachineArn);
    if (existing) {
      // CreateStateMachine is idempotent for an identical request.
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) {
        return { stateMachineArn, creationDate: seconds(existing.creationDate) };
      }
      throw new SfnServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${stateMachineArn}'`);
    }
    const record: StateMachineRecord = {
      stateMachineArn,
      name,
      type,
      definition,
      roleArn,
      creationDate: this.options.clock.nowMs(),
      revisionId: randomUUID(),
      loggingConfiguration: body.loggingConfiguration as Json | undefined,
      tracingConfiguration: body.tracingConfiguration as Json | undefined,
    };
    await this.options.store.saveStateMachine(record);
    this.stateMachines.set(stateMachineArn, record);
    return { stateMachineArn, creationDate: seconds(record.creationDate) };
  }

  private async updateStateMachine(body: Body): Promise<Body> {
    const record = this.stateMachineOf(requireString(body, 'stateMachineArn'));
    const definition = optionalString(body, 'definition');
    const roleArn = optionalString(body, 'roleArn');
    if (definition === undefined && roleArn === undefined && body.loggingConfiguration === undefined && body.tracingConfiguration === undefined) {
      throw new SfnServiceError('MissingRequiredParameter', 'Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be given');
    }
    if (definition !== undefined) parseDefinition(definition);
    const updated: StateMachineRecord = {
      ...record,
      definition: definition ?? record.definition,
      roleArn: roleArn ?? record.roleArn,
      loggingConfiguration: (body.loggingConfiguration as Json | undefined) ?? record.loggingConfiguration,
      tracingConfiguration: (body.tracingConfiguration as Json | undefined) ?? record.tracingConfiguration,
      updateDate: this.options.clock.nowMs(),
      revisionId: randomUUID(),
    };
    await this.options.store.saveStateMachine(updated);
    this.stateMachines.set(updated.stateMachineArn, updated);
    return { updateDate: seconds(updated.updateDate ?? updated.creationDate), revisionId: updated.revisionId };
  }

  private async deleteStateMachine(body: Body): Promise<Body> {
    const arn = requireString(body, 'stateMachineArn');
    checkArn(arn, STATE_MACHINE_ARN);
    const record = this.stateMachines.get(arn);
    // Deleting is idempotent on AWS; running executions keep the definition they started with.
    if (record) {
      this.stateMachines.delete(arn);
      await this.options.store.deleteStateMachine(record);
    }
    return {};
  }

  private async listStateMachines(body: Body): Promise<Body> {
    const all = [...this.stateMachines.values()].sort((a, b) => a.creationDate - b.creationDate || a.name.localeCompare(b.name));
    const page = paginate(all, body, 'ListStateMachines');
    return {
      stateMachines: page.items.map((m) => ({ stateMachineArn: m.stateMachineArn, name: m.name, type: m.type, creationDate: seconds(m.creationDate) })),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  private async describeStateMachine(body: Body): Promise<Body> {
    return describeMachine(this.stateMachineOf(requireString(body, 'stateMachineArn')));
  }

  private async describeStateMachineForExecution(body: Body): Promise<Body> {
    const execution = this.executionOf(requireString(body, 'executionArn'));
    const machine = this.stateMachines.get(execution.stateMachineArn);
    return {
      stateMachineArn: execution.stateMachineArn,
      name: execution.stateMachineName,
      definition: execution.definition,
      roleArn: execution.roleArn,
      updateDate: seconds(machine?.updateDate ?? machine?.creationDate ?? execution.startDate),
      loggingConfiguration: machine?.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: machine?.tracingConfiguration ?? { enabled: false },
    };
  }

  // --- executions -----------------------------------------------------------------------------------------

  private async startExecution(body: Body): Promise<Body> {
    const machine = this.stateMachineOf(requireString(body, 'stateMachineArn'));
    const name = optionalString(body, 'name') ?? randomUUID();
    checkName(name);
    const input = optionalString(body, 'input') ?? '{}';
    try {
      JSON.parse(input);
    } catch (error) {
      throw new SfnServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(error as Error).message}'`);
    }
    const kind = machine.type === 'EXPRESS' ? 'express' : 'execution';
    const executionArn = `arn:aws:states:${this.options.region}:${this.options.accountId}:${kind}:${machine.name}:${name}`;
    const existing = this.options.engine.executions.get(executionArn);
    if (existing) {
      // Same name and input while running: the same execution, as on AWS. Otherwise the name is taken.
      if (existing.status === 'RUNNING' && sameJson(existing.input, input)) {
        return { executionArn, startDate: seconds(existing.startDate) };
      }
      throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.stateMachineArn,
      stateMachineName: machine.name,
      name,
      type: machine.type,
      status: 'RUNNING',
      input,
      startDate: this.options.clock.nowMs(),
      definition: machine.definition,
      roleArn: machine.roleArn,
      seq: 0,
      closedTokens: [],
      history: [],
    };
    await this.options.engine.start(record);
    return { executionArn, startDate: seconds(record.startDate) };
  }

  private async describeExecution(body: Body): Promise<Body> {
    const e = this.executionOf(requireString(body, 'executionArn'));
    return {
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: seconds(e.startDate),
      ...(e.stopDate !== undefined ? { stopDate: seconds(e.stopDate) } : {}),
      input: e.input,
      inputDetails: { included: true },
      ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
      ...(e.error !== undefined ? { error: e.error } : {}),
      ...(e.cause !== undefined ? { cause: e.cause } : {}),
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
  }

  private async listExecutions(body: Body): Promise<Body> {
    if (body.mapRunArn !== undefined) throw validation('mapRunArn', body.mapRunArn, 'Map Runs are not supported by the local Step Functions service');
    const machine = this.stateMachineOf(requireString(body, 'stateMachineArn'));
    const statusFilter = optionalString(body, 'statusFilter');
    if (statusFilter !== undefined && !EXECUTION_STATUSES.includes(statusFilter as ExecutionStatus) && statusFilter !== 'PENDING_REDRIVE') {
      throw validation('statusFilter', statusFilter, `Member must satisfy enum value set: [${[...EXECUTION_STATUSES, 'PENDING_REDRIVE'].join(', ')}]`);
    }
    const all = [...this.options.engine.executions.values()]
      .filter((e) => e.stateMachineArn === machine.stateMachineArn && (statusFilter === undefined || e.status === statusFilter))
      // Most recent first, as AWS lists them.
      .sort((a, b) => b.startDate - a.startDate || b.executionArn.localeCompare(a.executionArn));
    const page = paginate(all, body, `ListExecutions|${machine.stateMachineArn}|${statusFilter ?? ''}`);
    return {
      executions: page.items.map((e) => ({
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: seconds(e.startDate),
        ...(e.stopDate !== undefined ? { stopDate: seconds(e.stopDate) } : {}),
      })),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  private async getExecutionHistory(body: Body): Promise<Body> {
    const e = this.executionOf(requireString(body, 'executionArn'));
    const reverse = body.reverseOrder === true;
    const includeData = body.includeExecutionData !== false;
    const events = reverse ? [...e.history].reverse() : e.history;
    const page = paginate(events, body, `GetExecutionHistory|${e.executionArn}|${reverse}`);
    return {
      events: page.items.map((event) => wireEvent(event, includeData)),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  private async stopExecution(body: Body): Promise<Body> {
    const e = this.executionOf(requireString(body, 'executionArn'));
    const error = optionalString(body, 'error');
    const cause = optionalString(body, 'cause');
    if (error !== undefined && error.length > 256) throw validation('error', '...', 'Member must have length less than or equal to 256');
    if (cause !== undefined && cause.length > 32768) throw validation('cause', '...', 'Member must have length less than or equal to 32768');
    const stopDate = await this.options.engine.stop(e.executionArn, error, cause);
    return { stopDate: seconds(stopDate) };
  }

  // --- task tokens ----------------------------------------------------------------------------------------

  private async sendTaskSuccess(body: Body): Promise<Body> {
    const { executionArn, token } = this.tokenOf(body);
    const outputText = requireString(body, 'output');
    let output: Json;
    try {
      output = JSON.parse(outputText) as Json;
    } catch (error) {
      throw new SfnServiceError('InvalidOutput', `Invalid Output: '${(error as Error).message}'`);
    }
    await this.options.engine.sendTaskSuccess(executionArn, token, output);
    return {};
  }

  private async sendTaskFailure(body: Body): Promise<Body> {
    const { executionArn, token } = this.tokenOf(body);
    const error = optionalString(body, 'error');
    const cause = optionalString(body, 'cause');
    if (error !== undefined && error.length > 256) throw validation('error', '...', 'Member must have length less than or equal to 256');
    await this.options.engine.sendTaskFailure(executionArn, token, error, cause);
    return {};
  }

  private async sendTaskHeartbeat(body: Body): Promise<Body> {
    const { executionArn, token } = this.tokenOf(body);
    await this.options.engine.sendTaskHeartbeat(executionArn, token);
    return {};
  }

  // --- lookups --------------------------------------------------------------------------------------------

  private stateMachineOf(arn: string): StateMachineRecord {
    checkArn(arn, STATE_MACHINE_ARN);
    const record = this.stateMachines.get(arn);
    if (!record) throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return record;
  }

  private executionOf(arn: string): ExecutionRecord {
    checkArn(arn, EXECUTION_ARN);
    const record = this.options.engine.executions.get(arn);
    if (!record) throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  private tokenOf(body: Body): { executionArn: string; token: string } {
    const token = requireString(body, 'taskToken');
    if (token.length > 2048) throw validation('taskToken', '...', 'Member must have length less than or equal to 2048');
    const executionArn = executionOfToken(token);
    if (!executionArn) throw new SfnServiceError('InvalidToken', 'Invalid Token: the task token is malformed');
    if (!this.options.engine.executions.has(executionArn)) throw new SfnServiceError('TaskDoesNotExist', 'Task does not exist');
    return { executionArn, token };
  }
}

function describeMachine(m: StateMachineRecord): Body {
  return {
    stateMachineArn: m.stateMachineArn,
    name: m.name,
    status: 'ACTIVE',
    definition: m.definition,
    roleArn: m.roleArn,
    type: m.type,
    creationDate: seconds(m.creationDate),
    loggingConfiguration: m.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: m.tracingConfiguration ?? { enabled: false },
    revisionId: m.revisionId,
  };
}

function wireEvent(event: HistoryEvent, includeData: boolean): Body {
  const wire: Body = { ...event, timestamp: seconds(event.timestamp) };
  if (!includeData) {
    for (const [key, value] of Object.entries(wire)) {
      if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
      const { input, output, parameters, ...rest } = value as Record<string, unknown>;
      void input;
      void output;
      void parameters;
      wire[key] = rest;
    }
  }
  return wire;
}

/** Epoch seconds with milliseconds: how AWS JSON 1.0 carries timestamps. */
function seconds(ms: number): number {
  return ms / 1000;
}

function sameJson(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

function validation(member: string, value: unknown, constraint: string): SfnServiceError {
  return new SfnServiceError('ValidationException', `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

function requireString(body: Body, member: string): string {
  const value = body[member];
  if (value === undefined || value === null) {
    throw new SfnServiceError('ValidationException', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  if (typeof value !== 'string') throw new SfnServiceError('SerializationException', `'${member}' must be a string`);
  return value;
}

function optionalString(body: Body, member: string): string | undefined {
  const value = body[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SfnServiceError('SerializationException', `'${member}' must be a string`);
  return value;
}

function checkName(name: string): void {
  if (name.length < 1 || name.length > 80 || INVALID_NAME.test(name)) {
    throw new SfnServiceError('InvalidName', `Invalid Name: '${name}'`);
  }
}

function checkArn(arn: string, shape: RegExp): void {
  if (!shape.test(arn)) throw new SfnServiceError('InvalidArn', `Invalid Arn: '${arn}'`);
}

/** Offset pagination with opaque tokens bound to the query they came from. */
function paginate<T>(items: T[], body: Body, query: string): { items: T[]; nextToken?: string } {
  const max = body.maxResults ?? 0;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > 1000) {
    throw validation('maxResults', max, 'Member must have value less than or equal to 1000');
  }
  const size = max === 0 ? 100 : max;
  let offset = 0;
  if (body.nextToken !== undefined && body.nextToken !== null) {
    const token = typeof body.nextToken === 'string' ? decodePageToken(body.nextToken) : undefined;
    if (!token || token.q !== query) throw new SfnServiceError('InvalidToken', `Invalid Token: '${JSON.stringify(body.nextToken)}'`);
    offset = token.o;
  }
  const page = items.slice(offset, offset + size);
  const next = offset + size < items.length ? Buffer.from(JSON.stringify({ o: offset + size, q: query })).toString('base64url') : undefined;
  return { items: page, nextToken: next };
}

function decodePageToken(token: string): { o: number; q: string } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    if (typeof parsed.o === 'number' && typeof parsed.q === 'string') return { o: parsed.o, q: parsed.q };
  } catch {
    return undefined;
  }
  return undefined;
}
