/**
 * The CityDesk 1999 CDK app: stage settings from context, the stateful and stateless stacks of that stage (plus,
 * with a built console, the console's hosting stack before them and its release stack after them), and
 * cdk-nag's AwsSolutions pack as a validation plugin, so every synth (the CLI's and the tests') is checked. CDK's
 * own CloudFormation validation runs through CachedCloudFormationValidate, which skips templates it has checked.
 */
import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { RouteDef } from '../functions/api/routes';
import { loadOperationsConfig } from '../functions/config/load';
import type { DepartmentsFile, OperationsFile } from '../functions/config/schema';
import type { WorkflowTask } from './constructs/case-workflow';
import { CachedCloudFormationValidate } from './cfn-validation-cache';
import { withHostedConsole } from './constructs/console-hosting';
import { stageSettings, type StageSettings } from './stage';
import { ConsoleHostingStack, ConsoleStack, consoleDomainFromContext } from './stacks/console-stack';
import { OperationsStack } from './stacks/operations-stack';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';
import { checkProductionSubscriptions } from './subscription-check';

export interface CityDeskSources {
  /** `config/departments.json`, validated (`loadConfig().departments`). */
  departments: DepartmentsFile;
  /** `config/operations.json`, validated; default `loadOperationsConfig()`. */
  operations?: OperationsFile;
  workflow: { tasks: readonly WorkflowTask[]; definitionFile?: string };
  /** The route table; default ROUTES. */
  routes?: readonly RouteDef[];
  /** Where handler modules live; default `functions/`. Infra tests synthesize against stub modules. */
  functionsDir?: string;
  /**
   * The built console (`requireConsoleBuild()`): with it the stage hosts the console on S3 + CloudFront (a
   * ConsoleHosting stack deployed first, a Console stack last); without it (most infra tests) neither exists.
   */
  consoleDist?: string;
}

export interface CityDesk {
  settings: StageSettings;
  stateful: StatefulStack;
  stateless: StatelessStack;
  operations: OperationsStack;
  consoleHosting?: ConsoleHostingStack;
  console?: ConsoleStack;
}

/** Stack names carry the stage, so several stages live side by side in one account. */
export function stackNames(stage: string): { stateful: string; stateless: string; operations: string; consoleHosting: string; console: string } {
  return {
    stateful: `CityDesk-${stage}-Stateful`,
    stateless: `CityDesk-${stage}-Stateless`,
    operations: `CityDesk-${stage}-Operations`,
    consoleHosting: `CityDesk-${stage}-ConsoleHosting`,
    console: `CityDesk-${stage}-Console`,
  };
}

export function buildCityDesk(app: App, sources: CityDeskSources): CityDesk {
  const contextSettings = stageSettings(app);
  const names = stackNames(contextSettings.stage);
  const operationsConfig = sources.operations ?? loadOperationsConfig();
  // Before any construct: a production stage whose notices would reach nobody stops here, naming each topic.
  if (contextSettings.production) checkProductionSubscriptions(sources.departments, operationsConfig, contextSettings.stage);
  // The hosted console's URL must exist before the user pool (callback URLs) and the API (CORS, message links).
  const consoleHosting = sources.consoleDist
    ? new ConsoleHostingStack(app, names.consoleHosting, {
        settings: contextSettings,
        domain: consoleDomainFromContext(app),
        description: `CityDesk 1999 (${contextSettings.stage}): console bucket and CloudFront distribution`,
      })
    : undefined;
  const settings = consoleHosting ? withHostedConsole(contextSettings, consoleHosting.hosting.url) : contextSettings;
  // Environment-agnostic stacks: synth needs no credentials; `cdk deploy` picks the account and region.
  const stateful = new StatefulStack(app, names.stateful, {
    settings,
    departments: sources.departments,
    operations: operationsConfig,
    description: `CityDesk 1999 (${settings.stage}): case table, notification and operations topics, user pool`,
  });
  const stateless = new StatelessStack(app, names.stateless, {
    settings,
    table: stateful.table,
    topics: stateful.topics,
    identity: stateful.identity,
    attachments: stateful.attachments,
    workflow: sources.workflow,
    operationsTopic: { topic: stateful.operationsTopic.topic, key: stateful.operationsTopic.key },
    routes: sources.routes,
    functionsDir: sources.functionsDir,
    description: `CityDesk 1999 (${settings.stage}): case API, case workflow`,
  });
  stateless.addStackDependency(stateful);
  const operations = new OperationsStack(app, names.operations, {
    settings,
    stateful,
    stateless,
    smsMonthlySpendLimitUsd: operationsConfig.smsMonthlySpendLimitUsd[settings.stage] ?? 1,
    description: `CityDesk 1999 (${settings.stage}): alarms and dashboard`,
  });
  operations.addStackDependency(stateless);
  let consoleStack: ConsoleStack | undefined;
  if (consoleHosting && sources.consoleDist) {
    stateful.addStackDependency(consoleHosting);
    consoleStack = new ConsoleStack(app, names.console, {
      settings,
      hosting: consoleHosting.hosting,
      api: stateless.api,
      identity: stateful.identity,
      distDir: sources.consoleDist,
      description: `CityDesk 1999 (${settings.stage}): console release and runtime config`,
    });
    consoleStack.addStackDependency(stateless);
  }

  Tags.of(app).add('project', 'citydesk-1999');
  Tags.of(app).add('stage', settings.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CachedCloudFormationValidate(app.outdir));
  return { settings, stateful, stateless, operations, consoleHosting, console: consoleStack };
}
