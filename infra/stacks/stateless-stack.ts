/**
 * Code and wiring that can be replaced at any time: the case workflow and its task functions, the HTTP API
 * with one function per handler module, the scheduled jobs, and the deploy step that seeds the SOP catalogue
 * (the catalogue itself lives in the stateful stack's table). Holds no data.
 */
import type { Construct } from 'constructs';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { AttachmentBucket } from '../constructs/attachment-bucket';
import type { RouteDef } from '../../functions/api/routes';
import type { StageSettings } from '../stage';
import type { CaseTable } from '../constructs/case-table';
import type { Identity } from '../constructs/identity';
import type { NotificationTopics } from '../constructs/notification-topics';
import { CaseApi } from '../constructs/case-api';
import { CaseWorkflow, type WorkflowTask } from '../constructs/case-workflow';
import { PrivacyJobs } from '../constructs/privacy-jobs';
import { SopCatalogSeed } from '../constructs/sop-catalog-seed';

export interface StatelessStackProps extends StackProps {
  settings: StageSettings;
  table: CaseTable;
  topics: NotificationTopics;
  identity: Identity;
  /** Case attachments (the stateful stack's private bucket). */
  attachments: AttachmentBucket;
  workflow: { tasks: readonly WorkflowTask[]; definitionFile?: string };
  /** Where the workflow's recovery path tells operations (the stateful stack's operations topic). */
  operationsTopic?: { topic: ITopic; key?: IKey };
  routes?: readonly RouteDef[];
  /** Where handler modules live; default `functions/`. */
  functionsDir?: string;
}

export class StatelessStack extends Stack {
  readonly api: CaseApi;
  readonly caseWorkflow: CaseWorkflow;
  /** Scheduled jobs (the daily retention job, the 5-minute stalled-workflow restart). */
  readonly privacyJobs: PrivacyJobs;
  /** The deploy step that stores config/sops.json's changed SOPs as new catalogue versions. */
  readonly sopCatalogSeed: SopCatalogSeed;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    // In production a stray `cdk destroy` must not take the API and the running workflow with it.
    super(scope, id, { ...props, terminationProtection: props.settings.production });
    const { settings, table, topics, identity } = props;

    // The catalogue is seeded before the functions that read it are created or updated: the first deploy of a
    // stage has its SOPs before its API takes a case, and a deploy's SOP change is current when its code is.
    this.sopCatalogSeed = new SopCatalogSeed(this, 'SopCatalogSeed', { settings, table, functionsDir: props.functionsDir });

    this.caseWorkflow = new CaseWorkflow(this, 'CaseWorkflow', { settings, table, topics, functionsDir: props.functionsDir, operationsTopic: props.operationsTopic, ...props.workflow });
    this.api = new CaseApi(this, 'CaseApi', {
      settings,
      table,
      topics,
      identity,
      caseWorkflow: this.caseWorkflow.stateMachine,
      attachments: props.attachments,
      routes: props.routes,
      functionsDir: props.functionsDir,
    });

    this.caseWorkflow.node.addDependency(this.sopCatalogSeed);
    this.api.node.addDependency(this.sopCatalogSeed);

    this.privacyJobs = new PrivacyJobs(this, 'PrivacyJobs', {
      settings,
      table,
      caseWorkflow: this.caseWorkflow.stateMachine,
      topics,
      attachments: props.attachments,
      functionsDir: props.functionsDir,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Case API base URL' });
    new CfnOutput(this, 'Open311Url', { value: this.api.open311Url, description: 'Open311 GeoReport v2 base URL (discovery at <url>/discovery.json)' });
    new CfnOutput(this, 'UserPoolId', { value: identity.userPool.userPoolId });
    new CfnOutput(this, 'ConsoleClientId', { value: identity.consoleClient.userPoolClientId });
  }
}
