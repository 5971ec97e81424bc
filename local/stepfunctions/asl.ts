/**
 * Amazon States Language as the local service sees it: the JSON shapes it reads, definition validation (the
 * same asl-validator rules aws-local-stepfunctions applies), CDK-style `${...}` substitution, and what a Task
 * resource ARN says about itself (for history events).
 */
import './polyfill';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { SfnServiceError } from './errors';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

export type StateType = 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Map' | 'Parallel';

/** One state. Only the fields the engine reads are named; the rest travel through untouched. */
export interface AslState {
  Type: StateType;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: Json;
  ResultSelector?: Json;
  ItemSelector?: Json;
  InputPath?: string | null;
  OutputPath?: string | null;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  HeartbeatSecondsPath?: string;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  Choices?: { Next: string }[];
  Default?: string;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
  Branches?: AslDefinition[];
  [other: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  Comment?: string;
  QueryLanguage?: string;
  [other: string]: unknown;
}

/** Parse and validate a definition, answering InvalidDefinition the way CreateStateMachine does. */
export function parseDefinition(text: string): AslDefinition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SfnServiceError('InvalidDefinition', `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${(error as Error).message}'`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SfnServiceError('InvalidDefinition', "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: the definition must be a JSON object'");
  }
  const definition = parsed as AslDefinition;
  if (definition.QueryLanguage === 'JSONata' || Object.values(definition.States ?? {}).some((s) => s?.QueryLanguage === 'JSONata')) {
    throw new SfnServiceError('InvalidDefinition', "Invalid State Machine Definition: 'JSONata is not supported by the local Step Functions service; use JSONPath'");
  }
  try {
    // The library's constructor runs asl-validator (schema, transitions, paths, ARNs) and throws its report.
    new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { checkArn: true, checkPaths: true } });
  } catch (error) {
    const report = (error as Error).message.replace(/^State machine definition is invalid, see error\(s\) below:\s*/, '').trim();
    throw new SfnServiceError('InvalidDefinition', `Invalid State Machine Definition: '${report.replace(/\n/g, ', ')}'`);
  }
  return definition;
}

/**
 * Replace `${name}` placeholders the way CDK's `definitionSubstitutions` (CloudFormation DefinitionSubstitutions)
 * does. A placeholder without a value is an error naming it, rather than an ARN that fails at run time.
 */
export function substitute(asl: string, substitutions: Record<string, string>): string {
  const missing = new Set<string>();
  const result = asl.replace(/\$\{([^}]+)\}/g, (placeholder, key: string) => {
    if (Object.prototype.hasOwnProperty.call(substitutions, key)) return substitutions[key];
    missing.add(key);
    return placeholder;
  });
  if (missing.size > 0) {
    throw new Error(`State machine definition uses substitutions that were not given: ${[...missing].join(', ')}`);
  }
  return result;
}

/** The states a state can move to next, in definition order. */
export function successorsOf(state: AslState): string[] {
  const names = new Set<string>();
  if (state.Next) names.add(state.Next);
  for (const choice of state.Choices ?? []) names.add(choice.Next);
  if (state.Default) names.add(state.Default);
  for (const catcher of state.Catch ?? []) names.add(catcher.Next);
  return [...names];
}

export interface ResourceInfo {
  /** Legacy Lambda function ARN resource: history uses LambdaFunction* events. */
  lambdaFunction: boolean;
  /** For Task* events: `lambda`, `sns`, `dynamodb`... */
  resourceType: string;
  /** For Task* events: `invoke.waitForTaskToken`, `publish`, `getItem`... */
  resource: string;
  waitForTaskToken: boolean;
}

export function describeResource(arn: string): ResourceInfo {
  const waitForTaskToken = arn.endsWith('.waitForTaskToken');
  const lambda = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:/.exec(arn);
  if (lambda) return { lambdaFunction: true, resourceType: 'lambda', resource: arn, waitForTaskToken };
  const integration = /^arn:aws[a-z-]*:states:::([^:]+):(.+)$/.exec(arn);
  if (integration) return { lambdaFunction: false, resourceType: integration[1], resource: integration[2], waitForTaskToken };
  return { lambdaFunction: false, resourceType: 'unknown', resource: arn, waitForTaskToken };
}

export function isJsonObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Round-trip through JSON, as every value crossing Step Functions does (undefined -> null, Dates -> strings). */
export function toJson(value: unknown): Json {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as Json;
}
