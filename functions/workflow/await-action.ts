/** Lambda behind the workflow state(s) AwaitAck, AwaitResolve, AwaitSurvey and AwaitReassign (stores the task token): see functions.ts and workflows/case-lifecycle.asl.json. */
import { workflowHandler } from './runtime';

export const handler = workflowHandler('AwaitAction');
