/**
 * `cdk synth` / `cdk deploy` entry (cdk.json: `npx tsx infra/bin/app.ts`). Stage from `-c stage=<name>`
 * (default dev). Config is validated here, so a bad config file stops synth naming the file and field. The
 * console is uploaded as it is in console/dist, so it is built first when missing or older than its sources
 * (as `npm start` does): `npx cdk synth` works on a fresh clone.
 */
import { App } from 'aws-cdk-lib';
import { ensureConsoleBuilt } from '../../console/scripts/ensure-built';
import { loadConfig } from '../../functions/config/load';
import { WORKFLOW_FUNCTIONS } from '../../functions/workflow/functions';
import { buildCityDesk } from '../citydesk';
import { requireConsoleBuild } from '../constructs/console-hosting';
import { CASE_LIFECYCLE_ASL } from '../constructs/case-workflow';
import { MissingSubscribersError } from '../subscription-check';

ensureConsoleBuilt({ quiet: true });
const consoleDist = requireConsoleBuild();

const app = new App();
try {
  buildCityDesk(app, {
    departments: loadConfig().departments,
    workflow: { tasks: WORKFLOW_FUNCTIONS, definitionFile: CASE_LIFECYCLE_ASL },
    consoleDist,
  });
} catch (error) {
  // A config problem the operator fixes in config/: the message says what and where, a stack trace would bury it.
  if (!(error instanceof MissingSubscribersError)) throw error;
  console.error(error.message);
  process.exit(1);
}
