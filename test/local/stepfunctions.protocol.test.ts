import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  InvalidOutput,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  UpdateStateMachineCommand,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { mintToken } from '../../local/stepfunctions/tokens';
import { ACCOUNT, REGION, readFixture, rejectionOf, startHarness, tokenFromHistory, type Harness } from './fixtures/sfn-harness';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/test`;
const WAIT_A_DAY = JSON.stringify({ StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 86_400, End: true } } });
const PASS = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });

let h: Harness;
let holdArn: string;
let callbackArn: string;

beforeAll(async () => {
  // A stopped clock: executions of `hold` stay RUNNING until a test stops them.
  h = await startHarness({ scale: 0, lambdas: { notify: async () => ({ sent: true }) } });
  holdArn = (await h.sfn.send(new CreateStateMachineCommand({ name: 'hold', definition: WAIT_A_DAY, roleArn: ROLE }))).stateMachineArn!;
  callbackArn = await h.deploy('callback', 'sfn-callback.asl.json');
});

afterAll(async () => {
  await h.close();
});

async function raw(target: string, body: string): Promise<{ status: number; contentType: string | null; json: Record<string, unknown> }> {
  const response = await fetch(h.service.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${target}` },
    body,
  });
  return { status: response.status, contentType: response.headers.get('content-type'), json: (await response.json()) as Record<string, unknown> };
}

async function startHold(name?: string, input = '{}'): Promise<string> {
  return (await h.sfn.send(new StartExecutionCommand({ stateMachineArn: holdArn, name, input }))).executionArn!;
}

describe('AWS JSON 1.0 protocol', () => {
  it('answers an X-Amz-Target request with an application/x-amz-json-1.0 body', async () => {
    // Act
    const response = await raw('ListStateMachines', '{}');

    // Assert
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('application/x-amz-json-1.0');
    expect(response.json.stateMachines).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'hold', type: 'STANDARD' })]));
  });

  it('a missing required member is a 400 ValidationException naming the member', async () => {
    // Act
    const response = await raw('DescribeStateMachine', '{}');

    // Assert
    expect(response.status).toBe(400);
    expect(response.json.__type).toBe('ValidationException');
    expect(response.json.message).toContain("'stateMachineArn'");
  });

  it('an unknown action is an UnknownOperationException and a malformed body a SerializationException', async () => {
    // Act
    const unknown = await raw('CreateActivity', '{}');
    const malformed = await raw('ListStateMachines', '{not json');

    // Assert
    expect([unknown.status, unknown.json.__type]).toEqual([400, 'UnknownOperationException']);
    expect([malformed.status, malformed.json.__type]).toEqual([400, 'SerializationException']);
  });

  it('a ValidationException reaches the SDK as its ValidationException class', async () => {
    // Act
    const listing = rejectionOf(h.sfn.send(new ListExecutionsCommand({ stateMachineArn: holdArn, maxResults: 1001 })));

    // Assert
    expect(await listing).toBeInstanceOf(ValidationException);
  });
});

describe('state machines', () => {
  it('CreateStateMachine answers the ARN; an identical request is idempotent, a different one StateMachineAlreadyExists', async () => {
    // Act
    const created = await h.sfn.send(new CreateStateMachineCommand({ name: 'pass-once', definition: PASS, roleArn: ROLE }));
    const again = await h.sfn.send(new CreateStateMachineCommand({ name: 'pass-once', definition: PASS, roleArn: ROLE }));
    const different = rejectionOf(h.sfn.send(new CreateStateMachineCommand({ name: 'pass-once', definition: WAIT_A_DAY, roleArn: ROLE })));

    // Assert
    expect(created.stateMachineArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:pass-once`);
    expect(created.creationDate).toBeInstanceOf(Date);
    expect(again).toMatchObject({ stateMachineArn: created.stateMachineArn, creationDate: created.creationDate });
    expect(await different).toBeInstanceOf(StateMachineAlreadyExists);
  });

  it('an invalid definition is InvalidDefinition with the validator report, a bad name InvalidName', async () => {
    // Act
    const dangling = rejectionOf(h.sfn.send(
      new CreateStateMachineCommand({ name: 'dangling', definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Z' } } }), roleArn: ROLE }),
    ));
    const notJson = rejectionOf(h.sfn.send(new CreateStateMachineCommand({ name: 'not-json', definition: '{', roleArn: ROLE })));
    const badName = rejectionOf(h.sfn.send(new CreateStateMachineCommand({ name: 'has space', definition: PASS, roleArn: ROLE })));

    // Assert
    expect(await dangling).toBeInstanceOf(InvalidDefinition);
    expect(((await dangling) as Error).message).toMatch(/MISSING_TRANSITION_TARGET/);
    expect(await notJson).toBeInstanceOf(InvalidDefinition);
    expect(await badName).toBeInstanceOf(InvalidName);
  });

  it('ListStateMachines pages with maxResults and nextToken', async () => {
    // Arrange
    for (const name of ['page-a', 'page-b', 'page-c']) {
      await h.sfn.send(new CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE }));
    }

    // Act
    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await h.sfn.send(new ListStateMachinesCommand({ maxResults: 2, nextToken }));
      names.push(...page.stateMachines!.map((m) => m.name!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);

    // Assert
    expect(names).toEqual(expect.arrayContaining(['hold', 'callback', 'page-a', 'page-b', 'page-c']));
    expect(new Set(names).size).toBe(names.length);
    expect(pages).toBe(Math.ceil(names.length / 2));
  });

  it('DescribeStateMachine returns the definition as given; unknown is StateMachineDoesNotExist, malformed InvalidArn', async () => {
    // Arrange
    const asGiven = (await readFixture('sfn-callback.asl.json')).replace('${NotifyFunctionArn}', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:notify`);

    // Act
    const described = await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: callbackArn }));
    const unknown = rejectionOf(h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:nobody` })));
    const malformed = rejectionOf(h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'nobody' })));

    // Assert
    expect(described).toMatchObject({ name: 'callback', status: 'ACTIVE', type: 'STANDARD' });
    expect(described.definition).toBe(asGiven);
    expect(await unknown).toBeInstanceOf(StateMachineDoesNotExist);
    expect(await malformed).toBeInstanceOf(InvalidArn);
  });

  it('UpdateStateMachine replaces the definition; DeleteStateMachine removes the machine', async () => {
    // Arrange
    const { stateMachineArn } = await h.sfn.send(new CreateStateMachineCommand({ name: 'to-update', definition: PASS, roleArn: ROLE }));

    // Act
    await h.sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: WAIT_A_DAY }));
    const updated = await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    await h.sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));

    // Assert
    expect(updated.definition).toBe(WAIT_A_DAY);
    await expect(h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe('executions', () => {
  it('StartExecution with the same name and input as a running execution returns that execution', async () => {
    // Arrange
    const first = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: holdArn, name: 'case-20261127-00010', input: '{"caseNo":"20261127-00010"}' }));

    // Act
    const again = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: holdArn, name: 'case-20261127-00010', input: '{"caseNo":"20261127-00010"}' }));
    const otherInput = rejectionOf(h.sfn.send(new StartExecutionCommand({ stateMachineArn: holdArn, name: 'case-20261127-00010', input: '{"caseNo":"other"}' })));

    // Assert
    expect(first.executionArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:hold:case-20261127-00010`);
    expect(again).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
    expect(await otherInput).toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('the name of an ended execution stays taken, whatever the input', async () => {
    // Arrange
    const executionArn = await startHold('case-ended', '{"a":1}');
    await h.sfn.send(new StopExecutionCommand({ executionArn }));

    // Act
    const reuse = rejectionOf(h.sfn.send(new StartExecutionCommand({ stateMachineArn: holdArn, name: 'case-ended', input: '{"a":1}' })));

    // Assert
    expect(await reuse).toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('StartExecution rejects input that is not JSON, a bad name, and an unknown state machine', async () => {
    // Act
    const badInput = rejectionOf(h.sfn.send(new StartExecutionCommand({ stateMachineArn: holdArn, input: 'not json' })));
    const badName = rejectionOf(h.sfn.send(new StartExecutionCommand({ stateMachineArn: holdArn, name: 'a/b' })));
    const unknown = rejectionOf(h.sfn.send(new StartExecutionCommand({ stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:nobody` })));

    // Assert
    expect(await badInput).toBeInstanceOf(InvalidExecutionInput);
    expect(await badName).toBeInstanceOf(InvalidName);
    expect(await unknown).toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('DescribeExecution returns status, input and dates; unknown is ExecutionDoesNotExist, malformed InvalidArn', async () => {
    // Arrange
    const executionArn = await startHold(undefined, '{"caseNo":"20261127-00011"}');

    // Act
    const described = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const unknown = rejectionOf(h.sfn.send(new DescribeExecutionCommand({ executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:hold:nobody` })));
    const malformed = rejectionOf(h.sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:nowhere' })));

    // Assert
    expect(described).toMatchObject({ executionArn, stateMachineArn: holdArn, status: 'RUNNING', input: '{"caseNo":"20261127-00011"}', inputDetails: { included: true } });
    expect(described.name).toMatch(/^[0-9a-f-]{36}$/);
    expect(described.startDate).toEqual(new Date(h.clock.nowMs()));
    expect(await unknown).toBeInstanceOf(ExecutionDoesNotExist);
    expect(await malformed).toBeInstanceOf(InvalidArn);
  });

  it('ListExecutions filters by status and pages, most recent first', async () => {
    // Arrange
    const { stateMachineArn } = await h.sfn.send(new CreateStateMachineCommand({ name: 'listing', definition: WAIT_A_DAY, roleArn: ROLE }));
    const started: string[] = [];
    for (let i = 0; i < 5; i++) {
      started.push((await h.sfn.send(new StartExecutionCommand({ stateMachineArn, name: `run-${i}` }))).executionArn!);
      h.clock.advance(1000); // distinct start dates; the Wait is a day
    }
    await h.sfn.send(new StopExecutionCommand({ executionArn: started[1] }));
    await h.sfn.send(new StopExecutionCommand({ executionArn: started[3] }));

    // Act
    const running = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }));
    const aborted = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }));
    const firstPage = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 2 }));
    const secondPage = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 2, nextToken: firstPage.nextToken }));
    const badToken = rejectionOf(h.sfn.send(new ListExecutionsCommand({ stateMachineArn, nextToken: 'garbage' })));

    // Assert
    expect(running.executions!.map((e) => e.name)).toEqual(['run-4', 'run-2', 'run-0']);
    expect(aborted.executions!.map((e) => [e.name, e.status])).toEqual([
      ['run-3', 'ABORTED'],
      ['run-1', 'ABORTED'],
    ]);
    expect(aborted.executions![0].stopDate).toBeInstanceOf(Date);
    expect([...firstPage.executions!, ...secondPage.executions!].map((e) => e.name)).toEqual(['run-4', 'run-3', 'run-2', 'run-1']);
    expect(secondPage.nextToken).toBeDefined();
    expect(await badToken).toBeInstanceOf(InvalidToken);
  });

  it('GetExecutionHistory pages, reverses, and leaves out data when asked', async () => {
    // Arrange
    const executionArn = await startHold(undefined, '{"secret":"phone"}');
    await h.historyUntil(executionArn, 'WaitStateEntered');

    // Act
    const forward = await h.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const firstOfReverse = await h.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    const withoutData = await h.sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));

    // Assert
    expect(forward.events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered']);
    expect(forward.events![0]).toMatchObject({ id: 1, previousEventId: 0, executionStartedEventDetails: { input: '{"secret":"phone"}', roleArn: ROLE } });
    expect(forward.events![0].timestamp).toBeInstanceOf(Date);
    expect(firstOfReverse.events!.map((e) => e.type)).toEqual(['WaitStateEntered']);
    expect(firstOfReverse.nextToken).toBeDefined();
    expect(JSON.stringify(withoutData.events)).not.toContain('phone');
  });

  it('StopExecution aborts with a stop date, and stopping again keeps it', async () => {
    // Arrange
    const executionArn = await startHold();

    // Act
    const stopped = await h.sfn.send(new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'merged into another case' }));
    const again = await h.sfn.send(new StopExecutionCommand({ executionArn }));
    const described = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const unknown = rejectionOf(h.sfn.send(new StopExecutionCommand({ executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:hold:nobody` })));

    // Assert
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'merged into another case', stopDate: stopped.stopDate });
    expect(again.stopDate).toEqual(stopped.stopDate);
    expect(await unknown).toBeInstanceOf(ExecutionDoesNotExist);
  });
});

describe('task tokens', () => {
  it('a token that is not one of ours is InvalidToken', async () => {
    // Act
    const success = rejectionOf(h.sfn.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' })));
    const failure = rejectionOf(h.sfn.send(new SendTaskFailureCommand({ taskToken: 'garbage' })));
    const heartbeat = rejectionOf(h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'garbage' })));

    // Assert
    expect(await success).toBeInstanceOf(InvalidToken);
    expect(await failure).toBeInstanceOf(InvalidToken);
    expect(await heartbeat).toBeInstanceOf(InvalidToken);
  });

  it('a well-formed token no task is waiting on is TaskDoesNotExist', async () => {
    // Arrange
    const waiting = await startHold();
    const forUnknownExecution = mintToken(`arn:aws:states:${REGION}:${ACCOUNT}:execution:hold:nobody`, 'Hold', 1);
    const forWaitState = mintToken(waiting, 'Hold', 1);

    // Act
    const unknown = rejectionOf(h.sfn.send(new SendTaskSuccessCommand({ taskToken: forUnknownExecution, output: '{}' })));
    const notATask = rejectionOf(h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: forWaitState })));

    // Assert
    expect(await unknown).toBeInstanceOf(TaskDoesNotExist);
    expect(await notATask).toBeInstanceOf(TaskDoesNotExist);
  });

  it('output that is not JSON is InvalidOutput; a used token is TaskTimedOut; a missing token ValidationException', async () => {
    // Arrange
    const { executionArn } = await h.sfn.send(
      new StartExecutionCommand({ stateMachineArn: callbackArn, input: JSON.stringify({ caseNo: '20261127-00012', ackSeconds: 60 }) }),
    );
    const taskToken = tokenFromHistory(await h.historyUntil(executionArn!, 'TaskSubmitted'));

    // Act
    const notJson = await rejectionOf(h.sfn.send(new SendTaskSuccessCommand({ taskToken, output: 'yes' })));
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"by":"staff"}' }));
    const twice = rejectionOf(h.sfn.send(new SendTaskFailureCommand({ taskToken, error: 'Late' })));
    const missing = await raw('SendTaskSuccess', '{"output":"{}"}');

    // Assert
    expect(notJson).toBeInstanceOf(InvalidOutput);
    expect(await twice).toBeInstanceOf(TaskTimedOut);
    expect([missing.status, missing.json.__type]).toEqual([400, 'ValidationException']);
    expect((await h.finished(executionArn!)).status).toBe('SUCCEEDED');
  });
});
