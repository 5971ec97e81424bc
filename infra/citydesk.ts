/**
 * The CityDesk 1999 CDK app: stage settings from context, the stateful and stateless stacks of that stage, and
 * cdk-nag's AwsSolutions pack as a validation plugin, so every synth (the CLI's and the tests') is checked.
 */
import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { RouteDef } from '../functions/api/routes';
import type { DepartmentsFile } from '../functions/config/schema';
import type { WorkflowTask } from './constructs/case-workflow';
import { stageSettings, type StageSettings } from './stage';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';

export interface CityDeskSources {
  /** `config/departments.json`, validated (`loadConfig().departments`). */
  departments: DepartmentsFile;
  workflow: { tasks: readonly WorkflowTask[]; definitionFile?: string };
  /** The route table; default ROUTES. */
  routes?: readonly RouteDef[];
  /** Where handler modules live; default `functions/`. Infra tests synthesize against stub modules. */
  functionsDir?: string;
}

export interface CityDesk {
  settings: StageSettings;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/** Stack names carry the stage, so several stages live side by side in one account. */
export function stackNames(stage: string): { stateful: string; stateless: string } {
  return { stateful: `CityDesk-${stage}-Stateful`, stateless: `CityDesk-${stage}-Stateless` };
}

export function buildCityDesk(app: App, sources: CityDeskSources): CityDesk {
  const settings = stageSettings(app);
  const names = stackNames(settings.stage);
  // Environment-agnostic stacks: synth needs no credentials; `cdk deploy` picks the account and region.
  const stateful = new StatefulStack(app, names.stateful, {
    settings,
    departments: sources.departments,
    description: `CityDesk 1999 (${settings.stage}): case table, notification topics, user pool`,
  });
  const stateless = new StatelessStack(app, names.stateless, {
    settings,
    table: stateful.table,
    topics: stateful.topics,
    identity: stateful.identity,
    workflow: sources.workflow,
    routes: sources.routes,
    functionsDir: sources.functionsDir,
    description: `CityDesk 1999 (${settings.stage}): case API, case workflow`,
  });
  stateless.addStackDependency(stateful);

  Tags.of(app).add('project', 'citydesk-1999');
  Tags.of(app).add('stage', settings.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { settings, stateful, stateless };
}
