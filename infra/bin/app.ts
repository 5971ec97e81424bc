/**
 * `cdk synth` / `cdk deploy` entry (cdk.json: `npx tsx infra/bin/app.ts`). Stage from `-c stage=<name>`
 * (default dev). Config is validated here, so a bad config file stops synth naming the file and field, and the
 * console must be built (`npm run build:console`): it is uploaded as it is in console/dist.
 */
import { App } from 'aws-cdk-lib';
import { consoleIsStale } from '../../console/scripts/ensure-built';
import { loadConfig } from '../../functions/config/load';
import { WORKFLOW_FUNCTIONS } from '../../functions/workflow/functions';
import { buildCityDesk } from '../citydesk';
import { requireConsoleBuild } from '../constructs/console-hosting';
import { CASE_LIFECYCLE_ASL } from '../constructs/case-workflow';

const consoleDist = requireConsoleBuild();
if (consoleIsStale()) console.warn('console/dist is older than the console sources: run `npm run build:console` to deploy the current console');

const app = new App();
buildCityDesk(app, {
  departments: loadConfig().departments,
  workflow: { tasks: WORKFLOW_FUNCTIONS, definitionFile: CASE_LIFECYCLE_ASL },
  // Synth stops with "run npm run build:console" rather than deploy a stage without its console.
  consoleDist,
});
