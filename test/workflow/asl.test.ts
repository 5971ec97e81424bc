/**
 * The ASL file itself: valid after substitution, wired to exactly the functions functions.ts lists, and the
 * contract between its paths and what the workflow steps produce.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECOVERY_STATE, substitutionOf, WORKFLOW_FUNCTIONS } from '../../functions/workflow/functions';
import { ASL_FILE, substitutedAsl } from './support/harness';

type Validator = (definition: unknown, options?: { checkArn?: boolean; checkPaths?: boolean }) => { isValid: boolean; errorsText(separator?: string): string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as Validator;

interface State {
  Type: string;
  Result?: unknown;
  TimeoutSeconds?: number;
  ItemProcessor?: { States: Record<string, State> };
  Choices?: Array<{ And?: Array<{ Variable: string; StringEquals: string }>; Next: string }>;
  Resource?: string;
  Parameters?: { FunctionName?: string; Payload?: Record<string, string>; MessageStructure?: string };
  TimeoutSecondsPath?: string;
  Retry?: Array<{ ErrorEquals: string[]; BackoffRate?: number; MaxAttempts?: number; IntervalSeconds?: number; JitterStrategy?: string }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string }>;
  Next?: string;
  End?: boolean;
}
const definition = JSON.parse(substitutedAsl()) as { StartAt: string; States: Record<string, State>; QueryLanguage?: string };
const states = definition.States;
const waits = Object.entries(states).filter(([name, s]) => s.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken' && name !== RECOVERY_STATE);
/** Every Task state, any inside a Map included. */
const allTasks: Array<[string, State]> = Object.entries(states).flatMap(([name, s]): Array<[string, State]> =>
  s.Type === 'Task' ? [[name, s]] : Object.entries(s.ItemProcessor?.States ?? {}).filter(([, inner]) => inner.Type === 'Task'),
);
/** The task functions this definition invokes: every one but those kept for executions started under an earlier one. */
const invoked = WORKFLOW_FUNCTIONS.filter((f) => !f.forEarlierExecutions);
const TRANSIENT_LAMBDA = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];

function catchesOf(name: string): Record<string, string> {
  return Object.fromEntries((states[name].Catch ?? []).flatMap((c) => c.ErrorEquals.map((e) => [e, c.Next])));
}

describe('case-lifecycle.asl.json', () => {
  it('is valid ASL once the placeholders are filled (asl-validator, ARNs and paths checked)', () => {
    const result = aslValidator(definition, { checkArn: true, checkPaths: true });

    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses exactly the placeholders functions.ts lists (but those kept for earlier executions), so CDK and the local cloud fill them all', () => {
    const used = new Set([...readFileSync(ASL_FILE, 'utf8').matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]));

    expect([...used].sort()).toEqual(invoked.map(substitutionOf).sort());
  });

  it('has no state that does nothing on the common path: no Map (TellCitizen tells the merged duplicates itself), no Wait (the survey wait carries its follow-up delay)', () => {
    expect(Object.entries(states).filter(([, s]) => s.Type === 'Map' || s.Type === 'Wait')).toEqual([]);
    expect(states.TellCitizen.Next).toBe('AwaitSurvey');
    // The survey wait TellCitizen plans from now (due from followUpAt), not the one planned for after a FollowUp Wait.
    expect(states.AwaitSurvey.Parameters?.Payload?.['wait.$']).toBe('$.told.survey');
    expect(WORKFLOW_FUNCTIONS.filter((f) => f.forEarlierExecutions).map((f) => f.id)).toEqual(['TellDuplicate']);
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
        'Case.Reassigned': 'RouteCase',
        'Case.Cancelled': 'Cancelled',
        'Case.Merged': 'Merged',
        'States.ALL': `Caught${name}`,
      });
    expect(catchesOf('AwaitReassign')).toEqual({
      'States.Timeout': 'EscalateDispatch',
      'Case.Rerouted': 'RouteCase',
      'Case.Cancelled': 'Cancelled',
      'Case.Merged': 'Merged',
      'States.ALL': 'CaughtAwaitReassign',
    });
    // Unsatisfied goes back to RouteCase; satisfied ends the execution at AwaitSurvey itself.
    expect(catchesOf('AwaitSurvey')).toEqual({ 'Case.Reopened': 'RouteCase', 'States.Timeout': 'CloseUnanswered', 'States.ALL': 'CaughtAwaitSurvey' });
    expect(states.AwaitSurvey.End).toBe(true);
    expect(catchesOf('CloseUnanswered')).toEqual({ 'Case.Reopened': 'RouteCase', 'States.ALL': 'CaughtCloseUnanswered' });
    expect(states.CloseUnanswered.End).toBe(true);
    for (const escalate of ['EscalateAck', 'EscalateResolve', 'EscalateDispatch']) expect(states[escalate].Next).toBe(escalate.replace('Escalate', 'Await').replace('AwaitDispatch', 'AwaitReassign'));
  });

  it('has no publish state: RouteCase publishes the department notice itself and goes straight to AwaitAck', () => {
    expect(Object.values(states).filter((st) => st.Resource?.startsWith('arn:aws:states:::sns:'))).toEqual([]);
    expect(states.RouteCase.Next).toBe('AwaitAck');
    expect(states.AwaitAck.Parameters?.Payload?.['notifyError.$']).toBe('$.route.notifyError');
  });

  it('retries every Lambda task on transient Lambda errors, with backoff and jitter, and a task timeout on every task that is not a wait', () => {
    for (const [name, s] of allTasks) {
      const [transient, timeout, ...rest] = s.Retry ?? [];
      expect(transient.ErrorEquals, name).toEqual(TRANSIENT_LAMBDA);
      const isWait = s.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken';
      // A wait's States.Timeout is its deadline (it escalates); every other task retries its own timeout.
      if (isWait) expect(timeout, name).toBeUndefined();
      else {
        expect(timeout.ErrorEquals, name).toEqual(['States.Timeout', 'Sandbox.Timedout']);
        expect(s.TimeoutSeconds, name).toBeGreaterThan(30);
      }
      // TellCitizen tells a large cluster of merged duplicates over several runs: `Resume.TellCitizen` runs it again.
      if (name === 'TellCitizen') expect(rest.map((r) => r.ErrorEquals), name).toEqual([['Resume.TellCitizen']]);
      else expect(rest, name).toEqual([]);
      for (const r of s.Retry ?? []) {
        expect(r.BackoffRate, name).toBeGreaterThan(1);
        expect(r.JitterStrategy, name).toBe('FULL');
        expect(r.MaxAttempts, name).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('gives every Task state (12 of 12) a Retry and a Catch for everything else', () => {
    const withCatch = allTasks.filter(([, s]) => (s.Catch ?? []).some((c) => c.ErrorEquals.includes('States.ALL')));
    const withRetry = allTasks.filter(([, s]) => (s.Retry ?? []).length > 0);

    expect(allTasks).toHaveLength(12);
    expect(withCatch.map(([n]) => n)).toEqual(allTasks.map(([n]) => n));
    expect(withRetry.map(([n]) => n)).toEqual(allTasks.map(([n]) => n));
  });

  it('leads every caught failure to the one recovery state, naming the step, and a retry decision back to that step', () => {
    // The recovery task's own failure fails the execution for the sweeper.
    const ownWay: Record<string, string> = { [RECOVERY_STATE]: 'RecoveryFailed' };
    const retryTo = Object.fromEntries(
      (states.RecoveryDecision.Choices ?? [])
        .filter((c) => c.And?.some((v) => v.Variable === '$.decision.decision' && v.StringEquals === 'retry'))
        .map((c) => [c.And!.find((v) => v.Variable === '$.failedStep')!.StringEquals, c.Next]),
    );
    const recovered: string[] = [];
    for (const [name, s] of allTasks) {
      const all = (s.Catch ?? []).find((c) => c.ErrorEquals.includes('States.ALL'))!;
      if (ownWay[name]) {
        expect(all.Next, name).toBe(ownWay[name]);
        continue;
      }
      expect(all.ResultPath, name).toBe('$.failure');
      const caught = states[all.Next];
      expect(caught, name).toMatchObject({ Type: 'Pass', Result: name, ResultPath: '$.failedStep', Next: RECOVERY_STATE });
      expect(retryTo[name], name).toBe(name);
      recovered.push(name);
    }
    expect(recovered).toHaveLength(11);
    expect(Object.keys(states).filter((n) => n.startsWith(RECOVERY_STATE))).toEqual([RECOVERY_STATE]);
    expect(catchesOf(RECOVERY_STATE)).toEqual({ 'Case.Rerouted': 'RouteCase', 'Case.Cancelled': 'Cancelled', 'Case.Merged': 'Merged', 'States.ALL': 'RecoveryFailed' });
    expect(states[RECOVERY_STATE].TimeoutSecondsPath).toBeUndefined();
  });
});
