/** Lambda behind the workflow state(s) Route (apply the SOP): see functions.ts and workflows/case-lifecycle.asl.json. */
import { workflowHandler } from './runtime';

export const handler = workflowHandler('ApplySop');
