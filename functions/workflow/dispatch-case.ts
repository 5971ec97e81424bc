/** Lambda behind the workflow state DispatchCase: see functions.ts and workflows/case-lifecycle.asl.json. */
import { workflowHandler } from './runtime';

export const handler = workflowHandler('DispatchCase');
