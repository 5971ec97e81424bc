import { afterEach, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskTimedOut,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { ACCOUNT, eventually, NamedError, REGION, rejectionOf, sfnClient, startHarness, tokenFromHistory, type Harness } from './fixtures/sfn-harness';

const HOUR = 3_600_000;
const types = (events: HistoryEvent[]): string[] => events.map((e) => e.type ?? '');
const count = (events: HistoryEvent[], type: string): number => events.filter((e) => e.type === type).length;
const at = (events: HistoryEvent[], type: string, nth = 0): number => events.filter((e) => e.type === type)[nth].timestamp!.getTime();

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(h: Harness, stateMachineArn: string, input: unknown, name?: string): Promise<string> {
  const started = await h.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), name }));
  return started.executionArn!;
}

async function inline(h: Harness, name: string, definition: object): Promise<string> {
  const created = await h.sfn.send(
    new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: `arn:aws:iam::${ACCOUNT}:role/test` }),
  );
  return created.stateMachineArn!;
}

describe('Lambda tasks, Choice and Pass', () => {
  it('an urgent case is classified by a Lambda, routed by lambda:invoke and sent down the urgent branch', async () => {
    // Arrange
    const routed: unknown[] = [];
    harness = await startHarness({
      lambdas: {
        classify: async () => ({ priority: 'urgent' }),
        route: async (event: unknown) => {
          routed.push(event);
          return { department: 'PWD' };
        },
      },
    });
    const arn = await harness.deploy('triage', 'sfn-triage.asl.json');

    // Act
    const executionArn = await start(harness, arn, { caseNo: '20261127-00001', category: 'streetlight' });
    const done = await harness.finished(executionArn);

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      caseNo: '20261127-00001',
      category: 'streetlight',
      classification: { priority: 'urgent' },
      routing: { department: 'PWD', status: 200 },
      handling: 'dispatch-now',
    });
    expect(routed).toEqual([{ category: 'streetlight', priority: 'urgent' }]);
    const events = await harness.history(executionArn);
    expect(types(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'PassStateEntered',
      'PassStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => [e.id, e.previousEventId])).toEqual(events.map((_, i) => [i + 1, i]));
    const scheduled = events.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!;
    expect(scheduled).toMatchObject({ resourceType: 'lambda', resource: 'invoke', region: REGION });
    expect(JSON.parse(scheduled.parameters!)).toEqual({
      FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:route`,
      Payload: { category: 'streetlight', priority: 'urgent' },
    });
    expect(JSON.parse(events.find((e) => e.type === 'TaskSucceeded')!.taskSucceededEventDetails!.output!)).toMatchObject({
      Payload: { department: 'PWD' },
      StatusCode: 200,
    });
  });

  it('a normal case goes down the Choice default branch', async () => {
    // Arrange
    harness = await startHarness({ lambdas: { classify: async () => ({ priority: 'normal' }), route: async () => ({ department: 'EPB' }) } });
    const arn = await harness.deploy('triage', 'sfn-triage.asl.json');

    // Act
    const done = await harness.finished(await start(harness, arn, { category: 'noise' }));

    // Assert
    expect(JSON.parse(done.output!)).toMatchObject({ handling: 'queue', routing: { department: 'EPB' } });
  });

  it('an unknown Lambda fails the execution with States.Runtime naming the ARN, even behind a States.ALL catcher', async () => {
    // Arrange
    harness = await startHarness({ lambdas: {} });
    const missing = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:nobody`;
    const arn = await inline(harness, 'unknown-resource', {
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: missing, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Swallow' }], End: true },
        Swallow: { Type: 'Pass', End: true },
      },
    });

    // Act
    const done = await harness.finished(await start(harness, arn, {}));

    // Assert
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.Runtime');
    expect(done.cause).toContain(missing);
  });
});

describe('Retry and Catch', () => {
  it('a named Lambda error is retried with backoff on the local clock, then caught by its name', async () => {
    // Arrange
    let calls = 0;
    harness = await startHarness({
      scale: 0,
      lambdas: {
        notify: async () => {
          calls++;
          throw new NamedError('DepartmentUnavailable', 'the department gateway is down');
        },
      },
    });
    const arn = await harness.deploy('retry-catch', 'sfn-retry-catch.asl.json');

    // Act
    const executionArn = await start(harness, arn, { caseNo: '20261127-00002' });
    await harness.historyUntil(executionArn, 'LambdaFunctionFailed');
    harness.clock.advance(60_000); // first retry after IntervalSeconds
    await eventuallyCount(harness, executionArn, 'LambdaFunctionFailed', 2);
    harness.clock.advance(120_000); // second retry after IntervalSeconds * BackoffRate
    const done = await harness.finished(executionArn);

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ escalated: true, error: 'DepartmentUnavailable' });
    expect(calls).toBe(3);
    const events = await harness.history(executionArn);
    expect(at(events, 'LambdaFunctionScheduled', 1) - at(events, 'LambdaFunctionScheduled', 0)).toBe(60_000);
    expect(at(events, 'LambdaFunctionScheduled', 2) - at(events, 'LambdaFunctionScheduled', 1)).toBe(120_000);
    // A caught error exits the Task with the catcher's output, then enters the catcher's Next.
    expect(types(events).slice(-6)).toEqual(['LambdaFunctionStarted', 'LambdaFunctionFailed', 'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    const failed = events.find((e) => e.type === 'LambdaFunctionFailed')!.lambdaFunctionFailedEventDetails!;
    expect(failed.error).toBe('DepartmentUnavailable');
    expect(JSON.parse(failed.cause!)).toMatchObject({ errorType: 'DepartmentUnavailable', errorMessage: 'the department gateway is down' });
  });

  it('an error no retrier or catcher names fails the execution with that error', async () => {
    // Arrange
    harness = await startHarness({ lambdas: { notify: async () => Promise.reject(new NamedError('CaseLocked', 'locked by another agent')) } });
    const arn = await harness.deploy('retry-catch', 'sfn-retry-catch.asl.json');

    // Act
    const done = await harness.finished(await start(harness, arn, {}));

    // Assert
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('CaseLocked');
    expect(JSON.parse(done.cause!)).toMatchObject({ errorMessage: 'locked by another agent' });
  });
});

describe('waitForTaskToken', () => {
  const notified: { caseNo: string; token: string }[] = [];
  const notify = async (event: { caseNo: string; token: string }): Promise<{ sent: boolean }> => {
    notified.push(event);
    return { sent: true };
  };

  it('a callback task is resumed by SendTaskSuccess with its output', async () => {
    // Arrange
    harness = await startHarness({ scale: 0, lambdas: { notify } });
    const arn = await harness.deploy('callback', 'sfn-callback.asl.json');
    const executionArn = await start(harness, arn, { caseNo: '20261127-00003', ackSeconds: 86_400 });
    const token = tokenFromHistory(await harness.historyUntil(executionArn, 'TaskSubmitted'));

    // Act
    await harness.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ by: 'staff-pwd-1' }) }));
    const done = await harness.finished(executionArn);

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ caseNo: '20261127-00003', by: 'staff-pwd-1' });
    expect(notified.at(-1)).toEqual({ caseNo: '20261127-00003', token });
    const events = await harness.history(executionArn);
    expect(types(events).slice(0, 8)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'PassStateEntered',
    ]);
    const scheduled = events.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!;
    expect(scheduled).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken', timeoutInSeconds: 86_400 });
    expect(JSON.parse(events.find((e) => e.type === 'TaskSubmitted')!.taskSubmittedEventDetails!.output!)).toMatchObject({
      Payload: { sent: true },
    });
  });

  it('SendTaskFailure with a custom error is caught by the catcher naming it', async () => {
    // Arrange
    harness = await startHarness({ scale: 0, lambdas: { notify } });
    const arn = await harness.deploy('callback', 'sfn-callback.asl.json');
    const executionArn = await start(harness, arn, { caseNo: '20261127-00004', ackSeconds: 86_400 });
    const token = tokenFromHistory(await harness.historyUntil(executionArn, 'TaskSubmitted'));

    // Act
    await harness.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'CaseReturned', cause: 'not our district' }));
    const done = await harness.finished(executionArn);

    // Assert
    expect(JSON.parse(done.output!)).toEqual({ caseNo: '20261127-00004', error: 'CaseReturned', cause: 'not our district' });
    const failed = (await harness.history(executionArn)).find((e) => e.type === 'TaskFailed')!.taskFailedEventDetails!;
    expect(failed).toMatchObject({ error: 'CaseReturned', cause: 'not our district', resource: 'invoke.waitForTaskToken' });
  });

  it('a callback task past its TimeoutSecondsPath fails with States.Timeout, is caught, and its token is then timed out', async () => {
    // Arrange
    harness = await startHarness({ scale: 0, lambdas: { notify } });
    const arn = await harness.deploy('callback', 'sfn-callback.asl.json');
    const executionArn = await start(harness, arn, { caseNo: '20261127-00005', ackSeconds: 4 * 3600 });
    const token = tokenFromHistory(await harness.historyUntil(executionArn, 'TaskSubmitted'));

    // Act
    harness.clock.advance(4 * HOUR);
    const done = await harness.finished(executionArn);
    const late = rejectionOf(harness.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })));

    // Assert
    expect(JSON.parse(done.output!)).toEqual({ caseNo: '20261127-00005', escalated: 'States.Timeout' });
    const events = await harness.history(executionArn);
    expect(events.find((e) => e.type === 'TaskTimedOut')!.taskTimedOutEventDetails).toMatchObject({ error: 'States.Timeout' });
    expect(at(events, 'TaskTimedOut') - at(events, 'TaskScheduled')).toBe(4 * HOUR);
    expect(await late).toBeInstanceOf(TaskTimedOut);
  });

  it('a resource that calls SendTaskSuccess before it returns still completes the task', async () => {
    // Arrange
    let endpoint = '';
    harness = await startHarness({
      lambdas: {
        notify: async (event: { token: string }) => {
          const client = sfnClient(endpoint);
          await client.send(new SendTaskSuccessCommand({ taskToken: event.token, output: JSON.stringify({ by: 'auto-ack' }) }));
          client.destroy();
          return { sent: true };
        },
      },
    });
    endpoint = harness.service.endpoint;
    const arn = await harness.deploy('callback', 'sfn-callback.asl.json');

    // Act
    const done = await harness.finished(await start(harness, arn, { caseNo: '20261127-00006', ackSeconds: 60 }));

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ caseNo: '20261127-00006', by: 'auto-ack' });
  });

  it('heartbeats keep a callback task alive; a missed heartbeat fails it with States.HeartbeatTimeout', async () => {
    // Arrange
    harness = await startHarness({ scale: 0, lambdas: { notify } });
    const arn = await inline(harness, 'heartbeat', {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token', caseNo: 'x' } },
          HeartbeatSeconds: 60,
          TimeoutSeconds: 3600,
          End: true,
        },
      },
    });
    const executionArn = await start(harness, arn, {});
    const token = tokenFromHistory(await harness.historyUntil(executionArn, 'TaskSubmitted'));

    // Act
    harness.clock.advance(50_000);
    await harness.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    harness.clock.advance(50_000); // 100 s after the start, 50 s after the heartbeat
    await harness.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    harness.clock.advance(61_000);
    const done = await harness.finished(executionArn);

    // Assert
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.HeartbeatTimeout');
  });

  it('moving the clock forward while a Lambda runs does not time its Task out: the call itself runs in real time', async () => {
    // Arrange
    let release: (v: unknown) => void = () => undefined;
    const running = new Promise((r) => (release = r));
    let called!: () => void;
    const calledOnce = new Promise<void>((r) => (called = r));
    harness = await startHarness({
      scale: 0,
      lambdas: {
        route: async () => {
          called();
          await running;
          return { department: 'PWD' };
        },
      },
    });
    const arn = await inline(harness, 'slow-lambda', {
      StartAt: 'Route',
      States: { Route: { Type: 'Task', Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:route`, TimeoutSeconds: 90, End: true } },
    });
    const executionArn = await start(harness, arn, {});
    await calledOnce;

    // Act
    harness.clock.advance(10 * 24 * HOUR);
    await new Promise((r) => setTimeout(r, 50));
    release(undefined);
    const done = await harness.finished(executionArn);

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ department: 'PWD' });
  });

  it('a Lambda still running after its TimeoutSeconds of real time fails its Task with States.Timeout', async () => {
    // Arrange
    harness = await startHarness({ scale: 0, lambdas: { route: () => new Promise(() => undefined) } });
    const arn = await inline(harness, 'hung-lambda', {
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Task',
          Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:route`,
          TimeoutSeconds: 1,
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'GaveUp' }],
          Next: 'Routed',
        },
        Routed: { Type: 'Succeed' },
        GaveUp: { Type: 'Pass', Result: 'timed out', End: true },
      },
    });

    // Act
    const done = await harness.finished(await start(harness, arn, {}));

    // Assert
    expect(JSON.parse(done.output!)).toBe('timed out');
    expect(count(await harness.history(done.executionArn!), 'LambdaFunctionTimedOut')).toBe(1);
  });

  it('StopExecution aborts a waiting execution and its token then answers TaskTimedOut', async () => {
    // Arrange
    harness = await startHarness({ scale: 0, lambdas: { notify } });
    const arn = await harness.deploy('callback', 'sfn-callback.asl.json');
    const executionArn = await start(harness, arn, { caseNo: '20261127-00007', ackSeconds: 60 });
    const token = tokenFromHistory(await harness.historyUntil(executionArn, 'TaskSubmitted'));

    // Act
    await harness.sfn.send(new StopExecutionCommand({ executionArn, error: 'CaseCancelled', cause: 'duplicate call' }));
    const done = await harness.finished(executionArn);

    // Assert
    expect(done).toMatchObject({ status: 'ABORTED', error: 'CaseCancelled', cause: 'duplicate call' });
    expect((await harness.history(executionArn)).at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'CaseCancelled', cause: 'duplicate call' },
    });
    await expect(harness.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
  });
});

describe('time', () => {
  it('Wait states hold until their timestamp and seconds pass on a stopped clock that is advanced', async () => {
    // Arrange
    harness = await startHarness({ scale: 0 });
    const arn = await harness.deploy('wait', 'sfn-wait.asl.json');
    const surveyAt = new Date(harness.clock.nowMs() + 72 * HOUR).toISOString();
    const executionArn = await start(harness, arn, { surveyAt, cooldownSeconds: 3600 });
    await harness.historyUntil(executionArn, 'WaitStateEntered');

    // Act
    harness.clock.advance(72 * HOUR);
    const afterSurveyWait = await harness.historyUntil(executionArn, 'WaitStateExited');
    harness.clock.advance(HOUR);
    const done = await harness.finished(executionArn);

    // Assert
    expect(count(afterSurveyWait, 'WaitStateExited')).toBe(1);
    expect(done.status).toBe('SUCCEEDED');
    const events = await harness.history(executionArn);
    expect(at(events, 'WaitStateExited', 0)).toBe(Date.parse(surveyAt));
    expect(at(events, 'WaitStateExited', 1) - at(events, 'WaitStateEntered', 1)).toBe(HOUR);
    expect(JSON.parse(done.output!)).toEqual({ surveyed: new Date(at(events, 'PassStateEntered')).toISOString() });
  });

  it('a scaled clock (two days per second) runs a three-day wait without advancing', async () => {
    // Arrange
    harness = await startHarness({ scale: 48 * 3600 });
    const arn = await harness.deploy('wait', 'sfn-wait.asl.json');
    const surveyAt = new Date(harness.clock.nowMs() + 72 * HOUR).toISOString();

    // Act
    const executionArn = await start(harness, arn, { surveyAt, cooldownSeconds: 60 });
    const done = await harness.finished(executionArn);

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    const events = await harness.history(executionArn);
    expect(at(events, 'WaitStateExited', 0)).toBeGreaterThanOrEqual(Date.parse(surveyAt));
  });

  it('a state machine TimeoutSeconds times the execution out', async () => {
    // Arrange
    harness = await startHarness({ scale: 0 });
    const arn = await inline(harness, 'slow', {
      TimeoutSeconds: 3600,
      StartAt: 'Long',
      States: { Long: { Type: 'Wait', Seconds: 7200, End: true } },
    });
    const executionArn = await start(harness, arn, {});
    await harness.historyUntil(executionArn, 'WaitStateEntered');

    // Act
    harness.clock.advance(HOUR);
    const done = await harness.finished(executionArn);

    // Assert
    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect((await harness.history(executionArn)).at(-1)?.type).toBe('ExecutionTimedOut');
  });
});

describe('Map and Parallel', () => {
  it('a Map calls a Lambda per item and a Parallel joins its branches', async () => {
    // Arrange
    harness = await startHarness({ lambdas: { notify: async (dept: string) => `${dept} notified` } });
    const arn = await harness.deploy('branches', 'sfn-branches.asl.json');

    // Act
    const executionArn = await start(harness, arn, { departments: ['PWD', 'EPB'] });
    const done = await harness.finished(executionArn);

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ departments: ['PWD', 'EPB'], notified: ['PWD notified', 'EPB notified'], both: ['left', 'right'] });
    const events = await harness.history(executionArn);
    expect(events.find((e) => e.type === 'MapStateStarted')?.mapStateStartedEventDetails).toEqual({ length: 2 });
    expect(count(events, 'MapIterationStarted')).toBe(2);
    expect(types(events)).toEqual(expect.arrayContaining(['MapStateEntered', 'MapStateSucceeded', 'MapStateExited', 'ParallelStateEntered', 'ParallelStateExited']));
  });
});

async function eventuallyCount(h: Harness, executionArn: string, type: string, n: number): Promise<void> {
  await eventually(async () => ((await h.history(executionArn)).filter((e) => e.type === type).length >= n ? true : undefined));
}
