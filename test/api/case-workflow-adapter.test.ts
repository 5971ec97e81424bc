import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, ExecutionAlreadyExists, SendTaskFailureCommand, SFNClient, StartExecutionCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { executionArnFor, StepFunctionsCaseWorkflow } from '../../functions/adapters/case-workflow';
import { ConflictError } from '../../functions/domain/errors';

const STATE_MACHINE = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:case-lifecycle-dev';
const EXECUTION = 'arn:aws:states:ap-northeast-1:123456789012:execution:case-lifecycle-dev:20261127-00042';
const sfnMock = mockClient(SFNClient);
const workflow = new StepFunctionsCaseWorkflow(new SFNClient({}), STATE_MACHINE);

beforeEach(() => sfnMock.reset());
afterAll(() => sfnMock.restore());

describe('StepFunctionsCaseWorkflow', () => {
  it('starts one execution named after the case with the case number as input', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date(0) });

    await expect(workflow.start('20261127-00042')).resolves.toEqual({ executionArn: EXECUTION });
    expect(sfnMock.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({ stateMachineArn: STATE_MACHINE, name: '20261127-00042', input: '{"caseNo":"20261127-00042"}' });
  });

  it('an execution that already exists counts as started, and its ARN is looked up', async () => {
    sfnMock.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    sfnMock.on(DescribeExecutionCommand, { executionArn: EXECUTION }).resolves({ executionArn: EXECUTION });

    await expect(workflow.start('20261127-00042')).resolves.toEqual({ executionArn: EXECUTION });
  });

  it('other start failures propagate', async () => {
    sfnMock.on(StartExecutionCommand).rejects(new Error('throttled'));

    await expect(workflow.start('20261127-00042')).rejects.toThrow('throttled');
  });

  it('a task that is over is a ConflictError naming why', async () => {
    sfnMock.on(SendTaskFailureCommand).rejects(new TaskTimedOut({ message: 'timed out', $metadata: {} }));

    const err = await workflow.sendFailure('token', 'Case.Rerouted', '{}').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details).toEqual({ reason: 'TaskTimedOut' });
  });

  it('builds execution ARNs from the state machine ARN', () => {
    expect(executionArnFor(STATE_MACHINE, '20261127-00042')).toBe(EXECUTION);
    expect(() => executionArnFor('arn:aws:lambda:ap-northeast-1:1:function:x', 'y')).toThrow(/state machine/);
  });
});
