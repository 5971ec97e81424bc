/**
 * CaseWorkflow over Step Functions: one Standard execution per case, named after the case number, so a retried
 * start can never run a case twice. Owns every SFN call the API makes.
 */
import { DescribeExecutionCommand, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ConflictError } from '../domain/errors';
import type { CaseWorkflow, ExecutionStatus, WorkflowExecutions } from '../usecases/ports';

/** SFN limits on SendTaskFailure; longer values are a ValidationException. */
const MAX_ERROR = 256;
const MAX_CAUSE = 32_768;

/** The task the token belonged to is over (answered, timed out, execution ended): the case has moved on. */
const TASK_GONE = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

export class StepFunctionsCaseWorkflow implements CaseWorkflow, WorkflowExecutions {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /**
   * StartExecution(name = caseNo, input = { caseNo }). Step Functions answers a repeated start of a running
   * execution with the same input with its ARN, and anything else with ExecutionAlreadyExists: then the existing
   * execution is looked up by its ARN, which follows from the state machine ARN and the name.
   */
  async start(caseNo: string): Promise<{ executionArn: string }> {
    try {
      const out = await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: caseNo, input: JSON.stringify({ caseNo }) }));
      return { executionArn: out.executionArn! };
    } catch (e) {
      if (errorName(e) !== 'ExecutionAlreadyExists') throw e;
      const described = await this.sfn.send(new DescribeExecutionCommand({ executionArn: executionArnFor(this.stateMachineArn, caseNo) }));
      return { executionArn: described.executionArn! };
    }
  }

  async status(executionName: string): Promise<ExecutionStatus> {
    try {
      const out = await this.sfn.send(new DescribeExecutionCommand({ executionArn: executionArnFor(this.stateMachineArn, executionName) }));
      return (out.status ?? 'MISSING');
    } catch (e) {
      if (errorName(e) === 'ExecutionDoesNotExist') return 'MISSING';
      throw e;
    }
  }

  async startNamed(executionName: string, input: Record<string, unknown>): Promise<{ executionArn: string }> {
    try {
      const out = await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: executionName, input: JSON.stringify(input) }));
      return { executionArn: out.executionArn! };
    } catch (e) {
      if (errorName(e) !== 'ExecutionAlreadyExists') throw e;
      return { executionArn: executionArnFor(this.stateMachineArn, executionName) };
    }
  }

  async sendSuccess(taskToken: string, output: Record<string, unknown>): Promise<void> {
    await this.answer(() => this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })));
  }

  async sendFailure(taskToken: string, error: string, cause: string): Promise<void> {
    await this.answer(() => this.sfn.send(new SendTaskFailureCommand({ taskToken, error: error.slice(0, MAX_ERROR), cause: cause.slice(0, MAX_CAUSE) })));
  }

  /** A token whose task is over becomes a ConflictError (409): the caller acted on a state that has passed. */
  private async answer(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (e) {
      const name = errorName(e);
      if (name && TASK_GONE.has(name)) throw new ConflictError('The case workflow is no longer waiting for this step', { reason: name });
      throw e;
    }
  }
}

/** `arn:aws:states:<region>:<account>:stateMachine:<name>` -> `arn:aws:states:<region>:<account>:execution:<name>:<execution>` */
export function executionArnFor(stateMachineArn: string, executionName: string): string {
  const parts = stateMachineArn.split(':');
  if (parts.length < 7 || parts[5] !== 'stateMachine') throw new Error(`Not a state machine ARN: ${stateMachineArn}`);
  return [...parts.slice(0, 5), 'execution', parts[6], executionName].join(':');
}

function errorName(e: unknown): string | undefined {
  return e instanceof Error ? e.name : undefined;
}
