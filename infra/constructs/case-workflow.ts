/**
 * The case lifecycle state machine, loaded from its ASL file: the same file the local cloud runs.
 * CDK only fills `${...}` placeholders (the task functions' ARNs, the table name). Because CDK cannot see inside an
 * ASL string, the role is written out here: invoke exactly the workflow's functions, nothing else (every notice is
 * published by a task function).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Construct } from 'constructs';
import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { StageSettings } from '../stage';
import type { CaseTable } from './case-table';
import { CityDeskFunction, PROJECT_ROOT } from './function';
import type { NotificationTopics } from './notification-topics';
import { handlerModuleOf, substitutionOf, type WorkflowFunction } from '../../functions/workflow/functions';

/** One Lambda task of the workflow: the functions' own list (WORKFLOW_FUNCTIONS) is what CDK builds. */
export type WorkflowTask = WorkflowFunction;

/** The placeholder CDK fills besides the task functions' ARNs. */
export const TABLE_NAME_SUBSTITUTION = 'TableName';

export const CASE_LIFECYCLE_ASL = path.join(PROJECT_ROOT, 'workflows', 'case-lifecycle.asl.json');

export interface CaseWorkflowProps {
  settings: StageSettings;
  table: CaseTable;
  topics: NotificationTopics;
  tasks: readonly WorkflowTask[];
  /** The stage's operations topic and its key, for the task that `publishesToOperations` (the recovery path). */
  operationsTopic?: { topic: ITopic; key?: IKey };
  /** ASL file; default `workflows/case-lifecycle.asl.json`. */
  definitionFile?: string;
  /** Where handler modules live; default `functions/`. */
  functionsDir?: string;
}

/** `${Name}` placeholders used in an ASL text. */
export function placeholdersIn(asl: string): Set<string> {
  return new Set([...asl.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]));
}

export class CaseWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: ReadonlyMap<string, CityDeskFunction>;
  readonly logGroup: LogGroup;
  readonly definitionSubstitutions: Record<string, string>;

  constructor(scope: Construct, id: string, props: CaseWorkflowProps) {
    super(scope, id);
    const { settings, table, topics, tasks } = props;
    const definitionFile = props.definitionFile ?? CASE_LIFECYCLE_ASL;
    const asl = readFileSync(definitionFile, 'utf8');

    const functions = new Map<string, CityDeskFunction>();
    for (const task of tasks) {
      const fn = new CityDeskFunction(this, task.id, {
        handler: handlerModuleOf(task),
        settings,
        table,
        tableAccess: 'RW',
        functionsDir: props.functionsDir,
        description: `CityDesk 1999 workflow task ${task.id} (${settings.stage})`,
        timeout: Duration.seconds(30),
      });
      // Every task's runtime reads the topic ARNs; only publishers (RouteCase's dispatch notice, escalations,
      // the recovery path) may publish.
      fn.bindTopics(topics, { publish: task.publishesToTopics ?? false }).bindConsoleUrl(settings.consoleUrl);
      if (task.messagesCitizens) fn.bindCitizenMessaging(settings.citizenEmailFrom);
      if (task.publishesToOperations) {
        if (!props.operationsTopic) throw new Error(`Workflow task ${task.id} publishes to the operations topic: pass operationsTopic`);
        fn.bindOperationsTopic(props.operationsTopic.topic, props.operationsTopic.key);
      }
      functions.set(task.id, fn);
    }
    this.functions = functions;

    const substitutions: Record<string, string> = { [TABLE_NAME_SUBSTITUTION]: table.table.tableName };
    for (const task of tasks) substitutions[substitutionOf(task)] = functions.get(task.id)!.functionArn;

    // A placeholder nobody fills would reach Step Functions as a literal `${...}` and fail at run time.
    const missing = [...placeholdersIn(asl)].filter((p) => !(p in substitutions));
    if (missing.length)
      throw new Error(`${path.relative(PROJECT_ROOT, definitionFile)} uses placeholders CDK does not fill: ${missing.join(', ')}`);
    // Only what the definition uses: every substitution is a reference CloudFormation resolves, for nothing.
    const used = placeholdersIn(asl);
    this.definitionSubstitutions = Object.fromEntries(Object.entries(substitutions).filter(([p]) => used.has(p)));

    // Under /aws/vendedlogs/: Step Functions delivers logs through CloudWatch Logs vended delivery, whose resource
    // policy would otherwise grow by one entry per log group until it hits its 5,120-character limit.
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/CityDesk-${settings.stage}-CaseWorkflow`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `CityDesk 1999 case workflow (${settings.stage})`,
    });
    // Unqualified ARNs only: the ASL invokes `$LATEST` through the function ARN, never a version or alias.
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [...functions.values()].map((f) => f.functionArn) }),
    );
    // The state machine publishes nothing itself: every notice is sent by a task function.

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(asl),
      definitionSubstitutions: this.definitionSubstitutions,
      role,
      tracingEnabled: true,
      logs: {
        destination: this.logGroup,
        level: LogLevel.ALL,
        // Execution data carries the reporter's name and phone: personal data never goes to logs.
        includeExecutionData: false,
      },
    });

    // Production: executions in flight (cases waiting weeks for a survey) must survive a stack deletion.
    this.stateMachine.applyRemovalPolicy(settings.removalPolicy);

    for (const task of tasks.filter((t) => t.sendsTaskResults))
      functions.get(task.id)!.bindWorkflow(this.stateMachine, ['send'], { invokedByIt: true });

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by StateMachine for logging and tracing: CloudWatch Logs delivery actions (logs:CreateLogDelivery, ...) and X-Ray PutTraceSegments support no resource-level permissions',
    });
  }
}
