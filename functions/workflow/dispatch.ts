/** Lambda behind the workflow state(s) Dispatch: see functions.ts and workflows/case-lifecycle.asl.json. */
import { workflowHandler } from './runtime';

export const handler = workflowHandler('Dispatch');
