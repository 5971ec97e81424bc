/**
 * The workflow's Lambda tasks: one function each, wired into workflows/case-lifecycle.asl.json through the
 * `${<substitution>}` placeholders (CDK `definitionSubstitutions`, the local cloud's Step Functions service).
 * `infra/constructs/case-workflow.ts` builds a function per entry; test/workflow/asl.test.ts checks that the ASL
 * uses exactly these placeholders.
 *
 * Topics are not placeholders: ApplySop picks the department's topic ARN from the environment
 * (DEPARTMENT_TOPIC_ARNS) and hands it to NotifyDept, so the ASL has no per-department branch; escalation and
 * citizen messages are published from the Lambda tasks (ESCALATION_TOPIC_ARN, citizen SMS and e-mail).
 */
export interface WorkflowFunction {
  /** Stable id: construct id, log key, key of STEP_RUNNERS. */
  id: WorkflowFunctionId;
  /** Module under functions/ without extension, exporting `handler`. */
  handler: string;
  /** ASL placeholder receiving the function ARN. */
  substitution: string;
  /** Answers its own task token (SendTaskSuccess/SendTaskFailure) when the awaited action already happened. */
  sendsTaskResults?: boolean;
  /** Texts (SNS publish to a phone number) and e-mails (SES) citizens. */
  messagesCitizens?: boolean;
  /** Publishes to the escalation topic and department topics. */
  publishesToTopics?: boolean;
}

export type WorkflowFunctionId = 'ApplySop' | 'AwaitAction' | 'Escalate' | 'Dispatch' | 'TellCitizen' | 'TellDuplicate' | 'CloseUnanswered';

export const WORKFLOW_FUNCTIONS: readonly WorkflowFunction[] = [
  { id: 'ApplySop', handler: 'workflow/apply-sop', substitution: 'ApplySopFunctionArn' },
  { id: 'AwaitAction', handler: 'workflow/await-action', substitution: 'AwaitActionFunctionArn', sendsTaskResults: true },
  { id: 'Escalate', handler: 'workflow/escalate', substitution: 'EscalateFunctionArn', publishesToTopics: true },
  { id: 'Dispatch', handler: 'workflow/dispatch', substitution: 'DispatchFunctionArn' },
  { id: 'TellCitizen', handler: 'workflow/tell-citizen', substitution: 'TellCitizenFunctionArn', messagesCitizens: true },
  { id: 'TellDuplicate', handler: 'workflow/tell-duplicate', substitution: 'TellDuplicateFunctionArn', messagesCitizens: true },
  { id: 'CloseUnanswered', handler: 'workflow/close-unanswered', substitution: 'CloseUnansweredFunctionArn' },
];

/** Topic placeholders the ASL would use; it uses none (see above), CDK may still fill them. */
export const WORKFLOW_TOPIC_SUBSTITUTIONS = {
  escalationTopicArn: 'EscalationTopicArn',
  departmentTopicArnPrefix: 'DepartmentTopicArn_',
} as const;

/** Every placeholder the ASL uses, name -> what fills it. */
export function aslSubstitutions(functionArn: (f: WorkflowFunction) => string): Record<string, string> {
  return Object.fromEntries(WORKFLOW_FUNCTIONS.map((f) => [f.substitution, functionArn(f)]));
}
