/**
 * `cdk synth` / `cdk deploy` entry (cdk.json: `npx tsx infra/bin/app.ts`). Stage from `-c stage=<name>`
 * (default dev). Config is validated here, so a bad config file stops synth naming the file and field.
 */
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../../functions/config/load';
import { WORKFLOW_FUNCTIONS } from '../../functions/workflow/functions';
import { buildCityDesk } from '../citydesk';
import { CASE_LIFECYCLE_ASL } from '../constructs/case-workflow';

const app = new App();
buildCityDesk(app, {
  departments: loadConfig().departments,
  workflow: { tasks: WORKFLOW_FUNCTIONS, definitionFile: CASE_LIFECYCLE_ASL },
});
