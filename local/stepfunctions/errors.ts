/**
 * Errors of the Step Functions API, by their AWS names: the protocol layer answers them as
 * `400 { "__type": name, "message": message }`, which the AWS SDK turns into the matching exception class.
 */
export type SfnErrorName =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'ExecutionLimitExceeded'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'MissingRequiredParameter'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'StateMachineTypeNotSupported'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException'
  | 'UnknownOperationException'
  | 'SerializationException';

export class SfnServiceError extends Error {
  constructor(
    readonly type: SfnErrorName,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/**
 * A Task failure that no Retry or Catch may handle (AWS `States.Runtime`): an unknown resource, a
 * waitForTaskToken where the local service cannot support it. The two flags are read by
 * aws-local-stepfunctions inside Map/Parallel branches; the engine reads `name`.
 */
export class StatesRuntimeError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(message: string) {
    super(message);
    this.name = 'States.Runtime';
  }
}

/** Thrown by a task resolver for a resource it has no local binding for; fails the execution. */
export class UnknownTaskResourceError extends StatesRuntimeError {
  constructor(readonly resource: string, detail?: string) {
    super(`No local binding for Task resource ${resource}${detail ? `: ${detail}` : ''}`);
  }
}

/** A Task's failure with its AWS error name (Lambda errorType, `DynamoDB.ConditionalCheckFailedException`...). */
export class TaskFailure extends Error {
  readonly isTaskFailure = true;
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}
