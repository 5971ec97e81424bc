/**
 * The workflow's Lambda tasks, the one list CDK (infra/constructs/case-workflow.ts), the local cloud and the
 * handlers read. A task has one name: `RouteCase` is the ASL state (or, for a task several states share, the
 * verb its states start with: AwaitAck, EscalateAck), the `${RouteCaseFunctionArn}` placeholder, the construct id,
 * the handler file `functions/workflow/route-case.ts` and the use case `routeCase` (usecases/lifecycle/route-case.ts).
 * test/workflow/asl.test.ts checks that the ASL uses exactly these placeholders and that the names agree.
 *
 * Topics are not placeholders: RouteCase picks the department's topic ARN from the environment
 * (DEPARTMENT_TOPIC_ARN_PREFIX and the code) and publishes the dispatch notice itself, so the ASL has no
 * per-department branch and no publish state; escalation and citizen messages are published from the Lambda tasks
 * too (ESCALATION_TOPIC_ARN, citizen SMS and e-mail).
 */
export interface WorkflowFunction {
  /** The task's name: ASL state, construct id, log key, key of STEP_RUNNERS; the placeholder and file follow from it. */
  id: WorkflowFunctionId;
  /** Answers its own task token (SendTaskSuccess/SendTaskFailure) when the awaited action already happened. */
  sendsTaskResults?: boolean;
  /** Texts (SNS publish to a phone number) and e-mails (SES) citizens. */
  messagesCitizens?: boolean;
  /** Publishes to the escalation topic and department topics. */
  publishesToTopics?: boolean;
  /** Publishes to the stage's operations topic (OPERATIONS_TOPIC_ARN), which is encrypted with its own key. */
  publishesToOperations?: boolean;
  /**
   * The definition no longer uses it, but executions started under an earlier one do (a running execution keeps
   * the definition it started with): deployed, and invocable by the state machine, until none of them is left.
   */
  forEarlierExecutions?: boolean;
}

export type WorkflowFunctionId =
  | 'RouteCase'
  | 'AwaitAction'
  | 'EscalateCase'
  | 'DispatchCase'
  | 'TellCitizen'
  | 'TellDuplicate'
  | 'CloseUnanswered'
  | 'WorkflowFailed';

export const WORKFLOW_FUNCTIONS: readonly WorkflowFunction[] = [
  { id: 'RouteCase', publishesToTopics: true },
  { id: 'AwaitAction', sendsTaskResults: true },
  { id: 'EscalateCase', publishesToTopics: true },
  { id: 'DispatchCase' },
  { id: 'TellCitizen', messagesCitizens: true },
  // TellCitizen tells the merged duplicates now (the same use case); the Map state `TellDuplicates` of the earlier
  // definition invokes this one, for each duplicate skipped as told already. Remove once those executions ended.
  { id: 'TellDuplicate', messagesCitizens: true, forEarlierExecutions: true },
  { id: 'CloseUnanswered' },
  // The recovery path: every Task's Catch leads to it; it tells supervisors and operations, then waits for a decision.
  { id: 'WorkflowFailed', publishesToTopics: true, publishesToOperations: true },
];

/**
 * The ASL's one recovery state: every Task's Catch leads to it (through a `Caught<Step>` Pass naming the step).
 * The operations alarm WorkflowRecoveryEntered counts entries into it (infra/stacks/operations-stack.ts).
 */
export const RECOVERY_STATE = 'WorkflowFailed' satisfies WorkflowFunctionId;

/** `RouteCase` -> `workflow/route-case`: the handler module under functions/, exporting `handler`. */
export function handlerModuleOf(f: Pick<WorkflowFunction, 'id'>): string {
  return `workflow/${f.id.replace(/(?<=[a-z])(?=[A-Z])/g, '-').toLowerCase()}`;
}

/** `RouteCase` -> `RouteCaseFunctionArn`: the ASL placeholder that receives the function's ARN. */
export function substitutionOf(f: Pick<WorkflowFunction, 'id'>): string {
  return `${f.id}FunctionArn`;
}

/** Every placeholder the ASL uses, name -> what fills it. */
export function aslSubstitutions(functionArn: (f: WorkflowFunction) => string): Record<string, string> {
  return Object.fromEntries(WORKFLOW_FUNCTIONS.map((f) => [substitutionOf(f), functionArn(f)]));
}
