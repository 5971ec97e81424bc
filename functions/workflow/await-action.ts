/** Lambda for the workflow task AwaitAction (see functions.ts and workflows/case-lifecycle.asl.json). */
import { workflowHandler } from './runtime';

export const handler = workflowHandler('AwaitAction');
