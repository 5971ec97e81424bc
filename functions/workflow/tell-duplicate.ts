/** Lambda behind the workflow state(s) TellDuplicate (inside the TellDuplicates Map): see functions.ts and workflows/case-lifecycle.asl.json. */
import { workflowHandler } from './runtime';

export const handler = workflowHandler('TellDuplicate');
