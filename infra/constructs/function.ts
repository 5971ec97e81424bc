/**
 * CityDeskFunction fixes the defaults every Lambda function shares (like Powertools' FunctionWithLogGroup):
 * arm64, the newest Node runtime this CDK knows, esbuild ESM bundles with minify and source maps, its own log
 * group with the stage's retention, X-Ray, and a role that starts with nothing but writing to that log group.
 * The `bind*` methods then set the environment (through `handlerEnvironment`, the single definition of it) and
 * grant exactly what the function's access declares, in one call each.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Construct } from 'constructs';
import { ArnFormat, type CfnResource, Duration, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { ASSET_RESOURCE_METADATA_IS_BUNDLED_KEY } from 'aws-cdk-lib/cx-api';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { StateMachine, type IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { ENV_NAMES, handlerEnvironment, type ResourceNames } from '../../functions/config/environment';
import type { EmailDelivery } from '../../functions/domain/email-delivery';
import type { HandlerAccess } from '../../functions/api/routes';
import type { StageSettings } from '../stage';
import type { CaseTable } from './case-table';
import type { NotificationTopics } from './notification-topics';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { AttachmentBucket, AttachmentUse } from './attachment-bucket';
import { BundleCache, bundleKey } from './bundle-cache';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FUNCTIONS_DIR = path.join(PROJECT_ROOT, 'functions');

/** The newest Node.js runtime this aws-cdk-lib knows (cdk-nag L1 checks the same list). */
export const NODE_RUNTIME = Runtime.NODEJS_24_X;

/** Read actions without Scan: no request path may scan (team rule), so no role is allowed to. */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'] as const;
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] as const;
export const TASK_RESULT_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'] as const;

export type WorkflowUse = 'start' | 'send';

const ARCHITECTURE = Architecture.ARM_64;

/** The esbuild options of every function: one object, so the bundle cache's key sees exactly what esbuild gets. */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  // Bundle the SDK too: functions run the versions the tests ran against (the lockfile), not the runtime's.
  bundleAwsSDK: true,
  // CommonJS dependencies in an ESM bundle still call require() for Node built-ins.
  banner: "import { createRequire as __cdCreateRequire } from 'node:module'; const require = __cdCreateRequire(import.meta.url);",
  tsconfig: path.join(PROJECT_ROOT, 'tsconfig.json'),
};

const bundleCaches = new WeakMap<Stage, BundleCache>();

/**
 * The code of a function: the previous synth's bundle when none of its inputs changed (infra/constructs/
 * bundle-cache.ts), else esbuild with a metafile whose inputs the cache records for the next synth. Without
 * bundling (tests skip it for their stacks) the cache is not involved.
 */
function bundleFor(scope: Construct, entry: string): { code?: Code; bundling: BundlingOptions; afterConstruction?: (fn: NodejsFunction) => void } {
  const stage = Stage.of(scope);
  if (!stage || !Stack.of(scope).bundlingRequired) return { bundling: BUNDLING };
  let cache = bundleCaches.get(stage);
  if (!cache) bundleCaches.set(stage, (cache = new BundleCache(stage.assetOutdir, PROJECT_ROOT)));
  // The assembly directory counts: the source maps name the sources relative to the bundle's place in it.
  const options = { bundling: BUNDLING, runtime: NODE_RUNTIME.name, architecture: ARCHITECTURE.name, assemblyDir: path.resolve(stage.assetOutdir) };
  const key = bundleKey({ projectRoot: PROJECT_ROOT, entry, options });
  // The same props either way (NodejsFunction ignores bundling when given code), so the construct metadata CDK
  // records in the template is the same after a reuse as after a bundling.
  const bundling = { ...BUNDLING, esbuildArgs: { ...BUNDLING.esbuildArgs, '--metafile': cache.metafilePath(key) } };
  const staged = cache.reusable(key);
  if (staged) {
    return {
      code: Code.fromAsset(staged),
      bundling,
      // The asset is still an esbuild bundle; tools that read the template's asset metadata (SAM) go by this.
      afterConstruction: (fn) => {
        const resource = fn.node.defaultChild as CfnResource;
        if (resource.getMetadata(ASSET_RESOURCE_METADATA_IS_BUNDLED_KEY) !== undefined) resource.addMetadata(ASSET_RESOURCE_METADATA_IS_BUNDLED_KEY, true);
      },
    };
  }
  const startedAt = Date.now();
  return {
    bundling,
    afterConstruction: (fn) => {
      const asset = fn.node.tryFindChild('Code');
      if (asset instanceof Asset) cache.record(key, asset.assetHash, startedAt);
    },
  };
}

export interface CityDeskFunctionProps {
  /** Module under `functions/` without extension, exporting `handler` (e.g. `api/handlers/create-case`). */
  handler: string;
  settings: StageSettings;
  /** Every function reads or writes the case table; `handlerEnvironment` requires its name. */
  table: CaseTable;
  tableAccess: HandlerAccess['table'];
  /** Where handler modules live; default `functions/`. Infra tests point it at stub modules. */
  functionsDir?: string;
  description?: string;
  timeout?: Duration;
  memorySize?: number;
}

export class CityDeskFunction extends NodejsFunction {
  readonly handlerModule: string;
  private readonly resources: ResourceNames;

  constructor(scope: Construct, id: string, props: CityDeskFunctionProps) {
    const { settings } = props;
    // The log group and role are siblings (not children) of the function because they must exist before it.
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: settings.logRetention, removalPolicy: settings.removalPolicy });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `CityDesk 1999 ${props.handler} (${settings.stage})`,
    });
    // Instead of the AWSLambdaBasicExecutionRole managed policy: write to this function's log group only.
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );

    const entry = path.join(props.functionsDir ?? FUNCTIONS_DIR, `${props.handler}.ts`);
    const bundle = bundleFor(scope, entry);
    super(scope, id, {
      entry,
      // With given code NodejsFunction takes the handler as it is; a bundle's module is index.
      handler: bundle.code ? 'index.handler' : 'handler',
      code: bundle.code,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description ?? `CityDesk 1999 ${props.handler} (${settings.stage})`,
      runtime: NODE_RUNTIME,
      architecture: ARCHITECTURE,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? settings.apiTimeout,
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      bundling: bundle.bundling,
    });
    bundle.afterConstruction?.(this);
    this.handlerModule = props.handler;
    this.resources = { stage: settings.stage, tableName: props.table.table.tableName };
    for (const [k, v] of Object.entries(handlerEnvironment(this.resources))) this.addEnvironment(k, v);
    this.bindTable(props.table, props.tableAccess);

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords (added by tracing: ACTIVE) support no resource-level permissions',
    });
  }

  /** Sets the environment variables `handlerEnvironment` derives from `names`, and only those. */
  private setEnvironment(names: Partial<ResourceNames>): void {
    Object.assign(this.resources, names);
    const env = handlerEnvironment(this.resources);
    const keys = Object.keys(names).map((k) => ENV_NAMES[k as keyof typeof ENV_NAMES]);
    for (const key of keys) if (env[key] !== undefined) this.addEnvironment(key, env[key]);
  }

  /**
   * TABLE_NAME and PII_HASH_KEY_SECRET_ARN (the secret with the key of the table's phone index, read at cold start:
   * its ARN and GetSecretValue on it alone, never the value), plus read (RO) or read-write (RW) item actions on the
   * table and its indexes. No Scan either way.
   */
  private bindTable(caseTable: CaseTable, mode: HandlerAccess['table']): this {
    this.setEnvironment({ tableName: caseTable.table.tableName, piiHashKeySecretArn: caseTable.piiHashKey.secretArn });
    this.grantSecretValue(caseTable.piiHashKey);
    const actions: string[] = mode === 'RW' ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS] : [...TABLE_READ_ACTIONS];
    this.addToRolePolicy(new PolicyStatement({ actions, resources: caseTable.resourceArns }));
    return this;
  }

  /**
   * CURSOR_SECRET_ARN, the secret with the MAC key of page cursors (read at cold start like the phone-hash key), and
   * GetSecretValue on it: for the functions that hand out or read cursors, the API's. The workflow tasks page nothing.
   */
  bindCursorSecret(caseTable: CaseTable): this {
    this.setEnvironment({ cursorSecretArn: caseTable.cursorSecret.secretArn });
    this.grantSecretValue(caseTable.cursorSecret);
    return this;
  }

  /**
   * GetSecretValue on this secret alone (not `grantRead`, which adds DescribeSecret). Secrets Manager's own key
   * encrypts it, so no KMS grant is needed.
   */
  private grantSecretValue(secret: ISecret): void {
    this.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
  }

  /**
   * CASE_WORKFLOW_ARN (handlers build their workflow adapter from it) plus `start`: StartExecution and `send`:
   * SendTaskSuccess/Failure/Heartbeat, on this state machine only. A function the state machine itself invokes
   * gets neither the variable nor the grant in its role's default policy: the function depends on that policy,
   * and the state machine depends on the function, so the grant goes into a policy of its own.
   */
  bindWorkflow(stateMachine: IStateMachine, uses: readonly WorkflowUse[], options: { invokedByIt?: boolean } = {}): this {
    const statements: PolicyStatement[] = [];
    if (uses.includes('start')) {
      statements.push(new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachine.stateMachineArn] }));
      // A start that already happened (ExecutionAlreadyExists: a retried request, a restarted job) is looked up by
      // the execution's ARN (adapters/case-workflow.ts), so starting needs DescribeExecution of its executions.
      const executions = executionArnsOf(stateMachine);
      statements.push(new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions.arn] }));
      Validations.of(this.role!).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${executions.logicalId}.Name>:*]`,
        reason: "DescribeExecution of the case workflow's own executions, one per case: names are case numbers, not known at deploy time",
      });
    }
    if (uses.includes('send')) statements.push(new PolicyStatement({ actions: [...TASK_RESULT_ACTIONS], resources: [stateMachine.stateMachineArn] }));
    if (options.invokedByIt) {
      new Policy(this.node.scope!, `${this.node.id}WorkflowPolicy`, { roles: [this.role!], statements });
    } else {
      this.setEnvironment({ caseWorkflowArn: stateMachine.stateMachineArn });
      for (const statement of statements) this.addToRolePolicy(statement);
    }
    return this;
  }

  /** PLACE_INDEX_NAME and geocoding text with that place index alone. */
  bindPlaceIndex(indexName: string): this {
    this.setEnvironment({ placeIndexName: indexName });
    const index = Stack.of(this).formatArn({ service: 'geo', resource: 'place-index', resourceName: indexName });
    this.addToRolePolicy(new PolicyStatement({ actions: ['geo:SearchPlaceIndexForText'], resources: [index] }));
    return this;
  }

  /** ATTACHMENT_BUCKET_NAME and the bucket's managed policy for this use (infra/constructs/attachment-bucket.ts). */
  bindAttachments(attachments: AttachmentBucket, use: AttachmentUse): this {
    this.setEnvironment({ attachmentBucketName: attachments.bucket.bucketName });
    this.role!.addManagedPolicy(attachments.policies[use]);
    return this;
  }

  /**
   * ESCALATION_TOPIC_ARN and DEPARTMENT_TOPIC_ARN_PREFIX; with `publish`, also the right to publish to exactly those
   * topics (workflow tasks that only pick a topic ARN for the state machine get the names, not the right).
   */
  bindTopics(topics: NotificationTopics, options: { publish: boolean }): this {
    this.setEnvironment({ escalationTopicArn: topics.escalationTopic.topicArn, departmentTopicArnPrefix: topics.departmentTopicArnPrefix });
    if (options.publish) topics.grantPublish(this);
    return this;
  }

  /**
   * EARLY_WARNING_TOPIC_ARN and DEPARTMENT_TOPIC_ARN_PREFIX, and the right to publish to exactly those topics: a new
   * warning goes to the supervisors and to the department concerned.
   */
  bindEarlyWarnings(topics: NotificationTopics): this {
    this.setEnvironment({ earlyWarningTopicArn: topics.earlyWarningTopic.topicArn, departmentTopicArnPrefix: topics.departmentTopicArnPrefix });
    topics.grantPublish(this, [...topics.departmentTopics.values(), topics.earlyWarningTopic]);
    return this;
  }

  /** The daily e-mail digests: the digest topic (and the right to publish there alone) and the stage's choice of who gets one. */
  bindDigests(topics: NotificationTopics, emailDelivery: EmailDelivery): this {
    this.setEnvironment({ digestTopicArn: topics.digestTopic.topicArn, emailDelivery });
    topics.grantPublish(this, [topics.digestTopic]);
    return this;
  }

  /**
   * Texting citizens (SNS publish to a phone number, which needs `Resource: *`, in a policy of its own) and, when
   * the stage has a verified sender, e-mailing them through SES as exactly that sender.
   */
  bindCitizenMessaging(citizenEmailFrom: string | undefined): this {
    const statements = [new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] })];
    if (citizenEmailFrom) {
      this.setEnvironment({ citizenEmailFrom });
      const stack = Stack.of(this);
      const domain = citizenEmailFrom.split('@')[1];
      statements.push(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [citizenEmailFrom, domain].map((identity) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity })),
          conditions: { StringEquals: { 'ses:FromAddress': citizenEmailFrom } },
        }),
      );
    }
    const policy = new Policy(this.node.scope!, `${this.node.id}CitizenMessagingPolicy`, { roles: [this.role!], statements });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'SMS to a citizen is an SNS publish to a phone number, which has no resource ARN: AWS requires Resource "*" for it',
    });
    return this;
  }

  /**
   * OPERATIONS_TOPIC_ARN and the right to publish to exactly that topic, with the two actions SNS needs on the key
   * that encrypts it (a publish to an encrypted topic without them fails with KMS.AccessDenied).
   */
  bindOperationsTopic(topic: ITopic, key: IKey | undefined): this {
    this.setEnvironment({ operationsTopicArn: topic.topicArn });
    this.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    if (key) this.addToRolePolicy(new PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }));
    return this;
  }

  bindConsoleUrl(consoleUrl: string): this {
    this.setEnvironment({ consoleUrl });
    return this;
  }

  /** OPEN311_BASE_URL: the Open311 API's URL, which the discovery document gives clients. */
  bindOpen311BaseUrl(open311BaseUrl: string): this {
    this.setEnvironment({ open311BaseUrl });
    return this;
  }
}

/** `arn:...:execution:<state machine name>:*` and the state machine's logical id (for the cdk-nag finding id). */
function executionArnsOf(stateMachine: IStateMachine): { arn: string; logicalId: string } {
  if (!(stateMachine instanceof StateMachine)) throw new Error('bindWorkflow with start needs the StateMachine construct');
  const stack = Stack.of(stateMachine);
  return {
    arn: stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${stateMachine.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    logicalId: stack.getLogicalId(stateMachine.node.defaultChild as CfnResource),
  };
}

