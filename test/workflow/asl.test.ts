/**
 * The ASL file itself: valid after substitution, wired to exactly the functions functions.ts lists, and the
 * contract between its paths and what the workflow steps produce.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { substitutionOf, WORKFLOW_FUNCTIONS } from '../../functions/workflow/functions';
import { ASL_FILE, substitutedAsl } from './support/harness';

type Validator = (definition: unknown, options?: { checkArn?: boolean; checkPaths?: boolean }) => { isValid: boolean; errorsText(separator?: string): string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as Validator;

interface State {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string; Payload?: Record<string, string>; MessageStructure?: string };
  TimeoutSecondsPath?: string;
  Retry?: Array<{ ErrorEquals: string[]; BackoffRate?: number; MaxAttempts?: number; IntervalSeconds?: number }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string }>;
  Next?: string;
}
const definition = JSON.parse(substitutedAsl()) as { StartAt: string; States: Record<string, State>; QueryLanguage?: string };
const states = definition.States;
const waits = Object.entries(states).filter(([, s]) => s.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken');

function catchesOf(name: string): Record<string, string> {
  return Object.fromEntries((states[name].Catch ?? []).flatMap((c) => c.ErrorEquals.map((e) => [e, c.Next])));
}

describe('case-lifecycle.asl.json', () => {
  it('is valid ASL once the placeholders are filled (asl-validator, ARNs and paths checked)', () => {
    const result = aslValidator(definition, { checkArn: true, checkPaths: true });

    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses exactly the placeholders functions.ts lists, so CDK and the local cloud fill them all', () => {
    const used = new Set([...readFileSync(ASL_FILE, 'utf8').matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]));

    expect([...used].sort()).toEqual(WORKFLOW_FUNCTIONS.map(substitutionOf).sort());
  });

  it('is plain JSONPath ASL (no JSONata), as the local Step Functions service runs it', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
  });

  it('times every wait out at the seconds of the wait it records on the case', () => {
    expect(waits.map(([name]) => name).sort()).toEqual(['AwaitAck', 'AwaitReassign', 'AwaitResolve', 'AwaitSurvey']);
    for (const [name, s] of waits) {
      const waitPath = s.Parameters?.Payload?.['wait.$'];
      expect(s.TimeoutSecondsPath, name).toBe(`${waitPath}.seconds`);
      expect(s.Parameters?.Payload?.['token.$'], name).toBe('$$.Task.Token');
      expect(s.Parameters?.FunctionName, name).toContain('AwaitActionFunctionArn');
    }
  });

  it('escalates on a timeout and follows the case signals out of the department waits', () => {
    for (const name of ['AwaitAck', 'AwaitResolve'])
      expect(catchesOf(name)).toEqual({
        'States.Timeout': name === 'AwaitAck' ? 'EscalateAck' : 'EscalateResolve',
        'Case.Returned': 'DispatchCase',
        'Case.Rerouted': 'RouteCase',
        'Case.Cancelled': 'Cancelled',
        'Case.Merged': 'Merged',
      });
    expect(catchesOf('AwaitReassign')).toEqual({ 'States.Timeout': 'EscalateDispatch', 'Case.Rerouted': 'RouteCase', 'Case.Cancelled': 'Cancelled', 'Case.Merged': 'Merged' });
    expect(catchesOf('AwaitSurvey')).toEqual({ 'States.Timeout': 'CloseUnanswered' });
    for (const escalate of ['EscalateAck', 'EscalateResolve', 'EscalateDispatch']) expect(states[escalate].Next).toBe(escalate.replace('Escalate', 'Await').replace('AwaitDispatch', 'AwaitReassign'));
  });

  it('publishes the department notice straight from the state machine, MessageStructure json, retried with backoff on SNS errors', () => {
    const notify = states.NotifyDept;

    expect(notify.Resource).toBe('arn:aws:states:::sns:publish');
    expect(notify.Parameters?.MessageStructure).toBe('json');
    const [retry] = notify.Retry ?? [];
    expect(retry.ErrorEquals).toEqual(expect.arrayContaining(['SNS.InternalErrorException', 'SNS.ThrottledException']));
    expect(retry.BackoffRate).toBeGreaterThan(1);
    expect(retry.MaxAttempts).toBeGreaterThanOrEqual(3);
    expect(catchesOf('NotifyDept')).toEqual({ 'States.ALL': 'AwaitAck' });
  });

  it('retries every Lambda task on transient Lambda service errors only', () => {
    const lambdaTasks = Object.entries(states).filter(([, s]) => s.Type === 'Task' && s.Resource !== 'arn:aws:states:::sns:publish');
    for (const [name, s] of lambdaTasks) expect(s.Retry?.[0].ErrorEquals, name).toEqual(['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException']);
  });
});
