/** Lambda behind the workflow state WorkflowFailed, the recovery path: see functions.ts and workflows/case-lifecycle.asl.json. */
import { workflowHandler } from './runtime';

export const handler = workflowHandler('WorkflowFailed');
