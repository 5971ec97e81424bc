/**
 * Builds the CityDesk CDK app for template tests: the context of cdk.json (same feature flags as `cdk synth`),
 * asset bundling skipped (`aws:cdk:bundling-stacks: []`) so a synth takes seconds, and handler modules replaced
 * by stubs in an ignored cache dir so the tests check wiring without depending on handler code.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { handlerModules, ROUTES, type RouteDef } from '../../../functions/api/routes';
import { loadConfig, loadOperationsConfig } from '../../../functions/config/load';
import type { DepartmentsFile, OperationsFile } from '../../../functions/config/schema';
import { buildCityDesk, type CityDesk, type CityDeskSources } from '../../../infra/citydesk';
import { PROJECT_ROOT } from '../../../infra/constructs/function';
import { CASE_LIFECYCLE_ASL, type WorkflowTask } from '../../../infra/constructs/case-workflow';
import { handlerModuleOf, WORKFLOW_FUNCTIONS } from '../../../functions/workflow/functions';
import { SCHEDULED_JOBS } from '../../../functions/privacy/jobs';
import { SOP_CATALOG_SEED_HANDLER } from '../../../infra/constructs/sop-catalog-seed';

export const CDK_CONTEXT: Record<string, unknown> = (
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

export const FIXTURES = path.join(PROJECT_ROOT, 'test/infra/fixtures');
/** A small ASL using every kind of placeholder CDK fills, for construct tests independent of the real one. */
export const FIXTURE_ASL = path.join(FIXTURES, 'lifecycle.asl.json');
export const FIXTURE_TASKS: readonly WorkflowTask[] = [{ id: 'RouteCase' }];

/** A `functions/` dir holding a stub for every handler module the routes and tasks name. */
export function stubFunctionsDir(routes: readonly RouteDef[], tasks: readonly WorkflowTask[]): string {
  // Under the project root (NodejsFunction requires entries there), in a cache folder git ignores. Stubs are
  // identical for every test file, so parallel writers cannot disagree.
  const dir = path.join(PROJECT_ROOT, 'node_modules/.cache/citydesk-infra/functions');
  const modules = [...handlerModules(routes).map((m) => m.handler), ...tasks.map((t) => handlerModuleOf(t)), ...SCHEDULED_JOBS.map((j) => j.handler), SOP_CATALOG_SEED_HANDLER];
  for (const module of modules) {
    const file = path.join(dir, `${module}.ts`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'export const handler = async () => ({ statusCode: 200 });\n');
  }
  return dir;
}

/**
 * The shipped config plus one e-mail subscriber for `stage` on every department and on the operations topic: what
 * an operator adds before the first production deploy (synth of a production stage refuses topics nobody hears).
 */
export function withSubscribersIn(stage: string, departments: DepartmentsFile = loadConfig().departments, operations: OperationsFile = loadOperationsConfig()): { departments: DepartmentsFile; operations: OperationsFile } {
  const subscriber = (who: string) => ({ protocol: 'email' as const, endpoint: `${who.toLowerCase()}-1999@city.example.gov.tw`, stages: [stage] });
  return {
    departments: { ...departments, departments: departments.departments.map((d) => ({ ...d, subscriptions: [...d.subscriptions, subscriber(d.code)] })) },
    operations: { ...operations, subscriptions: [...operations.subscriptions, subscriber('ops')] },
  };
}

export interface TestAppOptions {
  stage?: string;
  context?: Record<string, unknown>;
  sources?: Partial<CityDeskSources>;
}

export function buildTestApp(options: TestAppOptions = {}): { app: App; desk: CityDesk } {
  const app = new App({
    context: { ...CDK_CONTEXT, stage: options.stage ?? 'dev', 'aws:cdk:bundling-stacks': [], ...options.context },
  });
  const routes = options.sources?.routes ?? ROUTES;
  // By default the real workflow: the ASL file and task list the workflow area ships.
  const workflow = options.sources?.workflow ?? { tasks: WORKFLOW_FUNCTIONS, definitionFile: CASE_LIFECYCLE_ASL };
  // A production stage needs subscribers (infra/subscription-check.ts): tests get them unless they bring config.
  const production = ((options.context?.['citydesk:productionStages'] as string[] | undefined) ?? ['prod']).includes(options.stage ?? 'dev');
  const desk = buildCityDesk(app, {
    ...(production ? withSubscribersIn(options.stage!) : { departments: loadConfig().departments }),
    functionsDir: stubFunctionsDir(routes, workflow.tasks),
    ...options.sources,
    routes,
    workflow,
  });
  return { app, desk };
}

const SHARED_APPS = Symbol.for('citydesk.sharedTestApps');

/**
 * The shipped dev or prod app, built and synthesized once per worker and handed to every test file that only reads
 * it: a synth (cdk-nag included) is seconds of CPU, and most template tests read the same default app. Its
 * templates are frozen, so a test that changed one would fail instead of leaking into the next file. Never add
 * constructs to it (a later synth would not show them, and other files would see them): build your own app with
 * `buildTestApp` for that, or for any other options.
 */
export function sharedTestApp(stage: 'dev' | 'prod' = 'dev'): { app: App; desk: CityDesk } {
  // On globalThis: the files of the "shared" project run in one worker and keep its module state, but a file of
  // its own (the "isolated" project) builds its own.
  const apps = ((globalThis as Record<symbol, Map<string, { app: App; desk: CityDesk }> | undefined>)[SHARED_APPS] ??= new Map());
  let built = apps.get(stage);
  if (!built) {
    built = buildTestApp({ stage });
    // The first Template.fromStack synthesizes the app (the assembly is kept, so later reads get these objects).
    for (const stack of Object.values(built.desk)) if (stack instanceof Stack) deepFreeze(Template.fromStack(stack).toJSON());
    apps.set(stage, built);
  }
  return built;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

export function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnResource);
}

export type Statement = { Action: string | string[]; Effect: string; Resource?: unknown; NotResource?: unknown };

/** Every statement of every IAM policy attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleLogicalId}"`))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

export function actionsOf(statements: readonly Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}
