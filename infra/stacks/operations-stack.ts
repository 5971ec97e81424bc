/**
 * The stage's alarms and dashboard (infra/constructs/operations.ts), deployed after the stateless stack: it
 * only watches, so it can be replaced without touching data or code, and its ~150 alarms do not count against
 * the other stacks' resource limits. Alarms notify the operations topic of the stateful stack.
 */
import type { Construct } from 'constructs';
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { RECOVERY_STATE } from '../../functions/workflow/functions';
import type { StageSettings } from '../stage';
import { Operations, type WatchedFunction } from '../constructs/operations';
import type { StatefulStack } from './stateful-stack';
import type { StatelessStack } from './stateless-stack';

/**
 * What the recovery metric filter matches: the case workflow's one recovery Task, `WorkflowFailed`, entered once
 * per step that failed for good (test/workflow/asl.test.ts holds the ASL to it: no other state starts so).
 */
export const WORKFLOW_RECOVERY_STATE_PREFIX = RECOVERY_STATE;

export interface OperationsStackProps extends StackProps {
  settings: StageSettings;
  stateful: StatefulStack;
  stateless: StatelessStack;
  smsMonthlySpendLimitUsd: number;
}

export class OperationsStack extends Stack {
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, { ...props, terminationProtection: props.settings.production });
    const { settings, stateful, stateless } = props;
    const functions: WatchedFunction[] = [
      ...[...stateless.api.functions.values()].map((fn) => ({ id: `Api${fn.node.id}`, fn, timeout: fn.timeout! })),
      ...[...stateless.caseWorkflow.functions].map(([taskId, fn]) => ({ id: `Workflow${taskId}`, fn, timeout: fn.timeout! })),
      ...[...stateless.privacyJobs.functions].map(([jobId, fn]) => ({ id: `Job${jobId}`, fn, timeout: fn.timeout! })),
    ];
    const notificationTopics = new Map<string, ITopic>([...stateful.topics.departmentTopics, ['Escalation', stateful.topics.escalationTopic]]);
    const deadLetters = new Map([
      ['HttpsSubscriptions', stateful.topics.httpsDeadLetters],
      ['OperationsHttpsSubscriptions', stateful.operationsTopic.httpsDeadLetters],
      ...[...stateless.privacyJobs.deadLetters].map(([jobId, dlq]) => [`Job${jobId}`, dlq] as const),
    ]);
    this.operations = new Operations(this, 'Operations', {
      settings,
      topic: stateful.operationsTopic.topic,
      workflow: { stateMachine: stateless.caseWorkflow.stateMachine, logGroup: stateless.caseWorkflow.logGroup, recoveryStatePrefix: WORKFLOW_RECOVERY_STATE_PREFIX },
      functions,
      api: stateless.api.api,
      open311Api: stateless.api.open311Api,
      table: stateful.table.table,
      notificationTopics,
      jobs: stateless.privacyJobs.jobs.map((job) => ({ id: job.id, cron: job.cron, fn: stateless.privacyJobs.functions.get(job.id)!, rule: stateless.privacyJobs.rules.get(job.id)! })),
      deadLetters,
      smsMonthlySpendLimitUsd: props.smsMonthlySpendLimitUsd,
    });
  }
}
